/**
 * The contract between the gateway and a rep's console: the snapshot a console loads, the
 * notifications and change pages that follow, the Visitor 360 detail, and the rep actions.
 * One source: the console imports it here, the gateway imports the same file.
 *
 * Everything in a card is something the receiving rep may see: the gateway filters with
 * the engine's visibility function before anything is sent.
 */

export type IdentityLevel = 'anonymous' | 'company' | 'person';
export type ScoreBand = 'Cold' | 'Warm' | 'Hot' | 'On Fire';
export type Experience =
    'chat-routed' | 'chat-queued' | 'pounce-only' | 'meeting-booker' | 'unrouted';

export interface StreamSummary {
    id: string;
    name: string;
    /** `#rrggbb` */
    color: string;
    priority: number;
}

export interface UserRef {
    id: string;
    name: string;
}

/** The chat state of a visitor as a rep sees it. */
export type CardChat =
    | { state: 'none' }
    | { state: 'bot' }
    /** Asked to talk; `deadline` ends the countdown (the rule's timeout). */
    | {
          state: 'requested';
          requestedAt: string;
          deadline: string;
          secondsTotal: number;
          queuePosition?: number;
      }
    | { state: 'conversation'; conversationId: string; rep: UserRef }
    /** Nobody accepted in time: the visitor was offered the meeting booker. */
    | { state: 'meeting-booker'; at: string };

export interface VisitorCard {
    /** The live visit (session) id. */
    id: string;
    /** The first-party visitor id, stable across visits. */
    visitorKey: string;
    /** The stream the visitor is shown in for this rep (highest priority it fits). */
    streamId: string;
    identity: IdentityLevel;
    /** Person's name, else company name, else "Visitor from {city}". */
    displayName: string;
    /**
     * What the visitor typed as their name, when it differs from `displayName` (the matched
     * Contact's or Lead's Name in the org). Shown as typed, never as the record's name.
     */
    typedName?: string;
    email?: string;
    company?: { name: string; domain?: string; industry?: string; employees?: number };
    location?: {
        city?: string;
        region?: string;
        country?: string;
        countryCode?: string;
        lat?: number;
        lon?: number;
    };
    currentPage: { url: string; path: string; title: string };
    startedAt: string;
    lastSeenAt: string;
    pageCount: number;
    active: boolean;
    score: { value: number; band: ScoreBand };
    chat: CardChat;
    salesforce: {
        account?: { id: string; name: string; targetAccount: boolean; owner?: UserRef };
        opportunity?: { id: string; name: string; stage: string; amount?: number; owner?: UserRef };
        lead?: { id: string; name: string; status?: string; owner?: UserRef };
        contact?: { id: string; name: string; owner?: UserRef };
    };
    routing: {
        experience: Experience;
        ruleName?: string;
        /** A sentence from the engine's explanation: which rule matched and why. */
        reason: string;
        routedTo: UserRef[];
    };
    /** A rep is engaging this visitor (pounce or accepted chat): nobody else can pounce. */
    engagedBy?: UserRef;
    /**
     * A buying committee: other visitors from the same Account that this console has. Set by
     * the console (never sent by the gateway), so it counts only what the viewer may see.
     */
    committee?: { accountName: string; count: number; others: UserRef[] };
    /** Pounce readiness (the engine's pounce.ts): the guide's four questions, answered. */
    pounce?: PounceSignal;
}

export interface PounceSignal {
    ready: boolean;
    checks: {
        key: 'active' | 'unengaged' | 'highIntent' | 'reading';
        question: string;
        ok: boolean;
        /** With the visitor's values, e.g. "No: scrolled 8% of /pricing". */
        answer: string;
    }[];
}

export interface Freshness {
    /** `live`: every change is sent; `throttled`: changes are batched every `windowMs`. */
    mode: 'live' | 'throttled';
    windowMs: number;
    /**
     * The budget governor's view (gateway/src/live/budgetGovernor.ts): event deliveries the
     * org would use over a rolling day at this window, and the share of the allocation the
     * gateway allows itself. Absent where no governor runs.
     */
    projectedDay?: number;
    budget?: number;
}

/** A rep's own availability (Rep_Availability__c) as the console header shows it. */
export interface RepAvailability {
    status: 'available' | 'away' | 'offline';
    /** Most conversations at once (set by the admin on the rep's Rep_Availability__c). */
    capacity: number;
    activeConversations: number;
    /**
     * Where the status comes from: set here in the console, or read from the rep's
     * Omni-Channel presence (the org's setting), which the console shows but cannot change.
     */
    source?: 'omni-channel';
}

export interface ConsoleSnapshot {
    /** `availability` only for Sightline reps (an admin who is not a rep has none). */
    user: UserRef & { isAdmin: boolean; availability?: RepAvailability };
    streams: StreamSummary[];
    /**
     * One page of the visitors (`getSnapshot(page)`): an admin with thousands of live visitors
     * gets them in pages so that no Apex answer nears its heap limit. `more`: ask for the
     * next page. Pages after the first are of the same snapshot (same epoch and sequence).
     */
    visitors: VisitorCard[];
    more: boolean;
    /**
     * The gateway run this snapshot belongs to (new on every gateway start; sequences
     * restart with it). Changes and notifications of another epoch do not continue it.
     */
    epoch: string;
    /** `getChanges(epoch, sequence)` continues from here. */
    sequence: number;
    generatedAt: string;
    freshness: Freshness;
    /**
     * The event channel this console subscribes to when its socket is not open: its own
     * filtered channel (`/event/Sightline_<user>__chn`) where the org allows, else a shared
     * filtered one or the raw `/event/Visitor_Update__e`. Absent: the raw channel.
     */
    channel?: string;
}

/** `Visitor_Update__e.Kind__c`: what changed for the audience (never what it is). */
export type NotificationKind = 'delta' | 'chat';

/**
 * All a `Visitor_Update__e` event carries: "something changed for `audience`". Every
 * subscriber of the channel may read it, so it holds no record data; the console fetches
 * its own changes (`getChanges`), which the gateway filters for the calling user.
 */
export interface LiveNotification {
    /** The user id the changes are for. */
    audience: string;
    epoch: string;
    /** The audience's sequence after the change: a console already there has nothing to fetch. */
    sequence: number;
    kind: NotificationKind;
}

/** A chat message, or the typing state of the other side, in one of the rep's conversations. */
export interface ChatChange {
    conversationId: string;
    message?: ChatMessage;
    typing?: { typing: boolean; senderName: string };
}

/**
 * The answer to `getChanges(epoch, since)`: the calling user's changes after `since`,
 * coalesced (the latest card of each visitor, or its removal), in pages. `more`: ask again
 * from `sequence`. `resnapshot`: `since` is of another epoch, older than the gateway keeps,
 * or the streams changed — only a new snapshot is safe.
 */
export type ChangePage =
    | {
          kind: 'changes';
          epoch: string;
          since: number;
          sequence: number;
          more: boolean;
          at: string;
          upserts: VisitorCard[];
          /** Visitors that left this user's view (ended, idle, re-routed, out of every stream). */
          removals: string[];
          chat: ChatChange[];
          freshness: Freshness;
          /** As the snapshot's: the channel moved (a console follows it). */
          channel?: string;
      }
    | { kind: 'resnapshot'; epoch: string; reason: 'epoch' | 'too-old' | 'streams' };

export interface ChatMessage {
    id: string;
    clientMessageId?: string;
    sender: 'Visitor' | 'Rep' | 'Bot' | 'System';
    senderName: string;
    body: string;
    sentAt: string;
}

/** Visitor 360: everything about one visitor that the rep may see. */
export interface VisitorDetail {
    card: VisitorCard;
    pages: {
        url: string;
        path: string;
        title: string;
        enteredAt: string;
        dwellMs: number;
        scrollDepth: number;
        readingSignal: boolean;
    }[];
    tabsOpen: number;
    referrer?: string;
    utm?: { source?: string; medium?: string; campaign?: string; term?: string; content?: string };
    device?: { type: string; browser: string; os: string };
    visitCount: number;
    scoreReasons: { label: string; points: number }[];
    routingTrace: string[];
    conversation?: {
        id: string;
        status: 'Requested' | 'Active' | 'Ended' | 'Missed';
        rep?: UserRef;
        messages: ChatMessage[];
    };
    /** Lead created from this visitor, if any. */
    linkedLeadId?: string;
}

/** The rep actions, as Apex methods on SightlineGatewayController and gateway routes. */
export const REP_ACTIONS = [
    'getSnapshot',
    'getChanges',
    'getVisitorDetail',
    'pounce',
    'acceptChat',
    'sendMessage',
    'endConversation',
    'setAvailability',
    'linkLead',
    'setTyping',
    'getAccountVisitors'
] as const;
export type RepAction = (typeof REP_ACTIONS)[number];

/**
 * "On the website now" for a record page (Account, Opportunity, Contact, Lead): the live
 * visitors matched to the record's account (for a Lead: the Lead, or its email's company
 * domain) that the viewer may see, and how many more are routed to other reps (counted,
 * never shown: visibility holds on record pages too).
 */
export interface AccountVisitors {
    /** What the visitors were matched on, e.g. "Acme Corp" or "acme.com". */
    matchedOn: string;
    streams: StreamSummary[];
    visitors: VisitorCard[];
    otherReps: number;
}

/** Result of pounce / acceptChat: exactly one rep wins a visitor. */
export type ClaimResult =
    { ok: true; conversationId: string } | { ok: false; engagedBy: UserRef; message: string };

/**
 * The console socket (`wss://<gateway>/api/v1/live`), the fast path when the subscriber
 * admin has activated the packaged Trusted URL. Opened with a token from `mintLiveToken`
 * (its answer below), sent as the first message; after `ready` the console says where its
 * snapshot is (`resume`), and the gateway pushes this user's change pages from there —
 * the same pages `getChanges` answers — whenever they move, and a heartbeat. No
 * `Visitor_Update__e` delivery is spent for a user whose socket is open.
 */
export interface LiveTokenGrant {
    /** Single use, for opening one socket before `expiresAt`. */
    token: string;
    /** The socket's URL: wss:// on the address Apex reached the gateway at. */
    url: string;
    /** Epoch milliseconds. */
    expiresAt: number;
    /** The gateway's epoch at minting. */
    epoch: string;
}

/** The console's first message on the socket. */
export interface ConsoleSocketAuth {
    type: 'auth';
    token: string;
}

/**
 * After `ready`, and after every new snapshot: pages start after `since` of `epoch`
 * (another epoch, or a `since` the gateway no longer keeps, is answered `resnapshot`).
 */
export interface ConsoleSocketResume {
    type: 'resume';
    epoch: string;
    since: number;
}

export type ConsoleSocketMessage =
    /** Authenticated: send `resume`; a heartbeat comes at least every `heartbeatMs`. */
    | { type: 'ready'; epoch: string; heartbeatMs: number }
    /** One page of this user's changes, continuing the previous page (or the `resume`). */
    | { type: 'changes'; page: ChangePage }
    | { type: 'heartbeat'; at: number };

/** Close codes of the console socket; the reason says what to fix. */
export const SOCKET_CLOSE = {
    /** The token is missing, forged, expired, reused, another org's or another epoch's. */
    unauthorized: 4401,
    /** The user lost Sightline access (or was deactivated): do not reconnect. */
    revoked: 4403,
    /** No token within the time allowed after opening. */
    authTimeout: 4408,
    /** The gateway is shutting down: reconnect (to another gateway). */
    goingAway: 1001
} as const;
