/**
 * Token buckets, one per key (an IP, a site key): `capacity` tokens, refilled at `perSecond`.
 * Memory is bounded: full buckets are forgotten (a full bucket is the same as a new one),
 * and past `maxKeys` the oldest are dropped.
 */
import type { Clock } from '../live/clock';

export interface RateLimit {
    perSecond: number;
    capacity: number;
}

export type Taken =
    { readonly ok: true } | { readonly ok: false; readonly retryAfterSeconds: number };

/** Taking a token is asked twice per beacon: the common answer is one shared value. */
const TAKEN: Taken = Object.freeze({ ok: true });

export class RateLimiter {
    private readonly buckets = new Map<string, { tokens: number; at: number }>();

    constructor(
        private readonly limit: RateLimit,
        private readonly clock: Clock,
        private readonly maxKeys = 100_000
    ) {}

    /** Takes one token; when there is none, says how many seconds until there is. */
    take(key: string): Taken {
        const now = this.clock.now();
        let bucket = this.buckets.get(key);
        if (bucket) {
            bucket.tokens = Math.min(
                this.limit.capacity,
                bucket.tokens + ((now - bucket.at) / 1000) * this.limit.perSecond
            );
            bucket.at = now;
        } else {
            if (this.buckets.size >= this.maxKeys) this.prune(now);
            bucket = { tokens: this.limit.capacity, at: now };
            this.buckets.set(key, bucket);
        }
        if (bucket.tokens >= 1) {
            bucket.tokens -= 1;
            return TAKEN;
        }
        return {
            ok: false,
            retryAfterSeconds: Math.max(1, Math.ceil((1 - bucket.tokens) / this.limit.perSecond))
        };
    }

    get size(): number {
        return this.buckets.size;
    }

    private prune(now: number): void {
        for (const [key, bucket] of this.buckets) {
            if (
                bucket.tokens + ((now - bucket.at) / 1000) * this.limit.perSecond >=
                this.limit.capacity
            )
                this.buckets.delete(key);
        }
        while (this.buckets.size >= this.maxKeys) {
            const oldest = this.buckets.keys().next().value;
            if (oldest === undefined) break;
            this.buckets.delete(oldest);
        }
    }
}
