/**
 * Gateways behind a balancer, sharing one Redis: each test gateway is the real app on the
 * one local org, with its own clock (its own process) and its own Redis connection.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { apexSignatureHeaders } from '../../../localorg/src/apex/apexSigner';
import type { ClaimResult } from '../contracts/liveContract';
import { ManualClock } from '../live/clock';
import {
    API_AUTH,
    beacon,
    fetchChanges,
    ids,
    pageview,
    sendBeacon,
    startTestGateway,
    waitUntil,
    type TestGateway
} from '../testing/liveTestApp';
import { withWritesInMemory } from '../testing/memoryWrites';
import { startRedisServer, type RunningRedis } from './redisServer';
import { RedisState } from './redisState';

type Who = ReturnType<typeof ids>;
const START = Date.UTC(2026, 10, 25, 9, 0, 0);

function collect(gw: TestGateway, who: Who, events: Parameters<typeof beacon>[1]) {
    return sendBeacon(gw, beacon(who, events), { 'x-forwarded-for': '81.2.69.160' });
}

interface Cluster {
    redis: RunningRedis;
    gateways: TestGateway[];
    /** Starts a gateway on the cluster's org (the first one's) and Redis. */
    start(options?: { writesInMemory?: boolean }): Promise<TestGateway>;
    /** Kills a gateway: its Redis connection drops, its clock stops. */
    crash(gw: TestGateway): Promise<void>;
    /** Time passes on every live gateway's clock. */
    advance(ms: number): void;
    close(): Promise<void>;
}

async function startCluster(): Promise<Cluster> {
    const redis = await startRedisServer();
    const gateways: TestGateway[] = [];
    const states = new Map<TestGateway, RedisState>();
    const crashed = new Set<TestGateway>();
    return {
        redis,
        gateways,
        async start(options = {}) {
            const shared = new RedisState({
                url: redis.url,
                redis: { retryStrategy: () => 20, maxRetriesPerRequest: null }
            });
            const first = gateways[0];
            const clock = new ManualClock(first ? first.clock.now() : START);
            const gw = await startTestGateway({
                clock,
                shared,
                ...(first ? { sameOrgAs: first } : {}),
                ...(options.writesInMemory ? { crm: withWritesInMemory } : {})
            });
            gateways.push(gw);
            states.set(gw, shared);
            return gw;
        },
        async crash(gw) {
            crashed.add(gw);
            await gw.crash();
            await states.get(gw)!.close();
        },
        advance(ms) {
            for (const gw of gateways) if (!crashed.has(gw)) gw.clock.advance(ms);
        },
        async close() {
            try {
                // The first gateway's org closes last: the others use it.
                for (const gw of [...gateways].reverse()) {
                    if (crashed.has(gw)) continue;
                    await gw.close();
                    await states.get(gw)!.close();
                }
                const first = gateways[0];
                if (first && crashed.has(first)) await first.orgServer.close();
            } finally {
                await redis.stop();
            }
        }
    };
}

describe('two gateways on one Redis', () => {
    let cluster: Cluster;
    let a: TestGateway;
    let b: TestGateway;
    before(async () => {
        cluster = await startCluster();
        a = await cluster.start();
        b = await cluster.start();
    });
    after(() => cluster.close());

    it("continues a visit on whichever gateway its beacon lands, and shows it on the other's consoles", async () => {
        const who = ids('spread');
        assert.equal((await collect(a, who, [pageview('/pricing')])).statusCode, 202);
        assert.equal(
            (
                await collect(b, who, [
                    pageview('/pricing/enterprise', 2),
                    {
                        type: 'scroll',
                        ts: 3,
                        url: 'http://localhost:4300/pricing/enterprise',
                        depth: 0.4
                    }
                ])
            ).statusCode,
            202
        );
        // B read the visit A started: both pages, one visit.
        assert.deepEqual(
            b.live.session(who.sessionId)?.pages.map((p) => p.path),
            ['/pricing', '/pricing/enterprise']
        );
        cluster.advance(250); // B's window ends: B decides the visit and shares the decision
        const rep = b.live.decision(who.sessionId)!.routing.assignedTo!;
        assert.ok(rep, 'the visit is routed');
        // A console connected to A gets the card B decided, with both pages.
        await waitUntil('the card on A', () =>
            fetchChanges(a, rep).upserts.some(
                (card) => card.id === who.sessionId && card.pageCount === 2
            )
        );
        assert.equal(a.live.decision(who.sessionId)?.routing.assignedTo, rep);
    });

    it('keeps a visit on the gateway its beacons land on; the other reads it only when something there needs it', async () => {
        const who = ids('owned');
        await collect(a, who, [pageview('/pricing')]);
        await collect(a, who, [pageview('/pricing/enterprise', 2)]);
        const rep = a.live.decision(who.sessionId)!.routing.assignedTo!;
        assert.ok(rep, 'the visit is routed');
        // B places A's latest card (its fingerprint) without reading the visit.
        const latest = a.live.publisher.placement(who.sessionId)!.hash;
        await waitUntil(
            'the card placed on B',
            () => b.live.publisher.placement(who.sessionId)?.hash === latest
        );
        assert.equal(b.live.visits.held(who.sessionId), undefined, 'B keeps only the copy');
        // B's console asks for the card: B reads A's copy then, and holds it as A's.
        const card = fetchChanges(b, rep).upserts.find((c) => c.id === who.sessionId);
        assert.equal(card?.pageCount, 2);
        assert.ok(b.live.visits.held(who.sessionId)?.mirrorOf, "held on B as A's");
        assert.equal(a.live.visits.held(who.sessionId)?.mirrorOf, undefined, 'A owns it');
        // A rep's chat through B finds the visit by its conversation, which only A holds.
        const claim = (
            await a.action('pounce', rep, { visitorId: who.sessionId })
        ).json<ClaimResult>();
        assert.ok(claim.ok);
        const conversationId = claim.ok ? claim.conversationId : '';
        await waitUntil(
            'the claim placed on B',
            () => b.live.decisions.claimOf(who.sessionId) !== undefined
        );
        assert.equal(b.live.visits.held(who.sessionId), undefined, "B let go of A's older copy");
        assert.equal(
            b.live.visits.ofConversation(conversationId)?.session.sessionId,
            who.sessionId
        );
    });

    it('refuses a signed call captured on its way to one gateway when it is replayed to the other', async () => {
        // The attacker holds no secret: only the exact request Apex sent to A, bytes and all.
        const emma = a.user('Emma').id;
        const body = JSON.stringify({ page: 0 });
        const captured = {
            method: 'POST' as const,
            url: '/api/v1/actions/getSnapshot',
            headers: {
                ...API_AUTH,
                'content-type': 'application/json',
                ...apexSignatureHeaders(
                    'getSnapshot',
                    body,
                    { secret: a.config.signingSecret, orgId: a.config.orgId, userId: emma },
                    a.clock.now()
                )
            },
            payload: body
        };
        assert.equal((await a.app.inject(captured)).statusCode, 200);
        const replayed = await b.app.inject(captured);
        assert.equal(replayed.statusCode, 401);
        assert.equal(replayed.json().errorCode, 'REPLAYED_REQUEST');
        assert.match(replayed.json().message, /already received, by this gateway or another/);
        // And back to A, as before: one use in all.
        assert.equal((await a.app.inject(captured)).json().errorCode, 'REPLAYED_REQUEST');
    });

    it('gives each of 1,000 visitors to exactly one of two reps pouncing through two gateways', async () => {
        const race = await startCluster();
        try {
            const ra = await race.start({ writesInMemory: true });
            const rb = await race.start({ writesInMemory: true });
            const admin = ra.user('Priya');
            const visitors = Array.from({ length: 1_000 }, () => ids('race'));
            for (let i = 0; i < visitors.length; i += 100)
                await Promise.all(
                    visitors
                        .slice(i, i + 100)
                        .map((who, j) => collect(j % 2 ? rb : ra, who, [pageview('/pricing')]))
                );
            race.advance(250);
            await waitUntil('every visit decided on both gateways', () =>
                visitors.every(
                    (who) =>
                        ra.live.decision(who.sessionId)?.routing.assignedTo &&
                        rb.live.decision(who.sessionId)?.routing.assignedTo
                )
            );
            // The routed rep pounces through one gateway, the admin through the other, at once.
            const results = await Promise.all(
                visitors.map(async (who, i) => {
                    const rep = ra.live.decision(who.sessionId)!.routing.assignedTo!;
                    const [repGw, adminGw] = i % 2 ? [ra, rb] : [rb, ra];
                    const answers = await Promise.all([
                        repGw.action('pounce', rep, { visitorId: who.sessionId }),
                        adminGw.action('pounce', admin.id, { visitorId: who.sessionId })
                    ]);
                    return answers.map((answer) => answer.json<ClaimResult>());
                })
            );
            results.forEach((pair, i) => {
                const winners = pair.filter((r) => r.ok);
                assert.equal(winners.length, 1, `visitor ${i}: exactly one winner`);
                const loser = pair.find((r) => !r.ok);
                assert.ok(loser && !loser.ok && loser.engagedBy.id, `visitor ${i}: told who won`);
            });
        } finally {
            await race.close();
        }
    });

    it('loses and duplicates no claim when Redis restarts while reps pounce', async () => {
        const race = await startCluster();
        try {
            const ra = await race.start({ writesInMemory: true });
            const rb = await race.start({ writesInMemory: true });
            const admin = ra.user('Priya');
            const visitors = Array.from({ length: 200 }, () => ids('redis-restart'));
            await Promise.all(
                visitors.map((who, j) => collect(j % 2 ? rb : ra, who, [pageview('/pricing')]))
            );
            race.advance(250);
            await waitUntil('every visit decided on both gateways', () =>
                visitors.every(
                    (who) =>
                        ra.live.decision(who.sessionId)?.routing.assignedTo &&
                        rb.live.decision(who.sessionId)?.routing.assignedTo
                )
            );
            const reps = visitors.map(
                (who) => ra.live.decision(who.sessionId)!.routing.assignedTo!
            );
            const pounces = visitors.map((who, i) => {
                const rep = reps[i]!;
                const [repGw, adminGw] = i % 2 ? [ra, rb] : [rb, ra];
                return [
                    repGw.action('pounce', rep, { visitorId: who.sessionId }),
                    adminGw.action('pounce', admin.id, { visitorId: who.sessionId })
                ];
            });
            // Redis dies as the first answers come back, and comes back with its append-only file.
            await Promise.race(pounces.flat());
            await race.redis.kill();
            await race.redis.restart();
            const results = await Promise.all(
                pounces.map(async (pair) =>
                    (await Promise.all(pair)).map((answer) => answer.json<ClaimResult>())
                )
            );
            for (const [i, pair] of results.entries()) {
                const winners = pair.filter((r) => r.ok);
                assert.equal(winners.length, 1, `visitor ${i}: exactly one winner`);
                const held = await ra.live.state.claimOf(visitors[i]!.sessionId);
                // The rep who pounced (a claim may route the visit anew: not what is checked).
                const winner = pair[0]!.ok ? reps[i] : admin.id;
                assert.equal(held?.claim.userId, winner, `visitor ${i}: the winner holds it`);
            }
        } finally {
            await race.close();
        }
    });

    it('takes over the visits of a gateway that died, and ages and ends them', async () => {
        const own = await startCluster();
        try {
            const oa = await own.start();
            const ob = await own.start();
            const who = ids('orphan');
            await collect(oa, who, [pageview('/pricing')]);
            const rep = oa.live.decision(who.sessionId)!.routing.assignedTo!;
            await waitUntil('the card on B', () =>
                fetchChanges(ob, rep).upserts.some((card) => card.id === who.sessionId)
            );
            await own.crash(oa);
            // No beacon comes: B takes the visit over once A's mark lapses in Redis (5 s; B
            // looks once a second).
            await waitUntil('B owns the visit', () => {
                const visit = ob.live.visits.held(who.sessionId);
                return visit !== undefined && visit.mirrorOf === undefined;
            });
            // B ages it now: a day later the visit has ended, and left B's consoles.
            own.advance(24 * 60 * 60_000);
            await waitUntil('the card gone from B', () =>
                fetchChanges(ob, rep).removals.includes(who.sessionId)
            );
        } finally {
            await own.close();
        }
    });

    it('keeps visits and the chat going on the other gateway when one is killed under traffic', async () => {
        const priya = a.user('Priya');
        const engaged = ids('engaged');
        await collect(a, engaged, [pageview('/pricing')]);
        cluster.advance(250);
        const claim = (
            await a.action('pounce', priya.id, { visitorId: engaged.sessionId })
        ).json<ClaimResult>();
        assert.ok(claim.ok);
        const conversationId = claim.ok ? claim.conversationId : '';
        await waitUntil(
            'the claim on B',
            () => b.live.decisions.claimOf(engaged.sessionId) !== undefined
        );

        // Traffic spread over both gateways; A dies half way. The balancer sends what A
        // did not answer to B, as the tracker and the console retry.
        const visitors = Array.from({ length: 40 }, () => ids('traffic'));
        const messages = Array.from({ length: 20 }, (_, i) => ({
            conversationId,
            body: `Message ${i}`,
            clientMessageId: `kill-msg-${String(i).padStart(3, '0')}`
        }));
        let alive = [a, b];
        const send = async <T>(i: number, call: (gw: TestGateway) => Promise<T>): Promise<T> => {
            const gw = alive[i % alive.length]!;
            return call(gw);
        };
        for (let round = 0; round < 2; round++) {
            if (round === 1) {
                await cluster.crash(a);
                alive = [b];
            }
            const half = (list: unknown[]) =>
                list.slice(round * (list.length / 2), (round + 1) * (list.length / 2));
            const beacons = (half(visitors) as Who[]).map((who, i) =>
                send(i, (gw) => collect(gw, who, [pageview(i % 2 ? '/pricing' : '/')]))
            );
            const sent = (half(messages) as (typeof messages)[number][]).map((message, i) =>
                send(i, (gw) => gw.action('sendMessage', priya.id, message))
            );
            for (const response of await Promise.all([...beacons, ...sent]))
                assert.ok(
                    [200, 202].includes(response.statusCode),
                    `answered ${response.statusCode}`
                );
        }
        // Every visitor is live on B, the engaged one still engaged; every message is stored once.
        for (const who of [engaged, ...visitors])
            assert.ok(b.live.session(who.sessionId), `${who.sessionId} live on B`);
        await collect(b, engaged, [pageview('/pricing/enterprise', 5)]);
        assert.equal(b.live.session(engaged.sessionId)?.pageCount, 2);
        assert.equal(b.live.session(engaged.sessionId)?.chat.state, 'conversation');
        const bodies = b.org
            .find('Conversation_Message__c', { Conversation__c: conversationId })
            .map((m) => String(m.Body__c));
        assert.deepEqual(
            bodies.sort(),
            messages.map((m) => m.body).sort(),
            'every message stored, none twice'
        );
        // Priya's console, on B, has the engaged card and her messages.
        cluster.advance(250);
        const changes = fetchChanges(b, priya.id);
        assert.equal(
            changes.upserts.find((card) => card.id === engaged.sessionId)?.engagedBy?.id,
            priya.id
        );
    });

    it("brings the rep's card back when a gateway restarts mid-chat", async () => {
        const priya = b.user('Priya');
        const chatting = ids('chatting');
        await collect(b, chatting, [pageview('/pricing')]);
        cluster.advance(250);
        const claim = (
            await b.action('pounce', priya.id, { visitorId: chatting.sessionId })
        ).json<ClaimResult>();
        assert.ok(claim.ok);
        await cluster.crash(b);
        // B comes back (its org and Redis were up all along); Priya's console reconnects to it.
        const restarted = await cluster.start();
        await waitUntil("the rep's card", () =>
            fetchChanges(restarted, priya.id).upserts.some(
                (card) => card.id === chatting.sessionId && card.engagedBy?.id === priya.id
            )
        );
        const session = restarted.live.session(chatting.sessionId)!;
        assert.equal(session.chat.state, 'conversation');
        assert.deepEqual(
            session.pages.map((p) => p.path),
            ['/pricing']
        );
        // Still claimed, by the same token: nobody else can take it.
        assert.equal(
            (await restarted.live.state.claimOf(chatting.sessionId))?.claim.userId,
            priya.id
        );
    });
});
