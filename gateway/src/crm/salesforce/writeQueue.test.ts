import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { isRetryable, WriteQueue, type WriteOutcome, type WriteQueueOptions } from './writeQueue';
import { OrgRequestError } from './windowCalls';

const refusal = (code: string) => new OrgRequestError(`refused: ${code}`, code);

/** A pretend org: takes or refuses each payload as the test says, and records what it took. */
class FakeOrg {
    taken: unknown[] = [];
    calls: { kind: string; payloads: unknown[] }[] = [];
    refuseAll: Error | undefined;
    refuse = new Map<string, Error>();
    room = true;

    send = async (kind: string, payloads: readonly unknown[]): Promise<WriteOutcome[]> => {
        this.calls.push({ kind, payloads: [...payloads] });
        if (this.refuseAll) throw this.refuseAll;
        return payloads.map((p) => {
            const error = this.refuse.get(String((p as { v: string }).v));
            if (error) return { ok: false, error };
            this.taken.push(p);
            return { ok: true };
        });
    };
}

describe('the write queue', () => {
    let dir: string;
    let org: FakeOrg;
    let scheduled: { run: () => void; ms: number }[];
    let clock: number;
    const open = (extra: Partial<WriteQueueOptions> = {}) =>
        WriteQueue.open({
            file: join(dir, 'writes.sqlite'),
            send: org.send,
            hasApiRoom: async () => org.room,
            now: () => clock,
            schedule: (run, ms) => {
                const entry = { run, ms };
                scheduled.push(entry);
                return { cancel: () => (scheduled = scheduled.filter((s) => s !== entry)) };
            },
            ...extra
        });
    /** Fires what is scheduled, as the timers would. */
    const fire = async (queue: WriteQueue) => {
        const due = scheduled;
        scheduled = [];
        for (const s of due) s.run();
        await queue.retryNow();
    };

    beforeEach(() => {
        dir = mkdtempSync(join(tmpdir(), 'write-queue-'));
        org = new FakeOrg();
        scheduled = [];
        clock = 1_000_000;
    });
    afterEach(() => rmSync(dir, { recursive: true, force: true }));

    it('tells passing refusals and network failures from permanent ones', () => {
        for (const code of ['REQUEST_LIMIT_EXCEEDED', 'SERVER_UNAVAILABLE', 'UNABLE_TO_LOCK_ROW'])
            assert.equal(isRetryable(refusal(code)), true, code);
        assert.equal(isRetryable(refusal('ERROR_HTTP_503')), true);
        assert.equal(isRetryable(Object.assign(new Error('x'), { code: 'ECONNREFUSED' })), true);
        assert.equal(
            isRetryable(new TypeError('fetch failed', { cause: { code: 'ECONNRESET' } })),
            true
        );
        for (const code of ['INVALID_FIELD', 'REQUIRED_FIELD_MISSING', 'ERROR_HTTP_400'])
            assert.equal(isRetryable(refusal(code)), false, code);
    });

    it('keeps order per record: each round sends only the first waiting write of a record', async () => {
        const queue = open();
        org.refuseAll = refusal('SERVER_UNAVAILABLE');
        queue.enqueue('Conversation__c/a', 'message', { v: 'a1' }, org.refuseAll);
        queue.enqueue('Conversation__c/a', 'message', { v: 'a2' });
        queue.enqueue('Conversation__c/b', 'message', { v: 'b1' });
        queue.enqueue('Conversation__c/a', 'status', { v: 'a3' });
        assert.equal(queue.has('Conversation__c/a'), true);
        await fire(queue);
        assert.equal(queue.health().depth, 4, 'nothing removed while the org refuses');
        assert.equal(queue.health().lastError?.code, 'SERVER_UNAVAILABLE');
        org.refuseAll = undefined;
        org.calls = [];
        await fire(queue);
        assert.deepEqual(org.taken, [{ v: 'a1' }, { v: 'b1' }, { v: 'a2' }, { v: 'a3' }]);
        assert.deepEqual(
            org.calls.map((c) => c.payloads),
            [[{ v: 'a1' }, { v: 'b1' }], [{ v: 'a2' }], [{ v: 'a3' }]],
            'heads of records go together, a record never twice in one call'
        );
        assert.deepEqual(queue.health(), {
            depth: 0,
            lastError: queue.health().lastError,
            deadLetters: 0
        });
        assert.equal(queue.has('Conversation__c/a'), false);
        queue.close();
    });

    it('moves a permanent refusal aside and goes on with the record', async () => {
        const queue = open();
        org.refuse.set('bad', refusal('INVALID_FIELD'));
        queue.enqueue('Website_Visitor__c/1', 'visitor', { v: 'bad' });
        queue.enqueue('Website_Visitor__c/1', 'visitor', { v: 'good' });
        await fire(queue);
        await queue.drained();
        assert.deepEqual(org.taken, [{ v: 'good' }]);
        const [dead] = queue.deadLetters();
        assert.equal(dead?.record, 'Website_Visitor__c/1');
        assert.deepEqual(dead?.payload, { v: 'bad' });
        assert.match(dead?.error ?? '', /INVALID_FIELD/);
        assert.equal(queue.health().deadLetters, 1);
        await fire(queue);
        assert.equal(org.taken.length, 1, 'a dead letter is never retried');
        clock += 1_000;
        assert.equal(queue.purgeDeadLetters(clock - 2_000), 0, 'kept within the retention');
        assert.equal(queue.purgeDeadLetters(clock), 1, 'forgotten past it');
        assert.deepEqual(queue.deadLetters(), []);
        queue.close();
    });

    it('after REQUEST_LIMIT_EXCEEDED asks the allocation before sending again', async () => {
        const queue = open({ limitProbeMs: 300_000 });
        org.refuseAll = refusal('REQUEST_LIMIT_EXCEEDED');
        queue.enqueue('Routing_State__c/k', 'routingState', { v: 'k1' });
        await fire(queue);
        assert.equal(org.calls.length, 1);
        assert.equal(scheduled.at(-1)?.ms, 300_000, 'waits for the rolling window');
        org.refuseAll = undefined;
        org.room = false;
        await fire(queue);
        assert.equal(org.calls.length, 1, 'no write while the allocation is spent');
        org.room = true;
        await fire(queue);
        assert.deepEqual(org.taken, [{ v: 'k1' }]);
        queue.close();
    });

    it('backs off, doubling the wait up to its ceiling', async () => {
        const queue = open({ firstRetryMs: 100, maxRetryMs: 350 });
        org.refuseAll = Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
        queue.enqueue('Website_Visitor__c/1', 'lastSeen', { v: '1' }, org.refuseAll);
        const waits: number[] = [];
        for (let i = 0; i < 4; i++) {
            const [next] = scheduled;
            scheduled = [];
            waits.push(next!.ms);
            next!.run();
            await queue.idle();
        }
        assert.deepEqual(waits, [100, 200, 350, 350]);
        queue.close();
    });

    it('survives a restart: the journal is reloaded and replayed, and is readable by its owner only', async () => {
        const first = open();
        org.refuseAll = refusal('SERVER_UNAVAILABLE');
        first.enqueue('Conversation__c/a', 'message', { v: 'm1' }, org.refuseAll);
        first.enqueue('Conversation__c/a', 'message', { v: 'm2' });
        first.close();
        assert.equal(statSync(join(dir, 'writes.sqlite')).mode & 0o777, 0o600);
        org.refuseAll = undefined;
        const second = open();
        assert.equal(second.has('Conversation__c/a'), true);
        assert.equal(scheduled.at(-1)?.ms, 0, 'replays at once');
        await fire(second);
        await second.drained();
        assert.deepEqual(org.taken, [{ v: 'm1' }, { v: 'm2' }]);
        second.close();
    });
});
