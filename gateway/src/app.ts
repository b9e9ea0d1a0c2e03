/**
 * The gateway as a fastify application, apart from process concerns (see server.ts), so
 * tests build it and talk to it with `app.inject` or a real socket.
 */
import websocket from '@fastify/websocket';
import Fastify, { type FastifyInstance } from 'fastify';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { GatewayConfig } from './config';
import { ActionRegistry } from './actions/actionRegistry';
import { registerAdminActions } from './admin/adminActions';
import { registerFindLead } from './rep/findLead';
import { Screening } from './ingest/screening';
import type { LocalOrg } from './crm/localOrg/localOrg';
import { localApexRoutes } from './local/localApex';
import { LocalEventBus } from './local/localEventBus';
import { currentUser } from './local/localSession';
import { shellRoutes } from './local/shellRoutes';
import { staticResourceRoutes } from './local/staticResourceRoutes';
import { uiApiRoutes } from './local/uiApiRoutes';
import type { LiveGateway } from './live/liveGateway';
import { registerLive, type LiveOptions } from './live/registerLive';
import { trackerRoutes } from './site/trackerRoutes';

export interface GatewayApp {
    app: FastifyInstance;
    bus: LocalEventBus;
    live: LiveGateway;
}

export async function buildApp(
    config: GatewayConfig,
    org: LocalOrg,
    liveOptions: LiveOptions = {}
): Promise<GatewayApp> {
    const app = Fastify({
        logger: config.logLevel === 'silent' ? false : { level: config.logLevel },
        bodyLimit: 256 * 1024,
        // Hostile input must never take the process down: bad JSON is a 400.
        return503OnClosing: true,
        // The client IP comes from X-Forwarded-For only when a trusted proxy (local mode:
        // loopback, so the simulator can present world IPs) sent the request.
        trustProxy: config.trustedProxies
    });

    app.setErrorHandler((error: Error & { statusCode?: number; code?: string }, request, reply) => {
        const status = error.statusCode && error.statusCode < 500 ? error.statusCode : 500;
        if (status >= 500) {
            request.log.error(error);
            return reply.code(500).send({
                message: 'An internal server error has occurred',
                errorCode: 'INTERNAL_ERROR'
            });
        }
        return reply
            .code(status)
            .send({ message: error.message, errorCode: error.code ?? 'BAD_REQUEST' });
    });

    await app.register(websocket, { options: { maxPayload: 64 * 1024 } });

    const bus = new LocalEventBus(eventChannels(config.forceAppDir, org));
    bus.register(app, (request) => currentUser(org, request).id);
    uiApiRoutes(app, org);
    const actions = new ActionRegistry();
    const screening = liveOptions.screening ?? new Screening();
    const live = await registerLive(
        app,
        { config, org, bus, actions },
        { ...liveOptions, screening }
    );
    registerAdminActions(actions, {
        org,
        app,
        now: () => live.clock.now(),
        liveVisitors: (limit) => live.recentVisitors(limit),
        liveSessions: () => live.liveVisits,
        deliveries: () => live.deliveryUsage(),
        keptOut: () => screening.counts
    });
    registerFindLead(actions, org);
    localApexRoutes(app, org, actions);
    await shellRoutes(app, org, config.shellDir);
    staticResourceRoutes(app, config.forceAppDir);
    await trackerRoutes(app, config);
    app.get('/healthz', async () => ({ status: 'ok' }));
    return { app, bus, live };
}

/** The streaming channels that exist: one per platform event, plus the custom channels. */
function eventChannels(forceAppDir: string, org: LocalOrg): Set<string> {
    const channels = new Set<string>();
    for (const object of org.schema.values()) {
        if (object.kind === 'platformEvent') channels.add(`/event/${object.apiName}`);
    }
    const channelDir = join(forceAppDir, 'platformEventChannels');
    if (existsSync(channelDir)) {
        for (const file of readdirSync(channelDir)) {
            const name = file.replace(/\.platformEventChannel-meta\.xml$/, '');
            if (name !== file) channels.add(`/event/${name}`);
        }
    }
    return channels;
}
