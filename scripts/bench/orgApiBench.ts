/**
 * Org API benchmark (not a test): new visits through the Salesforce adapter — a production
 * gateway signed in by JWT to the local org server, over jsforce and HTTP — against the
 * local-mode gateway on the same org's SQLite store directly, in the same run with the same
 * traffic: each new visit's first beacon (recognition, company, Account match, the visitor
 * record) and two follow-up beacons, 32 requests in flight through app.inject.
 *
 * Reports new visits/s for both (ratio adapter / direct), and the org API requests per new
 * visit the adapter spent (target: < 1 per 20). Live events go to a transport that drops
 * them here: their cost is the event delivery budget, not API requests.
 *
 *   node --import tsx scripts/bench/orgApiBench.ts
 */
import type { FastifyInstance } from 'fastify';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { startLocalOrg } from '../../localorg/src/server';
import { loadConfig } from '../../gateway/src/config';
import { connectSalesforce } from '../../gateway/src/crm/salesforce/orgPorts';
import { createProductionGateway } from '../../gateway/src/production';
import { beaconFor, benchGateway, random, visits, writeResult, type Visit } from './benchSupport';

const NEW_VISITS = 600;
const FOLLOW_UPS = 2;
const IN_FLIGHT = 32;
const root = resolve(import.meta.dirname, '../..');
const ADMIN_USERNAME = 'priya.raman@lumendata.example.sightline';

function traffic(seed: number, prefix: string): { ip: string; body: string }[][] {
    const next = random(seed);
    const pool: Visit[] = visits(NEW_VISITS, seed).map((v) => ({
        ...v,
        visitorId: `${prefix}-${v.visitorId}`,
        sessionId: `${prefix}-${v.sessionId}`
    }));
    // Round 0: every visit's first beacon; then the follow-ups, visit by visit.
    return Array.from({ length: 1 + FOLLOW_UPS }, (_, round) =>
        pool.map((visit, i) => ({
            ip: visit.ip,
            body: JSON.stringify(beaconFor(visit, round * NEW_VISITS + i, next, round === 0))
        }))
    );
}

async function drive(
    app: FastifyInstance,
    rounds: { ip: string; body: string }[][]
): Promise<{ newVisitsPerSecond: number; failures: number; seconds: number }> {
    let failures = 0;
    const started = process.hrtime.bigint();
    for (const requests of rounds) {
        let index = 0;
        const worker = async () => {
            while (index < requests.length) {
                const request = requests[index++]!;
                const response = await app.inject({
                    method: 'POST',
                    url: '/v1/collect',
                    headers: {
                        'content-type': 'text/plain;charset=UTF-8',
                        origin: 'http://localhost:4300',
                        'x-forwarded-for': request.ip
                    },
                    payload: request.body
                });
                if (response.statusCode !== 202) failures++;
            }
        };
        await Promise.all(Array.from({ length: IN_FLIGHT }, worker));
    }
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    return { newVisitsPerSecond: NEW_VISITS / seconds, failures, seconds };
}

// The baseline: local mode, the CRM port straight on SQLite.
const direct = await benchGateway({ transport: { notify: () => {} } });
const baseline = await drive(direct.app, traffic(7, 'direct'));
await direct.close();

// Through the adapter: the local org server, a production gateway signed in by JWT.
const org = await startLocalOrg({
    dataDir: mkdtempSync(join(tmpdir(), 'sightline-orgapi-')),
    forceAppDir: join(root, 'force-app/main/default'),
    port: 0,
    logLevel: 'silent',
    dailyApiRequests: 1_000_000
});
const config = loadConfig(
    {
        SIGHTLINE_ORG: org.url(),
        SIGHTLINE_API_KEY: 'a-benchmark-secret-of-32-characters',
        SIGHTLINE_ORG_CLIENT_ID: org.credentials!.consumerKey,
        SIGHTLINE_ORG_USERNAME: ADMIN_USERNAME,
        SIGHTLINE_ORG_PRIVATE_KEY_FILE: org.credentials!.privateKeyFile,
        SIGHTLINE_LOG_LEVEL: 'silent',
        SIGHTLINE_RATE_PER_IP: '1000000',
        SIGHTLINE_RATE_PER_SITE: '1000000'
    },
    root
);
const ports = await connectSalesforce(config);
const gateway = await createProductionGateway(config, {
    ...ports,
    events: { notify: () => {} }
});
await gateway.app.ready();
const before = org.usage.used();
const adapter = await drive(gateway.app, traffic(7, 'adapter'));
const requests = org.usage.used() - before;
await gateway.app.close();
await org.close();

const result = {
    newVisits: NEW_VISITS,
    beaconsPerVisit: 1 + FOLLOW_UPS,
    direct: {
        newVisitsPerSecond: Math.round(baseline.newVisitsPerSecond),
        failures: baseline.failures
    },
    adapter: {
        newVisitsPerSecond: Math.round(adapter.newVisitsPerSecond),
        failures: adapter.failures,
        apiRequests: requests,
        apiRequestsPerNewVisit: Number((requests / NEW_VISITS).toFixed(3))
    },
    ratio: Number((adapter.newVisitsPerSecond / baseline.newVisitsPerSecond).toFixed(2)),
    target: 'API requests per new visit < 0.05 (1 per 20)'
};
console.table({
    'direct (SQLite)': {
        'new visits/s': result.direct.newVisitsPerSecond,
        failures: baseline.failures
    },
    'adapter (jsforce → local org)': {
        'new visits/s': result.adapter.newVisitsPerSecond,
        failures: adapter.failures,
        'API requests/new visit': result.adapter.apiRequestsPerNewVisit
    }
});
console.log(`adapter / direct: ${result.ratio}`);
writeResult('org-api', result);
