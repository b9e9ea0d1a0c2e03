/**
 * Session memory benchmark (not a test): 100,000 live visits held by one gateway — each
 * with its session (pages, tabs, enrichment), decision, card in the publisher and the
 * per-rep view of it — measured as heap and RSS growth after garbage collection.
 * Visits go through the gateway's collect path (validation aside), so every visit is also
 * recognised and persisted as a Website_Visitor__c. Memory is measured once every visit is
 * recognised, decided and published: a beacon is answered before its visit's recognition,
 * so without waiting the figure would count the org round trips still under way (pending
 * promises: ~2 KB a visit) rather than the live visits. The loop lets the org catch up every
 * 1,000 new visits, as it does under real arrival rates.
 *
 * The figures are the gateway's process alone: the local org (Salesforce's stand-in) runs in
 * a process of its own, reached over HTTP and gRPC, so its SQLite cache, request handling
 * and garbage are not counted (in production they are Salesforce's servers).
 *
 *   node --expose-gc --import tsx scripts/bench/sessionMemoryBench.ts   (SESSIONS=… to change)
 *   HEAP_SNAPSHOT=/tmp/sessions.heapsnapshot …   also writes the gateway's heap once measured
 *
 * Target: < 600 MB RSS for 100k live sessions. Prints a table and writes bench-results/sessions.json.
 */
import { setImmediate as yieldToTimers } from 'node:timers/promises';
import { writeHeapSnapshot } from 'node:v8';
import { CollectRequest } from '../../gateway/src/contracts/visitorProtocol';
import { beaconFor, benchGateway, random, visits, writeResult } from './benchSupport';

const SESSIONS = Number(process.env.SESSIONS ?? 100_000);
const gc = () => {
    for (let i = 0; i < 3; i++) global.gc?.();
};
const mb = (bytes: number) => Math.round(bytes / 1024 / 1024);

const gateway = await benchGateway();
const next = random(7);
const pool = visits(SESSIONS, 7);
gc();
const before = process.memoryUsage();
const started = Date.now();
for (let i = 0; i < pool.length; i++) {
    const visit = pool[i]!;
    const first = CollectRequest.parse(beaconFor(visit, i, next, true));
    await gateway.live.collect(first, visit.ip);
    await gateway.live.collect(CollectRequest.parse(beaconFor(visit, i + 1, next)), visit.ip);
    if (i % 1000 === 999) {
        await yieldToTimers(); // let the publisher's batch timer run, as it would under real traffic
        await gateway.live.settled();
        if (i % 20_000 === 19_999)
            process.stdout.write(
                `  ${i + 1} visits (${Math.round((Date.now() - started) / 1000)} s)\n`
            );
    }
}
await gateway.live.settled();
await new Promise((resolve) => setTimeout(resolve, 300));
gateway.live.publisher.flush();
await gateway.live.settled();
gc();
const after = process.memoryUsage();
if (process.env.HEAP_SNAPSHOT) writeHeapSnapshot(process.env.HEAP_SNAPSHOT);
const live = gateway.live.liveVisits;
const seconds = (Date.now() - started) / 1000;
await gateway.close();

const heapPerSession = (after.heapUsed - before.heapUsed) / SESSIONS;
const rows = [
    { measure: 'live sessions', value: live },
    { measure: 'heap growth (MB)', value: mb(after.heapUsed - before.heapUsed) },
    { measure: 'heap per session (KB)', value: Number((heapPerSession / 1024).toFixed(2)) },
    { measure: 'gateway RSS growth (MB)', value: mb(after.rss - before.rss) },
    { measure: 'gateway RSS total (MB, target < 600)', value: mb(after.rss) },
    { measure: 'visits created per second', value: Math.round(SESSIONS / seconds) }
];
console.log('The gateway process only; the local org runs in a process of its own.');
console.table(rows);
console.log(
    'Where the bytes go (heap snapshots, docs/GATEWAY.md): geoip-lite’s database ~140 MB at ' +
        'start; per visit the session (64 B of it boxed timestamps), its pages, the visit, a ' +
        'decision of shared parts, the publisher’s entry and Map tables (visits, publisher, ' +
        'each rep’s visible map and log).'
);
writeResult('sessions', {
    node: process.version,
    measured: 'the gateway process only (the local org runs in its own)',
    sessions: SESSIONS,
    liveSessions: live,
    heapGrowthMB: mb(after.heapUsed - before.heapUsed),
    heapPerSessionKB: Number((heapPerSession / 1024).toFixed(2)),
    rssGrowthMB: mb(after.rss - before.rss),
    rssTotalMB: mb(after.rss),
    targetMB: 600,
    meetsTarget: after.rss < 600 * 1024 * 1024,
    visitsPerSecond: Math.round(SESSIONS / seconds)
});
