/**
 * Every field a stream or routing rule may test, with the operators that make sense for
 * it and, for Salesforce-sourced fields, the real object and field API names (checked
 * against the metadata by the metadata lint). The admin builders list fields from here;
 * the evaluator reads visitor values through each field's `read`.
 */
import type { MatchedOpportunity, Visitor, VisitedPage } from './visitorModel';

export type FieldType = 'string' | 'number' | 'boolean' | 'datetime' | 'picklist' | 'pageList';

export type FieldGroup = 'Visit' | 'Company' | 'Location' | 'Salesforce' | 'Behaviour';

export type Operator =
    | 'equals'
    | 'notEquals'
    | 'in'
    | 'notIn'
    | 'contains'
    | 'startsWith'
    | 'endsWith'
    | 'wildcard'
    | 'gt'
    | 'gte'
    | 'lt'
    | 'lte'
    | 'between'
    | 'isSet'
    | 'isNotSet'
    | 'withinLastMinutes'
    | 'pageVisited';

export const OPERATORS_BY_TYPE: Readonly<Record<FieldType, readonly Operator[]>> = {
    string: [
        'equals',
        'notEquals',
        'in',
        'notIn',
        'contains',
        'startsWith',
        'endsWith',
        'wildcard',
        'isSet',
        'isNotSet'
    ],
    picklist: ['equals', 'notEquals', 'in', 'notIn', 'isSet', 'isNotSet'],
    number: [
        'equals',
        'notEquals',
        'in',
        'notIn',
        'gt',
        'gte',
        'lt',
        'lte',
        'between',
        'isSet',
        'isNotSet'
    ],
    boolean: ['equals', 'notEquals', 'isSet', 'isNotSet'],
    datetime: ['gt', 'gte', 'lt', 'lte', 'between', 'withinLastMinutes', 'isSet', 'isNotSet'],
    pageList: ['pageVisited']
};

/** The Salesforce object and field a value comes from (API names, without namespace). */
export interface SalesforceSource {
    object: string;
    field: string;
}

export interface FieldDefinition {
    key: string;
    label: string;
    type: FieldType;
    group: FieldGroup;
    operators: readonly Operator[];
    /** Known values of a picklist field. */
    values?: readonly string[];
    /** The field holds several values (e.g. the stages of all open opportunities): a test holds when any value passes. */
    multiValued?: boolean;
    unit?: string;
    source?: SalesforceSource;
    read: (visitor: Visitor, now: number) => unknown;
}

type FieldSpec = Omit<FieldDefinition, 'operators'>;

function define(spec: FieldSpec): FieldDefinition {
    return { ...spec, operators: OPERATORS_BY_TYPE[spec.type] };
}

const AD_CLICK_PARAMETERS = [
    'gclid',
    'gbraid',
    'wbraid',
    'msclkid',
    'fbclid',
    'li_fat_id',
    'ttclid'
];

/** True when the landing URL carries an ad-network click id such as `gclid`. */
function arrivedFromAdClick(visitor: Visitor): boolean {
    const landingUrl = (visitor.visit?.pages[0]?.url ?? '').toLowerCase();
    const queryStart = landingUrl.indexOf('?');
    if (queryStart < 0) {
        return false;
    }
    const query = landingUrl.slice(queryStart + 1);
    return query.split('&').some((pair) => AD_CLICK_PARAMETERS.includes(pair.split('=')[0] ?? ''));
}

/** `https://www.linkedin.com/feed` → `linkedin.com`. */
function referrerDomain(referrer: string | undefined): string | undefined {
    if (!referrer) {
        return undefined;
    }
    const afterScheme = referrer.includes('://')
        ? referrer.slice(referrer.indexOf('://') + 3)
        : referrer;
    const host = (afterScheme.split(/[/?#]/)[0] ?? '').toLowerCase();
    return host.startsWith('www.') ? host.slice(4) : host || undefined;
}

function openOpportunities(visitor: Visitor): MatchedOpportunity[] {
    return (visitor.salesforce?.opportunities ?? []).filter((opportunity) => !opportunity.isClosed);
}

function currentPage(visitor: Visitor): VisitedPage | undefined {
    const visit = visitor.visit;
    return visit?.currentPage ?? visit?.pages[visit.pages.length - 1];
}

function secondsFromMs(ms: number | undefined): number | undefined {
    return ms === undefined ? undefined : ms / 1000;
}

export const FIELD_CATALOGUE: readonly FieldDefinition[] = [
    // Visit
    define({
        key: 'visit.currentPage.path',
        label: 'Current page path',
        type: 'string',
        group: 'Visit',
        read: (v) => currentPage(v)?.path
    }),
    define({
        key: 'visit.currentPage.url',
        label: 'Current page URL',
        type: 'string',
        group: 'Visit',
        read: (v) => currentPage(v)?.url
    }),
    define({
        key: 'visit.currentPage.title',
        label: 'Current page title',
        type: 'string',
        group: 'Visit',
        read: (v) => currentPage(v)?.title
    }),
    define({
        key: 'visit.landingPage.path',
        label: 'Landing page path',
        type: 'string',
        group: 'Visit',
        read: (v) => v.visit?.pages[0]?.path
    }),
    define({
        key: 'visit.pages',
        label: 'Pages visited',
        type: 'pageList',
        group: 'Visit',
        read: (v) => v.visit?.pages ?? []
    }),
    define({
        key: 'visit.pageCount',
        label: 'Pages viewed',
        type: 'number',
        group: 'Visit',
        read: (v) => v.visit?.pageCount ?? v.visit?.pages.length
    }),
    define({
        key: 'visit.timeOnSiteSeconds',
        label: 'Time on site',
        type: 'number',
        unit: 'seconds',
        group: 'Visit',
        read: (v, now) => {
            const visit = v.visit;
            if (visit?.timeOnSiteMs !== undefined) {
                return visit.timeOnSiteMs / 1000;
            }
            return visit?.startedAt === undefined ? undefined : (now - visit.startedAt) / 1000;
        }
    }),
    define({
        key: 'visit.startedAt',
        label: 'Visit started',
        type: 'datetime',
        group: 'Visit',
        read: (v) => v.visit?.startedAt
    }),
    define({
        key: 'visit.returning',
        label: 'Returning visitor',
        type: 'boolean',
        group: 'Visit',
        read: (v) => v.visit?.returning
    }),
    define({
        key: 'visit.visitCount',
        label: 'Number of visits',
        type: 'number',
        group: 'Visit',
        read: (v) => v.visit?.visitCount
    }),
    define({
        key: 'visit.referrer',
        label: 'Referrer URL',
        type: 'string',
        group: 'Visit',
        read: (v) => v.visit?.referrer
    }),
    define({
        key: 'visit.referrerDomain',
        label: 'Referrer domain',
        type: 'string',
        group: 'Visit',
        read: (v) => referrerDomain(v.visit?.referrer)
    }),
    define({
        key: 'visit.adClick',
        label: 'Arrived from an ad click (gclid, msclkid, fbclid…)',
        type: 'boolean',
        group: 'Visit',
        read: arrivedFromAdClick
    }),
    define({
        key: 'utm.source',
        label: 'UTM source',
        type: 'string',
        group: 'Visit',
        read: (v) => v.visit?.utm?.source
    }),
    define({
        key: 'utm.medium',
        label: 'UTM medium',
        type: 'string',
        group: 'Visit',
        read: (v) => v.visit?.utm?.medium
    }),
    define({
        key: 'utm.campaign',
        label: 'UTM campaign',
        type: 'string',
        group: 'Visit',
        read: (v) => v.visit?.utm?.campaign
    }),
    define({
        key: 'utm.term',
        label: 'UTM term',
        type: 'string',
        group: 'Visit',
        read: (v) => v.visit?.utm?.term
    }),
    define({
        key: 'utm.content',
        label: 'UTM content',
        type: 'string',
        group: 'Visit',
        read: (v) => v.visit?.utm?.content
    }),
    define({
        key: 'device.type',
        label: 'Device type',
        type: 'picklist',
        values: ['desktop', 'mobile', 'tablet'],
        group: 'Visit',
        read: (v) => v.device?.type
    }),
    define({
        key: 'device.browser',
        label: 'Browser',
        type: 'string',
        group: 'Visit',
        read: (v) => v.device?.browser
    }),
    define({
        key: 'device.os',
        label: 'Operating system',
        type: 'string',
        group: 'Visit',
        read: (v) => v.device?.os
    }),

    // Company (and who the visitor is)
    define({
        key: 'identity.level',
        label: 'Identity level',
        type: 'picklist',
        values: ['anonymous', 'company', 'person'],
        group: 'Company',
        read: (v) => v.identity.level
    }),
    define({
        key: 'identity.email',
        label: 'Visitor email',
        type: 'string',
        group: 'Company',
        read: (v) => v.identity.email
    }),
    define({
        key: 'company.domain',
        label: 'Company domain',
        type: 'string',
        group: 'Company',
        read: (v) => v.company?.domain
    }),
    define({
        key: 'company.name',
        label: 'Company name',
        type: 'string',
        group: 'Company',
        read: (v) => v.company?.name
    }),
    define({
        key: 'company.industry',
        label: 'Industry',
        type: 'string',
        group: 'Company',
        read: (v) => v.company?.industry
    }),
    define({
        key: 'company.employees',
        label: 'Employees',
        type: 'number',
        group: 'Company',
        read: (v) => v.company?.employees
    }),
    define({
        key: 'company.revenueBand',
        label: 'Revenue band',
        type: 'string',
        group: 'Company',
        read: (v) => v.company?.revenueBand
    }),
    define({
        key: 'company.country',
        label: 'Company country',
        type: 'string',
        group: 'Company',
        read: (v) => v.company?.country
    }),

    // Location (from the visitor's IP)
    define({
        key: 'location.country',
        label: 'Country',
        type: 'string',
        group: 'Location',
        read: (v) => v.location?.country
    }),
    define({
        key: 'location.countryCode',
        label: 'Country code',
        type: 'string',
        group: 'Location',
        read: (v) => v.location?.countryCode
    }),
    define({
        key: 'location.region',
        label: 'Region',
        type: 'string',
        group: 'Location',
        read: (v) => v.location?.region
    }),
    define({
        key: 'location.city',
        label: 'City',
        type: 'string',
        group: 'Location',
        read: (v) => v.location?.city
    }),
    define({
        key: 'location.timeZone',
        label: 'Time zone',
        type: 'string',
        group: 'Location',
        read: (v) => v.location?.timeZone
    }),

    // Salesforce matches
    define({
        key: 'salesforce.account.matched',
        label: 'Matches an Account',
        type: 'boolean',
        group: 'Salesforce',
        source: { object: 'Account', field: 'Domain__c' },
        read: (v) => v.salesforce?.account !== undefined
    }),
    define({
        key: 'salesforce.account.name',
        label: 'Account name',
        type: 'string',
        group: 'Salesforce',
        source: { object: 'Account', field: 'Name' },
        read: (v) => v.salesforce?.account?.name
    }),
    define({
        key: 'salesforce.account.targetAccount',
        label: 'Target account',
        type: 'boolean',
        group: 'Salesforce',
        source: { object: 'Account', field: 'Target_Account__c' },
        read: (v) => v.salesforce?.account?.targetAccount
    }),
    define({
        key: 'salesforce.account.ownerId',
        label: 'Account owner',
        type: 'string',
        group: 'Salesforce',
        source: { object: 'Account', field: 'OwnerId' },
        read: (v) => v.salesforce?.account?.ownerId
    }),
    define({
        key: 'salesforce.account.teamRoles',
        label: 'Account team roles',
        type: 'string',
        multiValued: true,
        group: 'Salesforce',
        source: { object: 'AccountTeamMember', field: 'TeamMemberRole' },
        read: (v) => (v.salesforce?.account?.team ?? []).map((member) => member.role)
    }),
    define({
        key: 'salesforce.opportunity.open',
        label: 'Has an open opportunity',
        type: 'boolean',
        group: 'Salesforce',
        source: { object: 'Opportunity', field: 'IsClosed' },
        read: (v) => openOpportunities(v).length > 0
    }),
    define({
        key: 'salesforce.opportunity.openCount',
        label: 'Open opportunities',
        type: 'number',
        group: 'Salesforce',
        source: { object: 'Opportunity', field: 'IsClosed' },
        read: (v) => openOpportunities(v).length
    }),
    define({
        key: 'salesforce.opportunity.openAmount',
        label: 'Open opportunity amount (total)',
        type: 'number',
        group: 'Salesforce',
        source: { object: 'Opportunity', field: 'Amount' },
        read: (v) =>
            openOpportunities(v).reduce(
                (total, opportunity) => total + (opportunity.amount ?? 0),
                0
            )
    }),
    define({
        key: 'salesforce.opportunity.stage',
        label: 'Open opportunity stage',
        type: 'string',
        multiValued: true,
        group: 'Salesforce',
        source: { object: 'Opportunity', field: 'StageName' },
        read: (v) =>
            openOpportunities(v).flatMap((opportunity) =>
                opportunity.stage === undefined ? [] : [opportunity.stage]
            )
    }),
    define({
        key: 'salesforce.lead.matched',
        label: 'Matches a Lead',
        type: 'boolean',
        group: 'Salesforce',
        source: { object: 'Lead', field: 'Email' },
        read: (v) => v.salesforce?.lead !== undefined
    }),
    define({
        key: 'salesforce.lead.status',
        label: 'Lead status',
        type: 'string',
        group: 'Salesforce',
        source: { object: 'Lead', field: 'Status' },
        read: (v) => v.salesforce?.lead?.status
    }),
    define({
        key: 'salesforce.lead.ownerId',
        label: 'Lead owner',
        type: 'string',
        group: 'Salesforce',
        source: { object: 'Lead', field: 'OwnerId' },
        read: (v) => v.salesforce?.lead?.ownerId
    }),
    define({
        key: 'salesforce.contact.matched',
        label: 'Matches a Contact',
        type: 'boolean',
        group: 'Salesforce',
        source: { object: 'Contact', field: 'Email' },
        read: (v) => v.salesforce?.contact !== undefined
    }),
    define({
        key: 'salesforce.contact.ownerId',
        label: 'Contact owner',
        type: 'string',
        group: 'Salesforce',
        source: { object: 'Contact', field: 'OwnerId' },
        read: (v) => v.salesforce?.contact?.ownerId
    }),

    // Behaviour
    define({
        key: 'behaviour.active',
        label: 'Active now',
        type: 'boolean',
        group: 'Behaviour',
        read: (v) => v.behaviour?.active
    }),
    define({
        key: 'behaviour.idleSeconds',
        label: 'Idle for',
        type: 'number',
        unit: 'seconds',
        group: 'Behaviour',
        read: (v, now) => {
            const behaviour = v.behaviour;
            if (behaviour?.idleSinceMs !== undefined) {
                return Math.max(0, now - behaviour.idleSinceMs) / 1000;
            }
            return behaviour?.active ? 0 : undefined;
        }
    }),
    define({
        key: 'behaviour.scrollDepth',
        label: 'Scroll depth on current page',
        type: 'number',
        unit: '%',
        group: 'Behaviour',
        read: (v) => {
            const depth = currentPage(v)?.scrollDepth;
            return depth === undefined ? undefined : depth * 100;
        }
    }),
    define({
        key: 'behaviour.currentPageDwellSeconds',
        label: 'Time on current page',
        type: 'number',
        unit: 'seconds',
        group: 'Behaviour',
        read: (v) => secondsFromMs(currentPage(v)?.dwellMs)
    }),
    define({
        key: 'behaviour.tabsOpen',
        label: 'Tabs open',
        type: 'number',
        group: 'Behaviour',
        read: (v) => v.behaviour?.tabsOpen
    }),
    define({
        key: 'behaviour.formSubmitted',
        label: 'Submitted a form',
        type: 'boolean',
        group: 'Behaviour',
        read: (v) => v.behaviour?.formSubmitted
    }),
    define({
        key: 'behaviour.chatRequested',
        label: 'Requested a chat',
        type: 'boolean',
        group: 'Behaviour',
        read: (v) => v.behaviour?.chatRequested
    }),
    define({
        key: 'behaviour.chatRequestedAt',
        label: 'Chat requested at',
        type: 'datetime',
        group: 'Behaviour',
        read: (v) => v.behaviour?.chatRequestedAt
    }),
    define({
        key: 'behaviour.botEngaged',
        label: 'Engaged with the bot',
        type: 'boolean',
        group: 'Behaviour',
        read: (v) => v.behaviour?.botEngaged
    })
];

const FIELDS_BY_KEY: ReadonlyMap<string, FieldDefinition> = new Map(
    FIELD_CATALOGUE.map((field) => [field.key, field])
);

export function fieldByKey(key: string): FieldDefinition | undefined {
    return FIELDS_BY_KEY.get(key);
}
