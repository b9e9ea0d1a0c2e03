/**
 * The event queue: batches events, flushes every few seconds (and at once when asked),
 * retries network errors, 429 and 5xx with exponential backoff and jitter (never a 4xx),
 * and stays bounded: when the gateway is unreachable for long, the oldest events go first.
 * Time is injected, so tests drive it with a fake clock.
 */
import type { TrackerEventInput } from './types';

/** status 0 is a network error (the request never got an answer). */
export interface SendResult {
    status: number;
    body?: unknown;
    retryAfterMs?: number;
}

export interface Clock {
    now(): number;
    setTimeout(fn: () => void, ms: number): unknown;
    clearTimeout(handle: unknown): void;
}

export interface BatcherOptions {
    clock: Clock;
    /** Sends one batch; must not throw (a rejection counts as a network error). */
    send(events: TrackerEventInput[], unloading: boolean): Promise<SendResult>;
    onResponse?(body: unknown): void;
    /** Called before each flush, to add pending events (e.g. the deepest scroll so far). */
    beforeFlush?(): void;
    flushIntervalMs?: number;
    maxQueue?: number;
    maxBatch?: number;
    /** Serialised events per request at most (the gateway takes 64 KB per beacon). */
    maxBatchBytes?: number;
    baseBackoffMs?: number;
    maxBackoffMs?: number;
    maxAttempts?: number;
    random?(): number;
}

export function retryable(status: number): boolean {
    return status === 0 || status === 429 || status >= 500;
}

export class Batcher {
    private queue: TrackerEventInput[] = [];
    private timer: unknown;
    private timerAt = Infinity;
    private inFlight = false;
    private flushAgain = false;
    private attempts = 0;
    private readonly o: Required<Omit<BatcherOptions, 'onResponse' | 'beforeFlush'>> &
        Pick<BatcherOptions, 'onResponse' | 'beforeFlush'>;
    /**
     * Events dropped: the queue was full, retries gave up, or the gateway refused them (a
     * 2xx lists the refused events of a batch whose others it kept; a 4xx refused them all).
     */
    dropped = 0;

    constructor(options: BatcherOptions) {
        this.o = {
            flushIntervalMs: 5000,
            maxQueue: 500,
            maxBatch: 50,
            maxBatchBytes: 60_000,
            baseBackoffMs: 1000,
            maxBackoffMs: 60_000,
            maxAttempts: 8,
            random: Math.random,
            ...options
        };
    }

    get size(): number {
        return this.queue.length;
    }

    get backingOff(): boolean {
        return this.attempts > 0;
    }

    push(event: TrackerEventInput): void {
        this.queue.push(event);
        this.trim();
        if (!this.backingOff) this.schedule(this.o.flushIntervalMs);
    }

    /** Sends what is queued now (unless a request is in flight or the gateway asked us to back off). */
    async flush(force = false): Promise<void> {
        if (this.inFlight) {
            this.flushAgain ||= !this.backingOff || force;
            return;
        }
        if (this.backingOff && !force) return;
        this.cancel();
        this.o.beforeFlush?.();
        const batch = this.take();
        if (batch.length === 0) return;
        this.inFlight = true;
        let result: SendResult;
        try {
            result = await this.o.send(batch, false);
        } catch {
            result = { status: 0 };
        }
        this.inFlight = false;
        if (result.status >= 200 && result.status < 300) {
            this.attempts = 0;
            // The gateway kept the good events and lists the ones it refused: those alone
            // are gone (sending them again would be refused again).
            const rejected = (result.body as { rejected?: unknown } | undefined)?.rejected;
            if (Array.isArray(rejected)) this.dropped += Math.min(rejected.length, batch.length);
            this.o.onResponse?.(result.body);
        } else if (retryable(result.status) && this.attempts + 1 < this.o.maxAttempts) {
            this.attempts++;
            this.queue.unshift(...batch);
            this.trim();
            const backoff = Math.min(
                this.o.maxBackoffMs,
                this.o.baseBackoffMs * 2 ** (this.attempts - 1)
            );
            const delay = Math.max(
                result.retryAfterMs ?? 0,
                Math.round(backoff * (0.5 + this.o.random() / 2))
            );
            this.flushAgain = false;
            this.schedule(delay, true);
            return;
        } else {
            // A 4xx (the gateway refused every event, or the batch itself, and would again)
            // or too many attempts: drop it.
            this.attempts = 0;
            this.dropped += batch.length;
        }
        const again = this.flushAgain;
        this.flushAgain = false;
        if (again || this.queue.length >= this.o.maxBatch) this.schedule(0);
        else if (this.queue.length > 0) this.schedule(this.o.flushIntervalMs);
    }

    /** The page is going away: hand everything to the browser (beacon / keepalive), no retries. */
    drain(): void {
        this.cancel();
        this.o.beforeFlush?.();
        for (let batch = this.take(); batch.length > 0; batch = this.take()) {
            void this.o.send(batch, true).catch(() => undefined);
        }
        this.attempts = 0;
    }

    private take(): TrackerEventInput[] {
        let count = Math.min(this.queue.length, this.o.maxBatch);
        while (
            count > 1 &&
            JSON.stringify(this.queue.slice(0, count)).length > this.o.maxBatchBytes
        )
            count = Math.ceil(count / 2);
        return this.queue.splice(0, count);
    }

    private trim(): void {
        const excess = this.queue.length - this.o.maxQueue;
        if (excess > 0) {
            this.queue.splice(0, excess);
            this.dropped += excess;
        }
    }

    private schedule(ms: number, replace = false): void {
        const at = this.o.clock.now() + ms;
        if (!replace && this.timer !== undefined && this.timerAt <= at) return;
        this.cancel();
        this.timerAt = at;
        this.timer = this.o.clock.setTimeout(() => {
            this.timer = undefined;
            this.timerAt = Infinity;
            void this.flush(true);
        }, ms);
    }

    private cancel(): void {
        if (this.timer !== undefined) this.o.clock.clearTimeout(this.timer);
        this.timer = undefined;
        this.timerAt = Infinity;
    }
}
