/**
 * `npm run simulate`: realistic visitors on the demo website, sent to a running gateway.
 *
 *   npm run simulate -- --url http://127.0.0.1:4300 --visitors 500 --seed 7 --rate 20 --duration 30
 *
 *   --url        the gateway (default http://127.0.0.1:4300, or SIGHTLINE_PORT)
 *   --site-url   the demo website the visitors browse (default: the gateway's port + 1, or
 *                SIGHTLINE_SITE_PORT), in the page URLs and the Origin of every request
 *   --visitors   most visitors in the run (default 3000)
 *   --seed       the plan's seed: the same seed gives the same visitors (default 20261125)
 *   --rate       new visitors per minute (default 20: some 60 on the site at once)
 *   --duration   minutes after which nobody new arrives (default 120)
 */
import { parseArgs } from 'node:util';
import { DEFAULT_OPTIONS, planSimulation, type SimulationOptions } from './plan';
import { runSimulation, type RunningSimulation } from './runner';

export interface SimulatorSettings extends Partial<SimulationOptions> {
    /** The gateway. */
    url: string;
    /** The demo website. */
    siteUrl: string;
    maxConcurrent?: number;
}

/** Plans and starts a simulation (used by `npm start` in-process). */
export function startSimulation(
    settings: SimulatorSettings
): RunningSimulation & { visitors: number } {
    const plans = planSimulation(settings);
    return {
        ...runSimulation({
            url: settings.url,
            siteUrl: settings.siteUrl,
            plans,
            maxConcurrent: settings.maxConcurrent
        }),
        visitors: plans.length
    };
}

export function parseSimulatorArgs(
    args: string[],
    env: NodeJS.ProcessEnv = process.env
): SimulatorSettings {
    const { values } = parseArgs({
        args,
        options: {
            url: { type: 'string' },
            'site-url': { type: 'string' },
            visitors: { type: 'string' },
            seed: { type: 'string' },
            rate: { type: 'string' },
            duration: { type: 'string' }
        }
    });
    const number = (
        name: string,
        value: string | undefined,
        fallback: number,
        min: number,
        max: number
    ) => {
        if (value === undefined) return fallback;
        const n = Number(value);
        if (!Number.isFinite(n) || n < min || n > max)
            throw new Error(`--${name} must be a number from ${min} to ${max}`);
        return n;
    };
    const url = (name: string, value: string) => {
        try {
            return new URL(value);
        } catch {
            throw new Error(`--${name} must be a URL, like http://127.0.0.1:4300`);
        }
    };
    const gateway = url('url', values.url ?? `http://127.0.0.1:${env.SIGHTLINE_PORT ?? 4300}`);
    // Where npm start puts it: on the gateway's host, at SIGHTLINE_SITE_PORT or the next port.
    const site = values['site-url']
        ? url('site-url', values['site-url'])
        : new URL(
              `http://${gateway.hostname}:${env.SIGHTLINE_SITE_PORT ?? Number(gateway.port || 80) + 1}`
          );
    return {
        url: values.url ?? gateway.origin,
        siteUrl: site.origin,
        visitors: number('visitors', values.visitors, DEFAULT_OPTIONS.visitors, 1, 100_000),
        seed: number('seed', values.seed, DEFAULT_OPTIONS.seed, 0, 2 ** 32 - 1),
        ratePerMinute: number('rate', values.rate, DEFAULT_OPTIONS.ratePerMinute, 0.1, 10_000),
        durationMs:
            number(
                'duration',
                values.duration,
                DEFAULT_OPTIONS.durationMs / 60_000,
                0.1,
                7 * 24 * 60
            ) * 60_000
    };
}

if (import.meta.url === `file://${process.argv[1]}`) {
    let settings: SimulatorSettings;
    try {
        settings = parseSimulatorArgs(process.argv.slice(2));
    } catch (error) {
        console.error((error as Error).message);
        process.exit(2);
    }
    const health = await fetch(`${settings.url}/healthz`).catch(() => undefined);
    if (!health?.ok) {
        console.error(
            `No gateway answers at ${settings.url}: start it with \`npm start -- --no-sim\`, or pass --url.`
        );
        process.exit(1);
    }
    const site = await fetch(settings.siteUrl).catch(() => undefined);
    if (!site?.ok)
        console.warn(
            `No demo website answers at ${settings.siteUrl}: the visitors' page URLs name it all the same (pass --site-url to change it).`
        );
    const sim = startSimulation(settings);
    console.log(
        `Simulating ${sim.visitors} visitors (seed ${settings.seed}) on ${settings.siteUrl}/, reported to ${settings.url} — Ctrl+C to stop.`
    );
    const report = setInterval(() => {
        const s = sim.stats;
        const refused = Object.entries(s.refused)
            .map(([status, n]) => `${n}×${status}`)
            .join(' ');
        console.log(
            `  on site ${s.active} · arrived ${s.arrived} · beacons ${s.accepted} accepted${refused ? `, refused ${refused}` : ''}${s.networkErrors ? `, ${s.networkErrors} network errors` : ''}`
        );
    }, 10_000);
    const stop = async () => {
        clearInterval(report);
        await sim.stop();
        process.exit(0);
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    await sim.done;
    clearInterval(report);
    console.log(`Done: ${sim.stats.arrived} visitors, ${sim.stats.accepted} beacons accepted.`);
}
