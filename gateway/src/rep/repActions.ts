/**
 * The rep actions of the console contract (REP_ACTIONS), registered in the ActionRegistry
 * that both the platform's Apex (REST) and the local Apex stand-in call. Parameters are
 * validated here; the work is the live gateway's.
 */
import { accountVisitors } from '../live/accountVisitors';
import type { CrmPort } from '../crm/crmPort';
import type { ActionRegistry } from '../actions/actionRegistry';
import { UserFacingError } from '../actions/userFacingError';
import { parseActionParams, type ActionParams } from '../contracts/actionSchemas';
import type { RepAction } from '../contracts/liveContract';
import type { RepStatus } from '../engine';
import type { LiveGateway } from '../live/liveGateway';

function parse<A extends RepAction>(action: A, params: Record<string, unknown>): ActionParams<A> {
    const parsed = parseActionParams(action, params);
    if (!parsed.ok) throw new UserFacingError(`Invalid ${action} request: ${parsed.issue}`, 400);
    return parsed.value;
}

/** The contract's availability (the picklist's casing) → the engine's. */
const REP_STATUS = {
    Available: 'available',
    Away: 'away',
    Offline: 'offline'
} as const satisfies Record<ActionParams<'setAvailability'>['status'], RepStatus>;

export function registerRepActions(actions: ActionRegistry, live: LiveGateway, crm: CrmPort): void {
    const handlers: { [A in RepAction]: Parameters<ActionRegistry['register']>[1] } = {
        getSnapshot: (user, params) => live.rep.snapshot(user, parse('getSnapshot', params).page),
        getChanges: (user, params) => {
            const p = parse('getChanges', params);
            // The signed user's own log only: the identity is Apex's, never a parameter.
            const page = live.publisher.changes(user.id, p.epoch, p.since);
            // A console on a channel the gateway has since moved it from follows it here.
            const channel = live.channelOf(user.id);
            return page.kind === 'changes' && channel ? { ...page, channel } : page;
        },
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
            live.rep.setAvailability(user, REP_STATUS[parse('setAvailability', params).status]),
        linkLead: (user, params) => {
            const p = parse('linkLead', params);
            return live.rep.linkLead(user, p.visitorId, p.leadId);
        },
        getAccountVisitors: async (user, params) => {
            const answer = await accountVisitors(
                crm,
                live.publisher,
                live.rep.viewerFor(user),
                live.rep.streams(),
                parse('getAccountVisitors', params).recordId
            );
            // Matched on the whole card; shown as the user may see it.
            const visitors = answer.visitors.map((card) => live.publisher.asSeenBy(user.id, card));
            return { ...answer, visitors };
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
