/**
 * Engine benchmark (not a test). Per visitor update: sort into 20 streams and find the
 * first matching of 50 routing rules, over a seeded set of varied visitors; compared in
 * the same run with json-logic-js evaluating the same criteria translated to JSON Logic.
 * Also measures full decide() calls and the heap cost of one compiled rule set.
 *
 *   node --expose-gc --import tsx scripts/bench/engineBench.ts
 *
 * Prints a table and writes bench-results/engine.json.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import jsonLogic, { type RulesLogic } from 'json-logic-js';
import { random } from './benchSupport';
import {
    compileCriteria,
    compileRuleSet,
    compileWildcard,
    decide,
    emptyRoutingState,
    fieldByKey,
    type CriteriaJson,
    type LiveStream,
    type Rep,
    type RoutingGroup,
    type RoutingRule,
    type RoutingStrategy,
    type Visitor,
    type WildcardPattern
} from '../../force-app/main/default/lwc/sightlineEngine/sightlineEngine';

const SEED = 42;
const VISITOR_COUNT = 2_000;
const STREAM_COUNT = 20;
const RULE_COUNT = 50;
const MIN_MEASURE_MS = 1_500;
const NOW = Date.parse('2026-03-02T15:00:00Z');

const rand = random(SEED);
const pick = <T>(items: readonly T[]): T => items[Math.floor(rand() * items.length)] as T;
const chance = (p: number): boolean => rand() < p;
const int = (min: number, max: number): number => min + Math.floor(rand() * (max - min + 1));

const COUNTRIES = ['US', 'GB', 'DE', 'FR', 'IN', 'BR', 'JP', 'AU', 'CA', 'NL'];
const CITIES = [
    'Austin',
    'London',
    'Berlin',
    'Paris',
    'Pune',
    'São Paulo',
    'Tokyo',
    'Sydney',
    'Toronto',
    'Utrecht'
];
const MEDIUMS = ['cpc', 'ppc', 'paid-social', 'email', 'organic', 'referral', 'display'];
const PATHS = [
    '/',
    '/pricing',
    '/pricing/enterprise',
    '/demo',
    '/blog/ai-sales',
    '/blog/live-chat',
    '/docs/api',
    '/docs/setup',
    '/customers',
    '/careers',
    '/about'
];
const INDUSTRIES = ['Software', 'Retail', 'Finance', 'Healthcare', 'Manufacturing', 'Education'];
const STAGES = ['Prospecting', 'Qualification', 'Proposal', 'Negotiation'];
const TLDS = ['com', 'io', 'de', 'co.uk', 'ai'];
const REFERRERS = [
    'https://www.google.com/',
    'https://www.linkedin.com/feed',
    'https://news.ycombinator.com/',
    ''
];
const USERS = Array.from({ length: 30 }, (_, index) => `user-${index}`);

function makeVisitor(index: number): Visitor {
    const visitorId = `visitor-${index}`;
    const pages = Array.from({ length: int(1, 8) }, (_, n) => {
        const path = pick(PATHS);
        return {
            url: `https://www.example.com${path}${n === 0 && chance(0.1) ? '?gclid=x1' : ''}`,
            path,
            enteredAt: NOW - (8 - n) * 30_000,
            dwellMs: int(0, 90_000),
            scrollDepth: rand()
        };
    });
    const known = chance(0.6);
    const domain = `${pick(['acme', 'globex', 'initech', 'umbrella', 'hooli', 'techcorp', 'stark'])}${index % 50}.${pick(TLDS)}`;
    return {
        identity: { level: known ? (chance(0.3) ? 'person' : 'company') : 'anonymous', visitorId },
        ...(known
            ? {
                  company: {
                      domain,
                      name: `${domain.split('.')[0] ?? ''} ${pick(['Tech', 'Inc', 'Labs'])}`,
                      industry: pick(INDUSTRIES),
                      employees: int(5, 20_000)
                  }
              }
            : {}),
        location: chance(0.9) ? { countryCode: pick(COUNTRIES), city: pick(CITIES) } : {},
        ...(known && chance(0.5)
            ? {
                  salesforce: {
                      account: {
                          id: `001${index}`,
                          ownerId: pick(USERS),
                          targetAccount: chance(0.3),
                          team: [{ userId: pick(USERS), role: 'Account Manager' }]
                      },
                      opportunities: chance(0.4)
                          ? [
                                {
                                    id: `006${index}`,
                                    stage: pick(STAGES),
                                    amount: int(1_000, 200_000),
                                    ownerId: pick(USERS),
                                    isClosed: chance(0.3)
                                }
                            ]
                          : []
                  }
              }
            : {}),
        visit: {
            pages,
            currentPage: pages[pages.length - 1],
            referrer: pick(REFERRERS),
            utm: chance(0.5)
                ? { medium: pick(MEDIUMS), source: pick(['google', 'linkedin', 'newsletter']) }
                : {},
            pageCount: pages.length,
            timeOnSiteMs: int(5_000, 1_800_000),
            visitCount: int(1, 6)
        },
        behaviour: {
            active: chance(0.8),
            chatRequested: chance(0.1),
            chatRequestedAt: NOW - int(0, 600_000),
            formSubmitted: chance(0.1)
        },
        device: { type: pick(['desktop', 'mobile', 'tablet'] as const) }
    };
}

function makeCondition(): CriteriaJson {
    switch (int(0, 14)) {
        case 0:
            return { field: 'utm.medium', operator: 'in', value: [pick(MEDIUMS), pick(MEDIUMS)] };
        case 1:
            return { field: 'location.countryCode', operator: 'equals', value: pick(COUNTRIES) };
        case 2: {
            const low = int(10, 5_000);
            return {
                field: 'company.employees',
                operator: 'between',
                value: [low, low + int(100, 10_000)]
            };
        }
        case 3:
            return {
                field: 'visit.pages',
                operator: 'pageVisited',
                value: chance(0.5)
                    ? pick(['/pricing*', '/demo*', '/docs/*'])
                    : {
                          path: pick(['/pricing*', '/blog/*']),
                          minDwellSeconds: int(5, 60),
                          minScrollPercent: 15
                      }
            };
        case 4:
            return { field: 'company.domain', operator: 'wildcard', value: `*.${pick(TLDS)}` };
        case 5:
            return { field: 'salesforce.account.targetAccount', operator: 'equals', value: true };
        case 6:
            return {
                field: 'salesforce.opportunity.stage',
                operator: 'in',
                value: [pick(STAGES), pick(STAGES)]
            };
        case 7:
            return {
                field: 'visit.currentPage.path',
                operator: 'startsWith',
                value: pick(['/blog', '/docs', '/pricing'])
            };
        case 8:
            return { field: 'behaviour.chatRequested', operator: 'equals', value: true };
        case 9:
            return { field: 'visit.pageCount', operator: 'gte', value: int(2, 7) };
        case 10:
            return { field: 'company.industry', operator: 'notEquals', value: pick(INDUSTRIES) };
        case 11:
            return {
                field: 'visit.referrerDomain',
                operator: 'endsWith',
                value: pick(['linkedin.com', 'google.com'])
            };
        case 12:
            return { field: 'location.city', operator: 'isSet' };
        case 13:
            return {
                field: 'behaviour.chatRequestedAt',
                operator: 'withinLastMinutes',
                value: int(1, 10)
            };
        default:
            return { field: 'company.name', operator: 'contains', value: pick(['tech', 'labs']) };
    }
}

function makeCriteria(): CriteriaJson {
    const conditions: CriteriaJson[] = [makeCondition(), makeCondition()];
    if (chance(0.5)) {
        conditions.push({ any: [makeCondition(), makeCondition()] });
    }
    if (chance(0.3)) {
        conditions.push({ not: makeCondition() });
    }
    return { all: conditions };
}

const groups: RoutingGroup[] = [0, 1, 2, 3].map((g) => ({
    id: `group-${g}`,
    name: `Group ${g}`,
    memberIds: USERS.slice(g * 7, g * 7 + 9)
}));
const reps: Rep[] = USERS.map((userId, index) => ({
    userId,
    name: `Rep ${index}`,
    status: index % 5 === 0 ? 'away' : index % 7 === 0 ? 'offline' : 'available',
    maxConversations: 3,
    activeConversations: index % 4
}));
const streams: LiveStream[] = Array.from({ length: STREAM_COUNT }, (_, index) => ({
    id: `stream-${index}`,
    name: `Stream ${index}`,
    color: '#0176D3',
    priority: index + 1,
    active: true,
    criteria: makeCriteria()
}));
const strategies: RoutingStrategy[] = [
    'Record_Owner',
    'Account_Team',
    'Round_Robin',
    'First_Available',
    'Named_Reps'
];
const rules: RoutingRule[] = Array.from({ length: RULE_COUNT }, (_, index) => ({
    id: `rule-${index}`,
    name: `Rule ${index}`,
    order: index + 1,
    active: true,
    criteria: index === RULE_COUNT - 1 ? { all: [] } : makeCriteria(),
    strategy: pick(strategies),
    targetGroupId: pick(groups).id,
    targetUserIds: chance(0.3) ? [pick(USERS), pick(USERS)] : [],
    unavailableAction: pick(['Next_Rule', 'Fallback_Group', 'Meeting_Booker'] as const),
    fallbackGroupId: pick(groups).id
}));
const visitors = Array.from({ length: VISITOR_COUNT }, (_, index) => makeVisitor(index));

// ---- JSON Logic translation of the same criteria -------------------------------------
// JSON Logic compares case-sensitively, so facts and expected text are lower-cased; it has
// no wildcard operator, so one is added that uses the same linear matcher (cached).
const wildcardCache = new Map<string, WildcardPattern>();
jsonLogic.add_operation('wildcard', (text: unknown, pattern: string) => {
    let compiled = wildcardCache.get(pattern);
    if (!compiled) {
        compiled = compileWildcard(pattern);
        wildcardCache.set(pattern, compiled);
    }
    return typeof text === 'string' && compiled.matches(text);
});

const lower = (value: unknown): unknown =>
    typeof value === 'string'
        ? value.toLowerCase()
        : Array.isArray(value)
          ? value.map(lower)
          : value;

function toJsonLogic(node: CriteriaJson): RulesLogic {
    if ('all' in node) {
        return node.all.length === 0 ? true : { and: node.all.map(toJsonLogic) };
    }
    if ('any' in node) {
        return node.any.length === 0 ? false : { or: node.any.map(toJsonLogic) };
    }
    if ('not' in node) {
        return { '!': toJsonLogic(node.not) };
    }
    const field = fieldByKey(node.field);
    const value = lower(node.value);
    const test = (subject: RulesLogic): RulesLogic => {
        switch (node.operator) {
            case 'equals':
                return { '==': [subject, value] };
            case 'notEquals':
                return { '!=': [subject, value] };
            case 'in':
                return { in: [subject, value] } as RulesLogic;
            case 'contains':
                return { in: [value, subject] } as RulesLogic;
            case 'startsWith':
                return {
                    '==': [{ substr: [subject, 0, String(value).length] }, value]
                };
            case 'endsWith':
                return {
                    '==': [{ substr: [subject, -String(value).length] }, value]
                };
            case 'wildcard':
                return { wildcard: [subject, value] } as unknown as RulesLogic;
            case 'gte':
                return { '>=': [subject, value] } as RulesLogic;
            case 'between': {
                const [low, high] = value as [number, number];
                return { '<=': [low, subject, high] };
            }
            case 'isSet':
                return { '!=': [subject, null] };
            case 'withinLastMinutes':
                return {
                    '<=': [{ '-': [NOW, subject] }, (value as number) * 60_000]
                };
            case 'pageVisited': {
                const spec =
                    typeof value === 'string'
                        ? { path: value }
                        : (value as {
                              path: string;
                              minDwellSeconds?: number;
                              minScrollPercent?: number;
                          });
                return {
                    some: [
                        subject,
                        {
                            and: [
                                { wildcard: [{ var: 'path' }, spec.path] },
                                { '>=': [{ var: 'dwellMs' }, (spec.minDwellSeconds ?? 0) * 1000] },
                                {
                                    '>=': [
                                        { var: 'scrollDepth' },
                                        (spec.minScrollPercent ?? 0) / 100
                                    ]
                                }
                            ]
                        }
                    ]
                } as unknown as RulesLogic;
            }
            default:
                throw new Error(`The benchmark does not translate ${node.operator}`);
        }
    };
    // Multi-valued fields: the test holds for any value (a negative test for none).
    if (field?.multiValued) {
        return { some: [{ var: node.field }, test({ var: '' })] } as unknown as RulesLogic;
    }
    return test({ var: node.field });
}

/** The nested facts object JSON Logic reads, built with the same field readers. */
const usedFieldKeys = [
    ...new Set(
        JSON.stringify([...streams, ...rules].map((record) => record.criteria)).match(
            /"field":"[^"]+"/g
        ) ?? []
    )
].map((match) => match.slice(9, -1));
function factsFor(visitor: Visitor): Record<string, unknown> {
    const facts: Record<string, unknown> = {};
    for (const key of usedFieldKeys) {
        const parts = key.split('.');
        let target = facts;
        for (const part of parts.slice(0, -1)) {
            target = (target[part] ??= {}) as Record<string, unknown>;
        }
        const value = fieldByKey(key)?.read(visitor, NOW);
        target[parts[parts.length - 1] ?? key] =
            key === 'visit.pages' && Array.isArray(value)
                ? value.map((p: { path: string }) => ({ ...p, path: p.path.toLowerCase() }))
                : lower(value);
    }
    return facts;
}

// ---- Measurement ---------------------------------------------------------------------
function measure(
    label: string,
    perVisitor: (visitor: Visitor) => unknown
): { label: string; perSecond: number; sink: number } {
    let sink = 0;
    const pass = (): void => {
        for (const visitor of visitors) {
            sink += perVisitor(visitor) === null ? 0 : 1;
        }
    };
    pass(); // warm up
    let evaluations = 0;
    const started = performance.now();
    while (performance.now() - started < MIN_MEASURE_MS) {
        pass();
        evaluations += visitors.length;
    }
    return { label, perSecond: evaluations / ((performance.now() - started) / 1000), sink };
}

const ruleSet = compileRuleSet({ streams, rules });
const compiledStreams = streams.map((stream) => compileCriteria(stream.criteria));
const compiledRules = rules.map((rule) => compileCriteria(rule.criteria));
const logicStreams = streams.map((stream) => toJsonLogic(stream.criteria as CriteriaJson));
const logicRules = rules.map((rule) => toJsonLogic(rule.criteria as CriteriaJson));

// Both evaluators must agree before their speeds are compared.
const pairs = [
    ...compiledStreams.map((criteria, index) => ({ criteria, logic: logicStreams[index] })),
    ...compiledRules.map((criteria, index) => ({ criteria, logic: logicRules[index] }))
];
for (const visitor of visitors) {
    const facts = factsFor(visitor);
    pairs.forEach(({ criteria, logic }, index) => {
        const ours = criteria.matches(visitor, NOW);
        const theirs = Boolean(jsonLogic.apply(logic as RulesLogic, facts));
        if (ours !== theirs) {
            throw new Error(
                `Criteria ${index} disagrees for ${visitor.identity.visitorId}: engine ${String(ours)}, json-logic ${String(theirs)}`
            );
        }
    });
}

function oursCriteriaOnly(visitor: Visitor): number {
    let shown = -1;
    for (let i = 0; i < compiledStreams.length; i++) {
        if (compiledStreams[i]?.matches(visitor, NOW) && shown < 0) {
            shown = i;
        }
    }
    return compiledRules.findIndex((criteria) => criteria.matches(visitor, NOW)) + shown;
}

function jsonLogicCriteriaOnly(visitor: Visitor, facts: Record<string, unknown>): number {
    let shown = -1;
    for (let i = 0; i < logicStreams.length; i++) {
        if (jsonLogic.apply(logicStreams[i] as RulesLogic, facts) && shown < 0) {
            shown = i;
        }
    }
    return logicRules.findIndex((logic) => Boolean(jsonLogic.apply(logic, facts))) + shown;
}

const prebuiltFacts = new Map(visitors.map((visitor) => [visitor, factsFor(visitor)]));
const context = { reps, groups, routingState: emptyRoutingState(), now: NOW };
const results = [
    measure('engine: streams + first-match rules (criteria only)', oursCriteriaOnly),
    measure('json-logic-js: same, facts built per update', (visitor) =>
        jsonLogicCriteriaOnly(visitor, factsFor(visitor))
    ),
    measure('json-logic-js: same, facts prebuilt (evaluation only)', (visitor) =>
        jsonLogicCriteriaOnly(visitor, prebuiltFacts.get(visitor) ?? {})
    ),
    measure('engine: decide() without traces (streams, routing, score)', (visitor) =>
        decide(ruleSet, visitor, { ...context, explain: false })
    ),
    measure('engine: decide() with full explanation traces', (visitor) =>
        decide(ruleSet, visitor, context)
    )
];
const [ours, logicWithFacts, logicPrebuilt] = results;

// ---- Memory per compiled rule set ----------------------------------------------------
const gc = (globalThis as { gc?: () => void }).gc;
let bytesPerRuleSet: number | null = null;
if (gc) {
    const copies = 200;
    const records = Array.from(
        { length: copies },
        () =>
            JSON.parse(JSON.stringify({ streams, rules })) as {
                streams: LiveStream[];
                rules: RoutingRule[];
            }
    );
    gc();
    const before = process.memoryUsage().heapUsed;
    const kept = records.map((input) => compileRuleSet(input));
    gc();
    bytesPerRuleSet = Math.round((process.memoryUsage().heapUsed - before) / kept.length);
}

const ratio = (a: number, b: number): number => Math.round((a / b) * 10) / 10;
const summary = {
    seed: SEED,
    visitors: VISITOR_COUNT,
    streams: STREAM_COUNT,
    rules: RULE_COUNT,
    node: process.version,
    results: results.map(({ label, perSecond }) => ({
        label,
        evaluationsPerSecond: Math.round(perSecond)
    })),
    speedupVsJsonLogic:
        ours && logicWithFacts ? ratio(ours.perSecond, logicWithFacts.perSecond) : null,
    speedupVsJsonLogicEvaluationOnly:
        ours && logicPrebuilt ? ratio(ours.perSecond, logicPrebuilt.perSecond) : null,
    bytesPerCompiledRuleSet: bytesPerRuleSet
};

console.log(
    `Engine benchmark: ${STREAM_COUNT} streams, ${RULE_COUNT} rules, ${VISITOR_COUNT} seeded visitors (seed ${SEED}), ${process.version}\n`
);
const width = Math.max(...results.map((result) => result.label.length));
for (const { label, perSecond } of results) {
    console.log(
        `${label.padEnd(width)}  ${Math.round(perSecond).toLocaleString('en-US').padStart(12)} updates/s`
    );
}
console.log(
    `\nSpeed-up vs json-logic-js: ${summary.speedupVsJsonLogic}× (facts built per update), ${summary.speedupVsJsonLogicEvaluationOnly}× (evaluation only); target ≥ 5×`
);
console.log(
    bytesPerRuleSet === null
        ? 'Memory: run with --expose-gc to measure'
        : `Memory per compiled rule set: ${(bytesPerRuleSet / 1024).toFixed(1)} KiB`
);

mkdirSync('bench-results', { recursive: true });
writeFileSync('bench-results/engine.json', `${JSON.stringify(summary, null, 2)}\n`);
console.log('Wrote bench-results/engine.json');
