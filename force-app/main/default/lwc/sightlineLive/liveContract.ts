/**
 * The contract between the gateway and a rep's console: the snapshot a console loads, the
 * sequence-numbered deltas that follow, the Visitor 360 detail, and the rep actions.
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
}

/** A rep's own availability (Rep_Availability__c) as the console header shows it. */
export interface RepAvailability {
    status: 'available' | 'away' | 'offline';
    /** Most conversations at once (set by the admin on the rep's Rep_Availability__c). */
    capacity: number;
    activeConversations: number;
}

export interface ConsoleSnapshot {
    /** `availability` only for Sightline reps (an admin who is not a rep has none). */
    user: UserRef & { isAdmin: boolean; availability?: RepAvailability };
    streams: StreamSummary[];
    visitors: VisitorCard[];
    /**
     * The gateway run this snapshot belongs to (new on every gateway start; sequences
     * restart with it). Deltas and events of another epoch do not continue this snapshot.
     */
    epoch: string;
    /** Deltas continue from this sequence number. */
    sequence: number;
    generatedAt: string;
    freshness: Freshness;
}

/**
 * A batch of changes for one rep. `sequence` increases by exactly one per delta for that
 * rep: a console that sees a gap has missed something and takes a new snapshot.
 */
export interface ConsoleDelta {
    /** The gateway run that numbered this delta (see ConsoleSnapshot.epoch). */
    epoch: string;
    sequence: number;
    at: string;
    upserts: VisitorCard[];
    /** Visitors that left this rep's view (ended, idle, re-routed, or out of every stream). */
    removals: string[];
    /** Streams changed (an admin edited them): take a new snapshot. */
    streamsChanged?: boolean;
    freshness?: Freshness;
}

/** Payload of a `Visitor_Update__e` event (Payload__c holds the JSON). */
export type LiveEvent =
    | { kind: 'delta'; delta: ConsoleDelta }
    | {
          kind: 'chat';
          epoch: string;
          conversationId: string;
          message?: ChatMessage;
          typing?: { typing: boolean; senderName: string };
      };

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
 * (its answer below), sent as the first message; then the gateway pushes this viewer's
 * live events, the same ones `Visitor_Update__e` would have carried, and a heartbeat.
 */
export interface LiveTokenGrant {
    /** Single use, for opening one socket before `expiresAt`. */
    token: string;
    /** The socket's URL: wss:// on the address Apex reached the gateway at. */
    url: string;
    /** Epoch milliseconds. */
    expiresAt: number;
    /** The gateway's epoch at minting: the socket's events belong to it. */
    epoch: string;
}

/** The console's first (and only) message on the socket. */
export interface ConsoleSocketAuth {
    type: 'auth';
    token: string;
}

export type ConsoleSocketMessage =
    /** Authenticated: events follow; a heartbeat comes at least every `heartbeatMs`. */
    | { type: 'ready'; epoch: string; heartbeatMs: number }
    | { type: 'event'; event: LiveEvent }
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
