import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Batcher, type Clock, type SendResult } from './batcher';
import type { TrackerEventInput } from './types';

/** A clock whose timers run only when the test advances time. */
class FakeClock implements Clock {
    t = 1_000_000;
    private timers: { at: number; fn: () => void; id: number }[] = [];
    private nextId = 1;
    now = () => this.t;
    setTimeout = (fn: () => void, ms: number) => {
        const id = this.nextId++;
        this.timers.push({ at: this.t + ms, fn, id });
        return id;
    };
    clearTimeout = (id: unknown) => {
        this.timers = this.timers.filter((t) => t.id !== id);
    };
    get pending() {
        return this.timers.map((t) => t.at - this.t).sort((a, b) => a - b);
    }
    async advance(ms: number) {
        const end = this.t + ms;
        for (;;) {
            this.timers.sort((a, b) => a.at - b.at);
            const next = this.timers[0];
            if (!next || next.at > end) break;
            this.timers.shift();
            this.t = next.at;
            next.fn();
            await settle();
        }
        this.t = end;
    }
}
/** Lets pending promise callbacks run (a macrotask runs after every microtask). */
const settle = () => new Promise<void>((resolve) => setImmediate(resolve));

const heartbeat = (ts: number): TrackerEventInput => ({ type: 'heartbeat', ts, active: true });

function setup(
    answers: (SendResult | Error)[],
    options: Partial<ConstructorParameters<typeof Batcher>[0]> = {}
) {
    const clock = new FakeClock();
    const sent: TrackerEventInput[][] = [];
    const responses: unknown[] = [];
    const batcher = new Batcher({
        clock,
        random: () => 0.5,
        send: async (events) => {
            sent.push(events);
            const answer = answers.shift() ?? { status: 202 };
            if (answer instanceof Error) throw answer;
            return answer;
        },
        onResponse: (body) => responses.push(body),
        ...options
    });
    return { clock, sent, responses, batcher };
}

describe('the event batcher', () => {
    it('batches events and flushes after the interval, handing the response on', async () => {
        const { clock, sent, responses, batcher } = setup([
            { status: 202, body: { accepted: 2, chat: { state: 'idle' } } }
        ]);
        batcher.push(heartbeat(1));
        await clock.advance(2000);
        batcher.push(heartbeat(2));
        assert.equal(sent.length, 0);
        await clock.advance(3000);
        assert.deepEqual(sent, [[heartbeat(1), heartbeat(2)]]);
        assert.deepEqual(responses, [{ accepted: 2, chat: { state: 'idle' } }]);
        assert.equal(batcher.size, 0);
    });

    it('sends at most maxBatch events per request and keeps going at once', async () => {
        const { clock, sent, batcher } = setup([], { maxBatch: 3 });
        for (let i = 0; i < 7; i++) batcher.push(heartbeat(i));
        await clock.advance(5000);
        assert.deepEqual(
            sent.map((b) => b.length),
            [3, 3],
            'full batches go at once'
        );
        await clock.advance(5000);
        assert.deepEqual(
            sent.map((b) => b.length),
            [3, 3, 1],
            'the rest at the next interval'
        );
    });

    it('splits a batch that would exceed the byte limit', async () => {
        const { clock, sent, batcher } = setup([], { maxBatchBytes: 200 });
        for (let i = 0; i < 8; i++)
            batcher.push({ type: 'chat-request', ts: i, message: 'x'.repeat(60) });
        await clock.advance(60_000);
        assert.ok(sent.every((b) => JSON.stringify(b).length <= 200 || b.length === 1));
        assert.equal(sent.flat().length, 8);
    });

    it('retries network errors, 429 and 5xx with exponential backoff, keeping order', async () => {
        const { clock, sent, batcher } = setup([
            { status: 0 },
            new Error('offline'),
            { status: 503 },
            { status: 429 },
            { status: 202 }
        ]);
        batcher.push(heartbeat(1));
        await clock.advance(5000);
        assert.equal(sent.length, 1);
        // Backoff doubles from 1 s (jitter fixed at 0.75× here): 750, 1500, 3000, 6000 ms.
        for (const delay of [750, 1500, 3000, 6000]) {
            assert.deepEqual(clock.pending, [delay]);
            batcher.push(heartbeat(sent.length + 1)); // new events wait for the retry, no earlier flush
            assert.deepEqual(clock.pending, [delay]);
            await clock.advance(delay);
        }
        assert.equal(sent.length, 5);
        assert.deepEqual(
            sent[4]!.map((e) => e.ts),
            [1, 2, 3, 4, 5]
        );
        assert.equal(batcher.backingOff, false);
        assert.equal(batcher.size, 0);
    });

    it('honours Retry-After', async () => {
        const { clock, batcher } = setup([{ status: 429, retryAfterMs: 20_000 }]);
        batcher.push(heartbeat(1));
        await clock.advance(5000);
        assert.deepEqual(clock.pending, [20_000]);
    });

    it('never retries a 4xx: the batch is dropped and the next one goes normally', async () => {
        const { clock, sent, batcher } = setup([{ status: 400 }, { status: 202 }]);
        batcher.push(heartbeat(1));
        await clock.advance(5000);
        assert.equal(batcher.size, 0);
        assert.equal(batcher.dropped, 1);
        assert.deepEqual(clock.pending, []);
        batcher.push(heartbeat(2));
        await clock.advance(5000);
        assert.deepEqual(
            sent.map((b) => b.map((e) => e.ts)),
            [[1], [2]]
        );
    });

    it('keeps nothing but what the gateway refused: a 202 listing one bad event drops that one alone', async () => {
        const { clock, sent, batcher } = setup([
            {
                status: 202,
                body: {
                    accepted: 2,
                    rejected: [{ index: 1, message: 'events.1.email: expected an email address' }]
                }
            }
        ]);
        batcher.push(heartbeat(1));
        batcher.push({ type: 'identify', ts: 2, email: 'x@y', source: 'api' });
        batcher.push(heartbeat(3));
        await clock.advance(5000);
        assert.equal(sent.length, 1, 'sent once, never again');
        assert.equal(batcher.dropped, 1);
        assert.equal(batcher.size, 0);
        assert.deepEqual(clock.pending, []);
    });

    it('gives up after maxAttempts and caps the backoff', async () => {
        const { clock, sent, batcher } = setup(
            Array.from({ length: 20 }, () => ({ status: 500 })),
            { maxAttempts: 4, maxBackoffMs: 2000 }
        );
        batcher.push(heartbeat(1));
        await clock.advance(5000 + 750 + 1500 + 1500);
        assert.equal(sent.length, 4);
        assert.equal(batcher.dropped, 1);
        assert.equal(batcher.size, 0);
    });

    it('stays bounded while the gateway is down: the oldest events go first', async () => {
        const { clock, batcher } = setup(
            Array.from({ length: 100 }, () => ({ status: 0 })),
            { maxQueue: 10 }
        );
        for (let i = 0; i < 25; i++) batcher.push(heartbeat(i));
        assert.equal(batcher.size, 10);
        assert.equal(batcher.dropped, 15);
        await clock.advance(5000);
        assert.ok(batcher.size <= 10);
    });

    it('flushes at once when asked, and again after an in-flight request', async () => {
        let release!: (r: SendResult) => void;
        const clock = new FakeClock();
        const sent: number[][] = [];
        const batcher = new Batcher({
            clock,
            send: (events) => {
                sent.push(events.map((e) => e.ts));
                return new Promise<SendResult>((r) => (release = r));
            }
        });
        batcher.push(heartbeat(1));
        void batcher.flush();
        await settle();
        batcher.push(heartbeat(2));
        void batcher.flush(); // in flight: remembered
        release({ status: 202 });
        await settle();
        await clock.advance(0);
        assert.deepEqual(sent, [[1], [2]]);
    });

    it('drains everything as unload beacons, including what waits for a retry', async () => {
        const unloads: number[][] = [];
        const clock = new FakeClock();
        let scrolls = 0;
        const batcher = new Batcher({
            clock,
            maxBatch: 2,
            beforeFlush: () => scrolls++,
            send: async (events, unloading) => {
                if (unloading) unloads.push(events.map((e) => e.ts));
                return { status: 503 };
            }
        });
        batcher.push(heartbeat(1));
        await clock.advance(5000);
        batcher.push(heartbeat(2));
        batcher.push(heartbeat(3));
        batcher.drain();
        assert.deepEqual(unloads, [[1, 2], [3]]);
        assert.equal(batcher.size, 0);
        assert.deepEqual(clock.pending, []);
        assert.equal(scrolls, 2);
    });
});
