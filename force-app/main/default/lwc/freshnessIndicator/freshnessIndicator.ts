/**
 * How fresh the console is. `live` only while the connection is known to be up; when the
 * gateway batches updates the age of the data shows too, and a lost connection says so
 * with the age of what is on screen — a stale screen is never presented as live.
 */
import { LightningElement, api } from 'lwc';
import { formatDuration, onClockTick } from 'c/visitorFormat';

export type FreshnessState = 'connecting' | 'live' | 'throttled' | 'catching-up' | 'reconnecting';
/** Which path the updates take: the direct socket, or Platform Event notifications. */
export type FreshnessVia = '' | 'socket' | 'events';

export default class FreshnessIndicator extends LightningElement {
    @api state: FreshnessState = 'connecting';
    /** When the data on screen was last known current (epoch ms). */
    @api updatedAt = 0;
    /** The gateway's batch window when throttled (ms). */
    @api windowMs = 0;
    /** Which path is live (empty: not said). */
    @api via: FreshnessVia = '';
    /** Event deliveries the budget governor projects for the rolling day, and its budget (0: unknown). */
    @api projectedDay = 0;
    @api budget = 0;

    now = Date.now();
    private stopClock: (() => void) | undefined;

    connectedCallback(): void {
        this.stopClock = onClockTick((now) => {
            this.now = now;
        });
    }

    disconnectedCallback(): void {
        this.stopClock?.();
    }

    get age(): string {
        return this.updatedAt ? formatDuration(this.now - this.updatedAt) : '';
    }

    get label(): string {
        switch (this.state) {
            case 'live':
                return this.via === 'socket'
                    ? 'Live · direct'
                    : this.via === 'events'
                      ? 'Live · via events'
                      : 'Live';
            case 'throttled':
                return this.age ? `Batched · updated ${this.age} ago` : 'Batched';
            case 'catching-up':
                return 'Catching up…';
            case 'reconnecting':
                return this.age ? `Reconnecting… data is ${this.age} old` : 'Reconnecting…';
            default:
                return 'Connecting…';
        }
    }

    get detail(): string {
        switch (this.state) {
            case 'live':
                return this.via === 'socket'
                    ? 'Connected directly to the gateway: every change appears as it happens.'
                    : this.via === 'events'
                      ? 'Connected through Platform Events (the direct connection is not available): every change appears as it happens.'
                      : 'Connected: every change appears as it happens.';
            case 'throttled':
                return `Connected. To stay within the org's event allocation, updates arrive in batches every ${Math.round(this.windowMs / 1000)} s.${this.budgetText}`;
            case 'catching-up':
                return 'Some updates were missed: reloading the current visitors.';
            case 'reconnecting':
                return 'The connection to live updates was lost. Retrying; what you see may be out of date.';
            default:
                return 'Connecting to live updates.';
        }
    }

    /** The governor's projection, when the gateway sends one. */
    private get budgetText(): string {
        if (!this.budget) return '';
        const format = (n: number) => Math.round(n).toLocaleString('en-US');
        return ` Projected today: ${format(this.projectedDay)} of ${format(this.budget)} deliveries.`;
    }

    get pillClass(): string {
        return `freshness freshness_${this.state}`;
    }
}
