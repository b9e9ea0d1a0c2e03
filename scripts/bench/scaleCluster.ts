/**
 * The processes of one scale-benchmark configuration: a fresh local org (a process of its own),
 * optionally a `redis-server`, the gateways (each a process of its own) and the load
 * generator, with what each has spent so far: CPU time per process, memory, Redis counters.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { startRedisServer, type RunningRedis } from '../../gateway/src/state/redisServer';
import { benchOrg } from './benchSupport';
import type { OrgProcess } from './orgProcess';
import type { GatewayStats } from './scaleGatewayProcess';
import type { LoadResult, LoadRun } from './scaleLoadWorker';
import type { TrafficShape } from './scaleTraffic';

const CLOCK_TICKS_PER_SECOND = Number(execFileSync('getconf', ['CLK_TCK']).toString().trim());

export interface ClusterOptions {
    gateways: number;
    redis: boolean;
    shape: TrafficShape;
    inFlight: number;
    env?: Record<string, string>;
    /** Write a V8 CPU profile of each gateway here (node --cpu-prof). */
    profileDir?: string;
}

/** Everything counted at one instant; two of them make a measurement. */
export interface Snapshot {
    at: number;
    gateways: GatewayStats[];
    /** The local org's process (the platform's stand-in). */
    orgCpuMs: number;
    redis?: RedisCounters;
}

export interface RedisCounters {
    cpuMs: number;
    commandsProcessed: number;
    /** Calls by command (INFO commandstats). */
    calls: Record<string, number>;
    usedMemoryBytes: number;
    instantaneousOpsPerSecond: number;
}

export interface Cluster {
    org: OrgProcess;
    redis?: RunningRedis;
    snapshot(): Promise<Snapshot>;
    /** Redis's own ops/s now (INFO stats), for sampling during a run. */
    redisOpsNow(): Promise<number | undefined>;
    load(run: LoadRun): Promise<LoadResult>;
    close(): Promise<void>;
}

function forkReady<T>(
    file: string,
    execArgv: string[],
    first: unknown
): Promise<[ChildProcess, T]> {
    const child = fork(join(import.meta.dirname, file), [], {
        execArgv,
        stdio: ['ignore', 'inherit', 'inherit', 'ipc']
    });
    return new Promise((resolve, reject) => {
        child.once('message', (answer) => resolve([child, answer as T]));
        child.once('exit', (code) =>
            reject(new Error(`${file} exited (${code}) before it was ready`))
        );
        child.send(first as object);
    });
}

/** Sends a request and waits for the child's next message (one request at a time per child). */
function ask<T>(child: ChildProcess, message: object): Promise<T> {
    return new Promise((resolve) => {
        child.once('message', (answer) => resolve(answer as T));
        child.send(message);
    });
}

/** User + system CPU time of any process, from /proc (redis-server is not ours to ask). */
function processCpuMs(pid: number): number {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may hold spaces): utime and stime are the 12th and 13th.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS_PER_SECOND;
}

function infoField(info: string, name: string): number {
    const match = new RegExp(`^${name}:(\\d+)`, 'm').exec(info);
    return match ? Number(match[1]) : 0;
}

export async function startCluster(options: ClusterOptions): Promise<Cluster> {
    const { org, signedIn } = await benchOrg('sightline-scale-', options.env);
    const redis = options.redis ? await startRedisServer() : undefined;
    const client = redis ? new Redis(redis.url) : undefined;
    const execArgv = [
        '--expose-gc',
        '--import',
        'tsx',
        ...(options.profileDir ? ['--cpu-prof', '--cpu-prof-dir', options.profileDir] : [])
    ];
    const gateways: ChildProcess[] = [];
    const urls: string[] = [];
    for (let i = 0; i < options.gateways; i++) {
        const [child, { port }] = await forkReady<{ port: number }>(
            'scaleGatewayProcess.ts',
            execArgv,
            { config: signedIn, ...(redis ? { redisUrl: redis.url } : {}) }
        );
        gateways.push(child);
        urls.push(`http://127.0.0.1:${port}/v1/collect`);
    }
    const [loader] = await forkReady('scaleLoadWorker.ts', ['--import', 'tsx'], {
        urls,
        inFlight: options.inFlight,
        shape: options.shape
    });

    async function redisCounters(): Promise<RedisCounters | undefined> {
        if (!client || !redis) return undefined;
        const info = await client.info('all');
        const calls: Record<string, number> = {};
        for (const match of info.matchAll(/^cmdstat_([^:]+):calls=(\d+)/gm))
            calls[match[1]!] = Number(match[2]);
        return {
            cpuMs: processCpuMs(redis.pid()!),
            commandsProcessed: infoField(info, 'total_commands_processed'),
            calls,
            usedMemoryBytes: infoField(info, 'used_memory'),
            instantaneousOpsPerSecond: infoField(info, 'instantaneous_ops_per_sec')
        };
    }

    return {
        org,
        ...(redis ? { redis } : {}),
        async snapshot() {
            const stats = await Promise.all(
                gateways.map((child) => ask<GatewayStats>(child, { stats: true }))
            );
            const counters = await redisCounters();
            return {
                at: Date.now(),
                gateways: stats,
                orgCpuMs: processCpuMs(org.pid),
                ...(counters ? { redis: counters } : {})
            };
        },
        async redisOpsNow() {
            return client
                ? infoField(await client.info('stats'), 'instantaneous_ops_per_sec')
                : undefined;
        },
        load: (run) => ask<LoadResult>(loader, run),
        async close() {
            loader.send({ stop: true });
            await Promise.all(
                gateways.map(
                    (child) =>
                        new Promise<void>((resolve) => {
                            child.once('exit', () => resolve());
                            child.send({ close: true });
                        })
                )
            );
            client?.disconnect();
            await redis?.stop();
            await org.close();
        }
    };
}
