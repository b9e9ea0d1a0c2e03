/**
 * Org API benchmark (not a test): new visits through the Salesforce adapter — the gateway
 * signed in by JWT to the local org server, over jsforce and HTTP, as `npm start` and a
 * production gateway run — against the same gateway keeping visitor records and routing
 * state in memory (no write reaches the org), in the same run with the same traffic: each
 * new visit's first beacon (recognition, company, Account match, the visitor record) and two
 * follow-up beacons, 32 requests in flight through app.inject.
 *
 * Reports new visits/s for both (ratio adapter / in memory; a visit counts once it is
 * recognised and its record written, not when its beacon is answered), and the org API
 * requests per new visit each spent, shutdown included (target for the adapter: < 1 per
 * 20; ratio adapter / in memory), with where they went by kind (the local org's request log). Live events go to a transport
 * that drops them here; what publishing them costs is measured apart, on its own org: API
 * requests per notification published one REST request each (the baseline) and through the
 * Pub/Sub API (`notificationPublishing.ts`).
 *
 *   node --import tsx scripts/bench/orgApiBench.ts
 */
import type { FastifyInstance } from 'fastify';
import { withWritesInMemory } from '../../gateway/src/testing/memoryWrites';
import {
    BROWSER_USER_AGENT,
    beaconFor,
    benchGateway,
    random,
    visits,
    writeResult,
    type Visit
} from './benchSupport';
import { measureNotificationPublishing } from './notificationPublishing';

const NEW_VISITS = 600;
const FOLLOW_UPS = 2;
const IN_FLIGHT = 32;

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
): Promise<{ failures: number }> {
    let failures = 0;
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
                        // A person's browser: light-my-request's own user agent is a bot.
                        'user-agent': BROWSER_USER_AGENT,
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
    return { failures };
}

const drop = { notify: () => {} };

/** New visits/s and the org API requests they spent, on a fresh org. */
async function measure(prefix: string, inMemory: boolean) {
    const gateway = await benchGateway({
        transport: drop,
        ...(inMemory ? { crm: withWritesInMemory } : {})
    });
    await gateway.app.ready();
    const usageBefore = await gateway.org.usage();
    const kindsBefore = new Map(usageBefore.byKind);
    const started = process.hrtime.bigint();
    const run = await drive(gateway.app, traffic(7, prefix));
    // Beacons are answered before the org is asked: a visit counts once it is recognised
    // and its record written.
    await gateway.live.settled();
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    // The shutdown's own writes (each live visit's Last_Seen__c) count too: the org is read
    // once the gateway has closed.
    await gateway.app.close();
    const usageAfter = await gateway.org.usage();
    const requests = usageAfter.used - usageBefore.used;
    const byKind: Record<string, number> = {};
    for (const [kind, count] of usageAfter.byKind) {
        const spent = count - (kindsBefore.get(kind) ?? 0);
        if (spent > 0) byKind[kind] = spent;
    }
    await gateway.close();
    return { ...run, newVisitsPerSecond: NEW_VISITS / seconds, requests, byKind };
}

// The baseline: visitor records and routing state kept in memory, reads from the org.
const baseline = await measure('memory', true);
// Through the adapter, every write to the org.
const adapter = await measure('adapter', false);

// Notifications: REST (one request each) as the baseline, then the Pub/Sub transport.
const notifications = await measureNotificationPublishing();

const result = {
    newVisits: NEW_VISITS,
    beaconsPerVisit: 1 + FOLLOW_UPS,
    inMemory: {
        newVisitsPerSecond: Math.round(baseline.newVisitsPerSecond),
        failures: baseline.failures,
        apiRequests: baseline.requests,
        apiRequestsPerNewVisit: Number((baseline.requests / NEW_VISITS).toFixed(3)),
        requestsByKind: baseline.byKind
    },
    adapter: {
        newVisitsPerSecond: Math.round(adapter.newVisitsPerSecond),
        failures: adapter.failures,
        apiRequests: adapter.requests,
        apiRequestsPerNewVisit: Number((adapter.requests / NEW_VISITS).toFixed(3)),
        requestsByKind: adapter.byKind
    },
    ratio: Number((adapter.newVisitsPerSecond / baseline.newVisitsPerSecond).toFixed(2)),
    apiRequestsRatio: Number((adapter.requests / Math.max(1, baseline.requests)).toFixed(2)),
    target: 'API requests per new visit < 0.05 (1 per 20)',
    notifications
};
console.table({
    'writes in memory (baseline)': {
        'new visits/s': result.inMemory.newVisitsPerSecond,
        failures: baseline.failures,
        'API requests/new visit': result.inMemory.apiRequestsPerNewVisit
    },
    'adapter (jsforce → local org)': {
        'new visits/s': result.adapter.newVisitsPerSecond,
        failures: adapter.failures,
        'API requests/new visit': result.adapter.apiRequestsPerNewVisit
    }
});
console.log(
    `adapter / in memory: ${result.ratio} in new visits/s, ${result.apiRequestsRatio} in API requests`
);
console.log("API requests by kind (the local org's request log):");
console.table(
    Object.fromEntries(
        [...new Set([...Object.keys(adapter.byKind), ...Object.keys(baseline.byKind)])].map(
            (kind) => [
                kind,
                { baseline: baseline.byKind[kind] ?? 0, adapter: adapter.byKind[kind] ?? 0 }
            ]
        )
    )
);
console.log('Publishing Visitor_Update__e notifications (same windows, same run):');
console.table({
    'REST, one request each (baseline)': notificationRow(notifications.rest),
    'Pub/Sub API, one Publish per window': notificationRow(notifications.pubSub)
});
console.log(
    `Pub/Sub / REST: ${notifications.apiRequestsRatio} in API requests, ${notifications.notificationsPerSecondRatio} in notifications/s`
);
writeResult('org-api', result);

function notificationRow(cost: typeof notifications.rest) {
    return {
        notifications: cost.notifications,
        'API requests/notification': cost.apiRequestsPerNotification,
        'events published': cost.publishedEvents,
        calls: cost.calls,
        failed: cost.failed,
        'notifications/s': cost.notificationsPerSecond
    };
}
