/**
 * `npm start`: checks its options and ports, builds what is needed, starts the gateway
 * (local mode on the local org, or an org with SIGHTLINE_ORG) and the demo website on an
 * origin of its own, and prints a short summary. Request logs go to a file unless
 * `--verbose`.
 */
import { createServer } from 'node:net';
import { mkdirSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig, type GatewayConfig } from '../gateway/src/config';
import { PortInUseError, startGateway } from '../gateway/src/server';
import { startDemoSite } from '../gateway/src/site/demoSite';
import { startRedisServer, type RunningRedis } from '../gateway/src/state/redisServer';
import { buildAll } from './build/build';
import { readOrgConfig } from './org/orgConfigFile';
import { startSimulation } from './simulate/simulate';

const USAGE = `Usage: npm start -- [options]

Runs Sightline locally: the gateway on the local org, the local Lightning shell and the
demo website with simulated visitors. With SIGHTLINE_ORG set, the gateway serves that org.

Options:
  --port <n>        the gateway's port (default 4300, or SIGHTLINE_PORT; 0: any free port);
                    the local org and rep console take the port + 2
  --site-port <n>   the demo website's port (default: the gateway's port + 1, or SIGHTLINE_SITE_PORT)
  --reset           recreate the local org from the seed
  --no-build        reuse the last build
  --no-sim          no simulated visitors on the demo website
  --gateways <n>    run n gateways (2–8) behind a local balancer on the gateway's port,
                    sharing their live state through a redis-server started here
                    (or the one SIGHTLINE_REDIS_URL names)
  --org-config <f>  the gateway's settings for a Salesforce org, as npm run org:connect
                    writes them (SIGHTLINE_* lines; the environment's values win)
  --no-trusted-url  leave the gateway's Trusted URL inactive: the console's direct socket is
                    blocked (as in an org whose admin has not activated it) and live
                    updates come through Platform Events
  --verbose         request logs on the terminal instead of <data dir>/gateway.log
  -h, --help        this help`;

const OPTIONS = {
    help: { type: 'boolean', short: 'h', default: false },
    reset: { type: 'boolean', default: false },
    port: { type: 'string' },
    'site-port': { type: 'string' },
    gateways: { type: 'string', default: '1' },
    'org-config': { type: 'string' },
    'no-build': { type: 'boolean', default: false },
    'no-sim': { type: 'boolean', default: false },
    'no-trusted-url': { type: 'boolean', default: false },
    verbose: { type: 'boolean', default: false }
} as const;

/** A problem the user can fix: said in one line, without a stack trace. */
class StartError extends Error {}

const root = resolve(import.meta.dirname, '..');

function options() {
    try {
        return parseArgs({ options: OPTIONS, allowPositionals: false }).values;
    } catch (error) {
        throw new StartError(`${(error as Error).message}\n\n${USAGE}`);
    }
}

/** Whether host:port can be listened on now (0: any port, always). */
function portFree(port: number, host: string): Promise<boolean> {
    if (port === 0) return Promise.resolve(true);
    return new Promise((done) => {
        const probe = createServer()
            .once('error', () => done(false))
            .once('listening', () => probe.close(() => done(true)))
            .listen(port, host);
    });
}

async function checkPorts(config: GatewayConfig): Promise<void> {
    // Local mode takes three ports from --port: the gateway's, the demo website's and the
    // local org's (the rep console's); the suggestion skips past all three.
    if (!(await portFree(config.port, config.host)))
        throw new PortInUseError(config.port, { suggest: config.port + 3 });
    if (
        config.mode === 'local' &&
        config.port !== 0 &&
        !(await portFree(config.port + 2, config.host))
    )
        throw new PortInUseError(config.port + 2, {
            server: 'the local org and rep console',
            suggest: config.port + 3
        });
    if (config.mode === 'local' && !(await portFree(config.sitePort, config.host)))
        throw new PortInUseError(config.sitePort, {
            server: 'the demo website',
            option: '--site-port',
            suggest: config.sitePort + 1
        });
}

/** A path as the user would type it from the repository: relative inside it, absolute outside. */
function shown(path: string): string {
    const inside = relative(root, path);
    return inside && !inside.startsWith('..') ? inside : path;
}

function clock(): string {
    return new Date().toTimeString().slice(0, 5);
}

async function main(): Promise<void> {
    const values = options();
    if (values.help) {
        console.log(USAGE);
        return;
    }
    let config: GatewayConfig;
    try {
        config = loadConfig(
            {
                ...(values['org-config'] !== undefined
                    ? readOrgConfig(resolve(values['org-config']))
                    : {}),
                ...process.env,
                ...(values.port !== undefined ? { SIGHTLINE_PORT: values.port } : {}),
                ...(values['site-port'] !== undefined
                    ? { SIGHTLINE_SITE_PORT: values['site-port'] }
                    : {})
            },
            root
        );
    } catch (error) {
        throw new StartError((error as Error).message);
    }
    const gateways = Number(values.gateways);
    if (!Number.isInteger(gateways) || gateways < 1 || gateways > 8)
        throw new StartError(
            `--gateways: a number from 1 to 8, not ${values.gateways}\n\n${USAGE}`
        );
    if (gateways > 1 && config.mode !== 'local')
        throw new StartError(
            '--gateways runs several gateways locally; against an org, start each gateway with the same SIGHTLINE_REDIS_URL behind your balancer (docs/GATEWAY.md).'
        );
    await checkPorts(config);
    mkdirSync(config.dataDir, { recursive: true });
    // Several gateways share their state through Redis: one of our own unless one is named.
    let redis: RunningRedis | undefined;
    if (gateways > 1 && !config.redisUrl) {
        const dir = join(config.dataDir, 'redis');
        mkdirSync(dir, { recursive: true });
        redis = await startRedisServer({ dir });
        config = { ...config, redisUrl: redis.url };
    }
    const logFile = join(config.dataDir, 'gateway.log');
    if (!values.verbose) config = { ...config, logFile };

    if (!values['no-build']) {
        const started = Date.now();
        process.stdout.write('Building the LWCs and the local Lightning shell… ');
        await buildAll(root);
        console.log(`done in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    }
    const gateway = await startGateway(config, {
        reset: values.reset,
        trustedUrl: !values['no-trusted-url'],
        gateways
    }).catch(async (error: unknown) => {
        await redis?.stop();
        throw error;
    });
    const site =
        config.mode === 'local'
            ? await startDemoSite({
                  port: config.sitePort,
                  host: config.host,
                  gatewayUrl: gateway.url
              }).catch(async (error: unknown) => {
                  await gateway.close();
                  throw error;
              })
            : undefined;
    const simulation =
        site && !values['no-sim']
            ? startSimulation({ url: gateway.url, siteUrl: site.url })
            : undefined;

    console.log(
        config.mode === 'local'
            ? `\nSightline is running locally (local org: ${shown(config.dataDir)}).`
            : `\nSightline's gateway is serving ${config.orgUrl}.`
    );
    if (gateway.consoleUrl) console.log(`  Rep console:   ${gateway.consoleUrl}/`);
    console.log(
        gateways > 1
            ? `  Gateways:      ${gateways}, behind the balancer at ${gateway.url}/ (Redis: ${config.redisUrl})`
            : `  Gateway:       ${gateway.url}/`
    );
    if (site) console.log(`  Demo website:  ${site.url}/`);
    if (gateway.signedInAs)
        console.log(
            `  Signed in as:  ${gateway.signedInAs} (switch user in the console's user menu)`
        );
    console.log(
        simulation
            ? '  Simulated visitors are browsing the demo website (--no-sim turns them off).'
            : '  No simulated visitors.'
    );
    console.log(
        values.verbose
            ? '  Request logs:  below'
            : `  Request logs:  ${shown(logFile)} (--verbose shows them here)`
    );
    console.log('Press Ctrl+C to stop.\n');

    // One line when the picture changes: how many visitors are live, how many errors so far.
    let last = '';
    const summary = setInterval(() => {
        const { visitorsLive, errors } = gateway.status();
        const line = `${visitorsLive} visitor${visitorsLive === 1 ? '' : 's'} live · ${errors} server error${errors === 1 ? '' : 's'}`;
        if (line !== last) console.log(`  ${clock()}  ${line}`);
        last = line;
    }, 15_000);
    summary.unref();

    // Ctrl+C reaches npm and this process alike, and npm passes it on again: a second signal
    // while stopping must not cut the stop short (Redis would outlive the gateways).
    let stopping = false;
    const stop = async () => {
        if (stopping) return;
        stopping = true;
        clearInterval(summary);
        await simulation?.stop();
        await site?.close();
        await gateway.close();
        await redis?.stop();
        process.exit(0);
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
}

try {
    await main();
} catch (error) {
    const known = error instanceof StartError || error instanceof PortInUseError;
    console.error(
        known || (error as Error).name === 'OrgSignInError'
            ? `\nnpm start: ${(error as Error).message}`
            : error
    );
    process.exit(1);
}
