/**
 * A visitor as a rep's card (liveContract's VisitorCard): what the console shows, built
 * from the live session and its decision. Only card fields go out; the routing trace,
 * raw IP and session internals never leave the gateway.
 */
import type { CardChat, UserRef, VisitorCard } from '../contracts/liveContract';
import type { Decision, PounceFacts, PounceReadiness } from '../engine';
import type { LiveSession } from './session';

export interface Claim {
    userId: string;
    userName: string;
    conversationId: string;
    origin: 'Pounce' | 'Chat_Request';
    at: number;
}

/** What a card needs besides the visit: people's names and the pounce-readiness rule. */
export interface CardContext {
    nameOf(userId: string): string;
    pounce(facts: PounceFacts): PounceReadiness;
}

const iso = (ms: number) => new Date(ms).toISOString();

/**
 * The person as the org knows them when an email matched a Contact or Lead (the link opens
 * that record, so the name must be its name); otherwise what the visitor typed.
 */
export function displayName(session: LiveSession): string {
    const recordName = session.salesforce?.contact?.name ?? session.salesforce?.lead?.name;
    if (recordName) return recordName;
    if (session.personName) return session.personName;
    if (session.company?.name) return session.company.name;
    if (session.email) return session.email;
    if (session.location?.city) return `Visitor from ${session.location.city}`;
    if (session.location?.country) return `Visitor from ${session.location.country}`;
    return 'Anonymous visitor';
}

function cardChat(session: LiveSession, decision: Decision): CardChat {
    const chat = session.chat;
    switch (chat.state) {
        case 'requested':
            return {
                state: 'requested',
                requestedAt: iso(chat.requestedAt),
                deadline: iso(chat.deadline),
                secondsTotal: chat.secondsTotal,
                ...(decision.routing.queuePosition !== undefined
                    ? { queuePosition: decision.routing.queuePosition }
                    : {})
            };
        case 'conversation':
            return {
                state: 'conversation',
                conversationId: chat.conversationId,
                rep: { id: chat.repId, name: chat.repName }
            };
        case 'meeting-booker':
            return { state: 'meeting-booker', at: iso(chat.at) };
        default:
            return { state: 'none' };
    }
}

export function buildCard(
    session: LiveSession,
    decision: Decision,
    claim: Claim | undefined,
    context: CardContext
): VisitorCard {
    const nameOf = (userId: string) => context.nameOf(userId);
    const page = session.pages[session.pages.length - 1];
    const sf = session.salesforce;
    const account = sf?.account;
    const opportunity = sf?.opportunities?.[0];
    const ref = (id: string | undefined, name?: string): UserRef | undefined =>
        id ? { id, name: name ?? nameOf(id) } : undefined;
    const routedTo = [
        ...new Set([
            ...(decision.routing.assignedTo ? [decision.routing.assignedTo] : []),
            ...decision.routing.offeredTo
        ])
    ];
    const company = session.company;
    const location = session.location;
    const card: VisitorCard = {
        id: session.sessionId,
        visitorKey: session.visitorKey,
        streamId: decision.streams.shown ?? '',
        identity: session.email ? 'person' : company?.domain ? 'company' : 'anonymous',
        displayName: displayName(session),
        currentPage: page
            ? { url: page.url, path: page.path, title: page.title ?? '' }
            : { url: '', path: '', title: '' },
        startedAt: iso(session.startedAt),
        lastSeenAt: iso(session.lastSeenAt),
        pageCount: session.pageCount,
        active: session.active,
        score: { value: decision.score.score, band: decision.score.band },
        chat: cardChat(session, decision),
        salesforce: {},
        routing: {
            experience: decision.routing.experience,
            ...(decision.routing.ruleName ? { ruleName: decision.routing.ruleName } : {}),
            reason: decision.routing.reason,
            routedTo: routedTo.map((id) => ({ id, name: nameOf(id) }))
        }
    };
    if (session.email) card.email = session.email;
    const typed = session.typedName?.trim();
    if (typed && typed.toLowerCase() !== card.displayName.trim().toLowerCase())
        card.typedName = typed;
    if (company?.name || company?.domain) {
        card.company = {
            name: company.name ?? company.domain ?? '',
            ...(company.domain ? { domain: company.domain } : {}),
            ...(company.industry ? { industry: company.industry } : {}),
            ...(company.employees !== undefined ? { employees: company.employees } : {})
        };
    }
    if (location) {
        card.location = {
            ...(location.city ? { city: location.city } : {}),
            ...(location.region ? { region: location.region } : {}),
            ...(location.country ? { country: location.country } : {}),
            ...(location.countryCode ? { countryCode: location.countryCode } : {}),
            ...(location.lat !== undefined ? { lat: location.lat } : {}),
            ...(location.lon !== undefined ? { lon: location.lon } : {})
        };
    }
    if (account) {
        const owner = ref(account.ownerId, account.ownerName);
        card.salesforce.account = {
            id: account.id,
            name: account.name ?? '',
            targetAccount: account.targetAccount === true,
            ...(owner ? { owner } : {})
        };
    }
    if (opportunity) {
        const owner = ref(opportunity.ownerId, opportunity.ownerName);
        card.salesforce.opportunity = {
            id: opportunity.id,
            name: opportunity.name ?? '',
            stage: opportunity.stage ?? '',
            ...(opportunity.amount !== undefined ? { amount: opportunity.amount } : {}),
            ...(owner ? { owner } : {})
        };
    }
    if (sf?.lead) {
        const owner = ref(sf.lead.ownerId, sf.lead.ownerName);
        card.salesforce.lead = {
            id: sf.lead.id,
            name: sf.lead.name ?? session.personName ?? session.email ?? '',
            ...(sf.lead.status ? { status: sf.lead.status } : {}),
            ...(owner ? { owner } : {})
        };
    }
    if (sf?.contact) {
        const owner = ref(sf.contact.ownerId, sf.contact.ownerName);
        card.salesforce.contact = {
            id: sf.contact.id,
            name: sf.contact.name ?? session.personName ?? session.email ?? '',
            ...(owner ? { owner } : {})
        };
    }
    if (claim) card.engagedBy = { id: claim.userId, name: claim.userName };
    card.pounce = context.pounce({
        active: session.active,
        ...(claim ? { engagedBy: claim.userName } : {}),
        streamId: decision.streams.shown,
        ...(page ? { currentPage: { path: page.path, scrollDepth: page.scrollDepth } } : {})
    });
    return card;
}
