/**
 * Visitors for the console's end-to-end tests and benchmark: beacons posted to the real
 * gateway (`POST /v1/collect`, gateway/src/contracts/visitorProtocol.ts) from a chosen
 * address, presented in X-Forwarded-For (trusted from loopback in local mode). Demo
 * company blocks (198.18.i.0/24 → the i-th demo Account) light up the account streams.
 */
import type {
    CollectRequestInput,
    CollectResponse,
    TrackerEventInput
} from '../../gateway/src/contracts/visitorProtocol';
import { PERSON_USER_AGENT } from './browser';

export const SITE_KEY = 'demo-site-key';

export interface FakeVisit {
    visitorId: string;
    sessionId: string;
    tabId: string;
    ip: string;
}

let counter = 0;

export function newVisit(ip: string, tag = 'e2e'): FakeVisit {
    counter += 1;
    const id =
        `${tag}${Date.now().toString(36)}${counter.toString(36)}${Math.random().toString(36).slice(2, 8)}`.replace(
            /[^A-Za-z0-9]/g,
            ''
        );
    return {
        visitorId: `v${id}`.slice(0, 60),
        sessionId: `s${id}`.slice(0, 60),
        tabId: `t${id}`.slice(0, 60),
        ip
    };
}

/** Demo company block i (0-based), address `host`. */
export function demoCompanyIp(index: number, host = 10): string {
    return index < 256 ? `198.18.${index}.${host}` : `198.19.${index - 256}.${host}`;
}

export async function collect(
    baseUrl: string,
    visit: FakeVisit,
    events: TrackerEventInput[],
    extra: Pick<CollectRequestInput, 'utm' | 'device'> = {}
): Promise<CollectResponse> {
    const body: CollectRequestInput = {
        siteKey: SITE_KEY,
        visitorId: visit.visitorId,
        sessionId: visit.sessionId,
        tabId: visit.tabId,
        ...extra,
        events
    };
    const response = await fetch(`${baseUrl}/v1/collect`, {
        method: 'POST',
        headers: {
            'content-type': 'application/json',
            'x-forwarded-for': visit.ip,
            // A person's browser: Node's own user agent would be kept out as a bot.
            'user-agent': PERSON_USER_AGENT
        },
        body: JSON.stringify(body)
    });
    if (response.status !== 202)
        throw new Error(`collect answered ${response.status}: ${await response.text()}`);
    return (await response.json()) as CollectResponse;
}

/** A page view of `path` on the website at `baseUrl` (the demo website's pages are at root paths). */
export function pageView(baseUrl: string, path: string, title: string): TrackerEventInput {
    return {
        ts: Date.now(),
        type: 'pageview',
        url: new URL(path, baseUrl).href,
        title,
        referrer: ''
    };
}
