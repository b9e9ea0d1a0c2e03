/**
 * The setup pages' gateway actions, all admin-only (the ActionRegistry refuses anyone
 * else; on the platform the Apex controller also checks the Sightline_Admin_Access custom
 * permission before calling out):
 *
 *   getRoutingConfig    streams, rules, groups and targetable users as plain objects
 *   getDryRunVisitors   the current live visitors as engine `Visitor` models
 *   getHealth           gateway status, live sessions, event budget, what the ingest kept out, last errors
 *
 * Registered by createGateway with the live gateway's accessors (its clock, recent visitors,
 * session count and delivery usage); without them (tests of this file) Health reports
 * sessions and events as unknown.
 */
import type { FastifyInstance } from 'fastify';
import type { ActionRegistry } from '../actions/actionRegistry';
import type { CrmPort } from '../crm/crmPort';
import type { WriteQueueHealth } from '../crm/salesforce/writeQueue';
import type { Visitor } from '../engine';
import {
    ErrorLog,
    gatewayHealth,
    type DeliveryUsage,
    type GatewayHealth,
    type KeptOut
} from './health';
import type { DryRunVisitors } from '../../../force-app/main/default/lwc/setupModel/adminContract';

export type { DryRunVisitors };
import { checkPermissions } from './permissionCheck';
import { readRoutingConfig, type SetupRoutingConfig } from './routingConfig';

/** The dry run evaluates in the browser: more visitors than this would only slow the page. */
export const MAX_DRY_RUN_VISITORS = 500;

export interface AdminDependencies {
    crm: CrmPort;
    /** The fastify app, to record server errors for the Health tab. */
    app?: FastifyInstance;
    mode?: 'local' | 'org';
    now?: () => number;
    /** The live session store's most recently seen visitors, at most `limit`. */
    liveVisitors: (limit: number) => readonly Visitor[];
    /** How many live sessions the store holds. */
    liveSessions?: () => number;
    /** When the org's routing configuration was last applied (clock time). */
    routingAppliedAt?: () => number | undefined;
    /** Event deliveries used in the rolling 24 h vs budget, as the publisher counts them. */
    deliveries?: () => DeliveryUsage;
    /** What the ingest kept out since the gateway started: bots, Do-Not-Track, no consent, bad events. */
    keptOut?: () => KeptOut;
    /** The org's deferred writes (a Salesforce org; none with the local org). */
    orgWrites?: () => WriteQueueHealth | undefined;
}

export function registerAdminActions(
    actions: ActionRegistry,
    deps: AdminDependencies
): { errors: ErrorLog } {
    const now = deps.now ?? Date.now;
    const startedAt = now();
    const errors = new ErrorLog();
    deps.app?.addHook(
        'onError',
        async (_request, _reply, error: Error & { statusCode?: number; code?: string }) => {
            if (!error.statusCode || error.statusCode >= 500) errors.record(error, now());
        }
    );

    actions.register(
        'getRoutingConfig',
        (): Promise<SetupRoutingConfig> => readRoutingConfig(deps.crm),
        {
            adminOnly: true
        }
    );

    actions.register(
        'getDryRunVisitors',
        (): DryRunVisitors => {
            const at = now();
            const visitors = deps.liveVisitors(MAX_DRY_RUN_VISITORS + 1);
            return {
                source: 'live',
                generatedAt: new Date(at).toISOString(),
                now: at,
                visitors: visitors.slice(0, MAX_DRY_RUN_VISITORS),
                truncated: visitors.length > MAX_DRY_RUN_VISITORS
            };
        },
        { adminOnly: true }
    );

    actions.register(
        'getHealth',
        async (): Promise<GatewayHealth> => {
            const permissions = await checkPermissions(deps.crm).catch((error: unknown) => {
                errors.record(
                    {
                        message: `Could not read the Sightline users' object permissions: ${error instanceof Error ? error.message : String(error)}`
                    },
                    now()
                );
                return null;
            });
            return gatewayHealth({
                mode: deps.mode ?? 'local',
                startedAt,
                now,
                errors,
                liveSessions: deps.liveSessions,
                routingAppliedAt: deps.routingAppliedAt,
                deliveries: deps.deliveries,
                keptOut: deps.keptOut,
                orgWrites: deps.orgWrites,
                permissions
            });
        },
        { adminOnly: true }
    );

    return { errors };
}
