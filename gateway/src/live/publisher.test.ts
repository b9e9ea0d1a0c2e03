import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import type { VisitorCard } from '../contracts/liveContract';
import { canSee, type Viewer, type VisibleDecision } from '../engine';
import {
    RecordingTransport,
    beacon,
    ids,
    pageview,
    startTestGateway
} from '../testing/liveTestApp';
import { ManualClock } from './clock';
import { LivePublisher } from './publisher';

function card(id: string, page = '/'): VisitorCard {
    return {
        id,
        visitorKey: `key-${id}`,
        streamId: 's1',
        identity: 'anonymous',
        displayName: 'Visitor',
        currentPage: { url: `http://x${page}`, path: page, title: '' },
        startedAt: '2026-01-01T00:00:00.000Z',
        lastSeenAt: '2026-01-01T00:00:00.000Z',
        pageCount: 1,
        active: true,
        score: { value: 1, band: 'Cold' },
        chat: { state: 'none' },
        salesforce: {},
        routing: { experience: 'pounce-only', reason: '', routedTo: [] }
    };
}

const routedTo = (userIds: string[], shown: string | null = 's1'): VisibleDecision => ({
    streams: { shown },
    routing: { offeredTo: userIds }
});

describe('publisher', () => {
    it('coalesces changes per rep over the window into one delta, +1 sequence per delta', () => {
        const clock = new ManualClock();
        const transport = new RecordingTransport();
        const latest = new Map<string, VisitorCard>();
        const publisher = new LivePublisher(transport, clock, 250, (id) => latest.get(id));
        const update = publisher.update.bind(publisher);
        publisher.update = (c, d) => (latest.set(c.id, c), update(c, d));
        publisher.setViewers([
            { userId: 'rep-a', isAdmin: false },
            { userId: 'rep-b', isAdmin: false }
        ]);
        publisher.update(card('v1', '/'), routedTo(['rep-a']));
        publisher.update(card('v1', '/pricing'), routedTo(['rep-a']));
        publisher.update(card('v2'), routedTo(['rep-a', 'rep-b']));
        assert.equal(transport.sent.length, 0, 'nothing before the window ends');
        clock.advance(250);
        const a = transport.to('rep-a');
        assert.equal(a.length, 1);
        assert.equal(a[0]!.sequence, 1);
        assert.equal(
            a[0]!.event.kind === 'delta' &&
                a[0]!.event.delta.upserts.map((c) => c.currentPage.path).join(),
            '/pricing,/'
        );
        assert.equal(transport.to('rep-b').length, 1);
        // Same card again: nothing to send.
        publisher.update(card('v2'), routedTo(['rep-a', 'rep-b']));
        clock.advance(250);
        assert.equal(transport.sent.length, 2);
        // Re-routed away from rep-b: a removal for b, an unchanged card for a sends nothing.
        publisher.update(card('v2'), routedTo(['rep-a']));
        clock.advance(250);
        const b = transport.to('rep-b');
        assert.equal(b.length, 2);
        assert.equal(b[1]!.sequence, 2);
        assert.deepEqual(b[1]!.event.kind === 'delta' && b[1]!.event.delta.removals, ['v2']);
        assert.equal(transport.to('rep-a').length, 1);
        publisher.remove('v1');
        clock.advance(250);
        assert.deepEqual(
            transport.to('rep-a').map((s) => s.sequence),
            [1, 2]
        );
        assert.deepEqual(publisher.snapshot('rep-a'), { cards: [card('v2')], sequence: 2 });
    });

    it('splits a batch too large for one Payload__c into consecutive deltas', () => {
        const clock = new ManualClock();
        const transport = new RecordingTransport();
        const publisher = new LivePublisher(transport, clock, 250);
        publisher.setViewers([{ userId: 'admin', isAdmin: true }]);
        for (let i = 0; i < 400; i++) publisher.update(card(`v${i}`), routedTo([]));
        clock.advance(250);
        const sent = transport.to('admin');
        assert.ok(sent.length > 1);
        assert.deepEqual(
            sent.map((s) => s.sequence),
            sent.map((_, i) => i + 1)
        );
        for (const s of sent) assert.ok(JSON.stringify(s.event).length < 131_072);
        assert.equal(
            sent.flatMap((s) => (s.event.kind === 'delta' ? s.event.delta.upserts : [])).length,
            400
        );
    });

    it('never sends a rep a card it may not see, and each rep sees exactly what canSee allows (property, seeded)', () => {
        const users = ['u1', 'u2', 'u3', 'u4'];
        const viewers: Viewer[] = [
            { userId: 'u1', isAdmin: false },
            { userId: 'u2', isAdmin: false, isManagerOf: ['u3'] },
            { userId: 'u3', isAdmin: false },
            { userId: 'u4', isAdmin: true }
        ];
        const decision = fc.record({
            shown: fc.option(fc.constantFrom('s1', 's2'), { nil: null }),
            offeredTo: fc.subarray(users),
            assignedTo: fc.option(fc.constantFrom(...users), { nil: undefined })
        });
        const step = fc.oneof(
            fc.record({
                kind: fc.constant('update' as const),
                visitor: fc.integer({ min: 0, max: 5 }),
                decision,
                page: fc.constantFrom('/', '/a', '/b')
            }),
            fc.record({
                kind: fc.constant('remove' as const),
                visitor: fc.integer({ min: 0, max: 5 })
            }),
            fc.record({ kind: fc.constant('tick' as const), ms: fc.integer({ min: 0, max: 400 }) })
        );
        fc.assert(
            fc.property(fc.array(step, { maxLength: 60 }), (steps) => {
                const clock = new ManualClock();
                const transport = new RecordingTransport();
                const publisher = new LivePublisher(transport, clock, 250);
                publisher.setViewers(viewers);
                const truth = new Map<string, { card: VisitorCard; decision: VisibleDecision }>();
                for (const s of steps) {
                    if (s.kind === 'update') {
                        const d: VisibleDecision = {
                            streams: { shown: s.decision.shown },
                            routing: {
                                offeredTo: s.decision.offeredTo,
                                ...(s.decision.assignedTo
                                    ? { assignedTo: s.decision.assignedTo }
                                    : {})
                            }
                        };
                        const c = card(`v${s.visitor}`, s.page);
                        truth.set(c.id, { card: c, decision: d });
                        publisher.update(c, d);
                    } else if (s.kind === 'remove') {
                        truth.delete(`v${s.visitor}`);
                        publisher.remove(`v${s.visitor}`);
                    } else clock.advance(s.ms);
                }
                clock.advance(250);
                for (const viewer of viewers) {
                    const received = transport.to(viewer.userId);
                    assert.deepEqual(
                        received.map((r) => r.sequence),
                        received.map((_, i) => i + 1),
                        'sequence +1 per delta'
                    );
                    // Replaying the deltas gives exactly the visitors canSee allows now.
                    const view = new Map<string, VisitorCard>();
                    for (const r of received) {
                        if (r.event.kind !== 'delta') continue;
                        for (const c of r.event.delta.upserts) view.set(c.id, c);
                        for (const id of r.event.delta.removals) view.delete(id);
                    }
                    const allowed = [...truth.values()].filter((t) => canSee(viewer, t.decision));
                    assert.deepEqual([...view.keys()].sort(), allowed.map((t) => t.card.id).sort());
                    for (const t of allowed) assert.deepEqual(view.get(t.card.id), t.card);
                }
            }),
            { seed: 42, numRuns: 300 }
        );
    });
});

describe('publishing through the gateway', () => {
    it('a rep receives only the visitors routed to them; an admin all of them', async () => {
        const gw = await startTestGateway();
        try {
            for (let i = 0; i < 30; i++) {
                const ip = i % 3 === 0 ? `198.18.${i}.9` : `81.2.69.${i}`;
                await gw.app.inject({
                    method: 'POST',
                    url: '/v1/collect',
                    headers: { 'content-type': 'text/plain', 'x-forwarded-for': ip },
                    payload: JSON.stringify(
                        beacon(
                            ids(),
                            [pageview(i % 2 ? '/pricing' : '/')],
                            i % 4 === 0 ? { utm: { medium: 'cpc' } } : {}
                        )
                    )
                });
            }
            gw.clock.advance(250);
            const admin = gw.user('Priya');
            let adminSaw = 0;
            for (const user of gw.users) {
                const seen = new Set(
                    gw.transport
                        .to(user.id)
                        .flatMap((s) =>
                            s.event.kind === 'delta' ? s.event.delta.upserts.map((c) => c.id) : []
                        )
                );
                for (const id of seen) {
                    const decision = gw.live.decision(id)!;
                    const viewer = gw.live.rep.viewerFor(user);
                    assert.ok(canSee(viewer, decision), `${user.name} received ${id}`);
                }
                if (user.id === admin.id) adminSaw = seen.size;
                const payloads = gw.transport.to(user.id);
                assert.deepEqual(
                    payloads.map((p) => p.sequence),
                    payloads.map((_, i) => i + 1)
                );
            }
            assert.equal(adminSaw, 30);
            const emma = gw.user('Emma');
            const snapshot = gw.live.rep.snapshot({ id: emma.id, name: emma.name, isAdmin: false });
            assert.ok(
                snapshot.visitors.every((c) => c.routing.routedTo.some((r) => r.id === emma.id))
            );
            assert.equal(snapshot.streams.length, 4);
        } finally {
            await gw.close();
        }
    });
});

describe('serialised deltas', () => {
    it('the JSON handed to the transport is the delta itself', () => {
        const clock = new ManualClock();
        const seen: { event: unknown; json: string | undefined }[] = [];
        const publisher = new LivePublisher(
            { send: (_a, _k, _s, event, json) => seen.push({ event, json }) },
            clock,
            250
        );
        publisher.setViewers([{ userId: 'admin', isAdmin: true }]);
        publisher.update(card('v1'), routedTo([]));
        publisher.update(card('v2', '/x'), routedTo([]));
        clock.advance(250);
        publisher.remove('v1');
        publisher.streamsChanged();
        clock.advance(250);
        assert.equal(seen.length, 2);
        for (const { event, json } of seen) assert.deepEqual(JSON.parse(json!), event);
    });
});
