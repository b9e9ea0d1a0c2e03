/**
 * The scale benchmark's load generator, a process of its own: simulator-like traffic
 * (scaleTraffic.ts) spread over the gateways' collect URLs as the balancer spreads a
 * website's beacons (by visit: each visit's beacons to one gateway, `affinityHash`), a
 * fixed number in flight. Driven over IPC so one traffic carries on
 * from warm-up to measurement:
 *
 *   → { urls, inFlight, shape }                 once, first
 *   → { beacons: n } | { seconds: s }           a run: that many beacons, or for that long
 *   ← { sent, perSecond, failures, cpuMs }       after each run (cpuMs: this process's)
 */
import { affinityHash } from '../../gateway/src/local/localBalancer';
import { beaconPoster, type BeaconPoster } from './beaconPoster';
import { ScaleTraffic, type TrafficShape } from './scaleTraffic';

export interface LoadSetup {
    urls: string[];
    inFlight: number;
    shape: TrafficShape;
}
export type LoadRun = { beacons: number } | { seconds: number };
export interface LoadResult {
    sent: number;
    perSecond: number;
    failures: number;
    /** Statuses other than 202, by status (0: the connection failed). */
    statuses: Record<string, number>;
    visitsStarted: number;
    cpuMs: number;
}

let targets: URL[] = [];
let inFlight = 1;
let traffic: ScaleTraffic | undefined;
let poster: BeaconPoster | undefined;

async function run(what: LoadRun): Promise<LoadResult> {
    const cpu = process.cpuUsage();
    const started = process.hrtime.bigint();
    const deadline = 'seconds' in what ? Date.now() + what.seconds * 1000 : Infinity;
    const limit = 'beacons' in what ? what.beacons : Infinity;
    let sent = 0;
    let failures = 0;
    const statuses: Record<string, number> = {};
    await Promise.all(
        Array.from({ length: inFlight }, async () => {
            while (sent < limit && Date.now() < deadline) {
                sent++;
                const beacon = traffic!.take();
                const target = targets[affinityHash(beacon.sessionId) % targets.length]!;
                const status = await poster!.post(target, beacon.ip, beacon.body);
                if (status !== 202) {
                    failures++;
                    statuses[status] = (statuses[status] ?? 0) + 1;
                }
            }
        })
    );
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    const used = process.cpuUsage(cpu);
    return {
        sent,
        perSecond: sent / seconds,
        failures,
        statuses,
        visitsStarted: traffic!.visitsStarted,
        cpuMs: (used.user + used.system) / 1000
    };
}

process.on('message', (message: LoadSetup | LoadRun | { stop: true }) => {
    if ('stop' in message) {
        poster?.close();
        process.disconnect();
        return;
    }
    if ('urls' in message) {
        targets = message.urls.map((url) => new URL(url));
        inFlight = message.inFlight;
        traffic = new ScaleTraffic(message.shape);
        poster = beaconPoster(inFlight);
        process.send!({ ready: true });
        return;
    }
    void run(message).then((result) => process.send!(result));
});
