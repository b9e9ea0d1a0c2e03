import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { compileCriteria } from '../compile';
import { validateCriteria } from '../criteria';
import { describeCriteriaTrace } from '../explain';
import {
    NOW,
    openOpportunityVisitor,
    page,
    pricingVisitor,
    targetAccountVisitor,
    visitor
} from './fixtures';
import type { Visitor } from '../visitorModel';

function holds(criteria: unknown, subject: Visitor): boolean {
    const compiled = compileCriteria(criteria);
    assert.deepEqual(compiled.errors, [], 'criteria under test must be valid');
    return compiled.matches(subject, NOW);
}

const acme = visitor('v-acme', {
    company: { domain: 'acme.com', name: 'Acme Corp', employees: 250 },
    location: { country: 'Germany', countryCode: 'DE', city: 'Berlin' },
    visit: {
        pages: [
            page('/'),
            page('/pricing', { dwellMs: 20_000, scrollDepth: 0.5 }),
            page('/docs/api', { dwellMs: 2_000, scrollDepth: 0.05 })
        ],
        utm: { medium: 'cpc' },
        pageCount: 3,
        startedAt: NOW - 300_000
    },
    behaviour: { active: true, chatRequested: true, chatRequestedAt: NOW - 5 * 60_000 },
    device: { type: 'mobile' }
});

describe('criteria operators', () => {
    const cases: [string, unknown, boolean][] = [
        [
            'equals (text, any case)',
            { field: 'company.domain', operator: 'equals', value: 'ACME.com' },
            true
        ],
        ['notEquals', { field: 'company.domain', operator: 'notEquals', value: 'acme.com' }, false],
        [
            'notEquals holds when the value is unknown',
            { field: 'company.industry', operator: 'notEquals', value: 'Retail' },
            true
        ],
        ['in', { field: 'location.countryCode', operator: 'in', value: ['FR', 'de'] }, true],
        ['notIn', { field: 'location.countryCode', operator: 'notIn', value: ['FR', 'DE'] }, false],
        ['contains', { field: 'company.name', operator: 'contains', value: 'corp' }, true],
        ['startsWith', { field: 'company.name', operator: 'startsWith', value: 'acme' }, true],
        ['endsWith', { field: 'company.domain', operator: 'endsWith', value: '.org' }, false],
        ['wildcard', { field: 'company.domain', operator: 'wildcard', value: 'ac?e.*' }, true],
        ['gt', { field: 'company.employees', operator: 'gt', value: 250 }, false],
        ['gte', { field: 'company.employees', operator: 'gte', value: 250 }, true],
        ['lt', { field: 'company.employees', operator: 'lt', value: 1000 }, true],
        ['lte', { field: 'visit.pageCount', operator: 'lte', value: 2 }, false],
        [
            'between (inclusive)',
            { field: 'company.employees', operator: 'between', value: [100, 250] },
            true
        ],
        ['isSet', { field: 'location.city', operator: 'isSet' }, true],
        ['isNotSet', { field: 'location.region', operator: 'isNotSet' }, true],
        [
            'withinLastMinutes',
            { field: 'behaviour.chatRequestedAt', operator: 'withinLastMinutes', value: 10 },
            true
        ],
        [
            'withinLastMinutes, too old',
            { field: 'behaviour.chatRequestedAt', operator: 'withinLastMinutes', value: 2 },
            false
        ],
        [
            'datetime gt with ISO text',
            { field: 'visit.startedAt', operator: 'gt', value: '2026-03-02T14:00:00Z' },
            true
        ],
        ['picklist equals', { field: 'device.type', operator: 'equals', value: 'mobile' }, true],
        [
            'boolean equals',
            { field: 'behaviour.chatRequested', operator: 'equals', value: true },
            true
        ],
        [
            'pageVisited',
            { field: 'visit.pages', operator: 'pageVisited', value: '/pricing*' },
            true
        ],
        [
            'pageVisited with dwell and scroll',
            {
                field: 'visit.pages',
                operator: 'pageVisited',
                value: { path: '/pricing', minDwellSeconds: 10, minScrollPercent: 15 }
            },
            true
        ],
        [
            'pageVisited, dwell too short',
            {
                field: 'visit.pages',
                operator: 'pageVisited',
                value: { path: '/docs/*', minDwellSeconds: 10 }
            },
            false
        ],
        [
            'number of seconds from ms',
            { field: 'visit.timeOnSiteSeconds', operator: 'gte', value: 300 },
            true
        ]
    ];
    for (const [name, criteria, expected] of cases) {
        it(name, () => assert.equal(holds(criteria, acme), expected));
    }

    it('multi-valued fields: positive tests hold when any value passes, negative ones when none does', () => {
        const subject = openOpportunityVisitor('v-opp');
        assert.equal(
            holds(
                { field: 'salesforce.opportunity.stage', operator: 'equals', value: 'negotiation' },
                subject
            ),
            true
        );
        assert.equal(
            holds(
                {
                    field: 'salesforce.opportunity.stage',
                    operator: 'notIn',
                    value: ['Negotiation']
                },
                subject
            ),
            false
        );
        assert.equal(
            holds(
                { field: 'salesforce.opportunity.stage', operator: 'equals', value: 'Closed Lost' },
                subject
            ),
            false,
            'closed deals are ignored'
        );
    });

    it('groups: all, any, not; an empty all matches everyone and an empty any nobody', () => {
        assert.equal(holds({ all: [] }, acme), true);
        assert.equal(holds({ any: [] }, acme), false);
        assert.equal(
            holds({ not: { field: 'device.type', operator: 'equals', value: 'desktop' } }, acme),
            true
        );
        const nested = {
            all: [
                { field: 'utm.medium', operator: 'equals', value: 'cpc' },
                {
                    any: [
                        { field: 'location.countryCode', operator: 'equals', value: 'US' },
                        { field: 'visit.pages', operator: 'pageVisited', value: '/pricing' }
                    ]
                }
            ]
        };
        assert.equal(holds(nested, acme), true);
        assert.equal(
            holds(JSON.stringify(nested), acme),
            true,
            'criteria may be given as the stored JSON text'
        );
    });

    it('derived Salesforce fields', () => {
        assert.equal(
            holds(
                { field: 'salesforce.account.targetAccount', operator: 'equals', value: true },
                targetAccountVisitor('t')
            ),
            true
        );
        assert.equal(
            holds(
                { field: 'salesforce.opportunity.openAmount', operator: 'gt', value: 90_000 },
                openOpportunityVisitor('o')
            ),
            true
        );
        assert.equal(
            holds(
                {
                    field: 'salesforce.account.teamRoles',
                    operator: 'in',
                    value: ['sales engineer']
                },
                targetAccountVisitor('t')
            ),
            true
        );
        assert.equal(
            holds(
                { field: 'behaviour.scrollDepth', operator: 'gte', value: 15 },
                pricingVisitor('p')
            ),
            true
        );
    });
});

describe('validateCriteria', () => {
    it('reports every problem with a path and a readable message', () => {
        const result = validateCriteria({
            all: [
                { field: 'company.domain', operator: 'equals', value: 'acme.com' },
                {
                    any: [
                        { field: 'company.domain', operator: 'gt', value: 3 },
                        { field: 'nope', operator: 'equals', value: 1 }
                    ]
                },
                { field: 'device.type', operator: 'equals', value: 'watch' },
                { field: 'company.employees', operator: 'between', value: [10, 1] },
                { field: 'utm.medium', operator: 'in', value: [] },
                { all: [], any: [] }
            ]
        });
        assert.equal(result.ok, false);
        assert.deepEqual(result.errors, [
            {
                path: 'all[1].any[0].operator',
                message: 'Operator "gt" does not apply to text field "Company domain"'
            },
            { path: 'all[1].any[1].field', message: 'Unknown field "nope"' },
            {
                path: 'all[2].value',
                message: 'Value "watch" is not one of "desktop", "mobile", "tablet"'
            },
            { path: 'all[3].value', message: '"From" (10) is after "to" (1)' },
            { path: 'all[4].value', message: 'Value must be a non-empty list' },
            {
                path: 'all[5]',
                message: 'Use exactly one of "all", "any", "not" or "field" in one node'
            }
        ]);
    });

    it('rejects text that is not JSON, empty criteria and over-deep trees', () => {
        assert.equal(validateCriteria('{ all: [').errors[0]?.message, 'Criteria is not valid JSON');
        assert.equal(validateCriteria(null).ok, false);
        let deep: unknown = { all: [] };
        for (let i = 0; i < 40; i++) {
            deep = { not: deep };
        }
        assert.match(validateCriteria(deep).errors[0]?.message ?? '', /nested more than/);
    });

    it('invalid criteria match nobody and explain why', () => {
        const compiled = compileCriteria({ field: 'company.domain', operator: 'gt', value: 1 });
        assert.equal(compiled.ok, false);
        assert.equal(compiled.matches(acme, NOW), false);
        assert.equal(compiled.explain(acme, NOW).kind, 'invalid');
    });
});

describe('explanation trace', () => {
    it('lists every condition with the expected and the actual value', () => {
        const compiled = compileCriteria({
            all: [
                { field: 'company.domain', operator: 'equals', value: 'acme.com' },
                { field: 'visit.pages', operator: 'pageVisited', value: '/demo*' }
            ]
        });
        const trace = compiled.explain(acme, NOW);
        assert.equal(trace.result, false);
        assert.deepEqual(describeCriteriaTrace(trace), [
            '✗ all of',
            '  ✓ Company domain equals "acme.com" (visitor: "acme.com")',
            '  ✗ Pages visited include a page matching "/demo*" (visitor: /, /pricing, /docs/api)'
        ]);
    });
});

describe('arbitrary criteria never throw', () => {
    const fields = fc.constantFrom(
        'company.domain',
        'company.employees',
        'device.type',
        'visit.pages',
        'behaviour.chatRequestedAt',
        'salesforce.opportunity.stage',
        'nope',
        '__proto__',
        'toString'
    );
    const operators = fc.constantFrom(
        'equals',
        'notEquals',
        'in',
        'notIn',
        'contains',
        'wildcard',
        'gt',
        'between',
        'isSet',
        'isNotSet',
        'withinLastMinutes',
        'pageVisited',
        'constructor',
        ''
    );
    const { tree } = fc.letrec((tie) => ({
        tree: fc.oneof(
            { depthSize: 'small', withCrossShrink: true },
            fc.record(
                { field: fields, operator: operators, value: fc.anything() },
                { requiredKeys: [] }
            ),
            fc.record({ all: fc.array(tie('tree'), { maxLength: 4 }) }),
            fc.record({ any: fc.oneof(fc.array(tie('tree'), { maxLength: 4 }), fc.anything()) }),
            fc.record({ not: tie('tree') }),
            fc.anything()
        )
    }));
    const subjects = [
        acme,
        targetAccountVisitor('t'),
        openOpportunityVisitor('o'),
        pricingVisitor('p'),
        visitor('bare', { visit: undefined, behaviour: undefined })
    ];

    it('validate, compile, evaluate and explain are total', () => {
        fc.assert(
            fc.property(tree, (criteria) => {
                const validation = validateCriteria(criteria);
                const compiled = compileCriteria(criteria);
                assert.equal(validation.ok, compiled.ok);
                for (const subject of subjects) {
                    const matched = compiled.matches(subject, NOW);
                    assert.equal(
                        compiled.explain(subject, NOW).result,
                        matched,
                        'trace agrees with the fast path'
                    );
                    if (!compiled.ok) {
                        assert.equal(matched, false, 'invalid criteria match nothing');
                    }
                }
            }),
            { seed: 42, numRuns: 1500 }
        );
    });
});
