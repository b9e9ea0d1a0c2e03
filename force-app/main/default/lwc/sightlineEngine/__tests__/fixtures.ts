// Shared builders for the engine tests: a plain visitor, reps, groups and the demo rule set.
import type { Rep, RepStatus } from '../availability';
import { demoRules, DEMO_STREAMS } from '../../../../../../localorg/src/seed/demoStreams';
import type { RoutingGroup } from '../routing';
import type { Visitor, VisitedPage } from '../visitorModel';

export const NOW = Date.parse('2026-03-02T15:00:00Z');

export function page(path: string, extra: Partial<VisitedPage> = {}): VisitedPage {
    return { url: `https://www.example.com${path}`, path, enteredAt: NOW - 60_000, ...extra };
}

export function visitor(id: string, overrides: Partial<Visitor> = {}): Visitor {
    const pages = [page('/')];
    return {
        identity: { level: 'anonymous', visitorId: id },
        visit: {
            pages,
            currentPage: pages[0],
            pageCount: 1,
            timeOnSiteMs: 30_000,
            startedAt: NOW - 30_000
        },
        behaviour: { active: true },
        ...overrides
    };
}

export function rep(
    userId: string,
    status: RepStatus = 'available',
    activeConversations = 0,
    maxConversations = 3
): Rep {
    return { userId, name: `Rep ${userId}`, status, maxConversations, activeConversations };
}

export const SDR_GROUP: RoutingGroup = {
    id: 'group-sdr',
    name: 'Inbound SDRs',
    memberIds: ['sdr-1', 'sdr-2', 'sdr-3']
};
export const AE_GROUP: RoutingGroup = {
    id: 'group-ae',
    name: 'Account Executives',
    memberIds: ['ae-1', 'ae-2']
};
export const GROUPS = [SDR_GROUP, AE_GROUP];

export const DEMO_RULE_SET_INPUT = {
    streams: DEMO_STREAMS,
    rules: demoRules({ sdr: SDR_GROUP.id, ae: AE_GROUP.id })
};

export function allReps(status: RepStatus = 'available'): Rep[] {
    return [
        'sdr-1',
        'sdr-2',
        'sdr-3',
        'ae-1',
        'ae-2',
        'owner-1',
        'owner-2',
        'team-1',
        'team-2'
    ].map((id) => rep(id, status));
}

/** A visitor from a target account owned by owner-1, with an account team. */
export function targetAccountVisitor(id: string): Visitor {
    return visitor(id, {
        identity: { level: 'company', visitorId: id },
        company: { domain: 'acme.com', name: 'Acme' },
        salesforce: {
            account: {
                id: '001A',
                name: 'Acme',
                ownerId: 'owner-1',
                ownerName: 'Maya Chen',
                targetAccount: true,
                team: [
                    { userId: 'team-1', role: 'Account Manager' },
                    { userId: 'team-2', role: 'Sales Engineer' }
                ]
            }
        }
    });
}

export function openOpportunityVisitor(id: string): Visitor {
    return visitor(id, {
        salesforce: {
            account: { id: '001B', name: 'Globex', ownerId: 'owner-1', targetAccount: false },
            opportunities: [
                {
                    id: '006A',
                    name: 'Small',
                    stage: 'Prospecting',
                    amount: 1000,
                    ownerId: 'owner-1',
                    isClosed: false
                },
                {
                    id: '006B',
                    name: 'Big',
                    stage: 'Negotiation',
                    amount: 90000,
                    ownerId: 'owner-2',
                    isClosed: false
                },
                {
                    id: '006C',
                    name: 'Lost',
                    stage: 'Closed Lost',
                    amount: 500000,
                    ownerId: 'ae-1',
                    isClosed: true
                }
            ]
        }
    });
}

export function paidVisitor(id: string): Visitor {
    const pages = [page('/landing', { url: 'https://www.example.com/landing?gclid=abc123' })];
    return visitor(id, {
        visit: {
            pages,
            currentPage: pages[0],
            utm: { source: 'google', medium: 'cpc', campaign: 'brand' }
        }
    });
}

export function pricingVisitor(id: string): Visitor {
    const pages = [page('/'), page('/pricing/enterprise', { dwellMs: 45_000, scrollDepth: 0.6 })];
    return visitor(id, { visit: { pages, currentPage: pages[1], pageCount: 2 } });
}
