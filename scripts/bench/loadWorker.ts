/**
 * Load generator for the ingest benchmark, in its own process (another core): POSTs the
 * bodies of a job file to a loopback URL over keep-alive connections, a fixed number in
 * flight, and prints the rate as JSON.
 *
 *   node --import tsx scripts/bench/loadWorker.ts <job.json>
 */
import { readFileSync } from 'node:fs';
import { beaconPoster } from './beaconPoster';

interface Job {
    url: string;
    requests: { ip: string; body: string }[];
    inFlight: number;
}

const { url, requests, inFlight } = JSON.parse(readFileSync(process.argv[2]!, 'utf8')) as Job;
const poster = beaconPoster(inFlight);
const target = new URL(url);

let index = 0;
let failures = 0;
const started = process.hrtime.bigint();
await Promise.all(
    Array.from({ length: inFlight }, async () => {
        while (index < requests.length) {
            const next = requests[index++]!;
            if ((await poster.post(target, next.ip, next.body)) !== 202) failures++;
        }
    })
);
const seconds = Number(process.hrtime.bigint() - started) / 1e9;
poster.close();
console.log(JSON.stringify({ perSecond: requests.length / seconds, failures }));
