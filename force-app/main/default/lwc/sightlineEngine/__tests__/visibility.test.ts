import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { compileRuleSet, decide } from '../decide';
import { emptyRoutingState } from '../routingState';
import { canSee, visibleTo, type Viewer, type VisibleDecision } from '../visibility';
import {
    allReps,
    DEMO_RULE_SET_INPUT,
    GROUPS,
    NOW,
    paidVisitor,
    targetAccountVisitor,
    visitor
} from './fixtures';

const decision = (
    shown: string | null,
    offeredTo: string[],
    assignedTo?: string
): VisibleDecision => ({
    streams: { shown },
    routing: assignedTo === undefined ? { offeredTo } : { offeredTo, assignedTo }
});

const rep = (userId: string, extra: Partial<Viewer> = {}): Viewer => ({
    userId,
    isAdmin: false,
    ...extra
});

describe('canSee', () => {
    it('a rep sees a visitor shown in a stream and routed to them, nothing else', () => {
        assert.equal(canSee(rep('u1'), decision('s1', ['u1', 'u2'])), true);
        assert.equal(canSee(rep('u1'), decision('s1', [], 'u1')), true);
        assert.equal(canSee(rep('u3'), decision('s1', ['u1', 'u2'])), false);
        assert.equal(canSee(rep('u1'), decision(null, ['u1'])), false, 'routed but in no stream');
    });

    it('admins see everyone; managers see their reports’ visitors; seeAll sees every shown visitor', () => {
        assert.equal(canSee(rep('boss', { isAdmin: true }), decision(null, [])), true);
        assert.equal(canSee(rep('mgr', { isManagerOf: ['u2'] }), decision('s1', ['u2'])), true);
        assert.equal(canSee(rep('mgr', { isManagerOf: ['u9'] }), decision('s1', ['u2'])), false);
        assert.equal(canSee(rep('dir', { seeAll: true }), decision('s1', [])), true);
        assert.equal(canSee(rep('dir', { seeAll: true }), decision(null, [])), false);
    });

    it('missing or malformed data never grants access', () => {
        const untyped = (value: unknown) => value as Viewer;
        assert.equal(canSee(untyped({ isAdmin: true }), decision('s1', [])), false, 'no user id');
        assert.equal(
            canSee(untyped({ userId: 'u1', isAdmin: 'true' }), decision('s1', [])),
            false,
            'truthy is not true'
        );
        assert.equal(canSee(untyped({ userId: '', isAdmin: false }), decision('s1', [''])), false);
        assert.equal(
            canSee(rep('u1'), {
                streams: { shown: 's1' },
                routing: { offeredTo: 'u1' as unknown as string[] }
            }),
            false
        );
        assert.equal(canSee(rep('u1'), undefined as unknown as VisibleDecision), false);
        assert.equal(canSee(untyped(undefined), decision('s1', ['u1'])), false);
    });

    it('visibleTo filters a batch the same way', () => {
        const batch = [decision('s1', ['u1']), decision('s1', ['u2']), decision(null, ['u1'])];
        assert.deepEqual(visibleTo(rep('u1'), batch), [batch[0]]);
    });
});

describe('visibility property', () => {
    const ruleSet = compileRuleSet(DEMO_RULE_SET_INPUT);
    const subjects = [targetAccountVisitor('t'), paidVisitor('p'), visitor('n')];
    const userIds = allReps().map((r) => r.userId);

    it('a non-admin rep never sees a visitor that was not routed or offered to them', () => {
        fc.assert(
            fc.property(
                fc.constantFrom(...subjects),
                fc.array(fc.constantFrom('available', 'away', 'offline'), {
                    minLength: userIds.length,
                    maxLength: userIds.length
                }),
                fc.constantFrom(...userIds, 'stranger'),
                (subject, statuses, viewerId) => {
                    const reps = allReps().map((r, index) => ({
                        ...r,
                        status: statuses[index] as 'available'
                    }));
                    const made = decide(ruleSet, subject, {
                        reps,
                        groups: GROUPS,
                        routingState: emptyRoutingState(),
                        now: NOW,
                        explain: false
                    });
                    const routedToViewer =
                        made.routing.offeredTo.includes(viewerId) ||
                        made.routing.assignedTo === viewerId;
                    if (canSee(rep(viewerId), made)) {
                        assert.ok(routedToViewer && made.streams.shown !== null);
                    }
                    assert.equal(
                        canSee(rep(viewerId), made),
                        routedToViewer && made.streams.shown !== null
                    );
                }
            ),
            { seed: 42, numRuns: 400 }
        );
    });
});
