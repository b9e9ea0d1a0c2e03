/**
 * Counts the live events the publisher sends — one delivery per event per audience user,
 * as Platform Events count them — over a rolling 24 hours, for the Health tab. Counted in
 * one-minute buckets, so the window is exact to the minute and the memory is bounded.
 *
 * The budget is what the platform governor will allow itself: the org's daily delivery
 * allocation (an Enterprise Edition org: 25,000 per 24 h, docs/PACKAGE.md) times
 * `Sightline_Setting.Delivery_Budget_Share__c` (a percent).
 */
import type { Clock } from './clock';
import type { PublishTransport } from './publisher';

export const DAILY_DELIVERY_ALLOCATION = 25_000;
const DAY_MS = 24 * 60 * 60_000;
const BUCKET_MS = 60_000;

export interface DeliveryUsageReport {
    usedToday: number;
    budget: number;
    allocation: number;
    batchWindowMs: number;
}

export class DeliveryMeter {
    /** Minute number (epoch ms / 60,000) → deliveries in that minute, oldest first. */
    private readonly buckets = new Map<number, number>();

    constructor(
        private readonly clock: Clock,
        private readonly budgetSharePercent: number,
        private readonly batchWindowMs: number,
        private readonly allocation = DAILY_DELIVERY_ALLOCATION
    ) {}

    record(): void {
        const minute = Math.floor(this.clock.now() / BUCKET_MS);
        const count = this.buckets.get(minute);
        if (count === undefined) this.prune(minute);
        this.buckets.set(minute, (count ?? 0) + 1);
    }

    usage(): DeliveryUsageReport {
        this.prune(Math.floor(this.clock.now() / BUCKET_MS));
        let usedToday = 0;
        for (const count of this.buckets.values()) usedToday += count;
        return {
            usedToday,
            budget: Math.floor((this.allocation * this.budgetSharePercent) / 100),
            allocation: this.allocation,
            batchWindowMs: this.batchWindowMs
        };
    }

    /** A transport that counts what it passes on. */
    metered(transport: PublishTransport): PublishTransport {
        return {
            send: (audienceUserId, kind, sequence, event, json) => {
                this.record();
                transport.send(audienceUserId, kind, sequence, event, json);
            }
        };
    }

    private prune(currentMinute: number): void {
        const oldest = currentMinute - DAY_MS / BUCKET_MS;
        for (const minute of this.buckets.keys()) {
            if (minute > oldest) break;
            this.buckets.delete(minute);
        }
    }
}
