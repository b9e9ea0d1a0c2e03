/**
 * `getHealth`: what an admin needs to know about the gateway at a glance. The shape is the
 * contract the setup page's Health tab renders (documented in docs/SETUP.md):
 *
 *   status         'ok' | 'degraded' (errors in the last 5 minutes, ≥ 90 % of the event budget used,
 *                  or a Sightline user missing a permission)
 *   mode           'local' (local org) | 'org' (a Salesforce org)
 *   startedAt, generatedAt (ISO), uptimeSeconds
 *   liveSessions   live visits held now; null when the live session store is not running
 *   routingAppliedAt  when the org's streams, rules and groups were last applied to routing
 *                  (a change arrives by Change Data Capture); null when not loaded
 *   events         platform event deliveries used in the rolling 24 h against the budget the
 *                  publisher governs by (a share of the org allocation); null when no publisher reports
 *   keptOut        what the ingest kept out since the gateway started: bot batches and their
 *                  events, batches refused for Do-Not-Track / missing consent, single events
 *                  refused by validation; null when the ingest is not running
 *   permissions    the standard-object permissions each Sightline user lacks (permissionCheck.ts);
 *                  null when the org could not be asked
 *   lastErrors     the latest server errors, newest first (at most 20)
 */

import type {
    DeliveryUsage,
    GatewayHealth,
    KeptOut,
    PermissionHealth
} from '../../../force-app/main/default/lwc/setupModel/adminContract';

export type {
    DeliveryUsage,
    GatewayHealth,
    HealthError,
    KeptOut
} from '../../../force-app/main/default/lwc/setupModel/adminContract';

export interface HealthSources {
    mode: 'local' | 'org';
    startedAt: number;
    now: () => number;
    errors: ErrorLog;
    liveSessions?: () => number | undefined;
    routingAppliedAt?: () => number | undefined;
    deliveries?: () => DeliveryUsage | undefined;
    keptOut?: () => KeptOut | undefined;
    /** Asked of the org before the report is built; null when it could not be. */
    permissions?: PermissionHealth | null;
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
    const routingAppliedAt = sources.routingAppliedAt?.();
    const keptOut = sources.keptOut?.();
    const recentError = errors.some((e) => now - e.at < RECENT_MS);
    const permissions = sources.permissions ?? null;
    const degraded =
        recentError ||
        (events !== null && events.share >= 0.9) ||
        (permissions !== null && permissions.gaps.length > 0);
    return {
        status: degraded ? 'degraded' : 'ok',
        mode: sources.mode,
        startedAt: new Date(sources.startedAt).toISOString(),
        generatedAt: new Date(now).toISOString(),
        uptimeSeconds: Math.max(0, Math.round((now - sources.startedAt) / 1000)),
        liveSessions: sessions === undefined ? null : sessions,
        routingAppliedAt:
            routingAppliedAt === undefined ? null : new Date(routingAppliedAt).toISOString(),
        events,
        keptOut: keptOut ? { ...keptOut } : null,
        permissions,
        lastErrors: errors.map((e) => ({
            at: new Date(e.at).toISOString(),
            message: e.message,
            ...(e.code ? { code: e.code } : {})
        }))
    };
}
