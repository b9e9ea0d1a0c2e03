/**
 * The budget governor: keeps the live notifications within the org's event allocations.
 *
 * Every `Visitor_Update__e` is delivered to every console subscribed to a channel carrying
 * it, and each delivery counts against the org's rolling-24-hour allocation
 * (`DailyDeliveredPlatformEvents`, shared with everything else in the org that subscribes
 * to events). On the raw channel one window's notifications cost (reps notified) ×
 * (consoles subscribed); on per-audience filtered channels (eventChannels.ts) a
 * notification costs the consoles on its audience's channel: about (reps notified).
 * The governor stretches the publisher's batch window until the projected rolling day
 * stays under a share (default 80 %) of the allocation, and under the same share of
 * `HourlyPublishedPlatformEvents` for publishes. Chat messages are never held back (they
 * burst), but what they spend is counted and leaves less for the window.
 *
 * The org's own figures (`conn.limits()`) are read every minute: what others in the org
 * spend counts too. Until they are read, the gateway's own count stands in.
 */
import type { Freshness, NotificationKind } from '../contracts/liveContract';
import type { Clock, TimerHandle } from './clock';
import { RollingCounter } from './deliveryMeter';
import type { NotificationPacer, PublishTransport } from './publisher';

/** The org's figures, as `/limits` reports them. */
export interface OrgEventLimits {
    DailyDeliveredPlatformEvents?: { Max: number; Remaining: number };
    HourlyPublishedPlatformEvents?: { Max: number; Remaining: number };
}

export interface GovernorOptions {
    /** Percent of each allocation the gateway allows itself (Sightline_Setting.Delivery_Budget_Share__c). */
    sharePercent: number;
    /** The shortest window: the configured batch window. */
    minWindowMs: number;
    /**
     * The longest window (default an hour). Consoles do not wait that long for news: their
     * quiet check fetches changes through Apex, which spends no event delivery.
     */
    maxWindowMs?: number;
    /** How many consoles are subscribed to notifications (on any channel). */
    subscribers: () => number;
    /**
     * How many consoles receive a notification for `audience` (the subscribers of the
     * channels carrying it). Absent: every subscriber, as on the raw channel.
     */
    deliveriesFor?: (audience: string) => number;
    /** Reads the org's limits; absent, the Enterprise Edition allocations are assumed. */
    readLimits?: () => Promise<OrgEventLimits>;
    refreshMs?: number;
    onError?: (error: unknown) => void;
}

/** Enterprise Edition allocations (reference: salesforce-platform-facts.md §1). */
export const DEFAULT_DAILY_DELIVERIES = 25_000;
export const DEFAULT_HOURLY_PUBLISHES = 250_000;
const DAY_MS = 24 * 60 * 60_000;
const HOUR_MS = 60 * 60_000;
/** Rates are measured over the last quarter hour: long enough to be steady, short enough to follow the day. */
const RATE_SPAN_MS = 15 * 60_000;
/**
 * The headroom (budget − used) is spent over this horizon at most: at a rate of
 * headroom / horizon, the used figure approaches the budget without ever reaching it, even
 * if nothing of the last day rolled off — and whatever rolls off only adds headroom.
 * A working day: the reps' hours are when the deliveries are worth most.
 */
const HORIZON_MS = 8 * HOUR_MS;

/** What Health shows (gateway/src/admin/health.ts DeliveryUsage). */
export interface GovernorReport {
    /** Deliveries used in the last 24 h: the org's figure when read, else the gateway's count. */
    usedToday: number;
    /** Whose figure `usedToday` is. */
    usedSource: 'org' | 'gateway';
    /** allocation × share. */
    budget: number;
    allocation: number;
    /** The window the publisher batches notifications by now. */
    batchWindowMs: number;
    /** Deliveries a rolling day would use at the current rates and window. */
    projectedDay: number;
    /** Consoles subscribed to notifications. */
    subscribers: number;
    /** Deliveries one notification costs, as recently measured (the subscribers of its channel). */
    deliveriesPerNotification: number;
}

export class BudgetGovernor implements NotificationPacer {
    private readonly deliveries: RollingCounter;
    private readonly deltaNotifications: RollingCounter;
    private readonly chatNotifications: RollingCounter;
    private readonly publishes: RollingCounter;
    private org: { used: number; allocation: number; hourlyMax: number } | undefined;
    private timer: TimerHandle | undefined;
    private readonly maxWindowMs: number;
    private readonly startedAt: number;
    /** Reps notified per batch window, smoothed over recent windows. */
    private notesPerFlush = 0;
    /** Deliveries per notification, smoothed; undefined until one is counted. */
    private perNotification: number | undefined;

    constructor(
        private readonly clock: Clock,
        private readonly options: GovernorOptions
    ) {
        this.deliveries = new RollingCounter(clock, DAY_MS);
        this.deltaNotifications = new RollingCounter(clock, RATE_SPAN_MS);
        this.chatNotifications = new RollingCounter(clock, RATE_SPAN_MS);
        this.publishes = new RollingCounter(clock, HOUR_MS);
        this.maxWindowMs = Math.max(options.maxWindowMs ?? HOUR_MS, options.minWindowMs);
        this.startedAt = clock.now();
    }

    /** Reads the org's limits now and then every `refreshMs` (default a minute). */
    async start(): Promise<void> {
        await this.refresh();
        this.timer ??= this.clock.setInterval(() => {
            this.refresh().catch(() => undefined);
        }, this.options.refreshMs ?? 60_000);
    }

    stop(): void {
        this.timer?.cancel();
        this.timer = undefined;
    }

    async refresh(): Promise<void> {
        if (!this.options.readLimits) return;
        try {
            const limits = await this.options.readLimits();
            const daily = limits.DailyDeliveredPlatformEvents;
            const hourly = limits.HourlyPublishedPlatformEvents;
            if (!daily) return;
            this.org = {
                used: Math.max(0, daily.Max - daily.Remaining),
                allocation: daily.Max,
                hourlyMax: hourly?.Max ?? DEFAULT_HOURLY_PUBLISHES
            };
        } catch (error) {
            // Keep governing by the last figures (or the gateway's own count).
            this.options.onError?.(error);
        }
    }

    /** One batch window ended with `notified` reps notified: the cost of a window, smoothed. */
    flushed(notified: number): void {
        if (notified <= 0) return;
        this.notesPerFlush =
            this.notesPerFlush === 0 ? notified : this.notesPerFlush * 0.8 + notified * 0.2;
    }

    /** Counts one notification: published once, delivered to the subscribers of its channels. */
    record(kind: NotificationKind, audience?: string): void {
        const delivered =
            audience !== undefined && this.options.deliveriesFor
                ? this.options.deliveriesFor(audience)
                : this.subscribers();
        this.deliveries.add(delivered);
        this.publishes.add();
        (kind === 'chat' ? this.chatNotifications : this.deltaNotifications).add();
        this.perNotification =
            this.perNotification === undefined
                ? delivered
                : this.perNotification * 0.9 + delivered * 0.1;
    }

    /** A transport that counts what it passes on. */
    metered(transport: PublishTransport): PublishTransport {
        return {
            notify: (notification) => {
                this.record(notification.kind, notification.audience);
                transport.notify(notification);
            }
        };
    }

    /** The shortest window: what a notification that spends no event delivery waits. */
    minWindowMs(): number {
        return this.options.minWindowMs;
    }

    windowMs(): number {
        return this.compute().batchWindowMs;
    }

    freshness(): Freshness {
        const { batchWindowMs: windowMs, projectedDay, budget } = this.compute();
        return {
            mode: windowMs <= Math.max(this.options.minWindowMs, 250) ? 'live' : 'throttled',
            windowMs,
            projectedDay,
            budget
        };
    }

    report(): GovernorReport {
        return this.compute();
    }

    private subscribers(): number {
        return Math.max(1, this.options.subscribers());
    }

    private compute(): GovernorReport {
        const share = this.options.sharePercent;
        const allocation = this.org?.allocation ?? DEFAULT_DAILY_DELIVERIES;
        const hourlyMax = this.org?.hourlyMax ?? DEFAULT_HOURLY_PUBLISHES;
        const budget = Math.floor((allocation * share) / 100);
        const usedToday = this.org?.used ?? this.deliveries.total();
        const subscribers = this.subscribers();
        // What a notification costs: on the raw channel every subscriber; on filtered
        // channels as measured once notifications flow.
        const perNote = this.options.deliveriesFor
            ? (this.perNotification ?? subscribers)
            : subscribers;

        // Allowed deliveries per ms: the headroom over the horizon, less what chat requests
        // burst (they are never held back).
        const span = Math.min(RATE_SPAN_MS, Math.max(60_000, this.clock.now() - this.startedAt));
        const chatRate = this.chatNotifications.total(span) / span;
        const deltaRate = this.deltaNotifications.total(span) / span;
        const headroom = Math.max(0, budget - usedToday);
        const allowedRate = headroom / HORIZON_MS - chatRate * perNote;

        // A window costs (reps notified per window) × (deliveries per notification): stretch
        // it until that cost, once per window, fits the allowed rate; and the publishes the
        // hourly share.
        let windowMs = this.options.minWindowMs;
        if (this.notesPerFlush > 0) {
            const cost = this.notesPerFlush * perNote;
            windowMs = allowedRate <= 0 ? this.maxWindowMs : Math.max(windowMs, cost / allowedRate);
            const hourlyAllowed = (hourlyMax * share) / 100 / HOUR_MS;
            windowMs = Math.max(windowMs, this.notesPerFlush / hourlyAllowed);
        }
        windowMs = Math.round(
            Math.min(this.maxWindowMs, Math.max(this.options.minWindowMs, windowMs))
        );
        // The day ahead at the rates measured now (which follow the window in use).
        const projectedDay = Math.round((deltaRate + chatRate) * perNote * DAY_MS);
        return {
            usedToday,
            usedSource: this.org ? 'org' : 'gateway',
            budget,
            allocation,
            batchWindowMs: windowMs,
            projectedDay,
            subscribers,
            deliveriesPerNotification: Math.round(perNote * 100) / 100
        };
    }
}
