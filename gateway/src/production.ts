/**
 * PRODUCTION, the composition root of a gateway that serves a Salesforce org
 * (`SIGHTLINE_ORG`): the product's routes on ports that reach the org, and nothing else —
 * no `/local/*` route, no cookie sign-in, no stand-in, no default API key (the settings
 * refuse to load without one).
 */
import type { GatewayConfig } from './config';
import { createGateway, type Gateway } from './createGateway';
import { connectSalesforce } from './crm/salesforce/orgPorts';
import { listen } from './listen';
import { countServerErrors, type RunningGateway } from './runningGateway';
import type { GatewayPorts } from './ports';
import { RedisState } from './state/redisState';

/** Builds the ports that reach the org (authenticates, reads its configuration). */
export type OrgConnector = (
    config: GatewayConfig
) => Promise<GatewayPorts & { close(): Promise<void> }>;

export async function createProductionGateway(
    config: GatewayConfig,
    ports: GatewayPorts
): Promise<Gateway> {
    if (config.mode !== 'org' || !config.orgUrl)
        throw new Error('A production gateway needs SIGHTLINE_ORG (the org to serve).');
    return createGateway(config, ports);
}

export async function startProductionGateway(
    config: GatewayConfig,
    connect: OrgConnector = (c) => connectSalesforce(c, (error) => console.error(error))
): Promise<RunningGateway> {
    const ports = await connect(config);
    // Behind a balancer with other gateways: the live state they share.
    const shared = config.redisUrl
        ? new RedisState({ url: config.redisUrl, onError: (error) => console.error(error) })
        : undefined;
    const { app, live } = await createProductionGateway(config, {
        ...ports,
        ...(shared ? { shared } : {})
    }).catch(async (error: unknown) => {
        await shared?.close();
        await ports.close();
        throw error;
    });
    const errors = countServerErrors(app);
    let url: string;
    try {
        url = await listen(app, config);
    } catch (error) {
        await app.close();
        await shared?.close();
        await ports.close();
        throw error;
    }
    return {
        app,
        url,
        status: () => ({ visitorsLive: live.liveVisits, errors: errors() }),
        async close() {
            await app.close();
            await shared?.close();
            await ports.close();
        }
    };
}
