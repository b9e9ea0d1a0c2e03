/**
 * Scale-out benchmark (not a test): beacons/s and what they cost, for (a) one gateway with
 * its state in memory, (b) one gateway on Redis, (c) two gateways on one Redis with the load
 * spread over both in turn (as the balancer spreads a website's beacons), in the same run
 * with the same simulator-like traffic (scaleTraffic.ts). Every gateway is a process of its
 * own; the load generator is another, the local org another.
 *
 * The machine's cores are shared by the gateways, Redis, the org and the load, so the
 * figures that compare configurations are per CPU-second (process.cpuUsage in each gateway,
 * /proc/<pid>/stat for redis-server), not per wall second. Then: Redis operations per beacon
 * (INFO commandstats), Redis's own ops/s, the model "one Redis carries N gateways", memory per
 * live visit with state on Redis, and the memory of a gateway under a flood.
 *
 *   npm run bench -- scale [--beacons 3000] [--in-flight 32] [--memory-visits 3000] [--flood-seconds 60] [--profile]
 *
 * Targets: (c) vs (a) beacons per CPU-second ≥ 0.8 (linear scaling is 1). Prints tables and
 * writes bench-results/scale.json; --profile writes each gateway's CPU profile to
 * bench-results/scale-profiles/ (open in Chrome DevTools).
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { root, writeResult } from './benchSupport';
import { startCluster, type ClusterOptions, type Snapshot } from './scaleCluster';
import { DEFAULT_TRAFFIC } from './scaleTraffic';

const { values } = parseArgs({
    options: {
        beacons: { type: 'string', default: '3000' },
        'in-flight': { type: 'string', default: '32' },
        'memory-visits': { type: 'string', default: '3000' },
        'flood-seconds': { type: 'string', default: '60' },
        profile: { type: 'boolean', default: false }
    },
    allowPositionals: true
});
const BEACONS = Number(values.beacons);
const FLOOD_SECONDS = Number(values['flood-seconds']);
const WARM_UP = 2 * DEFAULT_TRAFFIC.live;
/**
 * Beacons in flight per gateway: the offered load grows with the gateways, as a deployment
 * adds gateways for more traffic. The same total spread over two would halve each one's
 * batches (a beacon waits for its visit's copy in Redis, so each gateway gathers what is in
 * flight into one write a turn) and measure that, not what a second gateway adds.
 */
const IN_FLIGHT = Number(values['in-flight']);
const MEMORY_VISITS = Number(values['memory-visits']);
const profileDir = values.profile ? join(root, 'bench-results', 'scale-profiles') : undefined;
if (profileDir) mkdirSync(profileDir, { recursive: true });

const round = (value: number, digits = 0) => Number(value.toFixed(digits));
const mb = (bytes: number) => round(bytes / 1024 / 1024, 1);
const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);

interface Throughput {
    name: string;
    gateways: number;
    beacons: number;
    failures: number;
    statuses: Record<string, number>;
    beaconsPerSecond: number;
    cpuSeconds: {
        gateways: number[];
        redis: number;
        loadGenerator: number;
        /** The local org (the platform’s stand-in), its own process. */
        org: number;
    };
    beaconsPerGatewayCpuSecond: number;
    /** Gateways and Redis: what the deployment spends (the org and the load are not ours). */
    beaconsPerCpuSecond: number;
    redis?: {
        commandsPerBeacon: number;
        commandsPerBeaconByCommand: Record<string, number>;
        opsPerSecond: number;
        instantaneousOpsPerSecond: { mean: number; max: number };
        cpuMsPerBeacon: number;
    };
}

/** Beacons/s and CPU for one configuration: warm-up, then `BEACONS` measured. */
async function throughput(
    name: string,
    options: Pick<ClusterOptions, 'gateways' | 'redis'>
): Promise<Throughput> {
    const cluster = await startCluster({
        ...options,
        shape: DEFAULT_TRAFFIC,
        inFlight: IN_FLIGHT * options.gateways,
        ...(profileDir ? { profileDir } : {})
    });
    try {
        await cluster.load({ beacons: WARM_UP });
        const before = await cluster.snapshot();
        const samples: number[] = [];
        const sampler = setInterval(() => {
            void cluster.redisOpsNow().then((ops) => ops !== undefined && samples.push(ops));
        }, 1000);
        const run = await cluster.load({ beacons: BEACONS }).finally(() => clearInterval(sampler));
        const after = await cluster.snapshot();
        const result = measure(name, options.gateways, run, before, after, samples);
        console.log(
            `  ${name}: ${result.beaconsPerSecond} beacons/s, ${result.beaconsPerCpuSecond} per CPU-second (gateways + Redis), ${result.failures} failed`
        );
        return result;
    } finally {
        await cluster.close();
    }
}

function measure(
    name: string,
    gateways: number,
    run: Awaited<ReturnType<Awaited<ReturnType<typeof startCluster>>['load']>>,
    before: Snapshot,
    after: Snapshot,
    opsSamples: number[]
): Throughput {
    const gatewayCpu = after.gateways.map((g, i) => (g.cpuMs - before.gateways[i]!.cpuMs) / 1000);
    const redisCpu =
        after.redis && before.redis ? (after.redis.cpuMs - before.redis.cpuMs) / 1000 : 0;
    const elapsed = (after.at - before.at) / 1000;
    const beacons = run.sent;
    let redis: Throughput['redis'];
    if (after.redis && before.redis) {
        const byCommand: Record<string, number> = {};
        for (const [command, calls] of Object.entries(after.redis.calls)) {
            const delta = calls - (before.redis.calls[command] ?? 0);
            // The bench's own INFO calls are not the gateways'.
            if (delta > 0 && command !== 'info') byCommand[command] = round(delta / beacons, 3);
        }
        const commands = sum(Object.values(byCommand)) * beacons;
        redis = {
            commandsPerBeacon: round(commands / beacons, 2),
            commandsPerBeaconByCommand: byCommand,
            opsPerSecond: round(
                (after.redis.commandsProcessed - before.redis.commandsProcessed) / elapsed
            ),
            instantaneousOpsPerSecond: {
                mean: round(sum(opsSamples) / Math.max(1, opsSamples.length)),
                max: Math.max(0, ...opsSamples)
            },
            cpuMsPerBeacon: round((redisCpu * 1000) / beacons, 4)
        };
    }
    return {
        name,
        gateways,
        beacons,
        failures: run.failures,
        statuses: run.statuses,
        beaconsPerSecond: round(run.perSecond),
        cpuSeconds: {
            gateways: gatewayCpu.map((s) => round(s, 2)),
            redis: round(redisCpu, 2),
            loadGenerator: round(run.cpuMs / 1000, 2),
            org: round((after.orgCpuMs - before.orgCpuMs) / 1000, 2)
        },
        beaconsPerGatewayCpuSecond: round(beacons / sum(gatewayCpu)),
        beaconsPerCpuSecond: round(beacons / (sum(gatewayCpu) + redisCpu)),
        ...(redis ? { redis } : {})
    };
}

/** Memory per live visit in a gateway whose state is on Redis, and in Redis. */
async function memoryPerVisit() {
    const cluster = await startCluster({
        gateways: 1,
        redis: true,
        // Every beacon starts a visit until MEMORY_VISITS are live (a third returning).
        shape: { ...DEFAULT_TRAFFIC, live: MEMORY_VISITS },
        inFlight: IN_FLIGHT
    });
    try {
        // A few visits first, so what is loaded once (code, caches) is not counted per visit.
        const first = Math.min(500, Math.floor(MEMORY_VISITS / 10));
        await cluster.load({ beacons: first });
        const before = await cluster.snapshot();
        const run = await cluster.load({ beacons: MEMORY_VISITS - first });
        const after = await cluster.snapshot();
        const gateway = { before: before.gateways[0]!, after: after.gateways[0]! };
        const visits = gateway.after.liveVisits - gateway.before.liveVisits;
        return {
            visits,
            failures: run.failures,
            gatewayRssPerVisitKB: round(
                (gateway.after.rssBytes - gateway.before.rssBytes) / visits / 1024,
                2
            ),
            gatewayHeapPerVisitKB: round(
                (gateway.after.heapUsedBytes - gateway.before.heapUsedBytes) / visits / 1024,
                2
            ),
            redisUsedMemoryPerVisitKB: round(
                (after.redis!.usedMemoryBytes - before.redis!.usedMemoryBytes) / visits / 1024,
                2
            ),
            gatewayRssMB: mb(gateway.after.rssBytes),
            redisUsedMemoryMB: mb(after.redis!.usedMemoryBytes)
        };
    } finally {
        await cluster.close();
    }
}

/**
 * A gateway on Redis under beacons as fast as it takes them for `FLOOD_SECONDS`, visits
 * ending after a minute without beacons (so the live set turns over within the run), RSS
 * sampled every 5 s: bounded if it levels off while beacons keep coming.
 */
async function flood() {
    const cluster = await startCluster({
        gateways: 1,
        redis: true,
        shape: DEFAULT_TRAFFIC,
        inFlight: IN_FLIGHT,
        env: { SIGHTLINE_END_AFTER_MINUTES: '1' }
    });
    try {
        const started = Date.now();
        const samples: {
            second: number;
            rssMB: number;
            heapMB: number;
            liveVisits: number;
            redisMB: number;
        }[] = [];
        const sample = async () => {
            const now = await cluster.snapshot();
            samples.push({
                second: Math.round((now.at - started) / 1000),
                rssMB: mb(now.gateways[0]!.rssBytes),
                heapMB: mb(now.gateways[0]!.heapUsedBytes),
                liveVisits: now.gateways[0]!.liveVisits,
                redisMB: mb(now.redis!.usedMemoryBytes)
            });
        };
        await sample();
        const running = cluster.load({ seconds: FLOOD_SECONDS });
        const sampler = setInterval(() => void sample(), 5_000);
        const run = await running.finally(() => clearInterval(sampler));
        await sample();
        const rss = samples.map((s) => s.rssMB);
        const half = samples.filter((s) => s.second >= FLOOD_SECONDS / 2);
        return {
            seconds: FLOOD_SECONDS,
            beacons: run.sent,
            beaconsPerSecond: round(run.perSecond),
            visitsStarted: run.visitsStarted,
            failures: run.failures,
            statuses: run.statuses,
            rssMaxMB: Math.max(...rss),
            rssEndMB: rss.at(-1)!,
            rssMaxFirstHalfMB: Math.max(
                ...samples.filter((s) => s.second < FLOOD_SECONDS / 2).map((s) => s.rssMB)
            ),
            rssMaxSecondHalfMB: Math.max(...half.map((s) => s.rssMB)),
            samples
        };
    } finally {
        await cluster.close();
    }
}

const alone = await throughput('(a) one gateway, state in memory', { gateways: 1, redis: false });
const onRedis = await throughput('(b) one gateway on Redis', { gateways: 1, redis: true });
const two = await throughput('(c) two gateways on one Redis', { gateways: 2, redis: true });
const memory = await memoryPerVisit();
console.log(
    `  memory per live visit, state on Redis (${memory.visits} visits): gateway RSS ${memory.gatewayRssPerVisitKB} KB (heap ${memory.gatewayHeapPerVisitKB} KB), Redis used_memory ${memory.redisUsedMemoryPerVisitKB} KB`
);
const flooded = await flood();

const scaling = {
    /** Two gateways on Redis vs one alone: gateways and Redis CPU. Linear is 1. */
    twoOnRedisVsAlone: round(two.beaconsPerCpuSecond / alone.beaconsPerCpuSecond, 3),
    /** The same, gateways' CPU only. */
    twoOnRedisVsAloneGatewayCpu: round(
        two.beaconsPerGatewayCpuSecond / alone.beaconsPerGatewayCpuSecond,
        3
    ),
    /** What Redis costs one gateway. */
    oneOnRedisVsAlone: round(onRedis.beaconsPerCpuSecond / alone.beaconsPerCpuSecond, 3),
    /** Going from one gateway on Redis to two. */
    twoVsOneOnRedis: round(two.beaconsPerCpuSecond / onRedis.beaconsPerCpuSecond, 3),
    target: 0.8
};

// The model: a gateway given a core takes M beacons/s; Redis, given a core, takes one beacon
// per (its CPU per beacon), so it carries N = its capacity / M gateways.
const perGateway = two.beaconsPerGatewayCpuSecond;
const redisCapacity = 1000 / two.redis!.cpuMsPerBeacon;
const model = {
    gatewayBeaconsPerSecond: perGateway,
    redisBeaconsPerSecond: round(redisCapacity),
    redisOpsPerSecond: round(redisCapacity * two.redis!.commandsPerBeacon),
    gatewaysPerRedis: Math.floor(redisCapacity / perGateway),
    gatewaysPerRedisAt70Percent: Math.floor((0.7 * redisCapacity) / perGateway),
    statement: `One Redis carries ${Math.floor((0.7 * redisCapacity) / perGateway)} gateways at ${perGateway} beacons/s each (${Math.floor(redisCapacity / perGateway)} at saturation).`,
    assumptions: [
        'each gateway has a core of its own and runs it full (beacons per gateway CPU-second of (c))',
        "Redis has a core of its own; its CPU per beacon is (c)'s (/proc utime + stime over the measured beacons), so it scales with beacons, not with the number of gateways",
        'Redis is kept at 70 % of its core (headroom for latency and bursts); fsync (appendfsync always) is on a disk that keeps up',
        'the traffic is the benchmark’s: about 5 % of beacons start a visit (30 % of those returning visitors), a quarter are page views',
        'the org, the balancer and the network are not the bottleneck'
    ]
};

console.log('\nThroughput (same traffic; CPU time per process over the measured beacons):');
console.table(
    [alone, onRedis, two].map((t) => ({
        configuration: t.name,
        'beacons/s (wall)': t.beaconsPerSecond,
        'gateway CPU s': t.cpuSeconds.gateways.join(' + '),
        'Redis CPU s': t.cpuSeconds.redis,
        'load CPU s': t.cpuSeconds.loadGenerator,
        'org CPU s': t.cpuSeconds.org,
        'beacons / gateway CPU s': t.beaconsPerGatewayCpuSecond,
        'beacons / (gateways + Redis) CPU s': t.beaconsPerCpuSecond,
        'Redis cmds / beacon': t.redis?.commandsPerBeacon ?? '—',
        'Redis ops/s (delta)': t.redis?.opsPerSecond ?? '—',
        failures: t.failures
    }))
);
console.log(
    `Scaling per CPU-second, (c) vs (a): ${scaling.twoOnRedisVsAlone} (gateways + Redis), ${scaling.twoOnRedisVsAloneGatewayCpu} (gateways only); target ≥ ${scaling.target}. (b) vs (a): ${scaling.oneOnRedisVsAlone}; (c) vs (b): ${scaling.twoVsOneOnRedis}.`
);
console.log(
    `Redis commands per beacon in (c): ${JSON.stringify(two.redis!.commandsPerBeaconByCommand)}`
);
console.log(
    `Redis ops/s in (c): ${two.redis!.opsPerSecond} (total_commands_processed delta), instantaneous mean ${two.redis!.instantaneousOpsPerSecond.mean}, max ${two.redis!.instantaneousOpsPerSecond.max}`
);
console.log(`Model: ${model.statement}`);
for (const assumption of model.assumptions) console.log(`  - ${assumption}`);
console.log(
    `\nMemory per live visit, state on Redis (${memory.visits} visits): gateway RSS ${memory.gatewayRssPerVisitKB} KB (heap ${memory.gatewayHeapPerVisitKB} KB), Redis used_memory ${memory.redisUsedMemoryPerVisitKB} KB`
);
console.log(
    `Flood (${flooded.seconds} s, ${flooded.beaconsPerSecond} beacons/s, ${flooded.visitsStarted} visits): RSS max ${flooded.rssMaxMB} MB (first half ${flooded.rssMaxFirstHalfMB}, second half ${flooded.rssMaxSecondHalfMB}), end ${flooded.rssEndMB} MB`
);
console.table(flooded.samples);

writeResult('scale', {
    node: process.version,
    beacons: BEACONS,
    warmUp: WARM_UP,
    inFlightPerGateway: IN_FLIGHT,
    traffic: DEFAULT_TRAFFIC,
    configurations: [alone, onRedis, two],
    scaling: { ...scaling, meetsTarget: scaling.twoOnRedisVsAlone >= scaling.target },
    model,
    memoryPerVisit: memory,
    flood: flooded
});
