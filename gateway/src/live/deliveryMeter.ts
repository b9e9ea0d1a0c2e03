/**
 * Counts what the gateway spends of the org's event allocations over a rolling window:
 * deliveries (one per event per subscriber of the channel, as the platform counts them)
 * and publishes. Counted in one-minute buckets, so the window is exact to the minute and
 * the memory is bounded.
 */
import type { Clock } from './clock';

const BUCKET_MS = 60_000;

export class RollingCounter {
    /** Minute number (epoch ms / 60,000) → count in that minute, oldest first. */
    private readonly buckets = new Map<number, number>();

    constructor(
        private readonly clock: Clock,
        private readonly spanMs: number
    ) {}

    add(count = 1): void {
        const minute = Math.floor(this.clock.now() / BUCKET_MS);
        const current = this.buckets.get(minute);
        if (current === undefined) this.prune(minute);
        this.buckets.set(minute, (current ?? 0) + count);
    }

    /** The count over the last `ms` (at most the span), to the minute. */
    total(ms = this.spanMs): number {
        const minute = Math.floor(this.clock.now() / BUCKET_MS);
        this.prune(minute);
        const oldest = minute - Math.ceil(Math.min(ms, this.spanMs) / BUCKET_MS);
        let sum = 0;
        for (const [at, count] of this.buckets) if (at > oldest) sum += count;
        return sum;
    }

    private prune(currentMinute: number): void {
        const oldest = currentMinute - this.spanMs / BUCKET_MS;
        for (const minute of this.buckets.keys()) {
            if (minute > oldest) break;
            this.buckets.delete(minute);
        }
    }
}
