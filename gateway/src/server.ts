/**
 * The gateway process in local mode: opens the local org, serves the shell and the APIs,
 * and closes cleanly on SIGINT/SIGTERM. A busy port is a clear message, not a stack trace.
 */
import type { FastifyInstance } from 'fastify';
import { buildApp } from './app';
import type { GatewayConfig } from './config';
import { openLocalOrg } from './crm/localOrg/openLocalOrg';
import { listen } from './listen';

export interface RunningGateway {
    app: FastifyInstance;
    url: string;
    close(): Promise<void>;
}

export { PortInUseError } from './listen';

export async function startGateway(
    config: GatewayConfig,
    options: { reset?: boolean } = {}
): Promise<RunningGateway> {
    const { org, seeded } = openLocalOrg({
        dataDir: config.dataDir,
        forceAppDir: config.forceAppDir,
        reset: options.reset
    });
    const { app } = await buildApp(config, org);
    if (seeded) app.log.info('Created the local org and loaded the demo company');
    let url: string;
    try {
        // The next port is where the demo website goes by default: suggest the one after.
        url = await listen(app, config, { suggest: config.port + 2 });
    } catch (error) {
        await app.close();
        org.close();
        throw error;
    }
    return {
        app,
        url,
        async close() {
            await app.close();
            org.close();
        }
    };
}
