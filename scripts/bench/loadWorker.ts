/**
 * Load generator for the ingest benchmark, in its own process (another core): POSTs the
 * bodies of a job file to a loopback URL over keep-alive connections, a fixed number in
 * flight, and prints the rate as JSON.
 *
 *   node --import tsx scripts/bench/loadWorker.ts <job.json>
 */
import { readFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { BROWSER_USER_AGENT } from './browserUserAgent';

interface Job {
    url: string;
    requests: { ip: string; body: string }[];
    inFlight: number;
}

const { url, requests, inFlight } = JSON.parse(readFileSync(process.argv[2]!, 'utf8')) as Job;
const agent = new Agent({ keepAlive: true, maxSockets: inFlight });
const target = new URL(url);

function post(ip: string, body: string): Promise<number> {
    return new Promise((resolve) => {
        const req = request(
            {
                agent,
                host: target.hostname,
                port: target.port,
                path: target.pathname,
                method: 'POST',
                headers: {
                    'content-type': 'text/plain;charset=UTF-8',
                    origin: 'http://localhost:4300',
                    'x-forwarded-for': ip,
                    'user-agent': BROWSER_USER_AGENT,
                    'content-length': Buffer.byteLength(body)
                }
            },
            (res) => {
                res.resume();
                res.on('end', () => resolve(res.statusCode ?? 0));
            }
        );
        req.on('error', () => resolve(0));
        req.end(body);
    });
}

let index = 0;
let failures = 0;
const started = process.hrtime.bigint();
await Promise.all(
    Array.from({ length: inFlight }, async () => {
        while (index < requests.length) {
            const next = requests[index++]!;
            if ((await post(next.ip, next.body)) !== 202) failures++;
        }
    })
);
const seconds = Number(process.hrtime.bigint() - started) / 1e9;
agent.destroy();
console.log(JSON.stringify({ perSecond: requests.length / seconds, failures }));
