/**
 * The action contract: every method of the Apex controller SightlineGatewayController, as
 * the consoles call it and as the gateway runs it at `POST /api/v1/actions/:name`, with its
 * parameters, their limits and its result type. Defined once, here:
 *
 * - the gateway builds its zod schemas from ACTIONS (gateway/src/contracts/actionSchemas.ts);
 * - the LWCs get typed `@salesforce/apex/SightlineGatewayController.*` imports from
 *   ActionParams/ActionResult (types/sightlineApex.d.ts), so no component casts an answer;
 * - `npm run validate` reads the Apex controller and fails when a method, a parameter name
 *   or type, a required check, a length limit or an admin check differs from this table.
 *
 * Plain data and types only: an LWC module cannot import zod.
 */
import type {
    ChangePage,
    ChatMessage,
    ClaimResult,
    ConsoleSnapshot,
    VisitorDetail,
    AccountVisitors,
    LiveTokenGrant,
    RepAvailability
} from './liveContract';
import type { DryRunVisitors, GatewayHealth, SetupRoutingConfig } from '../setupModel/setupModel';

export type ParamSpec =
    /** A live visit id: the gateway's token, 1–64 of [A-Za-z0-9_-] (Apex `token()`). */
    | { kind: 'token'; required: true; maxLength: 64 }
    /** A Salesforce record id, 15 or 18 characters (Apex `recordId()`, of `object`). */
    | { kind: 'recordId'; required: true; object: string }
    /** The id of the record page a component sits on: an Account, Opportunity, Contact or Lead (Apex `pageRecordId()`). */
    | { kind: 'pageRecordId'; required: true }
    /** A client-chosen id for an idempotent resend: 8–64 of [A-Za-z0-9_-] (Apex `clientId()`). */
    | { kind: 'clientId'; required: true; maxLength: 64 }
    /** Free text, trimmed, not blank, at most `maxLength` characters. */
    | { kind: 'text'; required: true; maxLength: number }
    | { kind: 'email'; required: true; maxLength: number }
    | { kind: 'boolean'; required: true }
    /** A whole number from 0 to `max` (Apex `Integer`, checked for null and range). */
    | { kind: 'integer'; required: true; max: number }
    | { kind: 'enum'; required: true; values: readonly string[] };

export interface ActionSpec {
    /** Only for holders of Sightline_Admin_Access (Apex `requireAdmin()`; the gateway checks again). */
    admin: boolean;
    /** Runs in Apex only, never forwarded to the gateway (the signing secret). */
    apexOnly?: true;
    /** Parameters in the Apex method's order. */
    params: Readonly<Record<string, ParamSpec>>;
}

/** A chat message: what the visitor's side accepts too (visitorProtocol LIMITS.textLength). */
export const MAX_MESSAGE_LENGTH = 2000;
export const MAX_EMAIL_LENGTH = 254;
export const AVAILABILITY = ['Available', 'Away', 'Offline'] as const;
/** The highest snapshot page a console may ask for (a page holds hundreds of visitors). */
export const MAX_PAGE = 10_000;
/** The highest sequence (Apex Integer is 32-bit). */
export const MAX_SEQUENCE = 2_147_483_647;

const visitorId = { kind: 'token', required: true, maxLength: 64 } as const;
const conversationId = { kind: 'recordId', required: true, object: 'Conversation__c' } as const;

export const ACTIONS = {
    getSnapshot: {
        admin: false,
        params: { page: { kind: 'integer', required: true, max: MAX_PAGE } }
    },
    getChanges: {
        admin: false,
        params: {
            epoch: { kind: 'token', required: true, maxLength: 64 },
            since: { kind: 'integer', required: true, max: MAX_SEQUENCE }
        }
    },
    getVisitorDetail: { admin: false, params: { visitorId } },
    pounce: { admin: false, params: { visitorId } },
    acceptChat: { admin: false, params: { visitorId } },
    sendMessage: {
        admin: false,
        params: {
            conversationId,
            body: { kind: 'text', required: true, maxLength: MAX_MESSAGE_LENGTH },
            clientMessageId: { kind: 'clientId', required: true, maxLength: 64 }
        }
    },
    endConversation: { admin: false, params: { conversationId } },
    setTyping: {
        admin: false,
        params: { conversationId, typing: { kind: 'boolean', required: true } }
    },
    setAvailability: {
        admin: false,
        params: { status: { kind: 'enum', required: true, values: AVAILABILITY } }
    },
    linkLead: {
        admin: false,
        params: { visitorId, leadId: { kind: 'recordId', required: true, object: 'Lead' } }
    },
    getAccountVisitors: {
        admin: false,
        params: { recordId: { kind: 'pageRecordId', required: true } }
    },
    findLeadByEmail: {
        admin: false,
        params: { email: { kind: 'email', required: true, maxLength: MAX_EMAIL_LENGTH } }
    },
    getRoutingConfig: { admin: true, params: {} },
    getDryRunVisitors: { admin: true, params: {} },
    getHealth: { admin: true, params: {} },
    mintLiveToken: { admin: false, params: {} },
    setSigningSecret: {
        admin: true,
        apexOnly: true,
        params: { secret: { kind: 'text', required: true, maxLength: 128 } }
    }
} as const satisfies Record<string, ActionSpec>;

export type ActionName = keyof typeof ACTIONS;
/** The actions the gateway answers (all but the Apex-only ones). */
export type GatewayActionName = {
    [A in ActionName]: (typeof ACTIONS)[A] extends { apexOnly: true } ? never : A;
}[ActionName];

type ValueOf<P> = P extends { kind: 'boolean' }
    ? boolean
    : P extends { kind: 'integer' }
      ? number
      : P extends { kind: 'enum'; values: readonly (infer V)[] }
        ? V
        : string;

export type ActionParams<A extends ActionName> = {
    -readonly [K in keyof (typeof ACTIONS)[A]['params']]: ValueOf<(typeof ACTIONS)[A]['params'][K]>;
};

/** A Lead that already has the visitor's email (the duplicate check before creating one). */
export interface ExistingLead {
    id: string;
    name: string;
    company?: string;
    ownerName?: string;
}

export interface ActionResults {
    getSnapshot: ConsoleSnapshot;
    getChanges: ChangePage;
    getVisitorDetail: VisitorDetail;
    pounce: ClaimResult;
    acceptChat: ClaimResult;
    /** The stored message (a resend answers the one stored first). */
    sendMessage: ChatMessage;
    endConversation: { ok: true };
    setTyping: { ok: true };
    /** The rep's availability as the snapshot carries it (status, capacity, conversations under way). */
    setAvailability: RepAvailability;
    linkLead: { ok: true };
    getAccountVisitors: AccountVisitors;
    findLeadByEmail: ExistingLead | null;
    getRoutingConfig: SetupRoutingConfig;
    getDryRunVisitors: DryRunVisitors;
    getHealth: GatewayHealth;
    /** A single-use token for the console socket, good for 60 s (docs/SECURITY.md). */
    mintLiveToken: LiveTokenGrant;
    setSigningSecret: { configured: true };
}

export type ActionResult<A extends ActionName> = ActionResults[A];
