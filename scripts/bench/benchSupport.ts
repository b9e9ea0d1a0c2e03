/** What the gateway benchmarks share: a gateway on a fresh demo org, seeded traffic, results. */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { loadConfig, type GatewayConfig } from '../../gateway/src/config';
import { createGateway, type Gateway } from '../../gateway/src/createGateway';
import type { CrmPort } from '../../gateway/src/crm/crmPort';
import { connectSalesforce } from '../../gateway/src/crm/salesforce/orgPorts';
import type { SalesforceCrm } from '../../gateway/src/crm/salesforce/salesforceCrm';
import { SeededRandom } from '../../localorg/src/seed/random';
import type { CollectRequestInput } from '../../gateway/src/contracts/visitorProtocol';
import type { PublishTransport } from '../../gateway/src/live/publisher';
import { signedInTo } from '../../gateway/src/local/localMode';
import { startOrgProcess, type OrgProcess } from './orgProcess';

export const root = resolve(import.meta.dirname, '../..');
export { BROWSER_USER_AGENT } from './browserUserAgent';

export interface BenchGateway extends Gateway {
    /**
     * The local org the gateway is signed in to, in a process of its own (its API usage
     * counts the requests; its memory and CPU are not the gateway's).
     */
    org: OrgProcess;
    crm: SalesforceCrm;
    close(): Promise<void>;
}

/**
 * A fresh demo org server for a benchmark, in a process of its own as Salesforce is not in
 * the gateway's, with the gateway settings signed in to it over HTTP: rate limits out of
 * the way and an API allocation no run reaches.
 */
export async function benchOrg(
    dirPrefix: string,
    env: Record<string, string> = {}
): Promise<{ org: OrgProcess; signedIn: GatewayConfig }> {
    const dataDir = mkdtempSync(join(tmpdir(), dirPrefix));
    const config = loadConfig(
        {
            SIGHTLINE_LOG_LEVEL: 'silent',
            SIGHTLINE_DATA_DIR: dataDir,
            SIGHTLINE_RATE_PER_IP: '1000000',
            SIGHTLINE_RATE_PER_SITE: '1000000',
            ...env
        },
        root
    );
    const org = await startOrgProcess({
        dataDir,
        forceAppDir: config.forceAppDir,
        dailyApiRequests: 100_000_000
    });
    return { org, signedIn: signedInTo(config, org.signIn) };
}

/**
 * The gateway as `npm start` runs it: a fresh demo org server (another process), the gateway signed in to it
 * through the Salesforce adapter. Live events go to `transport` when given (their cost is
 * the event delivery budget, measured elsewhere), else to the org.
 */
export async function benchGateway(
    options: {
        transport?: PublishTransport;
        env?: Record<string, string>;
        /** The CRM port the gateway gets, from the adapter (e.g. `withWritesInMemory`). */
        crm?: (adapter: CrmPort) => CrmPort;
    } = {}
): Promise<BenchGateway> {
    const { org, signedIn } = await benchOrg('sightline-bench-', options.env);
    const ports = await connectSalesforce(signedIn);
    const gateway = await createGateway(signedIn, {
        ...ports,
        ...(options.transport ? { events: options.transport } : {}),
        ...(options.crm ? { crm: options.crm(ports.crm) } : {})
    });
    return {
        ...gateway,
        org,
        crm: ports.crm,
        async close() {
            await gateway.app.close();
            await ports.close();
            await org.close();
        }
    };
}

/** A seeded source of numbers in [0, 1): the demo's PRNG, so there is one. */
export function random(seed: number): () => number {
    const seeded = new SeededRandom(seed);
    return () => seeded.next();
}

const PATHS = [
    '/',
    '/product',
    '/pricing',
    '/customers',
    '/blog/data-mesh',
    '/request-demo',
    '/docs/api'
];

export interface Visit {
    visitorId: string;
    sessionId: string;
    tabId: string;
    ip: string;
}

export function visits(count: number, seed = 42): Visit[] {
    const next = random(seed);
    return Array.from({ length: count }, (_, i) => {
        const id = String(i).padStart(8, '0');
        const ip =
            next() < 0.3
                ? `198.18.${Math.floor(next() * 256)}.${1 + Math.floor(next() * 250)}`
                : `${1 + Math.floor(next() * 220)}.${Math.floor(next() * 256)}.${Math.floor(next() * 256)}.${1 + Math.floor(next() * 250)}`;
        return {
            visitorId: `bench-vis-${id}`,
            sessionId: `bench-ses-${id}`,
            tabId: `bench-tab-${id}`,
            ip
        };
    });
}

/** A realistic beacon: mostly heartbeats and scrolls, sometimes a page view. */
export function beaconFor(
    visit: Visit,
    n: number,
    next: () => number,
    first = false
): CollectRequestInput {
    const path = PATHS[Math.floor(next() * PATHS.length)]!;
    const url = `https://www.lumendata.example${path}`;
    const roll = next();
    const events: CollectRequestInput['events'] =
        first || roll < 0.25
            ? [
                  {
                      type: 'pageview',
                      ts: n,
                      url,
                      title: path,
                      referrer: first ? 'https://www.google.com/' : ''
                  }
              ]
            : roll < 0.6
              ? [
                    { type: 'scroll', ts: n, url, depth: Math.round(next() * 100) / 100 },
                    { type: 'heartbeat', ts: n, active: true }
                ]
              : [{ type: 'heartbeat', ts: n, active: true }];
    return {
        siteKey: 'demo-site-key',
        visitorId: visit.visitorId,
        sessionId: visit.sessionId,
        tabId: visit.tabId,
        ...(first
            ? {
                  utm: next() < 0.3 ? { source: 'google', medium: 'cpc', campaign: 'q4' } : {},
                  device: { type: 'desktop', browser: 'Chrome', os: 'macOS' }
              }
            : {}),
        events
    };
}

export function writeResult(name: string, result: unknown): void {
    mkdirSync(join(root, 'bench-results'), { recursive: true });
    writeFileSync(
        join(root, 'bench-results', `${name}.json`),
        `${JSON.stringify(result, null, 2)}\n`
    );
    console.log(`Wrote bench-results/${name}.json`);
}
