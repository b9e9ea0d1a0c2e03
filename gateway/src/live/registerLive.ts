/**
 * Registers the live gateway on the app: ingest, the visitor socket and booker, the rep
 * actions (in the registry and over REST), and the publisher on the local event bus.
 * Each area is its own fastify plugin; this is the one place that wires them.
 */
import type { FastifyInstance } from 'fastify';
import type { ActionRegistry } from '../actions/actionRegistry';
import type { GatewayConfig } from '../config';
import { readSettings, readSites } from '../crm/customMetadata';
import type { LocalOrg } from '../crm/localOrg/localOrg';
import { LocalOrgCrm } from '../crm/localOrgCrm';
import { DemoCompanyProvider, type CompanyProvider } from '../enrich/companyProvider';
import { BackPressure } from '../ingest/backPressure';
import { collectRoutes } from '../ingest/collectRoutes';
import { RateLimiter } from '../ingest/rateLimiter';
import { Screening } from '../ingest/screening';
import { Sites } from '../ingest/sites';
import type { LocalEventBus } from '../local/localEventBus';
import { actionRoutes } from '../rep/actionRoutes';
import { registerRepActions } from '../rep/repActions';
import { RetentionPurge } from '../privacy/retentionPurge';
import { visitorRoutes } from '../visitor/visitorRoutes';
import { systemClock, type Clock } from './clock';
import { LiveGateway } from './liveGateway';
import { LocalBusTransport, type PublishTransport } from './publisher';

export interface LiveOptions {
    clock?: Clock;
    /** What the ingest keeps out (bots, Do-Not-Track, no consent), counted for Health. */
    screening?: Screening;
    companyProvider?: CompanyProvider;
    transport?: PublishTransport;
}

export async function registerLive(
    app: FastifyInstance,
    deps: { config: GatewayConfig; org: LocalOrg; bus: LocalEventBus; actions: ActionRegistry },
    options: LiveOptions = {}
): Promise<LiveGateway> {
    const { config, org, bus, actions } = deps;
    const clock = options.clock ?? systemClock;
    const settings = {
        ...readSettings(config.forceAppDir),
        ...(config.endAfterMinutes ? { endAfterMs: config.endAfterMinutes * 60_000 } : {})
    };
    const crm = new LocalOrgCrm(org, settings);
    const sites = new Sites(readSites(config.forceAppDir));
    const live = await LiveGateway.start({
        crm,
        clock,
        settings,
        companyProvider: options.companyProvider ?? new DemoCompanyProvider(),
        transport: options.transport ?? new LocalBusTransport(bus),
        batchWindowMs: config.batchWindowMs,
        onError: (error) => app.log.error(error)
    });
    registerRepActions(actions, live);
    const screening = options.screening ?? new Screening();
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
    await app.register(actionRoutes, {
        actions,
        apiKey: config.apiKey,
        user: (id) => live.decisions.user(id)
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
