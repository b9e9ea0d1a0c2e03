import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { emptyRoutingState, type Decision, type RoutingDecision } from '../engine';
import { slimDecision } from './compact';

function decision(visitorId: string, routing: Partial<RoutingDecision> = {}): Decision {
    return {
        visitorId,
        streams: {
            matched: ['stream-hot', 'stream-all'],
            shown: 'stream-hot',
            trace: [{ streamId: 'stream-hot' } as never]
        },
        routing: {
            ruleId: 'rule-1',
            ruleName: 'Owners first',
            strategy: 'Record_Owner',
            offeredTo: ['005A', '005B'],
            assignedTo: '005A',
            experience: 'pounce-only',
            reason: 'Account owner',
            fallbackApplied: false,
            trace: [{ ruleId: 'rule-1' } as never],
            ...routing
        },
        score: { score: 62, band: 'Hot', reasons: [{ label: 'Pricing page' } as never] },
        nextRoutingState: { ...emptyRoutingState(), roundRobin: { g: 1 } } as never
    };
}

describe('slimDecision', () => {
    it('keeps what the card and canSee read, without traces, score reasons or routing state', () => {
        const slim = slimDecision(decision('visit-1'));
        assert.deepEqual(slim, {
            visitorId: 'visit-1',
            streams: { matched: ['stream-hot', 'stream-all'], shown: 'stream-hot', trace: [] },
            routing: {
                ruleId: 'rule-1',
                ruleName: 'Owners first',
                strategy: 'Record_Owner',
                offeredTo: ['005A', '005B'],
                assignedTo: '005A',
                experience: 'pounce-only',
                reason: 'Account owner',
                fallbackApplied: false,
                trace: []
            },
            score: { score: 62, band: 'Hot', reasons: [] },
            nextRoutingState: emptyRoutingState()
        });
    });

    it('shares one frozen copy of each part between visits decided the same way', () => {
        const a = slimDecision(decision('visit-a'));
        const b = slimDecision(decision('visit-b'));
        assert.notEqual(a, b);
        assert.equal(a.visitorId, 'visit-a');
        assert.equal(b.visitorId, 'visit-b');
        assert.equal(a.streams, b.streams);
        assert.equal(a.routing, b.routing);
        assert.equal(a.score, b.score);
        assert.ok(Object.isFrozen(a.streams) && Object.isFrozen(a.routing));
        assert.ok(Object.isFrozen(a.score));
        // A part many visits hold cannot be changed through one of them.
        assert.throws(() => {
            (a.routing as { assignedTo?: string }).assignedTo = '005B';
        }, TypeError);
    });

    it('keeps decisions that differ apart', () => {
        const owner = slimDecision(decision('visit-a'));
        const other = slimDecision(decision('visit-b', { assignedTo: '005B' }));
        const unassigned = slimDecision(decision('visit-c', { assignedTo: undefined }));
        const noRule = slimDecision(decision('visit-d', { ruleId: null, ruleName: null }));
        const emptyName = slimDecision(decision('visit-e', { ruleId: null, ruleName: '' }));
        assert.equal(other.routing.assignedTo, '005B');
        assert.notEqual(owner.routing, other.routing);
        assert.equal(unassigned.routing.assignedTo, undefined);
        assert.notEqual(noRule.routing, emptyName.routing);
        assert.equal(emptyName.routing.ruleName, '');
    });

    it('keeps a chat countdown as the visit’s own', () => {
        const countdown = { chatDeadline: 1_700_000_030_000, experience: 'chat-routed' as const };
        const a = slimDecision(decision('visit-a', countdown));
        const b = slimDecision(decision('visit-b', countdown));
        assert.notEqual(a.routing, b.routing);
        assert.equal(a.routing.chatDeadline, 1_700_000_030_000);
        assert.deepEqual(a.routing.trace, []);
        const queued = slimDecision(decision('visit-c', { queuePosition: 3 }));
        assert.equal(queued.routing.queuePosition, 3);
    });
});
