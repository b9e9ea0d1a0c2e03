/**
 * The gateway as a fastify application, from its ports, with the product's routes only:
 * ingest, the visitor socket and booker, the rep and admin actions, the tracker, health.
 * It knows nothing of where its ports lead: production (a Salesforce org) and local mode
 * (the local org, plus the shell in `local/`) are composition roots around it. Process
 * concerns (listening, signals) stay in the roots, so tests build it and use `app.inject`.
 */
import websocket from '@fastify/websocket';
import Fastify, { type FastifyInstance } from 'fastify';
import { ActionRegistry } from './actions/actionRegistry';
import { registerAdminActions } from './admin/adminActions';
import type { GatewayConfig } from './config';
import type { LiveGateway } from './live/liveGateway';
import { Screening } from './ingest/screening';
import { TrustedProxies } from './ingest/trustedProxies';
import { registerLive } from './live/registerLive';
import type { GatewayPorts } from './ports';
import { registerFindLead } from './rep/findLead';
import { trackerRoutes } from './site/trackerRoutes';

export interface Gateway {
    app: FastifyInstance;
    live: LiveGateway;
    /** The rep and admin actions (what the packaged Apex calls on /api/v1/actions). */
    actions: ActionRegistry;
}

export async function createGateway(config: GatewayConfig, ports: GatewayPorts): Promise<Gateway> {
    const app = Fastify({
        logger:
            config.logLevel === 'silent'
                ? false
                : { level: config.logLevel, ...(config.logFile ? { file: config.logFile } : {}) },
        bodyLimit: 256 * 1024,
        return503OnClosing: true,
        // The client IP comes from X-Forwarded-For only when a trusted proxy (local mode:
        // loopback, so the simulator can present world IPs) sent the request.
        trustProxy: new TrustedProxies(config.trustedProxies).trust
    });

    // Hostile input must never take the process down: bad JSON is a 400, and 5xx details
    // stay in the log.
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

    const actions = new ActionRegistry();
    const screening = new Screening();
    const live = await registerLive(app, { config, ports, actions, screening });
    registerAdminActions(actions, {
        crm: ports.crm,
        app,
        mode: config.mode,
        now: () => live.clock.now(),
        liveVisitors: (limit) => live.recentVisitors(limit),
        liveSessions: () => live.liveVisits,
        routingAppliedAt: () => live.routingAppliedAt,
        deliveries: () => live.deliveryUsage(),
        keptOut: () => screening.counts,
        orgWrites: ports.orgWrites
    });
    registerFindLead(actions, ports.crm);
    await trackerRoutes(app, config);
    app.get('/healthz', async () => ({ status: 'ok' }));
    return { app, live, actions };
}
