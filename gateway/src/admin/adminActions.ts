/**
 * The setup pages' gateway actions, all admin-only (the ActionRegistry refuses anyone
 * else; on the platform the Apex controller also checks the Sightline_Admin_Access custom
 * permission before calling out):
 *
 *   getRoutingConfig    streams, rules, groups and targetable users as plain objects
 *   getDryRunVisitors   the current live visitors as engine `Visitor` models
 *   getHealth           gateway status, live sessions, event budget, what the ingest kept out, last errors
 *
 * Registered from app.ts with the live gateway's accessors (its clock, recent visitors,
 * session count and delivery usage); without them (tests of this file) the dry run answers
 * from a local sample and Health reports sessions and events as unknown.
 */
import type { FastifyInstance } from 'fastify';
import type { ActionRegistry } from '../actions/actionRegistry';
import type { LocalOrg } from '../crm/localOrg/localOrg';
import type { Visitor } from '../engine';
import {
    ErrorLog,
    gatewayHealth,
    type DeliveryUsage,
    type GatewayHealth,
    type KeptOut
} from './health';
import { localSampleVisitors } from './localSampleVisitors';
import { readRoutingConfig, type SetupRoutingConfig } from './routingConfig';

/** The dry run evaluates in the browser: more visitors than this would only slow the page. */
export const MAX_DRY_RUN_VISITORS = 500;

export interface DryRunVisitors {
    /** `live`: the gateway's live sessions; `local-sample`: local mode with no live store running. */
    source: 'live' | 'local-sample';
    generatedAt: string;
    /** The time the visitors were captured (epoch ms): evaluate "within the last N minutes" against it. */
    now: number;
    visitors: Visitor[];
    /** More live visitors than MAX_DRY_RUN_VISITORS: the most recent ones are listed. */
    truncated: boolean;
}

export interface AdminDependencies {
    org: LocalOrg;
    /** The fastify app, to record server errors for the Health tab. */
    app?: FastifyInstance;
    mode?: 'local' | 'org';
    now?: () => number;
    /** The live session store's most recently seen visitors, at most `limit`; absent while no store is running (some tests). */
    liveVisitors?: (limit: number) => readonly Visitor[];
    /** How many live sessions the store holds. */
    liveSessions?: () => number;
    /** Event deliveries used in the rolling 24 h vs budget, as the publisher counts them. */
    deliveries?: () => DeliveryUsage;
    /** What the ingest kept out since the gateway started: bots, Do-Not-Track, no consent, bad events. */
    keptOut?: () => KeptOut;
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

    actions.register('getRoutingConfig', (): SetupRoutingConfig => readRoutingConfig(deps.org), {
        adminOnly: true
    });

    actions.register(
        'getDryRunVisitors',
        (): DryRunVisitors => {
            const at = now();
            const live = deps.liveVisitors?.(MAX_DRY_RUN_VISITORS + 1);
            const visitors = live ? [...live] : localSampleVisitors(deps.org, at);
            return {
                source: live ? 'live' : 'local-sample',
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
        (): GatewayHealth =>
            gatewayHealth({
                mode: deps.mode ?? 'local',
                startedAt,
                now,
                errors,
                liveSessions: deps.liveSessions,
                deliveries: deps.deliveries,
                keptOut: deps.keptOut
            }),
        { adminOnly: true }
    );

    return { errors };
}
