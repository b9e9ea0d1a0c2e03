import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import type { Rep } from '../availability';
import { backlogPosition, offerFromBacklog } from '../backlog';
import { compileRuleSet, decide, type CompiledRuleSet } from '../decide';
import { compileRules, routeVisitor, type RoutingRule } from '../routing';
import { emptyRoutingState, forgetVisitor, type RoutingState } from '../routingState';
import type { Visitor } from '../visitorModel';
import {
    AE_GROUP,
    allReps,
    DEMO_RULE_SET_INPUT,
    GROUPS,
    NOW,
    openOpportunityVisitor,
    paidVisitor,
    pricingVisitor,
    rep,
    SDR_GROUP,
    targetAccountVisitor,
    visitor
} from './fixtures';

const demo = compileRuleSet(DEMO_RULE_SET_INPUT);

function run(
    ruleSet: CompiledRuleSet,
    subject: Visitor,
    reps: Rep[],
    routingState: RoutingState = emptyRoutingState(),
    now = NOW
) {
    return decide(ruleSet, subject, { reps, groups: GROUPS, routingState, now });
}

function withStatus(reps: Rep[], changes: Record<string, Partial<Rep>>): Rep[] {
    return reps.map((r) => ({ ...r, ...changes[r.userId] }));
}

function chatting(subject: Visitor, requestedAt = NOW): Visitor {
    return {
        ...subject,
        behaviour: { active: true, chatRequested: true, chatRequestedAt: requestedAt }
    };
}

function rule(overrides: Partial<RoutingRule>): RoutingRule {
    return {
        id: 'r',
        name: 'Rule',
        order: 1,
        active: true,
        criteria: { all: [] },
        strategy: 'First_Available',
        targetGroupId: SDR_GROUP.id,
        unavailableAction: 'Meeting_Booker',
        ...overrides
    };
}

describe('Record_Owner', () => {
    it('routes a target account to its available account owner', () => {
        const decision = run(demo, targetAccountVisitor('t'), allReps());
        assert.equal(decision.routing.ruleId, 'rule-target-account-owner');
        assert.equal(decision.routing.assignedTo, 'owner-1');
        assert.deepEqual(decision.routing.offeredTo, ['owner-1']);
        assert.equal(decision.routing.experience, 'pounce-only');
        assert.equal(
            decision.routing.reason,
            'Matched rule "Target accounts → account owner": Account owner Rep owner-1 is available'
        );
    });

    it('tries open opportunities largest first, then the next owner source', () => {
        const first = run(demo, openOpportunityVisitor('o'), allReps());
        assert.equal(first.routing.assignedTo, 'owner-2', 'owner of the 90k deal');
        const second = run(
            demo,
            openOpportunityVisitor('o'),
            withStatus(allReps(), { 'owner-2': { status: 'away' } })
        );
        assert.equal(second.routing.assignedTo, 'owner-1');
        assert.equal(
            second.routing.trace.find((t) => t.ruleId === 'rule-open-opportunity-owner')
                ?.repsConsidered[0]?.why,
            'Rep owner-2 is away'
        );
    });

    it('Next_Rule: an unavailable owner passes the visitor to the account team rule', () => {
        const decision = run(
            demo,
            targetAccountVisitor('t'),
            withStatus(allReps(), { 'owner-1': { status: 'offline' } })
        );
        assert.equal(decision.routing.ruleId, 'rule-target-account-team');
        assert.equal(decision.routing.strategy, 'Account_Team');
        assert.deepEqual(decision.routing.offeredTo, ['team-1', 'team-2']);
        assert.equal(decision.routing.assignedTo, undefined);
        assert.match(
            decision.routing.reason,
            /rule "Target accounts → account owner" passed it on because Account owner Rep owner-1 is offline/
        );
    });
});

describe('Account_Team', () => {
    it('offers only to members with the rule’s role', () => {
        const ruleSet = compileRuleSet({
            streams: [],
            rules: [rule({ strategy: 'Account_Team', teamRole: 'sales engineer' })]
        });
        assert.deepEqual(run(ruleSet, targetAccountVisitor('t'), allReps()).routing.offeredTo, [
            'team-2'
        ]);
    });

    it('Fallback_Group: when the team is unavailable the fallback group gets the offer', () => {
        const reps = withStatus(allReps(), {
            'owner-1': { status: 'offline' },
            'team-1': { status: 'away' },
            'team-2': { activeConversations: 3 }
        });
        const decision = run(demo, targetAccountVisitor('t'), reps);
        assert.equal(decision.routing.ruleId, 'rule-target-account-team');
        assert.equal(decision.routing.fallbackApplied, true);
        assert.deepEqual(decision.routing.offeredTo, AE_GROUP.memberIds);
        assert.match(
            decision.routing.reason,
            /none of the 2 reps in the account team is available \(1 away, 1 at capacity\); fallback: offered to 2 available reps in Account Executives/
        );
    });
});

describe('Round_Robin', () => {
    it('takes turns, skips unavailable reps and keeps a visitor with their rep', () => {
        let state = emptyRoutingState();
        const reps = withStatus(allReps(), { 'sdr-2': { status: 'offline' } });
        const picks: (string | undefined)[] = [];
        for (const id of ['a', 'b', 'c', 'd']) {
            const decision = run(demo, paidVisitor(id), reps, state);
            picks.push(decision.routing.assignedTo);
            state = decision.nextRoutingState;
        }
        assert.deepEqual(picks, ['sdr-1', 'sdr-3', 'sdr-1', 'sdr-3']);
        const again = run(demo, paidVisitor('a'), reps, state);
        assert.equal(again.routing.assignedTo, 'sdr-1');
        assert.match(again.routing.reason, /kept Rep sdr-1 \(assigned earlier in this visit\)/);
        assert.deepEqual(
            again.nextRoutingState,
            state,
            'a returning update does not move the pointer'
        );
        assert.equal(forgetVisitor(state, 'a').assignments.a, undefined);
    });

    it('never mutates the state it is given', () => {
        const state = emptyRoutingState();
        const frozen = JSON.stringify(state);
        run(demo, pricingVisitor('p'), allReps(), state);
        assert.equal(JSON.stringify(state), frozen);
    });

    it('is fair: over N visitors the available reps’ counts differ by at most one', () => {
        const members = ['u1', 'u2', 'u3', 'u4', 'u5', 'u6'];
        const ruleSet = compileRuleSet({
            streams: [],
            rules: [rule({ strategy: 'Round_Robin', targetUserIds: members })]
        });
        fc.assert(
            fc.property(
                fc.array(fc.constantFrom('available', 'away', 'offline'), {
                    minLength: 6,
                    maxLength: 6
                }),
                fc.integer({ min: 1, max: 60 }),
                (statuses, n) => {
                    const reps = members.map((id, index) =>
                        rep(id, statuses[index] as Rep['status'])
                    );
                    const available = reps
                        .filter((r) => r.status === 'available')
                        .map((r) => r.userId);
                    const counts = new Map<string, number>(available.map((id) => [id, 0]));
                    let state = emptyRoutingState();
                    for (let i = 0; i < n; i++) {
                        const decision = decide(ruleSet, visitor(`v${i}`), {
                            reps,
                            groups: [],
                            routingState: state,
                            now: NOW,
                            explain: false
                        });
                        state = decision.nextRoutingState;
                        if (decision.routing.assignedTo === undefined) {
                            assert.equal(available.length, 0);
                            continue;
                        }
                        assert.ok(
                            counts.has(decision.routing.assignedTo),
                            'only available reps are picked'
                        );
                        counts.set(
                            decision.routing.assignedTo,
                            (counts.get(decision.routing.assignedTo) ?? 0) + 1
                        );
                    }
                    if (available.length > 0) {
                        const values = [...counts.values()];
                        assert.ok(
                            Math.max(...values) - Math.min(...values) <= 1,
                            `unfair split ${values.join('/')}`
                        );
                    }
                }
            ),
            { seed: 42, numRuns: 300 }
        );
    });
});

describe('First_Available and Named_Reps', () => {
    it('First_Available offers to every available member of the group', () => {
        const everyone = {
            id: 'stream-everyone',
            name: 'Everyone',
            color: '#444444',
            priority: 9,
            active: true,
            criteria: { all: [] }
        };
        const withCatchAllStream = compileRuleSet({
            ...DEMO_RULE_SET_INPUT,
            streams: [...DEMO_RULE_SET_INPUT.streams, everyone]
        });
        const decision = run(
            withCatchAllStream,
            chatting(visitor('plain')),
            withStatus(allReps(), { 'sdr-3': { status: 'away' } })
        );
        assert.equal(decision.routing.ruleId, 'rule-catch-all');
        assert.deepEqual(decision.routing.offeredTo, ['sdr-1', 'sdr-2']);
        assert.equal(decision.routing.experience, 'chat-routed');
        assert.equal(decision.routing.chatDeadline, NOW + 30_000);
    });

    it('Named_Reps offers to the available named reps only', () => {
        const ruleSet = compileRuleSet({
            streams: [],
            rules: [rule({ strategy: 'Named_Reps', targetUserIds: ['ae-2', 'ghost', 'sdr-1'] })]
        });
        const decision = run(ruleSet, visitor('v'), allReps());
        assert.deepEqual(decision.routing.offeredTo, ['ae-2', 'sdr-1']);
        assert.equal(
            decision.routing.trace[0]?.repsConsidered.find((r) => r.userId === 'ghost')?.why,
            'ghost is not a Sightline rep'
        );
    });
});

describe('unavailable actions and the chat countdown', () => {
    it('Meeting_Booker: nobody available means the meeting booker, and nobody sees the visitor', () => {
        const decision = run(demo, chatting(pricingVisitor('p')), allReps('offline'));
        assert.equal(decision.routing.ruleId, 'rule-paid-or-pricing-sdrs');
        assert.equal(decision.routing.experience, 'meeting-booker');
        assert.deepEqual(decision.routing.offeredTo, []);
    });

    it('a chat nobody accepted before the rule’s timeout turns into the meeting booker', () => {
        const decision = run(demo, chatting(pricingVisitor('late'), NOW - 31_000), allReps());
        assert.equal(decision.routing.experience, 'meeting-booker');
        assert.match(decision.routing.reason, /nobody accepted the chat in time/);
    });

    it('unrouted when no rule matches', () => {
        const ruleSet = compileRuleSet({
            streams: [],
            rules: [
                rule({ criteria: { field: 'company.domain', operator: 'equals', value: 'x.com' } })
            ]
        });
        const decision = run(ruleSet, visitor('v'), allReps());
        assert.equal(decision.routing.experience, 'unrouted');
        assert.equal(decision.routing.reason, 'No active routing rule matched');
    });
});

describe('chat backlog', () => {
    const busySdrs = withStatus(allReps(), {
        'sdr-1': { activeConversations: 3 },
        'sdr-2': { activeConversations: 3 },
        'sdr-3': { status: 'offline' }
    });

    it('queues chat requests FIFO while every eligible rep is at capacity, then offers them as capacity frees', () => {
        let state = emptyRoutingState();
        for (const id of ['first', 'second']) {
            const decision = run(demo, chatting(pricingVisitor(id)), busySdrs, state);
            assert.equal(decision.routing.experience, 'chat-queued');
            assert.deepEqual(decision.routing.offeredTo, ['sdr-1', 'sdr-2']);
            state = decision.nextRoutingState;
        }
        assert.equal(backlogPosition(state, 'second'), 2);
        const requeued = run(demo, chatting(pricingVisitor('first')), busySdrs, state);
        assert.equal(requeued.routing.queuePosition, 1, 'a queued visitor keeps its place');

        const oneSlotFree = withStatus(busySdrs, { 'sdr-2': { activeConversations: 2 } });
        const pass = offerFromBacklog(state, oneSlotFree, NOW + 5_000);
        assert.deepEqual(
            pass.offers.map((offer) => [offer.visitorId, offer.offeredTo]),
            [['first', ['sdr-2']]]
        );
        assert.deepEqual(
            pass.state.backlog.map((entry) => entry.visitorId),
            ['second'],
            'one free slot is promised once'
        );

        const late = offerFromBacklog(pass.state, oneSlotFree, NOW + 30_000);
        assert.deepEqual(
            late.expired.map((entry) => entry.visitorId),
            ['second'],
            'after the timeout: meeting booker'
        );
        assert.deepEqual(late.state.backlog, []);
    });

    it('a busy rep still sees a visitor who is not asking to chat', () => {
        const decision = run(demo, pricingVisitor('p'), busySdrs);
        assert.equal(decision.routing.experience, 'pounce-only');
        assert.deepEqual(decision.routing.offeredTo, ['sdr-1', 'sdr-2']);
    });
});

describe('first match', () => {
    const criteriaPool = [
        { all: [] },
        { any: [] },
        { field: 'utm.medium', operator: 'equals', value: 'cpc' },
        { field: 'salesforce.account.targetAccount', operator: 'equals', value: true },
        { field: 'bad', operator: 'x' }
    ];
    const subjects = [paidVisitor('p'), targetAccountVisitor('t'), visitor('n')];

    it('the first active matching rule in order is the one that routes', () => {
        const rules = fc.uniqueArray(
            fc.record({
                id: fc.string({ minLength: 1, maxLength: 4 }),
                order: fc.integer({ min: 1, max: 20 }),
                active: fc.boolean(),
                criteria: fc.constantFrom(...criteriaPool)
            }),
            { selector: (r) => r.id, maxLength: 8 }
        );
        fc.assert(
            fc.property(rules, fc.constantFrom(...subjects), (records, subject) => {
                const routingRules = records.map((record) => rule({ ...record, name: record.id }));
                const compiled = compileRules(routingRules);
                const outcome = routeVisitor(
                    compiled,
                    subject,
                    {
                        reps: allReps(),
                        groups: GROUPS,
                        routingState: emptyRoutingState(),
                        now: NOW
                    },
                    true
                );
                const expected = compiled.find(({ criteria }) => criteria.matches(subject, NOW));
                assert.equal(outcome.routing.ruleId, expected?.rule.id ?? null);
                const orders = compiled.map(({ rule: r }) => r.order);
                assert.deepEqual(
                    orders,
                    [...orders].sort((a, b) => a - b)
                );
                assert.ok(compiled.every(({ rule: r }) => r.active));
                const testedIds = outcome.routing.trace.map((t) => t.ruleId);
                assert.deepEqual(
                    testedIds,
                    compiled.slice(0, testedIds.length).map(({ rule: r }) => r.id),
                    'rules are tested in order and stop at the winner'
                );
            }),
            { seed: 42, numRuns: 400 }
        );
    });
});
