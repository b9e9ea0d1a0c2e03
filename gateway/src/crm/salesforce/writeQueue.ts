/**
 * The org's deferred writes: what the org could not take now (unreachable, over its API
 * allocation, a row locked) is kept on disk, in order, and replayed once it answers again,
 * so an outage loses nothing. Order is kept per record: a write of a record that has writes
 * waiting goes behind them, never past them. An entry leaves the journal only once the org
 * accepted it; one the org refuses for good (a bad field, a required field missing) is moved
 * to the dead letters, shown on Health, never retried.
 *
 * The journal is SQLite (better-sqlite3, already a dependency) rather than a JSONL file:
 * removing an accepted entry is one deleted row in a transaction, where a JSONL journal
 * would need rewriting (or compacting) to forget it, and a crash mid-append leaves SQLite
 * whole where it leaves a torn last line. `synchronous = FULL`: each append is on disk
 * before the write is answered as queued.
 */
import { chmodSync, closeSync, mkdirSync, openSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';

/** What the org answers when it refuses for now: try again later. */
const RETRYABLE_CODES = new Set([
    'REQUEST_LIMIT_EXCEEDED',
    'SERVER_UNAVAILABLE',
    'UNABLE_TO_LOCK_ROW'
]);
/** Node's and fetch's words for a request that never reached the org, or never came back. */
const NETWORK_CODES = new Set([
    'ECONNREFUSED',
    'ECONNRESET',
    'ETIMEDOUT',
    'EPIPE',
    'ENOTFOUND',
    'EAI_AGAIN',
    'EHOSTUNREACH',
    'ENETUNREACH',
    'UND_ERR_SOCKET',
    'UND_ERR_CONNECT_TIMEOUT'
]);

interface ErrorLike {
    errorCode?: unknown;
    code?: unknown;
    cause?: unknown;
    message?: unknown;
}

/** The org's error code of a refusal, or the network's of a request that failed. */
export function errorCodeOf(error: unknown): string | undefined {
    const e = error as ErrorLike | undefined;
    if (typeof e?.errorCode === 'string') return e.errorCode;
    if (typeof e?.code === 'string') return e.code;
    const cause = e?.cause as ErrorLike | undefined;
    if (typeof cause?.code === 'string') return cause.code;
    return undefined;
}

/**
 * Whether the org may take this write later: a network failure, a 5xx, or a refusal the
 * platform documents as passing (the allocation, maintenance, a locked row). Anything else
 * (INVALID_FIELD, REQUIRED_FIELD_MISSING, a validation rule…) fails the same way every time.
 */
export function isRetryable(error: unknown): boolean {
    const code = errorCodeOf(error);
    if (code === undefined)
        // fetch's own TypeError ("fetch failed") carries its reason as `cause`.
        return error instanceof TypeError && /fetch failed/i.test(error.message);
    return RETRYABLE_CODES.has(code) || NETWORK_CODES.has(code) || /^ERROR_HTTP_5\d\d$/.test(code);
}

export interface QueuedWrite {
    seq: number;
    /** What the order is kept by: `Object/recordId` (or `Object/externalKey`). */
    record: string;
    kind: string;
    payload: unknown;
    enqueuedAt: number;
}

export interface DeadLetter extends QueuedWrite {
    failedAt: number;
    error: string;
}

/** The org's answer to one entry of a batch: taken, or its error (retryable or not). */
export type WriteOutcome = { ok: true } | { ok: false; error: unknown };

export interface WriteQueueHealth {
    depth: number;
    /** When the oldest waiting entry was queued (epoch ms); undefined when empty. */
    oldestAt?: number;
    lastError?: { at: number; message: string; code?: string };
    deadLetters: number;
}

export interface WriteQueueOptions {
    /** The journal's file (created 0600: it holds visitors' names and chat messages). */
    file: string;
    /**
     * Sends one batch of entries of one kind (at most `batchSize`, each the first waiting
     * of its record); answers one outcome an entry, or throws when the whole call failed.
     */
    send: (kind: string, payloads: readonly unknown[]) => Promise<WriteOutcome[]>;
    /**
     * Whether the org's API allocation has room again (the `limits` resource): asked after
     * REQUEST_LIMIT_EXCEEDED before anything else is sent.
     */
    hasApiRoom: () => Promise<boolean>;
    now?: () => number;
    /** Runs `run` after `ms`; tests pass their own to fire it when they choose. */
    schedule?: (run: () => void, ms: number) => { cancel(): void };
    /** First retry delay, doubled each failed round up to `maxRetryMs`. */
    firstRetryMs?: number;
    maxRetryMs?: number;
    /** How often the allocation is probed while it is spent (the window rolls over 24 h). */
    limitProbeMs?: number;
    batchSize?: number;
    onError?: (error: unknown) => void;
}

const defaultSchedule = (run: () => void, ms: number) => {
    const timer = setTimeout(run, ms);
    timer.unref();
    return { cancel: () => clearTimeout(timer) };
};

export class WriteQueue {
    private readonly db: Database.Database;
    private readonly now: () => number;
    private readonly schedule: NonNullable<WriteQueueOptions['schedule']>;
    /** Records with entries waiting (kept in memory: asked on every write). */
    private readonly waiting = new Map<string, number>();
    private lastError: WriteQueueHealth['lastError'];
    private retryMs: number;
    private overLimit = false;
    private timer: { cancel(): void } | undefined;
    private running: Promise<void> | undefined;
    private readonly emptied = new Set<() => void>();
    private closed = false;

    private constructor(private readonly options: WriteQueueOptions) {
        mkdirSync(dirname(options.file), { recursive: true });
        // Created owner-only before SQLite opens it; SQLite gives its -wal/-shm files the same mode.
        closeSync(openSync(options.file, 'a', 0o600));
        chmodSync(options.file, 0o600);
        this.db = new Database(options.file);
        this.db.pragma('journal_mode = WAL');
        this.db.pragma('synchronous = FULL');
        this.db.exec(`
            CREATE TABLE IF NOT EXISTS queued (
                seq INTEGER PRIMARY KEY AUTOINCREMENT,
                record TEXT NOT NULL,
                kind TEXT NOT NULL,
                payload TEXT NOT NULL,
                enqueued_at INTEGER NOT NULL
            );
            CREATE TABLE IF NOT EXISTS dead (
                seq INTEGER PRIMARY KEY,
                record TEXT NOT NULL,
                kind TEXT NOT NULL,
                payload TEXT NOT NULL,
                enqueued_at INTEGER NOT NULL,
                failed_at INTEGER NOT NULL,
                error TEXT NOT NULL
            );`);
        this.now = options.now ?? Date.now;
        this.schedule = options.schedule ?? defaultSchedule;
        this.retryMs = options.firstRetryMs ?? 1_000;
        for (const row of this.db
            .prepare('SELECT record, COUNT(*) AS n FROM queued GROUP BY record')
            .all() as { record: string; n: number }[])
            this.waiting.set(row.record, row.n);
    }

    /** Opens (or reloads) the journal; what a previous run left is replayed from now. */
    static open(options: WriteQueueOptions): WriteQueue {
        const queue = new WriteQueue(options);
        if (queue.waiting.size > 0) queue.wake(0);
        return queue;
    }

    /** Whether the record has writes waiting: a new write of it must queue behind them. */
    has(record: string): boolean {
        return this.waiting.has(record);
    }

    /** Appends a write (on disk before this returns) and starts the replayer. */
    enqueue(record: string, kind: string, payload: unknown, cause?: unknown): void {
        this.db
            .prepare('INSERT INTO queued (record, kind, payload, enqueued_at) VALUES (?, ?, ?, ?)')
            .run(record, kind, JSON.stringify(payload), this.now());
        this.waiting.set(record, (this.waiting.get(record) ?? 0) + 1);
        if (cause !== undefined) this.noteError(cause);
        this.wake(cause === undefined ? 0 : this.retryMs);
    }

    entries(): QueuedWrite[] {
        return (
            this.db.prepare('SELECT * FROM queued ORDER BY seq').all() as {
                seq: number;
                record: string;
                kind: string;
                payload: string;
                enqueued_at: number;
            }[]
        ).map((r) => ({
            seq: r.seq,
            record: r.record,
            kind: r.kind,
            payload: JSON.parse(r.payload) as unknown,
            enqueuedAt: r.enqueued_at
        }));
    }

    deadLetters(): DeadLetter[] {
        return (
            this.db.prepare('SELECT * FROM dead ORDER BY seq').all() as {
                seq: number;
                record: string;
                kind: string;
                payload: string;
                enqueued_at: number;
                failed_at: number;
                error: string;
            }[]
        ).map((r) => ({
            seq: r.seq,
            record: r.record,
            kind: r.kind,
            payload: JSON.parse(r.payload) as unknown,
            enqueuedAt: r.enqueued_at,
            failedAt: r.failed_at,
            error: r.error
        }));
    }

    health(): WriteQueueHealth {
        const row = this.db
            .prepare('SELECT COUNT(*) AS depth, MIN(enqueued_at) AS oldest FROM queued')
            .get() as { depth: number; oldest: number | null };
        const dead = this.db.prepare('SELECT COUNT(*) AS n FROM dead').get() as { n: number };
        return {
            depth: row.depth,
            ...(row.oldest !== null ? { oldestAt: row.oldest } : {}),
            ...(this.lastError ? { lastError: this.lastError } : {}),
            deadLetters: dead.n
        };
    }

    /** Resolves once nothing waits (at once when nothing does). */
    drained(): Promise<void> {
        if (this.waiting.size === 0) return Promise.resolve();
        return new Promise((resolve) => this.emptied.add(resolve));
    }

    /**
     * Retention: forgets the dead letters set aside before `before` (epoch ms); they hold
     * what visitors and reps wrote. Waiting entries stay: they are on their way to the org,
     * whose purge covers them once there.
     */
    purgeDeadLetters(before: number): number {
        return this.db.prepare('DELETE FROM dead WHERE failed_at < ?').run(before).changes;
    }

    /** Resolves when the replay under way (if any) has finished its rounds. */
    async idle(): Promise<void> {
        await this.running;
    }

    /** Replays now, skipping the wait (after the org is known to be back). */
    retryNow(): Promise<void> {
        this.retryMs = this.options.firstRetryMs ?? 1_000;
        this.timer?.cancel();
        this.timer = undefined;
        return this.replay();
    }

    close(): void {
        this.closed = true;
        this.timer?.cancel();
        this.db.close();
    }

    private wake(ms: number): void {
        if (this.closed || this.timer || this.running) return;
        this.timer = this.schedule(() => {
            this.timer = undefined;
            void this.replay();
        }, ms);
    }

    /** One replay at a time; the rounds go until the queue is empty or the org refuses. */
    private replay(): Promise<void> {
        this.running ??= this.rounds().finally(() => {
            this.running = undefined;
            if (this.waiting.size === 0) {
                for (const resolve of this.emptied) resolve();
                this.emptied.clear();
            } else if (!this.closed) this.wake(this.overLimit ? this.limitProbeMs() : this.retryMs);
        });
        return this.running;
    }

    private limitProbeMs(): number {
        return this.options.limitProbeMs ?? 60_000;
    }

    private async rounds(): Promise<void> {
        if (this.overLimit) {
            let room = false;
            try {
                room = await this.options.hasApiRoom();
            } catch (error) {
                this.noteError(error);
            }
            if (!room) return;
            this.overLimit = false;
        }
        while (!this.closed && this.waiting.size > 0) {
            if (!(await this.round())) {
                this.retryMs = Math.min(this.retryMs * 2, this.options.maxRetryMs ?? 60_000);
                return;
            }
            this.retryMs = this.options.firstRetryMs ?? 1_000;
        }
    }

    /** Sends the first waiting entry of every record, a kind at a time; false when the org refused for now. */
    private async round(): Promise<boolean> {
        const heads = new Map<string, QueuedWrite>();
        for (const entry of this.entries())
            if (!heads.has(entry.record)) heads.set(entry.record, entry);
        const byKind = new Map<string, QueuedWrite[]>();
        for (const head of heads.values())
            byKind.set(head.kind, [...(byKind.get(head.kind) ?? []), head]);
        const size = this.options.batchSize ?? 200;
        for (const [kind, all] of byKind)
            for (let i = 0; i < all.length; i += size) {
                const batch = all.slice(i, i + size);
                let outcomes: WriteOutcome[];
                try {
                    outcomes = await this.options.send(
                        kind,
                        batch.map((e) => e.payload)
                    );
                } catch (error) {
                    outcomes = batch.map(() => ({ ok: false, error }));
                }
                if (!this.settle(batch, outcomes)) return false;
            }
        return true;
    }

    /** Removes what the org took, moves aside what it refused for good; false when any must wait. */
    private settle(batch: readonly QueuedWrite[], outcomes: readonly WriteOutcome[]): boolean {
        // Closed while the batch was out: the entries stay, and are replayed on the next open.
        if (this.closed) return false;
        let retry = false;
        const done = this.db.prepare('DELETE FROM queued WHERE seq = ?');
        const dead = this.db.prepare(
            'INSERT INTO dead (seq, record, kind, payload, enqueued_at, failed_at, error) VALUES (?, ?, ?, ?, ?, ?, ?)'
        );
        this.db.transaction(() => {
            batch.forEach((entry, i) => {
                const outcome = outcomes[i] ?? {
                    ok: false,
                    error: new Error('The org did not answer this write.')
                };
                if (outcome.ok) {
                    done.run(entry.seq);
                    this.forget(entry.record);
                    return;
                }
                this.noteError(outcome.error);
                if (isRetryable(outcome.error)) {
                    retry = true;
                    if (errorCodeOf(outcome.error) === 'REQUEST_LIMIT_EXCEEDED')
                        this.overLimit = true;
                    return;
                }
                dead.run(
                    entry.seq,
                    entry.record,
                    entry.kind,
                    JSON.stringify(entry.payload),
                    entry.enqueuedAt,
                    this.now(),
                    describe(outcome.error)
                );
                done.run(entry.seq);
                this.forget(entry.record);
                this.options.onError?.(outcome.error);
            });
        })();
        return !retry;
    }

    private forget(record: string): void {
        const left = (this.waiting.get(record) ?? 1) - 1;
        if (left > 0) this.waiting.set(record, left);
        else this.waiting.delete(record);
    }

    private noteError(error: unknown): void {
        const code = errorCodeOf(error);
        this.lastError = {
            at: this.now(),
            message: describe(error),
            ...(code ? { code } : {})
        };
    }
}

function describe(error: unknown): string {
    const message = (error as ErrorLike | undefined)?.message;
    return typeof message === 'string' && message !== '' ? message : String(error);
}
