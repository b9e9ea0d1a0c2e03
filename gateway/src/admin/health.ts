/**
 * `getHealth`: what an admin needs to know about the gateway at a glance. The shape is the
 * contract the setup page's Health tab renders (documented in docs/SETUP.md):
 *
 *   status         'ok' | 'degraded' (errors in the last 5 minutes, or ≥ 90 % of the event budget used)
 *   mode           'local' (local org) | 'org' (a Salesforce org)
 *   startedAt, generatedAt (ISO), uptimeSeconds
 *   liveSessions   live visits held now; null when the live session store is not running
 *   events         platform event deliveries used in the rolling 24 h against the budget the
 *                  publisher governs by (a share of the org allocation); null when no publisher reports
 *   keptOut        what the ingest kept out since the gateway started: bot batches and their
 *                  events, batches refused for Do-Not-Track / missing consent, single events
 *                  refused by validation; null when the ingest is not running
 *   lastErrors     the latest server errors, newest first (at most 20)
 */

/** Counted by the ingest's screening (ingest/screening.ts). */
export interface KeptOut {
    botBeacons: number;
    botEvents: number;
    doNotTrack: number;
    noConsent: number;
    rejectedEvents: number;
}

export interface DeliveryUsage {
    /** Deliveries counted in the last 24 hours. */
    usedToday: number;
    /** What the governor allows itself: allocation × budget share. */
    budget: number;
    /** The org's daily delivery allocation, when known. */
    allocation?: number;
    /** The batch window the governor currently uses, in ms. */
    batchWindowMs?: number;
    /** Deliveries a rolling day would use at the current rates and window (the governor's projection). */
    projectedDay?: number;
    /** Consoles subscribed: each receives every notification. */
    subscribers?: number;
    /** `org`: the org's own figure (`/limits`, everything in the org counted); `gateway`: the gateway's count. */
    usedSource?: 'org' | 'gateway';
}

export interface HealthError {
    at: string;
    message: string;
    code?: string;
}

export interface GatewayHealth {
    status: 'ok' | 'degraded';
    mode: 'local' | 'org';
    startedAt: string;
    generatedAt: string;
    uptimeSeconds: number;
    liveSessions: number | null;
    events: (DeliveryUsage & { share: number }) | null;
    keptOut: KeptOut | null;
    lastErrors: HealthError[];
}

export interface HealthSources {
    mode: 'local' | 'org';
    startedAt: number;
    now: () => number;
    errors: ErrorLog;
    liveSessions?: () => number | undefined;
    deliveries?: () => DeliveryUsage | undefined;
    keptOut?: () => KeptOut | undefined;
}

const RECENT_MS = 5 * 60_000;
const MAX_MESSAGE = 300;

/** The latest server-side errors, kept in memory for the Health tab. */
export class ErrorLog {
    private readonly entries: { at: number; message: string; code?: string }[] = [];

    constructor(private readonly capacity = 20) {}

    record(error: { message?: string; code?: string } | undefined, at: number): void {
        const message = (error?.message || 'Unknown error')
            .replace(/\s+/g, ' ')
            .slice(0, MAX_MESSAGE);
        this.entries.unshift({ at, message, ...(error?.code ? { code: error.code } : {}) });
        this.entries.length = Math.min(this.entries.length, this.capacity);
    }

    latest(): { at: number; message: string; code?: string }[] {
        return [...this.entries];
    }
}

export function gatewayHealth(sources: HealthSources): GatewayHealth {
    const now = sources.now();
    const errors = sources.errors.latest();
    const usage = sources.deliveries?.();
    const events = usage
        ? { ...usage, share: usage.budget > 0 ? Math.min(1, usage.usedToday / usage.budget) : 0 }
        : null;
    const sessions = sources.liveSessions?.();
    const keptOut = sources.keptOut?.();
    const recentError = errors.some((e) => now - e.at < RECENT_MS);
    return {
        status: recentError || (events !== null && events.share >= 0.9) ? 'degraded' : 'ok',
        mode: sources.mode,
        startedAt: new Date(sources.startedAt).toISOString(),
        generatedAt: new Date(now).toISOString(),
        uptimeSeconds: Math.max(0, Math.round((now - sources.startedAt) / 1000)),
        liveSessions: sessions === undefined ? null : sessions,
        events,
        keptOut: keptOut ? { ...keptOut } : null,
        lastErrors: errors.map((e) => ({
            at: new Date(e.at).toISOString(),
            message: e.message,
            ...(e.code ? { code: e.code } : {})
        }))
    };
}
