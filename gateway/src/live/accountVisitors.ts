/**
 * "On the website now" for a record page: the live visitors matched to an Account (from an
 * Account, Opportunity or Contact record) or to a Lead (the Lead itself, or its email's
 * company domain). Visibility holds here as everywhere: the viewer gets the cards they may
 * see (canSee), and only a count of the others, routed to other reps.
 */
import { UserFacingError } from '../actions/userFacingError';
import type { AccountVisitors, VisitorCard } from '../contracts/liveContract';
import type { CrmPort } from '../crm/crmPort';
import { canSee, type Viewer, type VisibleDecision } from '../engine';

export interface PublishedCards {
    visitorIds(): Iterable<string>;
    card(visitorId: string): { card: VisitorCard; decision: VisibleDecision } | undefined;
}

export async function accountVisitors(
    crm: CrmPort,
    published: PublishedCards,
    viewer: Viewer,
    streams: AccountVisitors['streams'],
    recordId: string
): Promise<AccountVisitors> {
    const record = await crm.recordAccount(recordId);
    if (!record) throw new UserFacingError('That record does not exist.', 404);
    const domain = record.email?.split('@')[1]?.toLowerCase();
    const account = record.accountId ? await crm.getAccount(record.accountId) : undefined;
    const matches = (card: VisitorCard): boolean =>
        (record.accountId !== undefined && card.salesforce.account?.id === record.accountId) ||
        (record.leadId !== undefined && card.salesforce.lead?.id === record.leadId) ||
        (record.kind === 'Lead' && domain !== undefined && card.company?.domain === domain);
    const visitors: VisitorCard[] = [];
    let otherReps = 0;
    for (const id of published.visitorIds()) {
        const entry = published.card(id);
        if (!entry || !matches(entry.card)) continue;
        if (canSee(viewer, entry.decision)) visitors.push(entry.card);
        else otherReps++;
    }
    visitors.sort((a, b) => b.score.value - a.score.value || a.id.localeCompare(b.id));
    return {
        matchedOn: account?.name ?? domain ?? '',
        streams,
        visitors,
        otherReps
    };
}
