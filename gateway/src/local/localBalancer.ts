/**
 * A small load balancer for local mode with several gateways (`npm start -- --gateways 2`),
 * doing what a production balancer in front of the gateways is set up to do:
 *
 * - A rep's traffic sticks to one gateway: the signed Apex calls (by `X-Sightline-User`) and
 *   the console socket (by its `user` parameter) go to the gateway chosen by the user id, so
 *   the console follows one change log and one epoch. If that gateway does not answer, the
 *   next one takes the user (the console then re-snapshots: the epoch tells it).
 * - A visit's traffic sticks to one gateway too: the beacons and the visitor socket carry the
 *   visit's id (`sessionId` in the URL), and the gateway chosen by it owns the visit (holds
 *   it, decides it, ages it). Any gateway can still continue any visit: if the chosen one
 *   does not answer, the next one reads the visit from Redis and owns it from then on.
 * - Everything else (the tracker's script, the booker) goes to the next gateway in turn.
 *
 * The client's address goes on in X-Forwarded-For (the gateways trust loopback as their proxy).
 */
import { createServer, request as httpRequest, type IncomingMessage, type Server } from 'node:http';
import { connect, type Socket } from 'node:net';
import type { Duplex } from 'node:stream';

export interface Upstream {
    host: string;
    port: number;
}

export interface LocalBalancer {
    server: Server;
    /** Requests each gateway was sent (by index), for the summary line. */
    sent: number[];
    close(): Promise<void>;
}

/**
 * What a request sticks by: the rep (the signed Apex call's user, or the console socket's
 * `user`), else the visit (`sessionId` of a beacon or of the visitor socket).
 */
function affinity(request: IncomingMessage): string | undefined {
    const signed = request.headers['x-sightline-user'];
    if (typeof signed === 'string' && signed) return signed;
    const url = request.url ?? '';
    const query = url.indexOf('?');
    if (query < 0) return undefined;
    const params = new URLSearchParams(url.slice(query + 1));
    return params.get('user') ?? params.get('sessionId') ?? undefined;
}

/** FNV-1a: the same user or visit id always picks the same gateway. */
export function affinityHash(text: string): number {
    let h = 0x811c9dc5;
    for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
    return h >>> 0;
}

function forwardedFor(request: IncomingMessage): string {
    const client = request.socket.remoteAddress ?? '';
    const prior = request.headers['x-forwarded-for'];
    return prior ? `${String(prior)}, ${client}` : client;
}

export function startLocalBalancer(
    upstreams: readonly Upstream[],
    listenOn: { host: string; port: number }
): Promise<LocalBalancer> {
    let next = 0;
    const sent = upstreams.map(() => 0);
    /** Upgraded connections leave the HTTP server's books: closed by hand. */
    const tunnels = new Set<Duplex>();
    /** The order to try the gateways in for one request: the user's, else the next one, first. */
    const turn = (request: IncomingMessage): number[] => {
        const user = affinity(request);
        let first: number;
        if (user) first = affinityHash(user) % upstreams.length;
        else {
            first = next;
            next = (next + 1) % upstreams.length;
        }
        return upstreams.map((_, i) => (first + i) % upstreams.length);
    };

    const server = createServer((request, response) => {
        // The body is read once, so it can go to another gateway if the first refuses.
        const chunks: Buffer[] = [];
        request.on('data', (chunk: Buffer) => chunks.push(chunk));
        request.on('end', () => {
            const body = Buffer.concat(chunks);
            const order = turn(request);
            const attempt = (k: number) => {
                const index = order[k]!;
                const upstream = upstreams[index]!;
                const proxied = httpRequest(
                    {
                        host: upstream.host,
                        port: upstream.port,
                        method: request.method,
                        path: request.url,
                        headers: { ...request.headers, 'x-forwarded-for': forwardedFor(request) }
                    },
                    (answer) => {
                        sent[index]!++;
                        response.writeHead(answer.statusCode ?? 502, answer.headers);
                        answer.pipe(response);
                    }
                );
                // A gateway that is down is skipped; if none answers, the client hears 502.
                proxied.once('error', () => {
                    if (response.headersSent) response.destroy();
                    else if (k + 1 < order.length) attempt(k + 1);
                    else response.writeHead(502).end();
                });
                proxied.end(body);
            };
            attempt(0);
        });
    });

    server.on('upgrade', (request: IncomingMessage, client: Duplex, head: Buffer) => {
        const order = turn(request);
        const attempt = (k: number) => {
            const index = order[k]!;
            const upstream = upstreams[index]!;
            const socket: Socket = connect(upstream.port, upstream.host, () => {
                sent[index]!++;
                const headers = { ...request.headers, 'x-forwarded-for': forwardedFor(request) };
                const lines = [`${request.method} ${request.url} HTTP/1.1`];
                for (const [name, value] of Object.entries(headers))
                    for (const v of Array.isArray(value) ? value : [value])
                        if (v !== undefined) lines.push(`${name}: ${v}`);
                socket.write(`${lines.join('\r\n')}\r\n\r\n`);
                if (head.length) socket.write(head);
                socket.pipe(client).pipe(socket);
                tunnels.add(client).add(socket);
            });
            socket.once('error', () => {
                if (socket.bytesWritten > 0) client.destroy();
                else if (k + 1 < order.length) attempt(k + 1);
                else client.destroy();
            });
            client.once('error', () => socket.destroy());
            client.once('close', () => {
                socket.destroy();
                tunnels.delete(client);
                tunnels.delete(socket);
            });
        };
        attempt(0);
    });

    return new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(listenOn.port, listenOn.host, () =>
            resolve({
                server,
                sent,
                close: () =>
                    new Promise<void>((done) => {
                        for (const tunnel of tunnels) tunnel.destroy();
                        server.closeAllConnections();
                        server.close(() => done());
                    })
            })
        );
    });
}
