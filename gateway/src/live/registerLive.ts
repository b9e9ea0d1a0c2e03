/**
 * Registers the live gateway on the app: ingest, the visitor socket and booker, the rep
 * actions (in the registry and over REST). Each area is its own fastify plugin; this is
 * the one place that wires them, from the gateway's ports.
 */
import type { FastifyInstance } from 'fastify';
import type { ActionRegistry } from '../actions/actionRegistry';
import type { GatewayConfig } from '../config';
import { BackPressure } from '../ingest/backPressure';
import { collectRoutes } from '../ingest/collectRoutes';
import { RateLimiter } from '../ingest/rateLimiter';
import type { Screening } from '../ingest/screening';
import { Sites } from '../ingest/sites';
import { apexCallerIdentity } from '../identity/registerIdentity';
import type { GatewayPorts } from '../ports';
import { actionRoutes } from '../rep/actionRoutes';
import { registerRepActions } from '../rep/repActions';
import { RetentionPurge } from '../privacy/retentionPurge';
import { visitorRoutes } from '../visitor/visitorRoutes';
import { EventChannels } from './eventChannels';
import { LiveGateway } from './liveGateway';
import { ConsoleSockets } from './socket/consoleSockets';
import { registerConsoleSocket } from './socket/registerConsoleSocket';

export async function registerLive(
    app: FastifyInstance,
    deps: {
        config: GatewayConfig;
        ports: GatewayPorts;
        actions: ActionRegistry;
        /** What the ingest keeps out (bots, Do-Not-Track, no consent), counted for Health. */
        screening: Screening;
    }
): Promise<LiveGateway> {
    const { config, ports, actions, screening } = deps;
    const { crm, clock } = ports;
    const settings = {
        ...ports.settings,
        ...(config.endAfterMinutes ? { endAfterMs: config.endAfterMinutes * 60_000 } : {})
    };
    const sites = new Sites(ports.sites);
    const consoleSockets = new ConsoleSockets();
    const live = await LiveGateway.start({
        crm,
        clock,
        settings,
        companyProvider: ports.companyProvider,
        transport: ports.events,
        consoleSockets,
        batchWindowMs: config.batchWindowMs,
        ...(ports.limits ? { readLimits: ports.limits } : {}),
        ...(ports.channels
            ? {
                  channels: new EventChannels(ports.channels, {
                      sharePercent: config.channelSharePercent,
                      onError: (error) =>
                          app.log.warn(error, 'Event channels: kept on the raw channel')
                  })
              }
            : {}),
        ...(ports.shared ? { shared: ports.shared } : {}),
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
    const backPressure = new BackPressure({
        maxInFlight: config.maxBeaconsInFlight,
        maxLiveVisits: config.maxLiveVisits
    });
    await app.register(collectRoutes, { live, sites, perIp, perSite, screening, backPressure });
    await app.register(visitorRoutes, { live, sites, crm, clock });
    const identity = apexCallerIdentity(config, crm, clock, live.state);
    await app.register(actionRoutes, { actions, apiKey: config.apiKey, identity });
    await registerConsoleSocket(app, {
        config,
        actions,
        sockets: consoleSockets,
        access: identity.access,
        crm,
        clock,
        nonces: live.state,
        epoch: () => live.publisher.epoch
    });
    const purge = new RetentionPurge(crm, clock, settings.retentionDays, (error) =>
        app.log.error(error)
    );
    purge.start();
    app.addHook('onClose', async () => {
        await purge.stop();
        await live.close();
    });
    return live;
}
