/**
 * The org's event allocations, counted as the platform counts them: deliveries per
 * subscriber over a rolling 24 hours (high-volume platform events and change events share
 * the pool) and publishes over a rolling hour. Both appear in `/limits` as
 * `DailyDeliveredPlatformEvents` and `HourlyPublishedPlatformEvents`.
 */

/** Enterprise Edition defaults without the add-on. */
export const ENTERPRISE_ALLOCATIONS = {
    dailyDeliveredEvents: 25_000,
    hourlyPublishedEvents: 250_000
} as const;

export interface AllocationSettings {
    dailyDeliveredEvents: number;
    hourlyPublishedEvents: number;
}

/** A count over a rolling window, kept in one-minute buckets so memory stays bounded. */
export class RollingCount {
    private readonly buckets: { minute: number; count: number }[] = [];

    constructor(
        private readonly windowMs: number,
        private readonly now: () => number
    ) {}

    add(n = 1): void {
        const minute = Math.floor(this.now() / 60_000);
        const last = this.buckets.at(-1);
        if (last?.minute === minute) last.count += n;
        else this.buckets.push({ minute, count: n });
    }

    total(): number {
        const oldest = Math.floor((this.now() - this.windowMs) / 60_000);
        while (this.buckets.length > 0 && this.buckets[0]!.minute <= oldest) this.buckets.shift();
        return this.buckets.reduce((sum, b) => sum + b.count, 0);
    }
}

export interface LimitValue {
    Max: number;
    Remaining: number;
}

export class EventAllocations {
    private readonly delivered: RollingCount;
    private readonly published: RollingCount;

    constructor(
        private readonly settings: AllocationSettings,
        now: () => number
    ) {
        this.delivered = new RollingCount(24 * 3_600_000, now);
        this.published = new RollingCount(3_600_000, now);
    }

    /** Whether one more delivery fits in the rolling day. */
    canDeliver(): boolean {
        return this.delivered.total() < this.settings.dailyDeliveredEvents;
    }

    countDelivery(n = 1): void {
        this.delivered.add(n);
    }

    /** Whether `n` more published events fit in the rolling hour. */
    canPublish(n = 1): boolean {
        return this.published.total() + n <= this.settings.hourlyPublishedEvents;
    }

    countPublish(n = 1): void {
        this.published.add(n);
    }

    /** The entries of the REST `/limits` resource these allocations own. */
    limits(): {
        DailyDeliveredPlatformEvents: LimitValue;
        HourlyPublishedPlatformEvents: LimitValue;
    } {
        const remaining = (max: number, used: number): LimitValue => ({
            Max: max,
            Remaining: Math.max(0, max - used)
        });
        return {
            DailyDeliveredPlatformEvents: remaining(
                this.settings.dailyDeliveredEvents,
                this.delivered.total()
            ),
            HourlyPublishedPlatformEvents: remaining(
                this.settings.hourlyPublishedEvents,
                this.published.total()
            )
        };
    }
}
