/**
 * LOCAL MODE, the composition root of `npm start` and the tests: the gateway's ports over
 * the local org, and the stand-ins around the product — the local Lightning shell and its
 * cookie sign-in, the UI API, the Apex stand-in, the `lightning/empApi` event bus, static
 * resources and the demo website's old address. Nothing in the product imports this
 * folder; a production gateway (`SIGHTLINE_ORG`) has none of it.
 */
import { installPackagePermissions } from '../../../localorg/src/store/installPermissions';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { GatewayConfig } from '../config';
import type { LiveNotification } from '../contracts/liveContract';
import { readSettings, readSites } from '../crm/customMetadata';
import { LocalOrg } from '../../../localorg/src/store/localOrg';
import { readOrgSchema } from '../../../localorg/src/store/objectMetadata';
import { seedDemoOrg } from '../../../localorg/src/store/openLocalOrg';
import { createGateway, type Gateway } from '../createGateway';
import { DemoCompanyProvider, type CompanyProvider } from '../enrich/companyProvider';
import { systemClock, type Clock } from '../live/clock';
import type { PublishTransport } from '../live/publisher';
import { listen } from '../listen';
import type { GatewayPorts } from '../ports';
import { countServerErrors, type RunningGateway } from '../runningGateway';
import { localApexRoutes } from './localApex';
import { LocalEventBus } from './localEventBus';
import { LocalOrgCrm } from './localOrgCrm';
import { currentUser, listUsers } from './localSession';
import { startLocalOrg } from '../../../localorg/src/server';
import { editTrustedUrl } from '../../../localorg/src/tooling/trustedUrls';
import { connectSalesforce, notificationFields } from '../crm/salesforce/orgPorts';
import { shellRoutes } from './shellRoutes';
import { staticResourceRoutes } from './staticResourceRoutes';
import { uiApiRoutes } from './uiApiRoutes';

/** The package's Trusted URL for the gateway (force-app/main/default/cspTrustedSites). */
const GATEWAY_TRUSTED_URL = 'Sightline_Gateway';

export type { LocalOrg } from '../../../localorg/src/store/localOrg';
export { openLocalOrg } from '../../../localorg/src/store/openLocalOrg';
export { LocalOrgCrm } from './localOrgCrm';

/** Tests: the demo company in a local org that lives in memory only. */
export function seededOrgInMemory(forceAppDir: string): LocalOrg {
    const org = LocalOrg.open(':memory:', readOrgSchema(forceAppDir));
    seedDemoOrg(org);
    installPackagePermissions(org, forceAppDir);
    return org;
}

/** What tests and benchmarks may replace: the clock, the company provider, where events go. */
export interface LocalOptions {
    clock?: Clock;
    companyProvider?: CompanyProvider;
    transport?: PublishTransport;
}

export interface LocalGateway extends Gateway {
    bus: LocalEventBus;
}

/** `Visitor_Update__e` notifications on the local event bus, audience = that user only. */
export class LocalBusTransport implements PublishTransport {
    static readonly CHANNEL = '/event/Visitor_Update__e';
    constructor(private readonly bus: LocalEventBus) {}

    notify(notification: LiveNotification): void {
        this.bus.publish(
            LocalBusTransport.CHANNEL,
            'Visitor_Update__e',
            notificationFields(notification),
            (userId) => userId === notification.audience
        );
    }
}

/** The gateway's ports over the local org. */
export function localPorts(
    config: GatewayConfig,
    org: LocalOrg,
    bus: LocalEventBus,
    options: LocalOptions = {}
): GatewayPorts {
    const settings = readSettings(config.forceAppDir);
    return {
        crm: new LocalOrgCrm(org, settings),
        events: options.transport ?? new LocalBusTransport(bus),
        companyProvider: options.companyProvider ?? new DemoCompanyProvider(),
        clock: options.clock ?? systemClock,
        settings,
        // The local org is a development org: the demo site comes from unpackaged/.
        sites: readSites([config.forceAppDir, config.unpackagedDir])
    };
}

/** The product gateway on the local org, with the stand-ins registered around it. */
export async function buildLocalGateway(
    config: GatewayConfig,
    org: LocalOrg,
    options: LocalOptions = {}
): Promise<LocalGateway> {
    const bus = new LocalEventBus(eventChannels(config.forceAppDir, org));
    const gateway = await createGateway(config, localPorts(config, org, bus, options));
    const { app, actions } = gateway;
    bus.register(app, (request) => currentUser(org, request).id);
    uiApiRoutes(app, org);
    localApexRoutes(app, org, {
        actions,
        apiKey: config.apiKey,
        orgId: config.orgId,
        signingSecret: config.signingSecret
    });
    await shellRoutes(app, org, config.shellDir);
    staticResourceRoutes(app, config.forceAppDir);
    demoSiteRedirect(app, config);
    return { ...gateway, bus };
}

/**
 * `npm start`'s gateway, on the same code path as production: starts the local org server
 * (OAuth, REST, Pub/Sub, the streaming endpoint, and the Lightning shell whose Apex
 * stand-in calls out to this gateway), then connects to it through the Salesforce adapter
 * as to any org (JWT bearer with the local org's dev key pair). Live updates are
 * `Visitor_Update__e` events published to the org; the console's empApi receives them from
 * the org's event bus. The rep console's URL is the org's.
 */
export async function startLocalGateway(
    config: GatewayConfig,
    /** `trustedUrl`: activate the package's Trusted URL for the gateway (default true). */
    options: { reset?: boolean; trustedUrl?: boolean } = {}
): Promise<RunningGateway> {
    // The Named Credential's URL: known once the gateway listens, read at each callout.
    let gatewayUrl = '';
    const endpoint = {
        get url() {
            return gatewayUrl;
        },
        apiKey: config.apiKey,
        signing: { secret: config.signingSecret, orgId: config.orgId }
    };
    const org = await startLocalOrg({
        dataDir: config.dataDir,
        forceAppDir: config.forceAppDir,
        port: config.port === 0 ? 0 : config.port + 2,
        host: config.host,
        ...(options.reset ? { reset: true } : {}),
        ...(config.namespace !== undefined ? { namespace: config.namespace } : {}),
        lightning: { shellDir: config.shellDir, gateway: endpoint }
    });
    let gateway: Gateway | undefined;
    let errors: () => number = () => 0;
    let ports: (GatewayPorts & { close(): Promise<void> }) | undefined;
    try {
        const users = listUsers(org.store);
        const integration = users.find((u) => u.isAdmin) ?? users[0];
        const username = integration
            ? String(org.store.get('User', integration.id)?.Username ?? '')
            : '';
        const orgConfig: GatewayConfig = {
            ...config,
            orgUrl: org.url(),
            orgSignIn: {
                flow: 'jwt',
                clientId: org.credentials!.consumerKey,
                username,
                privateKeyFile: org.credentials!.privateKeyFile
            },
            ...(org.namespace ? { namespace: org.namespace } : {})
        };
        ports = await connectSalesforce(orgConfig, (error) => console.error(error));
        // Until the adapter follows Change Data Capture, edits made in the org (the admin's
        // rules through the UI API) would not reach its caches: the CRM port reads the local
        // org's store in process; events, sign-in and settings go through the org's APIs.
        const settings = readSettings(config.forceAppDir);
        ports = { ...ports, crm: new LocalOrgCrm(org.store, settings) };
        gateway = await createGateway(orgConfig, ports);
        demoSiteRedirect(gateway.app, config);
        errors = countServerErrors(gateway.app);
        if (org.seeded) gateway.app.log.info('Created the local org and loaded the demo company');
        // The demo website and the local org take the next two ports: suggest the one after.
        gatewayUrl = await listen(gateway.app, config, { suggest: config.port + 3 });
        // As the subscriber admin's setup: the Trusted URL points at this gateway, active
        // unless asked otherwise (then the console's socket is refused and events carry it).
        // The socket's scheme: a CSP source of http:// does not allow ws:// (nor https:// wss://).
        editTrustedUrl(org.tooling, GATEWAY_TRUSTED_URL, {
            endpointUrl: gatewayUrl.replace(/^http/, 'ws'),
            isActive: options.trustedUrl ?? true
        });
    } catch (error) {
        await gateway?.app.close();
        await ports?.close();
        await org.close();
        throw error;
    }
    const { app, live } = gateway;
    const users = listUsers(org.store);
    const first = users.find((u) => !u.isAdmin) ?? users[0];
    return {
        app,
        url: gatewayUrl,
        consoleUrl: org.url(),
        ...(first ? { signedInAs: `${first.name}${first.title ? `, ${first.title}` : ''}` } : {}),
        status: () => ({ visitorsLive: live.liveVisits, errors: errors() }),
        async close() {
            await app.close();
            await ports?.close();
            await org.close();
        }
    };
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

/** The demo website used to be under /site/ on the gateway; it has its own origin now. */
export function demoSiteRedirect(
    app: FastifyInstance,
    config: Pick<GatewayConfig, 'sitePort'>
): void {
    // Its port is known unless it is "any free port" (0).
    const toSite = async (request: FastifyRequest, reply: FastifyReply) => {
        if (config.sitePort === 0)
            return reply.code(404).send({
                message: 'The demo website has its own origin: see the URL `npm start` printed.',
                errorCode: 'NOT_FOUND'
            });
        const rest = request.url.replace(/^\/site\/?/, '');
        return reply.redirect(`http://${request.hostname}:${config.sitePort}/${rest}`);
    };
    app.get('/site', toSite);
    app.get('/site/*', toSite);
}
