import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import type { ChangePage, ChatMessage, VisitorCard } from '../contracts/liveContract';
import { canSee, type Viewer, type VisibleDecision } from '../engine';
import {
    RecordingTransport,
    beacon,
    fetchChanges,
    ids,
    pageview,
    sendBeacon,
    startTestGateway
} from '../testing/liveTestApp';
import { ManualClock } from './clock';
import {
    CHANGES_PAGE_SIZE,
    LivePublisher,
    MAX_LOGGED_REMOVALS,
    SNAPSHOT_PAGE_SIZE,
    fixedWindow,
    listeningSpanMs
} from './publisher';

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

/** A publisher whose card source answers the latest card each update gave it. */
function publisherWith(clock = new ManualClock(), transport = new RecordingTransport()) {
    const latest = new Map<string, VisitorCard>();
    const publisher = new LivePublisher(transport, clock, fixedWindow(250), (id) => latest.get(id));
    const update = publisher.update.bind(publisher);
    publisher.update = (c, d) => (latest.set(c.id, c), update(c, d));
    const remove = publisher.remove.bind(publisher);
    publisher.remove = (id) => (latest.delete(id), remove(id));
    return { publisher, clock, transport };
}

/** These reps' consoles open (each takes its snapshot): they listen for notifications. */
function openConsoles(publisher: LivePublisher, ...userIds: string[]): void {
    for (const userId of userIds) publisher.snapshot(userId);
}

function changes(page: ChangePage) {
    assert.equal(page.kind, 'changes');
    return page;
}

const message = (body: string): ChatMessage => ({
    id: `m-${body}`,
    sender: 'Visitor',
    senderName: 'Ana',
    body,
    sentAt: '2026-01-01T00:00:00.000Z'
});

describe('publisher', () => {
    it('notifies each rep once per window with audience, epoch, sequence and kind only; the rep fetches the latest cards', () => {
        const { publisher, clock, transport } = publisherWith();
        publisher.setViewers([
            { userId: 'rep-a', isAdmin: false },
            { userId: 'rep-b', isAdmin: false }
        ]);
        openConsoles(publisher, 'rep-a', 'rep-b');
        publisher.update(card('v1', '/'), routedTo(['rep-a']));
        publisher.update(card('v1', '/pricing'), routedTo(['rep-a']));
        publisher.update(card('v2'), routedTo(['rep-a', 'rep-b']));
        assert.equal(transport.sent.length, 0, 'nothing before the window ends');
        clock.advance(250);
        const a = transport.to('rep-a');
        assert.equal(a.length, 1);
        assert.deepEqual(Object.keys(a[0]!).sort(), ['audience', 'epoch', 'kind', 'sequence']);
        assert.equal(a[0]!.kind, 'delta');
        const page = changes(publisher.changes('rep-a', publisher.epoch, 0));
        assert.equal(page.sequence, a[0]!.sequence);
        assert.deepEqual(
            page.upserts.map((c) => c.currentPage.path),
            ['/pricing', '/'],
            'coalesced: the latest card of each visitor'
        );
        assert.equal(page.more, false);
        assert.equal(transport.to('rep-b').length, 1);
        // Same card again: nothing new, no notification.
        publisher.update(card('v2'), routedTo(['rep-a', 'rep-b']));
        clock.advance(250);
        assert.equal(transport.sent.length, 2);
        // Re-routed away from rep-b: a removal for b; an unchanged card for a notifies nothing.
        publisher.update(card('v2'), routedTo(['rep-a']));
        clock.advance(250);
        const b = transport.to('rep-b');
        assert.equal(b.length, 2);
        const bPage = changes(publisher.changes('rep-b', publisher.epoch, b[0]!.sequence));
        assert.deepEqual(bPage.removals, ['v2']);
        assert.deepEqual(bPage.upserts, []);
        assert.equal(transport.to('rep-a').length, 1);
        publisher.remove('v1');
        clock.advance(250);
        assert.equal(transport.to('rep-a').length, 2);
        const aNext = changes(publisher.changes('rep-a', publisher.epoch, page.sequence));
        assert.deepEqual(aNext.removals, ['v1']);
        const snapshot = publisher.snapshot('rep-a')!;
        assert.deepEqual(snapshot.cards, [card('v2')]);
        assert.equal(snapshot.sequence, aNext.sequence);
    });

    it('notifies only reps whose console is listening: an event for a closed console is delivered to every other subscriber for nothing', () => {
        const { publisher, clock, transport } = publisherWith();
        publisher.setViewers([
            { userId: 'rep-a', isAdmin: false },
            { userId: 'rep-b', isAdmin: false }
        ]);
        openConsoles(publisher, 'rep-a');
        publisher.update(card('v1'), routedTo(['rep-a', 'rep-b']));
        clock.advance(250);
        assert.deepEqual(
            transport.sent.map((n) => n.audience),
            ['rep-a']
        );
        assert.equal(publisher.activeConsoles(), 1);
        // rep-b opens the console: its snapshot has v1, and later changes are notified.
        assert.deepEqual(
            publisher.snapshot('rep-b')!.cards.map((c) => c.id),
            ['v1']
        );
        publisher.update(card('v1', '/pricing'), routedTo(['rep-a', 'rep-b']));
        clock.advance(250);
        assert.deepEqual(
            transport.sent.map((n) => n.audience),
            ['rep-a', 'rep-a', 'rep-b']
        );
        // A console that has not fetched for longer than its quiet check allows is gone.
        clock.advance(listeningSpanMs(250) + 1);
        publisher.update(card('v1', '/docs'), routedTo(['rep-a', 'rep-b']));
        clock.advance(250);
        assert.equal(transport.sent.length, 3);
        assert.equal(publisher.activeConsoles(), 0);
        // Its next fetch (the quiet check) still finds the change, and it listens again.
        const page = changes(publisher.changes('rep-a', publisher.epoch, 0));
        assert.deepEqual(
            page.upserts.map((c) => c.currentPage.path),
            ['/docs']
        );
        assert.equal(publisher.activeConsoles(), 1);
    });

    it('answers changes in pages, and the snapshot in pages of one fixed snapshot', () => {
        const { publisher, clock } = publisherWith();
        publisher.setViewers([{ userId: 'admin', isAdmin: true }]);
        const total = SNAPSHOT_PAGE_SIZE * 2 + 7;
        for (let i = 0; i < total; i++) publisher.update(card(`v${i}`), routedTo([]));
        clock.advance(250);
        const seen = new Set<string>();
        let since = 0;
        let pages = 0;
        for (;;) {
            const page = changes(publisher.changes('admin', publisher.epoch, since));
            assert.ok(page.upserts.length <= CHANGES_PAGE_SIZE);
            for (const c of page.upserts) seen.add(c.id);
            since = page.sequence;
            pages++;
            if (!page.more) break;
        }
        assert.equal(seen.size, total);
        assert.equal(pages, Math.ceil(total / CHANGES_PAGE_SIZE));

        const first = publisher.snapshot('admin', 0)!;
        assert.equal(first.more, true);
        assert.equal(first.cards.length, SNAPSHOT_PAGE_SIZE);
        // A visitor leaves between pages: later pages skip it, the changes say it left.
        publisher.remove('v999');
        const second = publisher.snapshot('admin', 1)!;
        const third = publisher.snapshot('admin', 2)!;
        assert.equal(third.more, false);
        assert.equal(second.sequence, first.sequence);
        const ids = [...first.cards, ...second.cards, ...third.cards].map((c) => c.id);
        assert.equal(new Set(ids).size, total - 1);
        assert.ok(!ids.includes('v999'));
        assert.deepEqual(
            changes(publisher.changes('admin', publisher.epoch, first.sequence)).removals,
            ['v999']
        );
        assert.equal(publisher.snapshot('admin', 3), null, 'no snapshot to continue');
    });

    it('keeps a bounded log: a console further behind than the log is told to re-snapshot', () => {
        const { publisher, clock } = publisherWith();
        publisher.setViewers([{ userId: 'admin', isAdmin: true }]);
        for (let i = 0; i <= MAX_LOGGED_REMOVALS; i++) {
            publisher.update(card(`v${i}`), routedTo([]));
            publisher.remove(`v${i}`);
        }
        clock.advance(250);
        assert.deepEqual(publisher.changes('admin', publisher.epoch, 0), {
            kind: 'resnapshot',
            epoch: publisher.epoch,
            reason: 'too-old'
        });
        const { sequence } = publisher.snapshot('admin')!;
        assert.equal(changes(publisher.changes('admin', publisher.epoch, sequence)).more, false);
        assert.equal(
            publisher.changes('admin', publisher.epoch, sequence + 1).kind,
            'resnapshot',
            'a sequence the gateway never gave'
        );
    });

    it('edited streams make every console re-snapshot', () => {
        const { publisher, clock, transport } = publisherWith();
        publisher.setViewers([{ userId: 'rep-a', isAdmin: false }]);
        openConsoles(publisher, 'rep-a');
        publisher.streamsChanged();
        clock.advance(250);
        assert.equal(transport.to('rep-a').length, 1);
        assert.equal(publisher.changes('rep-a', publisher.epoch, 0).kind, 'resnapshot');
        const { sequence } = publisher.snapshot('rep-a')!;
        assert.equal(publisher.changes('rep-a', publisher.epoch, sequence).kind, 'changes');
    });

    it('a chat message notifies at once; typing never notifies and rides the next fetch', () => {
        const { publisher, clock, transport } = publisherWith();
        publisher.setViewers([
            { userId: 'rep-a', isAdmin: false },
            { userId: 'rep-b', isAdmin: false }
        ]);
        publisher.chat('rep-a', {
            conversationId: 'c1',
            typing: { typing: true, senderName: 'Ana' }
        });
        assert.equal(transport.sent.length, 0, 'typing is not worth an event delivery');
        assert.deepEqual(changes(publisher.changes('rep-a', publisher.epoch, 0)).chat, [
            { conversationId: 'c1', typing: { typing: true, senderName: 'Ana' } }
        ]);
        publisher.chat('rep-a', { conversationId: 'c1', message: message('Hello') });
        assert.deepEqual(
            transport.to('rep-a').map((n) => n.kind),
            ['chat']
        );
        const page = changes(publisher.changes('rep-a', publisher.epoch, 0));
        assert.deepEqual(page.chat, [{ conversationId: 'c1', message: message('Hello') }]);
        assert.deepEqual(
            changes(publisher.changes('rep-b', publisher.epoch, 0)).chat,
            [],
            "another rep's conversation never enters the answer"
        );
        clock.advance(20_000);
        publisher.chat('rep-a', {
            conversationId: 'c1',
            typing: { typing: true, senderName: 'Ana' }
        });
        clock.advance(16_000);
        assert.deepEqual(
            changes(publisher.changes('rep-a', publisher.epoch, page.sequence)).chat,
            [],
            'a typing signal goes stale'
        );
    });

    it('a new chat request is notified at once to the reps who see it, once', () => {
        const { publisher, clock, transport } = publisherWith();
        publisher.setViewers([
            { userId: 'rep-a', isAdmin: false },
            { userId: 'rep-b', isAdmin: false }
        ]);
        openConsoles(publisher, 'rep-a', 'rep-b');
        const asking: VisitorCard = {
            ...card('v1'),
            chat: {
                state: 'requested',
                requestedAt: '2026-01-01T00:00:00.000Z',
                deadline: '2026-01-01T00:00:30.000Z',
                secondsTotal: 30
            }
        };
        publisher.update(asking, routedTo(['rep-a']));
        assert.deepEqual(
            transport.sent.map((n) => [n.audience, n.kind]),
            [['rep-a', 'chat']],
            'before the window ends'
        );
        publisher.update({ ...asking, pageCount: 2 }, routedTo(['rep-a']));
        clock.advance(250);
        assert.deepEqual(
            transport.sent.map((n) => n.kind),
            ['chat', 'delta'],
            'a request already told of waits for the window like any change'
        );
    });

    it('each rep fetches exactly what canSee allows, from wherever it stopped (property, seeded)', () => {
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
            fc.record({ kind: fc.constant('fetch' as const), viewer: fc.constantFrom(...users) }),
            fc.record({ kind: fc.constant('tick' as const), ms: fc.integer({ min: 0, max: 400 }) })
        );
        fc.assert(
            fc.property(fc.array(step, { maxLength: 60 }), (steps) => {
                const { publisher, clock } = publisherWith();
                publisher.setViewers(viewers);
                const truth = new Map<string, { card: VisitorCard; decision: VisibleDecision }>();
                const views = new Map(users.map((u) => [u, new Map<string, VisitorCard>()]));
                const cursors = new Map(users.map((u) => [u, 0]));
                const fetch = (userId: string) => {
                    const page = changes(
                        publisher.changes(userId, publisher.epoch, cursors.get(userId)!)
                    );
                    const view = views.get(userId)!;
                    for (const c of page.upserts) view.set(c.id, c);
                    for (const id of page.removals) view.delete(id);
                    cursors.set(userId, page.sequence);
                };
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
                    } else if (s.kind === 'fetch') fetch(s.viewer);
                    else clock.advance(s.ms);
                }
                clock.advance(250);
                for (const viewer of viewers) {
                    fetch(viewer.userId);
                    const view = views.get(viewer.userId)!;
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
    it('a rep fetches only the visitors routed to them, an admin all of them; the events say nothing else', async () => {
        const gw = await startTestGateway();
        try {
            for (let i = 0; i < 30; i++) {
                const ip = i % 3 === 0 ? `198.18.${i}.9` : `81.2.69.${i}`;
                await sendBeacon(
                    gw,
                    beacon(
                        ids(),
                        [pageview(i % 2 ? '/pricing' : '/')],
                        i % 4 === 0 ? { utm: { medium: 'cpc' } } : {}
                    ),
                    { 'x-forwarded-for': ip }
                );
            }
            gw.clock.advance(250);
            const admin = gw.user('Priya');
            let adminSaw = 0;
            for (const user of gw.users) {
                const response = await gw.action('getChanges', user.id, {
                    epoch: gw.live.publisher.epoch,
                    since: 0
                });
                assert.equal(response.statusCode, 200, response.body);
                const page = changes(response.json<ChangePage>());
                const viewer = gw.live.rep.viewerFor(user);
                for (const c of page.upserts)
                    assert.ok(
                        canSee(viewer, gw.live.decision(c.id)!),
                        `${user.name} received ${c.id}`
                    );
                if (user.id === admin.id) adminSaw = page.upserts.length;
                for (const n of gw.transport.to(user.id))
                    assert.deepEqual(Object.keys(n).sort(), [
                        'audience',
                        'epoch',
                        'kind',
                        'sequence'
                    ]);
            }
            assert.equal(adminSaw, 30);
            const emma = gw.user('Emma');
            const snapshot = gw.live.rep.snapshot({ id: emma.id, name: emma.name, isAdmin: false });
            assert.ok(
                snapshot.visitors.every((c) => c.routing.routedTo.some((r) => r.id === emma.id))
            );
            assert.deepEqual(
                fetchChanges(gw, emma.id)
                    .upserts.map((c) => c.id)
                    .sort(),
                snapshot.visitors.map((c) => c.id).sort()
            );
            assert.equal(snapshot.streams.length, 4);
        } finally {
            await gw.close();
        }
    });

    it('getChanges is validated: a negative sequence or a malformed epoch is refused (400)', async () => {
        const gw = await startTestGateway();
        try {
            const emma = gw.user('Emma').id;
            for (const params of [
                { epoch: gw.live.publisher.epoch, since: -1 },
                { epoch: gw.live.publisher.epoch, since: 1.5 },
                { epoch: 'not an epoch', since: 0 },
                { epoch: gw.live.publisher.epoch, since: 0, userId: gw.user('Priya').id }
            ])
                assert.equal((await gw.action('getChanges', emma, params)).statusCode, 400);
        } finally {
            await gw.close();
        }
    });
});
