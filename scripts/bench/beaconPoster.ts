/**
 * POSTs beacons to the gateway's collect URL as a website's tracker does, over keep-alive
 * connections: the load generators' one way to send a beacon.
 */
import { Agent, request } from 'node:http';
import { BROWSER_USER_AGENT } from './browserUserAgent';

export interface BeaconPoster {
    /** Resolves with the status code (0 when the connection failed). */
    post(url: URL, ip: string, body: string): Promise<number>;
    close(): void;
}

export function beaconPoster(inFlight: number): BeaconPoster {
    const agent = new Agent({ keepAlive: true, maxSockets: inFlight });
    return {
        post(url, ip, body) {
            return new Promise((resolve) => {
                const req = request(
                    {
                        agent,
                        host: url.hostname,
                        port: url.port,
                        path: url.pathname,
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
        },
        close: () => agent.destroy()
    };
}
