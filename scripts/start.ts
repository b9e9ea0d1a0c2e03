/**
 * `npm start`: builds what is needed, starts the gateway in local mode on the local org and
 * the demo website on an origin of its own, and prints where to go.
 *
 *   npm start -- --reset           recreate the local org from the seed
 *   npm start -- --port 4400       use another port (or SIGHTLINE_PORT)
 *   npm start -- --site-port 4500  the demo website's port (or SIGHTLINE_SITE_PORT; default: port + 1)
 *   npm start -- --no-build        reuse the last build
 *   npm start -- --no-sim          no simulated visitors on the demo website
 */
import { parseArgs } from 'node:util';
import { resolve } from 'node:path';
import { loadConfig } from '../gateway/src/config';
import { PortInUseError, startGateway } from '../gateway/src/server';
import { startDemoSite } from '../gateway/src/site/demoSite';
import { buildAll } from './build/build';
import { startSimulation } from './simulate/simulate';

const root = resolve(import.meta.dirname, '..');
const { values } = parseArgs({
    options: {
        reset: { type: 'boolean', default: false },
        port: { type: 'string' },
        'site-port': { type: 'string' },
        'no-build': { type: 'boolean', default: false },
        'no-sim': { type: 'boolean', default: false }
    }
});

try {
    const config = loadConfig(
        {
            ...process.env,
            ...(values.port ? { SIGHTLINE_PORT: values.port } : {}),
            ...(values['site-port'] ? { SIGHTLINE_SITE_PORT: values['site-port'] } : {})
        },
        root
    );
    if (!values['no-build']) {
        const started = Date.now();
        process.stdout.write('Building the LWCs and the local Lightning shell… ');
        await buildAll(root);
        console.log(`done in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    }
    const gateway = await startGateway(config, { reset: values.reset });
    const site = await startDemoSite({
        port: config.sitePort,
        host: config.host,
        gatewayUrl: gateway.url
    }).catch(async (error: unknown) => {
        await gateway.close();
        throw error;
    });
    console.log(`\nSightline is running in local mode (local org: ${config.dataDir}).`);
    console.log(`  Rep console:  ${gateway.url}/`);
    console.log(`  Demo website: ${site.url}/`);
    const simulation = values['no-sim']
        ? undefined
        : startSimulation({ url: gateway.url, siteUrl: site.url });
    if (simulation)
        console.log(
            `  Simulated visitors are browsing the demo website (npm start -- --no-sim to turn them off).`
        );
    console.log('Press Ctrl+C to stop.');
    const stop = async () => {
        await simulation?.stop();
        await site.close();
        await gateway.close();
        process.exit(0);
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
} catch (error) {
    console.error(error instanceof PortInUseError ? `\n${error.message}` : error);
    process.exit(1);
}
