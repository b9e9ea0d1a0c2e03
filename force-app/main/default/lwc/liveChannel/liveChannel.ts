/**
 * The console's event subscription (lightning/empApi), to the channel the gateway names:
 * the rep's own filtered channel (`/event/Sightline_<user>__chn`) where the org allows, so
 * the org delivers (and counts) only this rep's notifications; else a shared filtered
 * channel or the raw `/event/Visitor_Update__e`. A snapshot or change page that names
 * another channel moves the subscription there (the gateway re-planned its channels).
 */
import { subscribe, unsubscribe, type EmpMessage, type Subscription } from 'lightning/empApi';

/** The notification event's own channel: every notification, for every subscriber. */
export const RAW_CHANNEL = '/event/Visitor_Update__e';

function withTimeout<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
    return new Promise((resolve, reject) => {
        // eslint-disable-next-line @lwc/lwc/no-async-operation
        const timer = setTimeout(() => reject(new Error(message)), ms);
        promise.then(
            (value) => {
                clearTimeout(timer);
                resolve(value);
            },
            (error: unknown) => {
                clearTimeout(timer);
                reject(error);
            }
        );
    });
}

export class LiveChannel {
    private subscription: Subscription | undefined;
    private wanted = RAW_CHANNEL;
    /** Counts drops: a subscription that completes after a drop is not kept. */
    private drops = 0;

    constructor(
        private readonly onMessage: (message: EmpMessage) => void,
        private readonly timeoutMs: number
    ) {}

    /** Whether a subscription is held (notifications can arrive). */
    get subscribed(): boolean {
        return Boolean(this.subscription);
    }

    /** The channel subscribed to, or to subscribe to next. */
    get channel(): string {
        return this.wanted;
    }

    /**
     * Subscribes to the channel afresh. The new subscription is made before the previous one
     * is dropped, so moving channels loses no notification (one heard twice is harmless:
     * the feed fetches from where it is). A failure drops both: none may be trusted.
     */
    async subscribe(): Promise<void> {
        const channel = this.wanted;
        const drops = this.drops;
        let subscription: Subscription;
        try {
            subscription = await withTimeout(
                subscribe(channel, -1, (message) => this.onMessage(message)),
                this.timeoutMs,
                'Live updates did not answer'
            );
        } catch (error) {
            this.drop();
            throw error;
        }
        // Dropped meanwhile (the socket opened): nothing is to be held.
        if (drops !== this.drops) {
            unsubscribe(subscription).catch(() => undefined);
            return;
        }
        // Moved meanwhile: this one is of a channel no longer wanted.
        if (channel !== this.wanted) {
            unsubscribe(subscription).catch(() => undefined);
            await this.subscribe();
            return;
        }
        const previous = this.subscription;
        this.subscription = subscription;
        if (previous) unsubscribe(previous).catch(() => undefined);
    }

    /**
     * The gateway names the console's channel (absent: the raw one). A subscription held on
     * another channel moves; without one, the next `subscribe` uses it. Resolves true when
     * the channel changed.
     */
    async follow(channel: string | undefined): Promise<boolean> {
        const next = channel ?? RAW_CHANNEL;
        if (next === this.wanted) return false;
        this.wanted = next;
        if (this.subscription) await this.subscribe();
        return true;
    }

    /** Drops the subscription: every event delivered to it would be counted for nothing. */
    drop(): void {
        this.drops++;
        const previous = this.subscription;
        this.subscription = undefined;
        if (previous) unsubscribe(previous).catch(() => undefined);
    }
}
