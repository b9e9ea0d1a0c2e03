/**
 * `getHealth`: what an admin needs to know about the gateway at a glance. The shape is the
 * contract the setup page's Health tab renders (documented in docs/SETUP.md):
 *
 *   status         'ok' | 'degraded' (errors in the last 5 minutes, ≥ 90 % of the event budget used,
 *                  a Sightline user missing a permission, or org writes waiting) | 'down' (an org
 *                  write has waited more than 10 minutes)
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
 *   orgWrites      the writes waiting for the org (depth, oldest, last error, dead letters);
 *                  null when nothing is deferred (the local org)
 *   lastErrors     the latest server errors, newest first (at most 20)
 */

import type {
    DeliveryUsage,
    GatewayHealth,
    KeptOut,
    OrgWriteHealth,
    PermissionHealth
} from '../../../force-app/main/default/lwc/setupModel/adminContract';
import type { WriteQueueHealth } from '../crm/salesforce/writeQueue';

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
    /** The org's deferred writes, when the gateway defers any. */
    orgWrites?: () => WriteQueueHealth | undefined;
}

const RECENT_MS = 5 * 60_000;
/** A write waiting longer than this means the org has been out of reach too long: 'down'. */
const STALE_WRITE_MS = 10 * 60_000;
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
    const writes = sources.orgWrites?.();
    const degraded =
        recentError ||
        (events !== null && events.share >= 0.9) ||
        (permissions !== null && permissions.gaps.length > 0) ||
        (writes !== undefined && writes.depth > 0);
    const down = writes?.oldestAt !== undefined && now - writes.oldestAt > STALE_WRITE_MS;
    return {
        status: down ? 'down' : degraded ? 'degraded' : 'ok',
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
        orgWrites: writes ? orgWriteHealth(writes) : null,
        lastErrors: errors.map((e) => ({
            at: new Date(e.at).toISOString(),
            message: e.message,
            ...(e.code ? { code: e.code } : {})
        }))
    };
}

function orgWriteHealth(writes: WriteQueueHealth): OrgWriteHealth {
    const error = writes.lastError;
    return {
        depth: writes.depth,
        oldestAt: writes.oldestAt === undefined ? null : new Date(writes.oldestAt).toISOString(),
        lastError: error
            ? {
                  at: new Date(error.at).toISOString(),
                  message: error.message.replace(/\s+/g, ' ').slice(0, MAX_MESSAGE),
                  ...(error.code ? { code: error.code } : {})
              }
            : null,
        deadLetters: writes.deadLetters
    };
}
