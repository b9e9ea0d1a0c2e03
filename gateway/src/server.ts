/**
 * The gateway process in local mode: opens the local org, serves the shell and the APIs,
 * and closes cleanly on SIGINT/SIGTERM. A busy port is a clear message, not a stack trace.
 */
import type { FastifyInstance } from 'fastify';
import { buildApp } from './app';
import type { GatewayConfig } from './config';
import { openLocalOrg } from './crm/localOrg/openLocalOrg';

export interface RunningGateway {
    app: FastifyInstance;
    url: string;
    close(): Promise<void>;
}

export class PortInUseError extends Error {
    constructor(readonly port: number) {
        super(`Port ${port} is already in use. Stop the other process, or pick another port: npm start -- --port ${port + 1}`);
    }
}

export async function startGateway(config: GatewayConfig, options: { reset?: boolean } = {}): Promise<RunningGateway> {
    const { org, seeded } = openLocalOrg({ dataDir: config.dataDir, forceAppDir: config.forceAppDir, reset: options.reset });
    const { app } = await buildApp(config, org);
    if (seeded) app.log.info('Created the local org and loaded the demo company');
    try {
        await app.listen({ port: config.port, host: config.host });
    } catch (error) {
        await app.close();
        org.close();
        if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') throw new PortInUseError(config.port);
        throw error;
    }
    const address = app.server.address();
    const port = typeof address === 'object' && address ? address.port : config.port;
    return {
        app,
        url: `http://${config.host === '0.0.0.0' ? 'localhost' : config.host}:${port}`,
        async close() {
            await app.close();
            org.close();
        }
    };
}
