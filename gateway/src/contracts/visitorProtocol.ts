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

export const LIMITS = {
    /** Bytes of one beacon request body. */
    beaconBytes: 64 * 1024,
    eventsPerBeacon: 50,
    urlLength: 2048,
    titleLength: 300,
    textLength: 2000
} as const;

const Id = z.string().regex(/^[A-Za-z0-9_-]{8,64}$/, 'expected 8–64 letters, digits, _ or -');
const Url = z.string().max(LIMITS.urlLength).url();
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
    email: z.string().max(254).email(),
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

/** POST /v1/collect — one batch from one tab. */
export const CollectRequest = z.strictObject({
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
    events: z.array(TrackerEvent).min(1).max(LIMITS.eventsPerBeacon)
});

/** 202 answer to a collect request. */
export interface CollectResponse {
    accepted: number;
    /** The chat state the tracker should show (e.g. a countdown after a chat request). */
    chat?: VisitorChatState;
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
    email: z.string().max(254).email(),
    firstName: ShortText.optional(),
    lastName: ShortText.min(1),
    company: ShortText.optional()
});
export type BookMeetingRequestInput = z.input<typeof BookMeetingRequest>;
