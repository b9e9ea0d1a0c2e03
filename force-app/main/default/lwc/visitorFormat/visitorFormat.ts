/**
 * What the console's views share: how a visitor card reads (durations, money, places,
 * initials), how visitors are grouped into streams and ordered, and one shared clock so
 * that hundreds of ticking cards cost one timer — and only the cards on screen tick.
 */
import type {
    CardChat,
    Experience,
    ScoreBand,
    StreamSummary,
    VisitorCard
} from '../sightlineLive/liveContract';

export type SortKey = 'arrival' | 'score' | 'timeOnSite' | 'name' | 'ready';

export interface StreamGroup {
    id: string;
    name: string;
    color: string;
    priority: number;
    count: number;
    countLabel: string;
    isEmpty: boolean;
    swatchStyle: string;
    headerStyle: string;
    visitors: VisitorCard[];
}

/** "45s", "4m 05s", "1h 12m". */
export function formatDuration(ms: number): string {
    const total = Math.max(0, Math.floor(ms / 1000));
    const hours = Math.floor(total / 3600);
    const minutes = Math.floor((total % 3600) / 60);
    const seconds = total % 60;
    if (hours > 0) return `${hours}h ${String(minutes).padStart(2, '0')}m`;
    if (minutes > 0) return `${minutes}m ${String(seconds).padStart(2, '0')}s`;
    return `${seconds}s`;
}

/** A chat countdown as "0:30" or "5:00": one format on the card, in the 360 and on the site. */
export function formatCountdown(seconds: number): string {
    return `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')}`;
}

/** Whole seconds until `deadline`, never below zero. */
export function secondsUntil(deadline: string, now: number): number {
    const at = Date.parse(deadline);
    if (Number.isNaN(at)) return 0;
    return Math.max(0, Math.ceil((at - now) / 1000));
}

const compactMoney = new Intl.NumberFormat('en-US', {
    style: 'currency',
    currency: 'USD',
    notation: 'compact',
    minimumFractionDigits: 0,
    maximumFractionDigits: 1
});

export function formatAmount(amount: number | undefined): string {
    return typeof amount === 'number' && Number.isFinite(amount) ? compactMoney.format(amount) : '';
}

export function initialOf(name: string | undefined): string {
    const letter = (name ?? '').trim().match(/[\p{L}\p{N}]/u);
    return letter ? letter[0].toUpperCase() : '?';
}

/** Logo colours with white text at SLDS contrast (4.5:1 or better). */
const LOGO_COLORS = [
    '#0b5cab',
    '#3e3e3c',
    '#2e844a',
    '#8c4b02',
    '#ba0517',
    '#5a1ba9',
    '#014486',
    '#056764',
    '#7526e3',
    '#a61a14'
];

export function logoColor(key: string | undefined): string {
    let hash = 0;
    for (const char of key ?? '') hash = (hash * 31 + char.charCodeAt(0)) | 0;
    return LOGO_COLORS[Math.abs(hash) % LOGO_COLORS.length]!;
}

export function locationLabel(location: VisitorCard['location']): string {
    if (!location) return 'Location unknown';
    const parts = [
        location.city,
        location.region && location.region !== location.city ? location.region : undefined,
        location.country
    ];
    const label = parts.filter((p): p is string => Boolean(p)).join(', ');
    return label || 'Location unknown';
}

export function bandClass(band: ScoreBand): string {
    switch (band) {
        case 'On Fire':
            return 'slds-badge band band_fire';
        case 'Hot':
            return 'slds-badge band band_hot';
        case 'Warm':
            return 'slds-badge band band_warm';
        default:
            return 'slds-badge band band_cold';
    }
}

const EXPERIENCES: Record<Experience, string> = {
    'chat-routed': 'Chat routed to a rep',
    'chat-queued': 'Chat queued for a rep',
    'pounce-only': 'Pounce only',
    'meeting-booker': 'Meeting booker',
    unrouted: 'Not routed'
};

export function experienceLabel(experience: Experience): string {
    return EXPERIENCES[experience] ?? experience;
}

export function chatLabel(chat: CardChat): string {
    switch (chat.state) {
        case 'bot':
            return 'Talking to the bot';
        case 'requested':
            return 'Asked to chat';
        case 'conversation':
            return `In conversation with ${chat.rep.name}`;
        case 'meeting-booker':
            return 'Sent to the meeting booker';
        default:
            return '';
    }
}

/** Idle visitors only when asked; with `readyOnly`, only visitors ready to pounce. */
export function isShown(card: VisitorCard, showIdle: boolean, readyOnly = false): boolean {
    return (showIdle || card.active) && (!readyOnly || isReadyToPounce(card));
}

export function isReadyToPounce(card: VisitorCard): boolean {
    return card.pounce?.ready === true;
}

const byName = (a: VisitorCard, b: VisitorCard) =>
    a.displayName.localeCompare(b.displayName, undefined, { sensitivity: 'base' });
const byArrival = (a: VisitorCard, b: VisitorCard) =>
    a.startedAt.localeCompare(b.startedAt) || a.id.localeCompare(b.id);

/**
 * Orders within a stream. `arrival` (the live view's) keeps a card where it is while it
 * changes: new visitors join the end, so nothing above them moves.
 */
export const COMPARATORS: Record<SortKey, (a: VisitorCard, b: VisitorCard) => number> = {
    arrival: byArrival,
    score: (a, b) => b.score.value - a.score.value || byArrival(a, b),
    timeOnSite: byArrival,
    name: (a, b) => byName(a, b) || byArrival(a, b),
    /** Ready to pounce first, then by engagement score. */
    ready: (a, b) =>
        Number(isReadyToPounce(b)) - Number(isReadyToPounce(a)) ||
        b.score.value - a.score.value ||
        byArrival(a, b)
};

/** Streams in priority order, each with its visitors (a visitor is in one stream only). */
export function groupByStream(
    streams: StreamSummary[],
    visitors: VisitorCard[],
    sort: SortKey = 'arrival'
): StreamGroup[] {
    const byStream = new Map<string, VisitorCard[]>();
    for (const card of visitors) {
        const list = byStream.get(card.streamId);
        if (list) list.push(card);
        else byStream.set(card.streamId, [card]);
    }
    const compare = COMPARATORS[sort];
    return [...streams]
        .sort((a, b) => a.priority - b.priority || a.name.localeCompare(b.name))
        .map((stream) => {
            const members = (byStream.get(stream.id) ?? []).sort(compare);
            const count = members.length;
            return {
                id: stream.id,
                name: stream.name,
                color: stream.color,
                priority: stream.priority,
                count,
                countLabel: count === 1 ? '1 visitor' : `${count} visitors`,
                isEmpty: count === 0,
                swatchStyle: `background-color: ${stream.color}`,
                headerStyle: `--stream-color: ${stream.color}`,
                visitors: members
            };
        });
}

type Listener = (now: number) => void;
const listeners = new Set<Listener>();
let timer: ReturnType<typeof setInterval> | undefined;

/** Calls `listener` once a second with the time; returns the unsubscribe function. */
export function onClockTick(listener: Listener): () => void {
    listeners.add(listener);
    if (!timer) {
        // eslint-disable-next-line @lwc/lwc/no-async-operation
        timer = setInterval(() => {
            const now = Date.now();
            for (const l of listeners) l(now);
        }, 1000);
    }
    return () => {
        listeners.delete(listener);
        if (listeners.size === 0 && timer) {
            clearInterval(timer);
            timer = undefined;
        }
    };
}

/** What each watched element does when it comes on screen or leaves it. */
const visibilityListeners = new WeakMap<Element, (visible: boolean) => void>();
let visibilityObserver: IntersectionObserver | undefined;

function observeVisibility(element: Element, listener: (visible: boolean) => void): () => void {
    visibilityObserver ??= new IntersectionObserver((entries) => {
        for (const entry of entries) visibilityListeners.get(entry.target)?.(entry.isIntersecting);
    });
    visibilityListeners.set(element, listener);
    visibilityObserver.observe(element);
    return () => {
        visibilityObserver?.unobserve(element);
        visibilityListeners.delete(element);
    };
}

/**
 * Like `onClockTick`, but only while `element` is on screen (scrolled into its column or the
 * window), and once at once when it comes back, so it never shows a stale time. Five hundred
 * cards re-rendering every second would cost the page a long task each second; the few on
 * screen cost nothing noticeable. Where IntersectionObserver is missing it always ticks.
 */
export function onClockTickWhileVisible(element: Element, listener: Listener): () => void {
    if (typeof IntersectionObserver === 'undefined') return onClockTick(listener);
    let stopTicking: (() => void) | undefined;
    const stopObserving = observeVisibility(element, (visible) => {
        if (visible && !stopTicking) {
            listener(Date.now());
            stopTicking = onClockTick(listener);
        } else if (!visible && stopTicking) {
            stopTicking();
            stopTicking = undefined;
        }
    });
    return () => {
        stopObserving();
        stopTicking?.();
    };
}
