/**
 * The common beacon, checked without zod. Most beacons are a page view, a scroll or a
 * heartbeat with the envelope's ids and nothing else; zod's general walk over them (issue
 * lists, per-check closures, a new output object per level) was a tenth of the ingest's
 * CPU. This checks exactly those shapes by hand and builds the same output zod would
 * (defaults filled in, keys in schema order). Anything else — a missing or extra key, a
 * wrong type, a value out of range, UTM, device, identify, chat — answers `undefined`
 * and goes through the schemas, which then accept or refuse it with their own messages.
 * So this path only ever says yes, and only to a beacon the schemas accept unchanged
 * (`fastBeacon.test.ts` holds it to that on generated beacons).
 */
import { LIMITS, Url, type CollectRequestData } from '../contracts/visitorProtocol';

type Event = CollectRequestData['events'][number];

const ID = /^[A-Za-z0-9_-]{8,64}$/;
const ENVELOPE_KEYS = new Set(['siteKey', 'visitorId', 'sessionId', 'tabId', 'events']);
const PAGEVIEW_KEYS = new Set(['ts', 'type', 'url', 'title', 'referrer', 'spa']);

/**
 * URL validity is a pure function of the string, and a site's beacons repeat a few URLs:
 * each distinct one is checked (and normalised) by the schema once. Bounded: past the
 * capacity the table starts afresh, so hostile URLs cost what they cost before.
 */
const URL_MEMO_CAPACITY = 10_000;
let urls = new Map<string, string | null>();

function checkedUrl(value: unknown): string | undefined {
    if (typeof value !== 'string') return undefined;
    let known = urls.get(value);
    if (known === undefined) {
        const parsed = Url.safeParse(value);
        known = parsed.success ? parsed.data : null;
        if (urls.size >= URL_MEMO_CAPACITY) urls = new Map();
        urls.set(value, known);
    }
    return known ?? undefined;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
    return (
        typeof value === 'object' &&
        value !== null &&
        !Array.isArray(value) &&
        Object.getPrototypeOf(value) === Object.prototype
    );
}

/** Exactly these keys, all present (zod's strict object: none missing, none unknown). */
function hasExactly(value: Record<string, unknown>, keys: readonly string[]): boolean {
    let count = 0;
    for (const key in value) {
        if (!keys.includes(key)) return false;
        count++;
    }
    return count === keys.length;
}

const isTimestamp = (value: unknown): value is number =>
    typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;

function heartbeat(raw: Record<string, unknown>): Event | undefined {
    if (!hasExactly(raw, ['ts', 'type', 'active'])) return undefined;
    if (!isTimestamp(raw.ts) || typeof raw.active !== 'boolean') return undefined;
    return { ts: raw.ts, type: 'heartbeat', active: raw.active };
}

function scroll(raw: Record<string, unknown>): Event | undefined {
    if (!hasExactly(raw, ['ts', 'type', 'url', 'depth'])) return undefined;
    const depth = raw.depth;
    if (!isTimestamp(raw.ts) || typeof depth !== 'number' || !(depth >= 0 && depth <= 1))
        return undefined;
    const url = checkedUrl(raw.url);
    return url === undefined ? undefined : { ts: raw.ts, type: 'scroll', url, depth };
}

function pageview(raw: Record<string, unknown>): Event | undefined {
    for (const key in raw) if (!PAGEVIEW_KEYS.has(key)) return undefined;
    if (!isTimestamp(raw.ts)) return undefined;
    const url = checkedUrl(raw.url);
    if (url === undefined) return undefined;
    // Defaults fill in an absent key only: a null is refused, as the schema refuses it.
    const title = raw.title === undefined ? '' : raw.title;
    if (typeof title !== 'string' || title.length > LIMITS.titleLength) return undefined;
    const referrer =
        raw.referrer === undefined || raw.referrer === '' ? '' : checkedUrl(raw.referrer);
    if (referrer === undefined) return undefined;
    const spa = raw.spa === undefined ? false : raw.spa;
    if (typeof spa !== 'boolean') return undefined;
    return { ts: raw.ts, type: 'pageview', url, title, referrer, spa };
}

function event(raw: unknown): Event | undefined {
    if (!isPlainObject(raw)) return undefined;
    switch (raw.type) {
        case 'heartbeat':
            return heartbeat(raw);
        case 'scroll':
            return scroll(raw);
        case 'pageview':
            return pageview(raw);
        default:
            return undefined;
    }
}

/** The batch, when it is a common one the schemas would accept as it is; else undefined. */
export function fastBeacon(json: unknown): CollectRequestData | undefined {
    if (!isPlainObject(json)) return undefined;
    for (const key in json) if (!ENVELOPE_KEYS.has(key)) return undefined;
    const { siteKey, visitorId, sessionId, tabId, events } = json;
    if (typeof siteKey !== 'string' || siteKey.length < 1 || siteKey.length > 64) return undefined;
    if (typeof visitorId !== 'string' || !ID.test(visitorId)) return undefined;
    if (typeof sessionId !== 'string' || !ID.test(sessionId)) return undefined;
    if (typeof tabId !== 'string' || !ID.test(tabId)) return undefined;
    if (!Array.isArray(events) || events.length < 1 || events.length > LIMITS.eventsPerBeacon)
        return undefined;
    const checked: Event[] = [];
    for (const raw of events) {
        const parsed = event(raw);
        if (!parsed) return undefined;
        checked.push(parsed);
    }
    return { siteKey, visitorId, sessionId, tabId, events: checked };
}
