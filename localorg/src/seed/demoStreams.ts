/**
 * The four streams of the Live Streams guide and routing rules to match: demo data, so it
 * lives with the org's seed and not in the package (an admin builds their own streams).
 * User and group ids come from the seed. The engine's tests use them as fixtures too.
 */
import type {
    CriteriaJson,
    LiveStream,
    RoutingRule
} from '../../../force-app/main/default/lwc/sightlineEngine/sightlineEngine';

const TARGET_ACCOUNT: CriteriaJson = {
    all: [{ field: 'salesforce.account.targetAccount', operator: 'equals', value: true }]
};
const OPEN_OPPORTUNITY: CriteriaJson = {
    all: [{ field: 'salesforce.opportunity.open', operator: 'equals', value: true }]
};
const PAID_ADVERTISING: CriteriaJson = {
    any: [
        { field: 'utm.medium', operator: 'in', value: ['cpc', 'ppc', 'paid', 'paid-social'] },
        { field: 'visit.adClick', operator: 'equals', value: true }
    ]
};
const PRICING_PAGE: CriteriaJson = {
    all: [{ field: 'visit.pages', operator: 'pageVisited', value: '/pricing*' }]
};

/** Priority order, left to right in the console; SLDS palette colours. */
export const DEMO_STREAMS: readonly LiveStream[] = [
    {
        id: 'stream-target-account',
        name: 'Target Account',
        color: '#0176D3',
        priority: 1,
        active: true,
        criteria: TARGET_ACCOUNT
    },
    {
        id: 'stream-open-opportunity',
        name: 'Open Opportunity',
        color: '#2E844A',
        priority: 2,
        active: true,
        criteria: OPEN_OPPORTUNITY
    },
    {
        id: 'stream-paid-advertising',
        name: 'Paid Advertising',
        color: '#DD7A01',
        priority: 3,
        active: true,
        criteria: PAID_ADVERTISING
    },
    {
        id: 'stream-pricing-page',
        name: 'Pricing Page',
        color: '#9050E9',
        priority: 4,
        active: true,
        criteria: PRICING_PAGE
    }
];

export interface DemoGroupIds {
    /** "Inbound SDRs" */
    sdr: string;
    /** "Account Executives" */
    ae: string;
}

export function demoRules(groupIds: DemoGroupIds): RoutingRule[] {
    return [
        {
            id: 'rule-target-account-owner',
            name: 'Target accounts → account owner',
            order: 1,
            active: true,
            criteria: TARGET_ACCOUNT,
            strategy: 'Record_Owner',
            ownerSources: ['Account'],
            unavailableAction: 'Next_Rule',
            chatTimeoutSeconds: 30
        },
        {
            id: 'rule-target-account-team',
            name: 'Target accounts → account team',
            order: 2,
            active: true,
            criteria: TARGET_ACCOUNT,
            strategy: 'Account_Team',
            unavailableAction: 'Fallback_Group',
            fallbackGroupId: groupIds.ae,
            chatTimeoutSeconds: 30
        },
        {
            id: 'rule-open-opportunity-owner',
            name: 'Open opportunity → opportunity owner',
            order: 3,
            active: true,
            criteria: OPEN_OPPORTUNITY,
            strategy: 'Record_Owner',
            ownerSources: ['Opportunity', 'Account'],
            unavailableAction: 'Fallback_Group',
            fallbackGroupId: groupIds.ae,
            chatTimeoutSeconds: 30
        },
        {
            id: 'rule-paid-or-pricing-sdrs',
            name: 'Paid or pricing → Inbound SDRs round robin',
            order: 4,
            active: true,
            criteria: { any: [PAID_ADVERTISING, PRICING_PAGE] },
            strategy: 'Round_Robin',
            targetGroupId: groupIds.sdr,
            unavailableAction: 'Meeting_Booker',
            chatTimeoutSeconds: 30
        },
        {
            id: 'rule-catch-all',
            name: 'Everyone else → first available SDR',
            order: 5,
            active: true,
            criteria: { all: [] },
            strategy: 'First_Available',
            targetGroupId: groupIds.sdr,
            unavailableAction: 'Fallback_Group',
            fallbackGroupId: groupIds.ae,
            chatTimeoutSeconds: 30
        }
    ];
}
