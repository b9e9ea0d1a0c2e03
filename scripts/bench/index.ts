/**
 * `npm run bench`: runs each benchmark in its own process (so one's heap does not skew
 * another's), in turn, then prints where the results are. Benchmarks are not tests: they
 * report figures (as ratios against a baseline measured in the same run where it makes
 * sense) and write bench-results/*.json.
 *
 *   npm run bench                 every benchmark
 *   npm run bench -- ingest       only those named "ingest" or whose file name contains it
 *   npm run bench -- scale --flood-seconds 600
 *                                 options after the names go to each chosen benchmark
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '../..');
const BENCHES = [
    {
        name: 'engine',
        file: 'scripts/bench/engineBench.ts',
        what: 'streams and routing per visitor update vs json-logic-js'
    },
    {
        name: 'ingest',
        file: 'scripts/bench/ingestBench.ts',
        what: 'beacons/s through ingest + engine + publish vs a bare fastify endpoint'
    },
    {
        name: 'sessions',
        file: 'scripts/bench/sessionMemoryBench.ts',
        what: 'memory for 100k live sessions'
    },
    {
        name: 'org-api',
        file: 'scripts/bench/orgApiBench.ts',
        what: 'new visits through the Salesforce adapter (jsforce → local org server) vs the same gateway keeping its writes in memory; API requests per new visit, by kind; API requests per live notification, REST vs Pub/Sub'
    },
    {
        name: 'pubsub',
        file: 'scripts/bench/pubsubBench.ts',
        what: 'events through the local org Pub/Sub API (real client → gRPC/Avro → real client) vs the event bus in process; publish → delivered latency'
    },
    {
        name: 'console',
        file: 'scripts/bench/consoleBench.ts',
        what: 'the rep console in Chromium: 500 visitors at 20 updates/s vs idle; beacon → screen latency'
    },
    {
        name: 'delivery-budget',
        file: 'scripts/bench/deliveryBudgetBench.ts',
        what: '20 reps × 8 h of simulated traffic on an Enterprise allocation: event deliveries used and each console’s freshness, budget governor vs a fixed 250 ms window'
    },
    {
        name: 'scale',
        file: 'scripts/bench/scaleBench.ts',
        what: 'beacons/s and per CPU-second for one gateway in memory, one on Redis and two on one Redis; Redis ops per beacon, memory per visit, a flood'
    },
    {
        name: 'live-socket',
        file: 'scripts/bench/liveSocketBench.ts',
        what: 'beacon → rep’s screen through the direct socket vs through Platform Event notifications, and the deliveries each spends'
    }
];

const words = process.argv.slice(2);
const firstOption = words.findIndex((word) => word.startsWith('--'));
const only = firstOption < 0 ? words : words.slice(0, firstOption);
const passed = firstOption < 0 ? [] : words.slice(firstOption);
const chosen = BENCHES.filter(
    (bench) =>
        only.length === 0 || only.some((word) => bench.name === word || bench.file.includes(word))
);
let failed = 0;
const succeeded = new Set<string>();
for (const bench of chosen) {
    console.log(`\n▶ ${bench.name}: ${bench.what}`);
    const result = spawnSync(
        process.execPath,
        ['--expose-gc', '--import', 'tsx', bench.file, ...passed],
        {
            cwd: root,
            stdio: 'inherit'
        }
    );
    if (result.status !== 0) {
        failed++;
        console.error(`✖ ${bench.name} failed (exit ${result.status})`);
    } else succeeded.add(bench.name);
}
if (succeeded.has('delivery-budget') && succeeded.has('live-socket')) liveUpdatesSummary();
console.log(
    `\n${chosen.length - failed}/${chosen.length} benchmarks ran; results in bench-results/*.json`
);
process.exit(failed ? 1 : 0);

/** The two live paths of this run side by side: events under the governor, and the socket. */
function liveUpdatesSummary(): void {
    const read = <T>(name: string) =>
        JSON.parse(readFileSync(join(root, 'bench-results', `${name}.json`), 'utf8')) as T;
    const budget = read<{
        governed: { shareOfAllocation: number; freshness: { p50Ms: number; p95Ms: number } };
        filtered: { shareOfAllocation: number; freshness: { p50Ms: number; p95Ms: number } };
    }>('delivery-budget');
    const socket = read<{ socket: { p50Ms: number; p99Ms: number } }>('live-socket');
    console.log('\nLive updates, this run:');
    console.log(
        `  events (budget governor, raw channel): ${(budget.governed.shareOfAllocation * 100).toFixed(1)} % of the daily deliveries; freshness p50 ${budget.governed.freshness.p50Ms} ms, p95 ${budget.governed.freshness.p95Ms} ms`
    );
    console.log(
        `  events (budget governor, filtered channels): ${(budget.filtered.shareOfAllocation * 100).toFixed(1)} % of the daily deliveries; freshness p50 ${budget.filtered.freshness.p50Ms} ms, p95 ${budget.filtered.freshness.p95Ms} ms`
    );
    console.log(
        `  direct socket: beacon → screen p50 ${socket.socket.p50Ms} ms, p99 ${socket.socket.p99Ms} ms; no deliveries`
    );
}
