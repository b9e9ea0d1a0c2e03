import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { MemoryState } from './memoryState';
import { startRedisServer, type RunningRedis } from './redisServer';
import { RedisState } from './redisState';
import type { SharedClaim, SharedState } from './sharedState';

const claimBy = (userId: string, at = 1): SharedClaim => ({
    userId,
    userName: `Rep ${userId}`,
    conversationId: '',
    origin: 'Pounce',
    at
});

/** What every implementation must do, one gateway's view. */
function contract(name: string, open: () => Promise<SharedState>) {
    describe(`${name}: the shared-state contract`, () => {
        let state: SharedState;
        before(async () => {
            state = await open();
        });
        after(() => state.close());

        it('spends a nonce once: its second use is a replay, another nonce is fresh', async () => {
            const at = Date.now();
            assert.equal(await state.spendNonce('apex:org:n1', at, 60_000), 'fresh');
            assert.equal(await state.spendNonce('apex:org:n1', at, 60_000), 'replayed');
            assert.equal(await state.spendNonce('apex:org:n2', at, 60_000), 'fresh');
        });

        it('gives a claim to the first caller and names the holder to the next', async () => {
            const first = await state.claim('v1', claimBy('maya'), 'r1');
            assert.ok(first.ok);
            const second = await state.claim('v1', claimBy('omar'), 'r2');
            assert.deepEqual(second, {
                ok: false,
                holder: { token: first.token, claim: claimBy('maya') }
            });
            // The same request again (a resend after a reconnect) is still the win it was.
            assert.deepEqual(await state.claim('v1', claimBy('maya'), 'r1'), first);
            assert.equal((await state.activeConversations()).get('maya'), 1);
        });

        it('lets only the current token update or release a claim', async () => {
            const won = await state.claim('v2', claimBy('omar'), 'r3');
            assert.ok(won.ok);
            const stale = won.token - 1;
            assert.equal(
                await state.updateClaim('v2', stale, { ...claimBy('omar'), conversationId: 'c' }),
                false
            );
            assert.equal(await state.release('v2', stale), false);
            const withConversation = { ...claimBy('omar'), conversationId: 'conv-1' };
            assert.equal(await state.updateClaim('v2', won.token, withConversation), true);
            assert.deepEqual(await state.claimOf('v2'), {
                token: won.token,
                claim: withConversation
            });
            assert.equal(await state.release('v2', won.token), true);
            assert.equal(await state.claimOf('v2'), undefined);
            assert.equal((await state.activeConversations()).get('omar'), undefined);
            // A new claim after a release gets a larger token: the old holder is fenced off.
            const again = await state.claim('v2', claimBy('lena'), 'r4');
            assert.ok(again.ok && again.token > won.token);
            assert.equal(await state.release('v2', won.token), false);
        });

        it('moves a round-robin pointer only from where it is', async () => {
            assert.equal(await state.pointer('rule'), undefined);
            assert.equal(await state.movePointer('rule', undefined, 'maya'), true);
            assert.equal(await state.movePointer('rule', undefined, 'omar'), false);
            assert.equal(await state.movePointer('rule', 'maya', 'omar'), true);
            assert.equal(await state.pointer('rule'), 'omar');
        });

        it('counts sequences up and keeps the first epoch proposed', async () => {
            assert.equal(await state.nextSequence('s'), 1);
            assert.equal(await state.nextSequence('s'), 2);
            assert.equal(await state.nextSequence('t'), 1);
            assert.equal(await state.epoch('100-a'), '100-a');
            assert.equal(await state.epoch('200-b'), '100-a');
        });

        it('answers true to the first caller of a key only', async () => {
            assert.equal(await state.once('end:v', 60_000), true);
            assert.equal(await state.once('end:v', 60_000), false);
            assert.equal(await state.once('end:w', 60_000), true);
        });

        it('stores visits and publishes to every subscriber', async () => {
            await state.putVisits([{ id: 'v3', value: '{"pages":1}' }], 60_000);
            assert.deepEqual(await state.getVisits(['v3', 'none']), ['{"pages":1}', undefined]);
            assert.deepEqual(await state.visitIds(), ['v3']);
            await state.dropVisit('v3');
            assert.deepEqual(await state.getVisits(['v3']), [undefined]);
            const heard: string[] = [];
            const stop = await state.subscribe((m) => heard.push(m));
            await state.publish('hello');
            await waitFor(() => heard.includes('hello'));
            stop();
        });

        it('counts a gateway alive until it withdraws', async () => {
            assert.ok((await state.markAlive('gw-1', 60_000)).includes('gw-1'));
            assert.ok(!(await state.markAlive('gw-1', 0)).includes('gw-1'));
        });
    });
}

async function waitFor(condition: () => boolean): Promise<void> {
    const deadline = Date.now() + 10_000;
    while (!condition()) {
        if (Date.now() > deadline) throw new Error('Timed out');
        await new Promise((resolve) => setTimeout(resolve, 5));
    }
}

contract('in memory', async () => new MemoryState());

describe('in memory: stored visits expire', () => {
    it('forgets a visit once its time to live passed', async () => {
        let now = 0;
        const state = new MemoryState(() => now);
        await state.putVisits([{ id: 'v', value: 'x' }], 1_000);
        now = 999;
        assert.deepEqual(await state.getVisits(['v']), ['x']);
        now = 1_000;
        assert.deepEqual(await state.getVisits(['v']), [undefined]);
    });
});

describe('Redis', () => {
    let redis: RunningRedis;
    before(async () => {
        redis = await startRedisServer();
    });
    after(() => redis.stop());

    let prefixes = 0;
    /** A gateway's connection; `prefix` keeps tests apart in the one server. */
    const connect = (prefix: string) =>
        new RedisState({
            url: redis.url,
            prefix,
            // Reconnect quickly and never give a command up while Redis restarts.
            redis: { retryStrategy: () => 20, maxRetriesPerRequest: null }
        });

    contract('Redis', async () => connect(`contract${++prefixes}:`));

    it('announces stored visits to the other gateways alive, never to the sender', async () => {
        const a = connect('inbox:');
        const b = connect('inbox:');
        const late = connect('inbox:');
        try {
            const heard = { a: [] as string[], b: [] as string[], late: [] as string[] };
            const stops = [
                await a.subscribe((m) => heard.a.push(m), undefined, 'gw-a'),
                await b.subscribe((m) => heard.b.push(m), undefined, 'gw-b')
            ];
            // Alone, a gateway's writes go to nobody.
            await a.markAlive('gw-a', 60_000);
            await a.putVisits([{ id: 'v1', value: '1' }], 60_000, { from: 'gw-a', message: 'one' });
            assert.deepEqual(await b.markAlive('gw-b', 60_000), ['gw-a', 'gw-b']);
            await a.putVisits([{ id: 'v2', value: '2' }], 60_000, { from: 'gw-a', message: 'two' });
            await waitFor(() => heard.b.includes('two'));
            assert.deepEqual(heard.b, ['two'], 'B hears what was written once it was alive');
            assert.deepEqual(heard.a, [], 'A never hears its own');
            // A gateway whose mark lapsed (or was withdrawn) is sent nothing.
            stops.push(await late.subscribe((m) => heard.late.push(m), undefined, 'gw-late'));
            await late.markAlive('gw-late', 1);
            const deadline = Date.now() + 10_000;
            while ((await a.markAlive('gw-a', 60_000)).includes('gw-late'))
                assert.ok(Date.now() < deadline, 'the short mark lapses');
            await a.putVisits([{ id: 'v3', value: '3' }], 60_000, {
                from: 'gw-a',
                message: 'three'
            });
            await waitFor(() => heard.b.includes('three'));
            assert.deepEqual(heard.late, []);
            for (const stop of stops) stop();
        } finally {
            await Promise.all([a.close(), b.close(), late.close()]);
        }
    });

    it('publishes from one gateway to another', async () => {
        const a = connect('bus:');
        const b = connect('bus:');
        try {
            const heard: string[] = [];
            const stop = await b.subscribe((m) => heard.push(m));
            await a.publish('from a');
            await waitFor(() => heard.includes('from a'));
            stop();
        } finally {
            await Promise.all([a.close(), b.close()]);
        }
    });

    it('gives each of 1,000 visitors to exactly one of two reps racing from two gateways', async () => {
        const a = connect('race:');
        const b = connect('race:');
        try {
            const visits = Array.from({ length: 1_000 }, (_, i) => `visit-${i}`);
            const attempts = await Promise.all(
                visits.flatMap((visitId) => [
                    a.claim(visitId, claimBy('maya'), `${visitId}-maya`),
                    b.claim(visitId, claimBy('omar'), `${visitId}-omar`)
                ])
            );
            for (let i = 0; i < visits.length; i++) {
                const wins = [attempts[2 * i]!, attempts[2 * i + 1]!].filter((x) => x.ok);
                assert.equal(wins.length, 1, `${visits[i]} has one winner`);
            }
            const active = await a.activeConversations();
            assert.equal((active.get('maya') ?? 0) + (active.get('omar') ?? 0), 1_000);
        } finally {
            await Promise.all([a.close(), b.close()]);
        }
    });

    it('lets exactly one of two gateways spend each of 1,000 nonces sent to both at once', async () => {
        const a = connect('nonces:');
        const b = connect('nonces:');
        try {
            const at = Date.now();
            const nonces = Array.from({ length: 1_000 }, (_, i) => `apex:org:${i}`);
            const verdicts = await Promise.all(
                nonces.flatMap((n) => [a.spendNonce(n, at, 60_000), b.spendNonce(n, at, 60_000)])
            );
            for (let i = 0; i < nonces.length; i++) {
                const pair = [verdicts[2 * i], verdicts[2 * i + 1]];
                assert.deepEqual(pair.sort(), ['fresh', 'replayed'], `${nonces[i]} spent once`);
            }
        } finally {
            await Promise.all([a.close(), b.close()]);
        }
    });

    it('loses and duplicates no claim when Redis is killed and restarted mid-race', async () => {
        const a = connect('restart:');
        const b = connect('restart:');
        try {
            const visits = Array.from({ length: 1_000 }, (_, i) => `visit-${i}`);
            // Maya's claims go first; as their first answers come back Redis is killed, and
            // Omar's claims for the same visitors are sent while it is down and restarting.
            const mayas = visits.map((visitId) =>
                a.claim(visitId, claimBy('maya'), `${visitId}-maya`)
            );
            await Promise.race(mayas);
            const killed = redis.kill();
            const omars = visits.map((visitId) =>
                b.claim(visitId, claimBy('omar'), `${visitId}-omar`)
            );
            await killed;
            await redis.restart();
            const [mayaAttempts, omarAttempts] = await Promise.all([
                Promise.all(mayas),
                Promise.all(omars)
            ]);
            const attempts = visits.flatMap((_, i) => [mayaAttempts[i]!, omarAttempts[i]!]);
            for (let i = 0; i < visits.length; i++) {
                const pair = [attempts[2 * i]!, attempts[2 * i + 1]!];
                const wins = pair.filter((x) => x.ok);
                assert.equal(wins.length, 1, `${visits[i]} has one winner`);
                const stored = await a.claimOf(visits[i]!);
                const winner = pair[0]!.ok ? 'maya' : 'omar';
                assert.equal(stored?.claim.userId, winner, `${visits[i]} kept its winner`);
            }
            // After the restart, a late claim is still refused.
            const late = await b.claim('visit-0', claimBy('lena'), 'late');
            assert.equal(late.ok, false);
        } finally {
            await Promise.all([a.close(), b.close()]);
        }
    });
});
