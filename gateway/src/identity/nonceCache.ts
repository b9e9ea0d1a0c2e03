/**
 * Nonces seen inside the signature window, so that a captured request cannot be sent
 * twice. Bounded: entries leave once their timestamp is older than the window (a request
 * that old is refused as stale anyway), and past `maxEntries` the oldest are dropped —
 * but then every request not newer than the newest dropped one is refused, because its
 * nonce can no longer be checked. Safety never depends on the bound; only a flood that
 * exhausts it costs honest requests a retry.
 */
export type NonceVerdict = 'fresh' | 'replayed' | 'unverifiable';

export class NonceCache {
    /** nonce → request timestamp, in insertion order. */
    private readonly seen = new Map<string, number>();
    /** Requests at or before this time can no longer be checked for replay. */
    private floor = Number.NEGATIVE_INFINITY;

    constructor(
        private readonly windowMs: number,
        private readonly maxEntries = 200_000
    ) {}

    /** Records the nonce (scoped by the caller, e.g. org + user) unless it was seen. */
    check(key: string, timestamp: number, now: number): NonceVerdict {
        this.expire(now);
        if (this.seen.has(key)) return 'replayed';
        if (timestamp <= this.floor) return 'unverifiable';
        if (this.seen.size >= this.maxEntries) {
            const [oldestKey, oldestAt] = this.seen.entries().next().value as [string, number];
            this.seen.delete(oldestKey);
            this.floor = Math.max(this.floor, oldestAt);
            if (timestamp <= this.floor) return 'unverifiable';
        }
        this.seen.set(key, timestamp);
        return 'fresh';
    }

    get size(): number {
        return this.seen.size;
    }

    private expire(now: number): void {
        // Insertion order is roughly timestamp order; stop at the first entry still inside.
        for (const [key, at] of this.seen) {
            if (at >= now - this.windowMs) break;
            this.seen.delete(key);
        }
    }
}
