import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compileRuleSet, decide, dryRun } from '../decide';
import { demoRules, DEMO_STREAMS } from '../demoConfig';
import { emptyRoutingState } from '../routingState';
import { allReps, DEMO_RULE_SET_INPUT, GROUPS, NOW, paidVisitor, pricingVisitor, targetAccountVisitor, visitor } from './fixtures';

describe('decide', () => {
    it('returns streams, routing, score and the explanation in one call', () => {
        const decision = decide(compileRuleSet(DEMO_RULE_SET_INPUT), pricingVisitor('p'), { reps: allReps(), groups: GROUPS, routingState: emptyRoutingState(), now: NOW });
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

    it('reports invalid criteria on active records as problems', () => {
        const broken = DEMO_STREAMS.map((stream, index) => (index === 0 ? { ...stream, criteria: '{"field":"company.domain","operator":"gt","value":1}' } : stream));
        const ruleSet = compileRuleSet({ streams: broken, rules: demoRules({ sdr: 'g1', ae: 'g2' }) });
        assert.deepEqual(ruleSet.problems, [
            { kind: 'stream', id: 'stream-target-account', name: 'Target Account', errors: [{ path: 'operator', message: 'Operator "gt" does not apply to text field "Company domain"' }] }
        ]);
    });
});

describe('dryRun', () => {
    it('lists the visitors a draft criteria matches, each with its trace', () => {
        const visitors = [paidVisitor('paid'), targetAccountVisitor('target'), visitor('plain')];
        const result = dryRun({ field: 'utm.medium', operator: 'in', value: ['cpc', 'ppc'] }, visitors, NOW);
        assert.equal(result.ok, true);
        assert.deepEqual(result.matchedVisitorIds, ['paid']);
        assert.deepEqual(result.visitors.map((entry) => entry.trace.kind), ['condition', 'condition', 'condition']);
    });

    it('reports errors for invalid drafts and matches nobody', () => {
        const result = dryRun({ all: [{ field: 'utm.medium', operator: 'between', value: 1 }] }, [paidVisitor('paid')], NOW);
        assert.equal(result.ok, false);
        assert.deepEqual(result.matchedVisitorIds, []);
        assert.equal(result.errors[0]?.path, 'all[0].operator');
    });
});
