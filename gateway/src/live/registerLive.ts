/**
 * Registers the live gateway on the app: ingest, the visitor socket and booker, the rep
 * actions (in the registry and over REST). Each area is its own fastify plugin; this is
 * the one place that wires them, from the gateway's ports.
 */
import type { FastifyInstance } from 'fastify';
import type { ActionRegistry } from '../actions/actionRegistry';
import type { GatewayConfig } from '../config';
import { collectRoutes } from '../ingest/collectRoutes';
import { RateLimiter } from '../ingest/rateLimiter';
import { Sites } from '../ingest/sites';
import { apexCallerIdentity } from '../identity/registerIdentity';
import type { GatewayPorts } from '../ports';
import { actionRoutes } from '../rep/actionRoutes';
import { registerRepActions } from '../rep/repActions';
import { visitorRoutes } from '../visitor/visitorRoutes';
import { LiveGateway } from './liveGateway';

export async function registerLive(
    app: FastifyInstance,
    deps: { config: GatewayConfig; ports: GatewayPorts; actions: ActionRegistry }
): Promise<LiveGateway> {
    const { config, ports, actions } = deps;
    const { crm, clock } = ports;
    const settings = {
        ...ports.settings,
        ...(config.endAfterMinutes ? { endAfterMs: config.endAfterMinutes * 60_000 } : {})
    };
    const sites = new Sites(ports.sites);
    const live = await LiveGateway.start({
        crm,
        clock,
        settings,
        companyProvider: ports.companyProvider,
        transport: ports.events,
        batchWindowMs: config.batchWindowMs,
        onError: (error) => app.log.error(error)
    });
    registerRepActions(actions, live, crm);
    const perIp = new RateLimiter(
        { perSecond: config.ratePerIp, capacity: config.ratePerIp * 5 },
        clock
    );
    const perSite = new RateLimiter(
        { perSecond: config.ratePerSite, capacity: config.ratePerSite * 5 },
        clock
    );
    await app.register(collectRoutes, { live, sites, perIp, perSite });
    await app.register(visitorRoutes, { live, sites, crm, clock });
    await app.register(actionRoutes, {
        actions,
        apiKey: config.apiKey,
        identity: apexCallerIdentity(config, crm, clock)
    });
    app.addHook('onClose', async () => live.close());
    return live;
}
