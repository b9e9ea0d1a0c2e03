/**
 * LOCAL MODE, the composition root of `npm start`: starts the local org server (OAuth,
 * REST, Pub/Sub, the streaming endpoint, and the Lightning shell with its UI API and Apex
 * stand-in), then runs the product gateway on it through the Salesforce adapter, exactly
 * as against any org. This folder is the only part of the gateway that knows the local org
 * exists; a production gateway (`SIGHTLINE_ORG`) has none of it.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { listUsers } from '../../../localorg/src/lightning/localSession';
import { startLocalOrg, type RunningLocalOrg } from '../../../localorg/src/server';
import type { GatewayConfig } from '../config';
import { createGateway, type Gateway } from '../createGateway';
import { connectSalesforce } from '../crm/salesforce/orgPorts';
import { listen, PortInUseError } from '../listen';
import { countServerErrors, type RunningGateway } from '../runningGateway';
import { editTrustedUrl } from '../../../localorg/src/tooling/trustedUrls';
import { RedisState } from '../state/redisState';
import { startLocalBalancer, type LocalBalancer } from './localBalancer';

/** The package's Trusted URL for the gateway (force-app/main/default/cspTrustedSites). */
const GATEWAY_TRUSTED_URL = 'Sightline_Gateway';

/**
 * What a gateway needs to sign in to a local org, as plain data (it crosses a process
 * boundary when the org runs in a process of its own, as the benchmarks run it): the org's
 * address, its dev connected app's key, and its admin (the integration user of a demo org).
 */
export interface LocalOrgSignIn {
    url: string;
    pubSubEndpoint: string;
    consumerKey: string;
    privateKeyFile: string;
    username: string;
    namespace?: string;
}

export function localOrgSignIn(org: RunningLocalOrg): LocalOrgSignIn {
    const users = listUsers(org.store);
    const integration = users.find((u) => u.isAdmin) ?? users[0];
    const username = integration
        ? String(org.store.get('User', integration.id)?.Username ?? '')
        : '';
    if (!org.credentials)
        throw new Error('The local org has no dev connected app to sign in with.');
    return {
        url: org.url(),
        pubSubEndpoint: org.pubSubEndpoint,
        consumerKey: org.credentials.consumerKey,
        privateKeyFile: org.credentials.privateKeyFile,
        username,
        ...(org.namespace ? { namespace: org.namespace } : {})
    };
}

/**
 * The settings of a gateway signed in to the local org as to any org: JWT bearer with the
 * org's dev connected app and key pair, as its admin, Change Data Capture from its Pub/Sub
 * API (a self-signed certificate on loopback).
 */
export function signedInTo(config: GatewayConfig, signIn: LocalOrgSignIn): GatewayConfig {
    return {
        ...config,
        orgUrl: signIn.url,
        orgSignIn: {
            flow: 'jwt',
            clientId: signIn.consumerKey,
            username: signIn.username,
            privateKeyFile: signIn.privateKeyFile
        },
        pubSub: { endpoint: signIn.pubSubEndpoint, trustAnyCertificate: true },
        ...(signIn.namespace ? { namespace: signIn.namespace } : {})
    };
}

export function localSignInSettings(config: GatewayConfig, org: RunningLocalOrg): GatewayConfig {
    return signedInTo(config, localOrgSignIn(org));
}

/**
 * `npm start`'s gateway, on the same code path as production: the local org server, whose
 * Apex stand-in calls out to this gateway, and the gateway connected to it through the
 * Salesforce adapter. Live updates are `Visitor_Update__e` events published to the org; the
 * console's empApi receives them from the org's event bus. The rep console's URL is the org's.
 */
export async function startLocalGateway(
    config: GatewayConfig,
    /**
     * `trustedUrl`: activate the package's Trusted URL for the gateway (default true).
     * `gateways`: how many gateways serve the org, behind a local balancer on the gateway's
     * port, sharing their state through the Redis at `config.redisUrl` (default 1).
     */
    options: { reset?: boolean; trustedUrl?: boolean; gateways?: number } = {}
): Promise<RunningGateway> {
    const count = options.gateways ?? 1;
    if (count > 1 && !config.redisUrl)
        throw new Error(
            'Several gateways share their live state through Redis: set SIGHTLINE_REDIS_URL.'
        );
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
    const gateways: Gateway[] = [];
    const errors: (() => number)[] = [];
    const opened: { close(): Promise<void> }[] = [];
    let balancer: LocalBalancer | undefined;
    try {
        const orgConfig = localSignInSettings(config, org);
        for (let i = 0; i < count; i++) {
            const ports = await connectSalesforce(orgConfig, (error) => console.error(error));
            opened.push(ports);
            const shared = config.redisUrl
                ? new RedisState({ url: config.redisUrl, onError: (e) => console.error(e) })
                : undefined;
            if (shared) opened.push(shared);
            const gateway = await createGateway(orgConfig, {
                ...ports,
                ...(shared ? { shared } : {})
            });
            gateways.push(gateway);
            opened.push(gateway.app);
            demoSiteRedirect(gateway.app, config);
            errors.push(countServerErrors(gateway.app));
        }
        if (org.seeded)
            gateways[0]!.app.log.info('Created the local org and loaded the demo company');
        // The demo website and the local org take the next two ports: suggest the one after.
        const hint = { suggest: config.port + 3 };
        if (count === 1) gatewayUrl = await listen(gateways[0]!.app, config, hint);
        else {
            // Each gateway on a port of its own; the balancer takes the gateway's port.
            const upstreams = [];
            for (const gateway of gateways) {
                const url = new URL(await listen(gateway.app, { ...config, port: 0 }));
                upstreams.push({ host: url.hostname, port: Number(url.port) });
            }
            balancer = await startLocalBalancer(upstreams, config).catch((error: unknown) => {
                throw (error as NodeJS.ErrnoException).code === 'EADDRINUSE'
                    ? new PortInUseError(config.port, hint)
                    : error;
            });
            const address = balancer.server.address();
            const port = typeof address === 'object' && address ? address.port : config.port;
            gatewayUrl = `http://${config.host === '0.0.0.0' ? 'localhost' : config.host}:${port}`;
        }
        // As the subscriber admin's setup: the Trusted URL points at this gateway, active
        // unless asked otherwise (then the console's socket is refused and events carry it).
        // The socket's scheme: a CSP source of http:// does not allow ws:// (nor https:// wss://).
        editTrustedUrl(org.tooling, GATEWAY_TRUSTED_URL, {
            endpointUrl: gatewayUrl.replace(/^http/, 'ws'),
            isActive: options.trustedUrl ?? true
        });
    } catch (error) {
        await balancer?.close();
        for (const resource of opened.reverse()) await resource.close();
        await org.close();
        throw error;
    }
    const { app, live } = gateways[0]!;
    const users = listUsers(org.store);
    const first = users.find((u) => !u.isAdmin) ?? users[0];
    return {
        app,
        url: gatewayUrl,
        consoleUrl: org.url(),
        ...(first ? { signedInAs: `${first.name}${first.title ? `, ${first.title}` : ''}` } : {}),
        // Every gateway holds every live visit: the first one's count is the org's.
        status: () => ({
            visitorsLive: live.liveVisits,
            errors: errors.reduce((sum, count) => sum + count(), 0)
        }),
        async close() {
            await balancer?.close();
            for (const resource of opened.reverse()) await resource.close();
            await org.close();
        }
    };
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
