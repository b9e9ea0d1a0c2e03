/**
 * One live visit, in memory: what the tracker reported (pages, dwell, scroll, tabs, UTM,
 * referrer, device, activity, identification, chat request) and what enrichment found.
 * `toVisitor` turns it into the engine's `Visitor` model. Times are epoch ms, from the
 * gateway's clock (a website's clock is not trusted).
 */
import type { CollectRequestData } from '../contracts/visitorProtocol';
import { Interner, shared } from './compact';
import type {
    SalesforceMatches,
    VisitedPage,
    Visitor,
    VisitorCompany,
    VisitorLocation
} from '../engine';

/** No chat yet: one shared value (a chat phase is replaced, never changed in place). */
const NO_CHAT: ChatPhase = Object.freeze({ state: 'none' });
/** Devices repeat (a few browsers, systems and form factors): one object per kind. */
const devices = new Interner<NonNullable<CollectRequestData['device']>>(1_000);
/** Landing UTM parameters repeat too (a few campaigns; most visits have none): one frozen copy each. */
const utms = new Interner<NonNullable<CollectRequestData['utm']>>(5_000);

/** Pages kept per visit; older ones still count in `pageCount`. */
export const MAX_PAGES = 50;

export interface SessionPage extends VisitedPage {
    dwellMs: number;
    scrollDepth: number;
}

export type ChatPhase =
    | { state: 'none' }
    | {
          state: 'requested';
          requestedAt: number;
          deadline: number;
          secondsTotal: number;
          conversationId: string;
      }
    | {
          state: 'conversation';
          conversationId: string;
          repId: string;
          repName: string;
          repTitle: string;
      }
    | { state: 'meeting-booker'; at: number; requestedAt: number; conversationId?: string }
    | { state: 'ended'; conversationId: string };

export interface LiveSession {
    sessionId: string;
    visitorKey: string;
    siteKey: string;
    ip: string;
    visitorRecordId?: string;
    visitCount: number;
    startedAt: number;
    lastSeenAt: number;
    lastActivityAt: number;
    active: boolean;
    idleSince?: number;
    pages: SessionPage[];
    pageCount: number;
    tabsReported: number;
    referrer?: string;
    utm?: CollectRequestData['utm'];
    device?: CollectRequestData['device'];
    email?: string;
    personName?: string;
    /** The name the visitor typed in a form, kept apart from the CRM record's name. */
    typedName?: string;
    formSubmitted: boolean;
    chatRequestedAt?: number;
    chat: ChatPhase;
    company?: VisitorCompany;
    location?: VisitorLocation;
    salesforce?: SalesforceMatches;
    linkedLeadId?: string;
    lastPersistedAt: number;
}

export function newSession(request: CollectRequestData, ip: string, now: number): LiveSession {
    return {
        sessionId: request.sessionId,
        visitorKey: request.visitorId,
        siteKey: request.siteKey,
        ip,
        visitCount: 1,
        startedAt: now,
        lastSeenAt: now,
        lastActivityAt: now,
        active: true,
        pages: [],
        pageCount: 0,
        tabsReported: 1,
        formSubmitted: false,
        chat: NO_CHAT,
        lastPersistedAt: 0
    };
}

export interface Applied {
    /** Something a stream, rule or card could depend on changed. */
    changed: boolean;
    identified?: {
        email: string;
        firstName?: string;
        lastName?: string;
        company?: string;
        source: 'form' | 'api';
    };
    chatRequest?: { message: string };
}

function pathOf(url: string): string {
    try {
        return new URL(url).pathname || '/';
    } catch {
        return '/';
    }
}

/**
 * The pages with one more, the oldest dropped past MAX_PAGES, in an array of the exact
 * size: `push` grows an array's store by 16 slots at a time, ~150 bytes a visit when most
 * visits see a page or two.
 */
function withPage(pages: SessionPage[], page: SessionPage): SessionPage[] {
    const kept = pages.length < MAX_PAGES ? pages.length : MAX_PAGES - 1;
    const next = new Array<SessionPage>(kept + 1);
    for (let i = 0; i < kept; i++) next[i] = pages[pages.length - kept + i]!;
    next[kept] = page;
    return next;
}

/** A site's pages repeat: each distinct URL's path is parsed once (a URL parse per page view was not free). */
const paths = new Interner<string>(20_000);
const sharedPathOf = (url: string) => paths.get(url, () => shared(pathOf(url)));

/**
 * A sign of life: the visit is active as of `now`. Says whether it was idle (a change a
 * card shows). A function, not a closure per batch: batches are the ingest's hot path.
 */
function markActive(session: LiveSession, now: number): boolean {
    session.lastActivityAt = now;
    if (session.active) return false;
    session.active = true;
    delete session.idleSince;
    return true;
}

/** The latest kept page at this URL (pages are few, newest last). */
function latestPageAt(pages: readonly SessionPage[], url: string): SessionPage | undefined {
    for (let i = pages.length - 1; i >= 0; i--) if (pages[i]!.url === url) return pages[i];
    return undefined;
}

/** Applies one validated beacon batch. Never throws on valid input. */
export function applyBatch(
    session: LiveSession,
    request: CollectRequestData,
    now: number
): Applied {
    const applied: Applied = { changed: false };
    session.lastSeenAt = now;
    if (request.utm && !session.utm) {
        const utm = request.utm;
        const key = JSON.stringify([utm.source, utm.medium, utm.campaign, utm.term, utm.content]);
        session.utm = utms.get(key, () => Object.freeze({ ...utm }));
        applied.changed = true;
    }
    if (request.device && !session.device) {
        const { type, browser, os } = request.device;
        session.device = devices.get(`${type}\u0000${browser}\u0000${os}`, () => ({
            type,
            browser: shared(browser),
            os: shared(os)
        }));
        applied.changed = true;
    }
    for (const event of request.events) {
        switch (event.type) {
            case 'pageview': {
                const current = session.pages[session.pages.length - 1];
                if (current) current.dwellMs = Math.max(current.dwellMs, now - current.enteredAt);
                session.pages = withPage(session.pages, {
                    url: shared(event.url),
                    path: sharedPathOf(event.url),
                    title: shared(event.title),
                    enteredAt: now,
                    dwellMs: 0,
                    scrollDepth: 0
                });
                session.pageCount++;
                if (session.pageCount === 1 && event.referrer) session.referrer = event.referrer;
                markActive(session, now);
                applied.changed = true;
                break;
            }
            case 'heartbeat':
                if (event.active && markActive(session, now)) applied.changed = true;
                break;
            case 'activity':
                if (event.state === 'active') {
                    if (markActive(session, now)) applied.changed = true;
                } else if (session.active) {
                    session.active = false;
                    session.idleSince = now;
                    applied.changed = true;
                }
                break;
            case 'scroll': {
                const page = latestPageAt(session.pages, event.url);
                if (page && event.depth > page.scrollDepth) {
                    const crossed = page.scrollDepth < 0.15 && event.depth >= 0.15;
                    page.scrollDepth = event.depth;
                    applied.changed ||= crossed || page === session.pages[session.pages.length - 1];
                }
                if (markActive(session, now)) applied.changed = true;
                break;
            }
            case 'tabs':
                if (session.tabsReported !== event.count) {
                    session.tabsReported = event.count;
                    applied.changed = true;
                }
                break;
            case 'identify':
                session.email = event.email.toLowerCase();
                if (event.firstName || event.lastName) {
                    session.personName = [event.firstName, event.lastName]
                        .filter(Boolean)
                        .join(' ');
                    session.typedName = session.personName;
                }
                if (event.source === 'form') session.formSubmitted = true;
                applied.identified = {
                    email: session.email,
                    source: event.source,
                    ...(event.firstName ? { firstName: event.firstName } : {}),
                    ...(event.lastName ? { lastName: event.lastName } : {}),
                    ...(event.company ? { company: event.company } : {})
                };
                applied.changed = true;
                break;
            case 'chat-request':
                applied.chatRequest = { message: event.message };
                markActive(session, now);
                applied.changed = true;
                break;
        }
    }
    return applied;
}

/** The engine's view of the visit. `sessionId` is the engine's visitor id (one live visit). */
export function toVisitor(session: LiveSession, now: number): Visitor {
    const pages = session.pages.map((p, i, all) => ({
        url: p.url,
        path: p.path,
        title: p.title,
        enteredAt: p.enteredAt,
        dwellMs: i === all.length - 1 ? Math.max(p.dwellMs, now - p.enteredAt) : p.dwellMs,
        scrollDepth: p.scrollDepth
    }));
    const currentPage = pages[pages.length - 1];
    const level = session.email ? 'person' : session.company?.domain ? 'company' : 'anonymous';
    return {
        identity: {
            level,
            visitorId: session.sessionId,
            ...(session.email ? { email: session.email } : {}),
            ...(session.personName ? { name: session.personName } : {})
        },
        ...(session.company ? { company: session.company } : {}),
        ...(session.location ? { location: session.location } : {}),
        ...(session.salesforce ? { salesforce: session.salesforce } : {}),
        visit: {
            pages,
            ...(currentPage ? { currentPage } : {}),
            ...(session.referrer ? { referrer: session.referrer } : {}),
            ...(session.utm ? { utm: session.utm } : {}),
            pageCount: session.pageCount,
            timeOnSiteMs: now - session.startedAt,
            returning: session.visitCount > 1,
            visitCount: session.visitCount,
            startedAt: session.startedAt
        },
        behaviour: {
            active: session.active,
            ...(session.idleSince !== undefined ? { idleSinceMs: session.idleSince } : {}),
            tabsOpen: Math.max(session.tabsReported, 1),
            formSubmitted: session.formSubmitted,
            // A request stays "requested" for the engine after its deadline: the engine then
            // answers meeting-booker for it.
            chatRequested:
                session.chat.state === 'requested' || session.chat.state === 'meeting-booker',
            ...(session.chat.state === 'requested' || session.chat.state === 'meeting-booker'
                ? { chatRequestedAt: session.chat.requestedAt }
                : {})
        },
        ...(session.device ? { device: session.device } : {})
    };
}
