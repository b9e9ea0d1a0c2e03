import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { compileRuleSet, decide, dryRun, UNSEEN_CHAT_REASON, type Decision } from '../decide';
import { demoRules, DEMO_STREAMS } from '../../../../../../localorg/src/seed/demoStreams';
import { emptyRoutingState } from '../routingState';
import type { Visitor } from '../visitorModel';
import {
    allReps,
    DEMO_RULE_SET_INPUT,
    GROUPS,
    NOW,
    openOpportunityVisitor,
    paidVisitor,
    pricingVisitor,
    targetAccountVisitor,
    visitor
} from './fixtures';

function chatting(subject: Visitor): Visitor {
    return {
        ...subject,
        behaviour: { active: true, chatRequested: true, chatRequestedAt: NOW - 5_000 }
    };
}

function withoutTraces(decision: Decision): Decision {
    return {
        ...decision,
        streams: { ...decision.streams, trace: [] },
        routing: { ...decision.routing, trace: [] }
    };
}

describe('decide', () => {
    it('returns streams, routing, score and the explanation in one call', () => {
        const decision = decide(compileRuleSet(DEMO_RULE_SET_INPUT), pricingVisitor('p'), {
            reps: allReps(),
            groups: GROUPS,
            routingState: emptyRoutingState(),
            now: NOW
        });
        assert.equal(decision.visitorId, 'p');
        assert.equal(decision.streams.shown, 'stream-pricing-page');
        assert.equal(decision.routing.ruleId, 'rule-paid-or-pricing-sdrs');
        assert.equal(decision.routing.experience, 'pounce-only');
        assert.equal(decision.score.band, 'Warm');
        const tested = decision.routing.trace.map((rule) => [rule.ruleId, rule.matched]);
        assert.deepEqual(tested, [
            ['rule-target-account-owner', false],
            ['rule-target-account-team', false],
            ['rule-open-opportunity-owner', false],
            ['rule-paid-or-pricing-sdrs', true]
        ]);
        assert.equal(decision.routing.trace[3]?.criteria?.result, true);
        assert.equal(decision.streams.trace[3]?.criteria?.kind, 'all');
    });

    it('without explain, decides exactly the same and leaves the traces out', () => {
        const ruleSet = compileRuleSet(DEMO_RULE_SET_INPUT);
        const subjects = [
            targetAccountVisitor('t'),
            openOpportunityVisitor('o'),
            paidVisitor('p'),
            pricingVisitor('pr'),
            visitor('n')
        ];
        const userIds = allReps().map((r) => r.userId);
        fc.assert(
            fc.property(
                fc.constantFrom(...subjects),
                fc.boolean(),
                fc.array(
                    fc.tuple(
                        fc.constantFrom('available', 'away', 'offline'),
                        fc.integer({ min: 0, max: 3 })
                    ),
                    { minLength: userIds.length, maxLength: userIds.length }
                ),
                (subject, asksToChat, states) => {
                    const reps = allReps().map((r, index) => ({
                        ...r,
                        status: states[index]![0] as 'available',
                        activeConversations: states[index]![1]
                    }));
                    const context = {
                        reps,
                        groups: GROUPS,
                        routingState: emptyRoutingState(),
                        now: NOW
                    };
                    const decided = asksToChat ? chatting(subject) : subject;
                    const fast = decide(ruleSet, decided, { ...context, explain: false });
                    const explained = decide(ruleSet, decided, context);
                    assert.deepEqual(fast.streams.trace, []);
                    assert.deepEqual(fast.routing.trace, []);
                    assert.deepEqual(fast, withoutTraces(explained));
                }
            ),
            { seed: 42, numRuns: 300 }
        );
    });

    it('a chat request from a visitor in no stream goes to the meeting booker at once: no rep could see it to accept', () => {
        const ruleSet = compileRuleSet(DEMO_RULE_SET_INPUT);
        const state = emptyRoutingState();
        const decision = decide(ruleSet, chatting(visitor('nobody-sees-me')), {
            reps: allReps(),
            groups: GROUPS,
            routingState: state,
            now: NOW
        });
        assert.equal(decision.streams.shown, null);
        assert.equal(decision.routing.experience, 'meeting-booker');
        assert.deepEqual(
            decision.routing.offeredTo,
            [],
            'not offered to reps who cannot see it (the catch-all rule would have)'
        );
        assert.equal(decision.routing.reason, UNSEEN_CHAT_REASON);
        assert.match(decision.routing.reason, /add a catch-all stream/);
        assert.deepEqual(decision.nextRoutingState, state, 'no round-robin turn, no backlog place');

        const browsing = decide(ruleSet, visitor('nobody-sees-me'), {
            reps: allReps(),
            groups: GROUPS,
            routingState: state,
            now: NOW
        });
        assert.equal(
            browsing.routing.ruleId,
            'rule-catch-all',
            'without a chat request it is routed as before (only admins see it)'
        );
        const shown = decide(ruleSet, chatting(pricingVisitor('seen')), {
            reps: allReps(),
            groups: GROUPS,
            routingState: state,
            now: NOW
        });
        assert.equal(
            shown.routing.experience,
            'chat-routed',
            'a visitor in a stream is offered to reps who see it'
        );
    });

    it('reports invalid criteria on active records as problems', () => {
        const broken = DEMO_STREAMS.map((stream, index) =>
            index === 0
                ? { ...stream, criteria: '{"field":"company.domain","operator":"gt","value":1}' }
                : stream
        );
        const ruleSet = compileRuleSet({
            streams: broken,
            rules: demoRules({ sdr: 'g1', ae: 'g2' })
        });
        assert.deepEqual(ruleSet.problems, [
            {
                kind: 'stream',
                id: 'stream-target-account',
                name: 'Target Account',
                errors: [
                    {
                        path: 'operator',
                        message: 'Operator "gt" does not apply to text field "Company domain"'
                    }
                ]
            }
        ]);
    });
});

describe('dryRun', () => {
    it('lists the visitors a draft criteria matches, each with its trace', () => {
        const visitors = [paidVisitor('paid'), targetAccountVisitor('target'), visitor('plain')];
        const result = dryRun(
            { field: 'utm.medium', operator: 'in', value: ['cpc', 'ppc'] },
            visitors,
            NOW
        );
        assert.equal(result.ok, true);
        assert.deepEqual(result.matchedVisitorIds, ['paid']);
        assert.deepEqual(
            result.visitors.map((entry) => entry.trace.kind),
            ['condition', 'condition', 'condition']
        );
    });

    it('reports errors for invalid drafts and matches nobody', () => {
        const result = dryRun(
            { all: [{ field: 'utm.medium', operator: 'between', value: 1 }] },
            [paidVisitor('paid')],
            NOW
        );
        assert.equal(result.ok, false);
        assert.deepEqual(result.matchedVisitorIds, []);
        assert.equal(result.errors[0]?.path, 'all[0].operator');
    });
});
