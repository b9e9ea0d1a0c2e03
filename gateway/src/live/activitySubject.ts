/** What a live visit tells the timeline about its conversation: who, which account, which stream, which pages. */
import type { ActivitySubject } from '../conversations/conversationActivity';
import type { Decisions } from './decisions';
import { displayName } from './cards';
import type { LiveVisit } from './visits';

export function activitySubject(visit: LiveVisit, decisions: Decisions): ActivitySubject {
    const s = visit.session;
    const sf = s.salesforce;
    const shown = visit.decision?.streams.shown;
    const streamName = shown
        ? decisions.ruleSet.streams.find(({ stream }) => stream.id === shown)?.stream.name
        : undefined;
    const leadId = sf?.lead?.id ?? s.linkedLeadId;
    return {
        visitorName: displayName(s),
        ...(streamName ? { streamName } : {}),
        pages: s.pages.map((p) => ({ url: p.url, ...(p.title ? { title: p.title } : {}) })),
        ...(sf?.contact ? { contactId: sf.contact.id } : {}),
        ...(leadId ? { leadId } : {}),
        ...(sf?.account ? { accountId: sf.account.id } : {})
    };
}
