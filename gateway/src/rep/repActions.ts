/**
 * The rep actions of the console contract (REP_ACTIONS), registered in the ActionRegistry
 * that both the platform's Apex (REST) and the local Apex stand-in call. Parameters are
 * validated here; the work is the live gateway's.
 */
import { z } from 'zod';
import type { ActionRegistry } from '../actions/actionRegistry';
import { UserFacingError } from '../actions/userFacingError';
import { LIMITS } from '../contracts/visitorProtocol';
import type { RepAction } from '../contracts/liveContract';
import type { LiveGateway } from '../live/liveGateway';
import { firstIssue } from '../ingest/collectRoutes';

const VisitId = z.string().min(1).max(64);
const RecordId = z.string().regex(/^[A-Za-z0-9]{15}(?:[A-Za-z0-9]{3})?$/, 'expected a record id');
const ClientId = z.string().regex(/^[A-Za-z0-9_-]{8,64}$/);

const schemas = {
    getSnapshot: z.object({}).passthrough(),
    getVisitorDetail: z.object({ visitorId: VisitId }),
    pounce: z.object({ visitorId: VisitId }),
    acceptChat: z.object({ visitorId: VisitId }),
    sendMessage: z.object({
        conversationId: RecordId,
        body: z.string().trim().min(1).max(LIMITS.textLength),
        clientMessageId: ClientId.optional()
    }),
    endConversation: z.object({ conversationId: RecordId }),
    setAvailability: z.object({
        status: z
            .string()
            .transform((s) => s.toLowerCase())
            .pipe(z.enum(['available', 'away', 'offline']))
    }),
    linkLead: z.object({ visitorId: VisitId, leadId: RecordId }),
    setTyping: z.object({ conversationId: RecordId, typing: z.boolean() })
} satisfies Record<RepAction, z.ZodType>;

function parse<A extends RepAction>(
    action: A,
    params: Record<string, unknown>
): z.output<(typeof schemas)[A]> {
    const parsed = schemas[action].safeParse(params ?? {});
    if (!parsed.success)
        throw new UserFacingError(`Invalid ${action} request: ${firstIssue(parsed.error)}`, 400);
    return parsed.data as z.output<(typeof schemas)[A]>;
}

export function registerRepActions(actions: ActionRegistry, live: LiveGateway): void {
    const handlers: { [A in RepAction]: Parameters<ActionRegistry['register']>[1] } = {
        getSnapshot: (user, params) => (parse('getSnapshot', params), live.rep.snapshot(user)),
        getVisitorDetail: (user, params) =>
            live.rep.detail(user, parse('getVisitorDetail', params).visitorId),
        pounce: (user, params) => live.rep.claim(user, parse('pounce', params).visitorId, 'Pounce'),
        acceptChat: (user, params) =>
            live.rep.claim(user, parse('acceptChat', params).visitorId, 'Chat_Request'),
        sendMessage: (user, params) => {
            const p = parse('sendMessage', params);
            return live.rep.sendMessage(user, p.conversationId, p.body, p.clientMessageId);
        },
        endConversation: (user, params) =>
            live.rep.endConversation(user, parse('endConversation', params).conversationId),
        setAvailability: (user, params) =>
            live.rep.setAvailability(user, parse('setAvailability', params).status),
        linkLead: (user, params) => {
            const p = parse('linkLead', params);
            return live.rep.linkLead(user, p.visitorId, p.leadId);
        },
        setTyping: (user, params) => {
            const p = parse('setTyping', params);
            return live.rep.setTyping(user, p.conversationId, p.typing);
        }
    };
    // Tracked, so a restart waits for actions under way instead of cutting them off.
    for (const [name, handler] of Object.entries(handlers))
        actions.register(name, (user, params) => live.track(async () => handler(user, params)));
}
