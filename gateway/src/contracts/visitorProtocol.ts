/**
 * The wire contract between the website tracker and the gateway: the beacon batches the
 * tracker posts, and the messages of the visitor's chat socket. The gateway validates
 * every input against these schemas; the tracker imports only the inferred types, so no
 * validation library ships to websites.
 *
 * Limits are part of the contract: anything larger is refused with a 4xx, never truncated
 * silently.
 */
import { z } from 'zod';
import { validEmail } from './emailRule';

export const LIMITS = {
    /** Bytes of one beacon request body. */
    beaconBytes: 64 * 1024,
    eventsPerBeacon: 50,
    urlLength: 2048,
    titleLength: 300,
    textLength: 2000
} as const;

/** The one email rule, shared with the tracker (see emailRule.ts: it ships to websites without zod). */
export { EMAIL_MAX_LENGTH, validEmail } from './emailRule';

const Id = z.string().regex(/^[A-Za-z0-9_-]{8,64}$/, 'expected 8–64 letters, digits, _ or -');
/** Page URLs and referrers: `http:` or `https:` only (no `javascript:`, `data:`, `file:`…). */
export const Url = z
    .url({ protocol: /^https?$/, error: 'expected an http(s) URL' })
    .max(LIMITS.urlLength);
const Email = z.string().refine(validEmail, { error: 'expected an email address' });
const Timestamp = z.number().int().nonnegative();
const ShortText = z.string().max(255);

const Base = { ts: Timestamp };

export const PageViewEvent = z.strictObject({
    ...Base,
    type: z.literal('pageview'),
    url: Url,
    title: z.string().max(LIMITS.titleLength).default(''),
    referrer: z.union([Url, z.literal('')]).default(''),
    /** Single-page-app navigation (history API) rather than a full load. */
    spa: z.boolean().default(false)
});

export const HeartbeatEvent = z.strictObject({
    ...Base,
    type: z.literal('heartbeat'),
    active: z.boolean()
});

export const ActivityEvent = z.strictObject({
    ...Base,
    type: z.literal('activity'),
    state: z.enum(['active', 'idle'])
});

export const ScrollEvent = z.strictObject({
    ...Base,
    type: z.literal('scroll'),
    url: Url,
    /** Deepest point reached on this page, 0..1. */
    depth: z.number().min(0).max(1)
});

export const TabsEvent = z.strictObject({
    ...Base,
    type: z.literal('tabs'),
    count: z.number().int().min(1).max(100)
});

export const IdentifyEvent = z.strictObject({
    ...Base,
    type: z.literal('identify'),
    email: Email,
    firstName: ShortText.optional(),
    lastName: ShortText.optional(),
    company: ShortText.optional(),
    /** Where it came from: a form submit the tracker saw, or the site calling identify(). */
    source: z.enum(['form', 'api'])
});

export const ChatRequestEvent = z.strictObject({
    ...Base,
    type: z.literal('chat-request'),
    message: z.string().max(LIMITS.textLength).default('')
});

export const TrackerEvent = z.discriminatedUnion('type', [
    PageViewEvent,
    HeartbeatEvent,
    ActivityEvent,
    ScrollEvent,
    TabsEvent,
    IdentifyEvent,
    ChatRequestEvent
]);

export const Utm = z.strictObject({
    source: ShortText.optional(),
    medium: ShortText.optional(),
    campaign: ShortText.optional(),
    term: ShortText.optional(),
    content: ShortText.optional()
});

/** The batch around the events: ids, landing data and what the tracker knows of the browser. */
const envelope = {
    siteKey: z.string().min(1).max(64),
    /** First-party id kept by the tracker across visits (returning-visitor recognition). */
    visitorId: Id,
    /** One visit; a new one starts after 30 minutes without activity. */
    sessionId: Id,
    /** One browser tab, for "tabs open" and de-duplication. */
    tabId: Id,
    /** Landing UTM parameters, sent with the first batch of a visit. */
    utm: Utm.optional(),
    device: z
        .strictObject({
            type: z.enum(['desktop', 'mobile', 'tablet']),
            browser: ShortText,
            os: ShortText
        })
        .optional(),
    /** The site asked for consent (`data-consent="required"`) and the visitor gave it. */
    consent: z.literal(true).optional(),
    /**
     * The tracker saw an automated browser (`navigator.webdriver`, a headless user agent):
     * the gateway counts the batch as a bot's and keeps nothing of it.
     */
    automated: z.literal(true).optional()
};

/** POST /v1/collect — one batch from one tab. */
export const CollectRequest = z.strictObject({
    ...envelope,
    events: z.array(TrackerEvent).min(1).max(LIMITS.eventsPerBeacon)
});

/**
 * What the gateway checks as a whole before it looks at the events one by one: a batch
 * whose envelope is wrong is refused entirely (400); within a good envelope, each event
 * stands alone — the good ones are kept and the bad ones reported (`EventRejection`).
 */
export const CollectEnvelope = z.strictObject({
    ...envelope,
    events: z.array(z.unknown()).min(1).max(LIMITS.eventsPerBeacon)
});

/** One event the gateway refused, by its index in the batch's `events`. */
export interface EventRejection {
    index: number;
    /** The first issue's path in the batch and its message, e.g. `events.2.email: expected an email address`. */
    message: string;
}

/**
 * 202 answer to a collect request. `accepted` counts the events kept; `rejected` lists
 * the refused ones (a batch whose every event is refused is a 400 with the same list).
 * `ignored` says why a whole batch was answered but kept nothing: a bot, Do-Not-Track,
 * or a site that requires consent without it. The tracker drops rejected events (they
 * would be refused again) and retries nothing.
 */
export interface CollectResponse {
    accepted: number;
    rejected?: EventRejection[];
    ignored?: 'bot' | 'do-not-track' | 'no-consent';
    /** The chat state the tracker should show (e.g. a countdown after a chat request). */
    chat?: VisitorChatState;
}

/** 4xx answer: `rejected` when the envelope was good but every event was refused. */
export interface CollectError {
    message: string;
    errorCode: string;
    rejected?: EventRejection[];
}

export type TrackerEventInput = z.input<typeof TrackerEvent>;
export type CollectRequestInput = z.input<typeof CollectRequest>;
export type CollectRequestData = z.output<typeof CollectRequest>;

/**
 * The visitor's chat, as the tracker shows it. `waiting` carries the deadline of the
 * countdown (the routing rule's timeout); at the deadline the visitor is offered the
 * meeting booker.
 */
export type VisitorChatState =
    | { state: 'idle' }
    | { state: 'waiting'; deadline: string; secondsTotal: number }
    | { state: 'connected'; conversationId: string; rep: { name: string; title: string } }
    | { state: 'meeting-booker'; repName: string | null }
    | { state: 'ended'; conversationId: string };

/** Messages the tracker sends on the visitor socket: GET /v1/visitor-socket?siteKey&visitorId&sessionId. */
export const VisitorSocketMessage = z.discriminatedUnion('type', [
    z.strictObject({
        type: z.literal('message'),
        clientMessageId: Id,
        body: z.string().min(1).max(LIMITS.textLength)
    }),
    z.strictObject({ type: z.literal('typing'), typing: z.boolean() })
]);
export type VisitorSocketMessageInput = z.input<typeof VisitorSocketMessage>;

/** What the gateway sends on the visitor socket. */
export type GatewayToVisitor =
    | { type: 'chat'; chat: VisitorChatState }
    | {
          type: 'message';
          id: string;
          clientMessageId?: string;
          sender: 'Rep' | 'Visitor' | 'Bot' | 'System';
          senderName: string;
          body: string;
          sentAt: string;
      }
    | { type: 'delivered'; clientMessageId: string; id: string }
    | { type: 'typing'; typing: boolean; senderName: string }
    | { type: 'error'; message: string };

/** GET /v1/booker/slots?siteKey&visitorId&sessionId → free 30-minute slots of the routed rep. */
export interface BookerSlots {
    repName: string;
    timeZone: string;
    slots: { start: string; end: string }[];
}

/** POST /v1/booker/book */
export const BookMeetingRequest = z.strictObject({
    siteKey: z.string().min(1).max(64),
    visitorId: Id,
    sessionId: Id,
    start: z.string().datetime(),
    email: Email,
    firstName: ShortText.optional(),
    lastName: ShortText.min(1),
    company: ShortText.optional()
});
export type BookMeetingRequestInput = z.input<typeof BookMeetingRequest>;
