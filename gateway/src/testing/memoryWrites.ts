/**
 * Test support for tests about the gateway's own logic (claims under concurrency, many
 * visits): a CRM port that reads the org's people and configuration through the real
 * adapter but keeps visitor records, conversations, messages and routing state in memory,
 * so a thousand trials do not spend a thousand round trips to the org.
 */
import type {
    CrmConversation,
    CrmMessage,
    CrmPort,
    VisitorRecord,
    VisitorRecordFields
} from '../crm/crmPort';

export function withWritesInMemory(org: CrmPort): CrmPort {
    let next = 0;
    /** Ids shaped as an org's (prefix + counter), not checked for their suffix here. */
    const id = (prefix: string) => `${prefix}${String(++next).padStart(12, '0')}AAA`;
    const visitors = new Map<string, VisitorRecord>();
    const conversations = new Map<string, CrmConversation>();
    const messages: CrmMessage[] = [];
    const state = new Map<string, string>();
    return {
        ...bind(org),
        findVisitor: async (key) => visitors.get(key),
        upsertVisitor: async (key: string, fields: VisitorRecordFields) => {
            const existing = visitors.get(key);
            const record: VisitorRecord = {
                id: existing?.id ?? id('a01'),
                visitorKey: key,
                name: '',
                identityLevel: 'Anonymous',
                visitCount: 0,
                ...existing,
                ...fields
            };
            visitors.set(key, record);
            return record;
        },
        touchVisitors: async () => {},
        createConversation: async (fields) => {
            const conversation = { id: id('a02'), ...fields };
            conversations.set(conversation.id, conversation);
            return conversation;
        },
        updateConversation: async (conversationId, fields) => {
            const existing = conversations.get(conversationId);
            if (!existing) throw new Error(`No conversation ${conversationId}`);
            const updated = { ...existing, ...fields };
            conversations.set(conversationId, updated);
            return updated;
        },
        getConversation: async (conversationId) => conversations.get(conversationId),
        openConversations: async () =>
            [...conversations.values()].filter(
                (c) => c.status === 'Requested' || c.status === 'Active'
            ),
        addMessage: async (fields) => {
            const duplicate = fields.clientMessageId
                ? messages.find((m) => m.clientMessageId === fields.clientMessageId)
                : undefined;
            if (duplicate) return { message: duplicate, duplicate: true };
            const message = { id: id('a03'), ...fields };
            messages.push(message);
            return { message, duplicate: false };
        },
        messages: async (conversationId) =>
            messages.filter((m) => m.conversationId === conversationId),
        routingState: async () => new Map(state),
        putRoutingState: async (entries) => {
            for (const { key, value } of entries) {
                if (value === null) state.delete(key);
                else state.set(key, value);
            }
        }
    };
}

/** The port's methods bound to it, so they can be spread into another object. */
function bind(port: CrmPort): CrmPort {
    const bound = {} as Record<string, unknown>;
    let proto: object | null = port;
    while (proto && proto !== Object.prototype) {
        for (const name of Object.getOwnPropertyNames(proto)) {
            const value = (port as unknown as Record<string, unknown>)[name];
            if (name !== 'constructor' && typeof value === 'function' && !(name in bound))
                bound[name] = (value as (...args: unknown[]) => unknown).bind(port);
        }
        proto = Object.getPrototypeOf(proto) as object | null;
    }
    return bound as unknown as CrmPort;
}
