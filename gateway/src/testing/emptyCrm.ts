/**
 * Test support: a CRM port over an org with no records at all — for tests about the
 * gateway's shape (which routes exist, which keys open them) rather than its data.
 * Writes are refused, as an org would refuse writes that reference nothing.
 */
import type { CrmPort } from '../crm/crmPort';

const refuse = async (): Promise<never> => {
    throw new Error('This test org accepts no writes.');
};

export function emptyCrm(): CrmPort {
    return {
        findAccountByDomain: async () => undefined,
        getAccount: async () => undefined,
        userAccess: async () => undefined,
        objectAccess: async () => new Map(),
        readableRecords: async () => new Set(),
        readableFields: async () => new Set(),
        recordAccount: async () => undefined,
        findPersonByEmail: async () => ({}),
        openOpportunities: async () => [],
        accountTeam: async () => [],
        users: async () => [],
        availability: async () => [],
        setAvailability: refuse,
        routingConfig: async () => ({ streams: [], rules: [], groups: [] }),
        routingState: async () => new Map(),
        putRoutingState: async (entries) => {
            if (entries.length > 0) await refuse();
        },
        findVisitor: async () => undefined,
        upsertVisitor: refuse,
        createConversation: refuse,
        updateConversation: refuse,
        getConversation: async () => undefined,
        openConversations: async () => [],
        addMessage: refuse,
        messages: async () => [],
        busyTimes: async () => [],
        createEvent: refuse,
        createTask: refuse,
        omniChannelPresence: async () => [],
        createLead: refuse,
        getLead: async () => undefined,
        touchVisitors: async () => {},
        purgeVisitorData: async () => ({ visitors: 0, conversations: 0, messages: 0 }),
        onChange: () => () => {}
    };
}
