/**
 * Plays a simulation plan against a gateway over HTTP, as trackers on the demo website would:
 * CollectRequest batches to POST /v1/collect, from the site's Origin, about its pages, with the
 * visitor's address in X-Forwarded-For. Visitors come
 * and go on the plan's schedule, with at most `maxConcurrent` on the site at once. Time is
 * injected so tests can run a plan instantly.
 */
import WebSocket from 'ws';
import type {
    CollectRequestInput,
    GatewayToVisitor,
    TrackerEventInput,
    VisitorSocketMessageInput
} from '../../gateway/src/contracts/visitorProtocol';
import type { PlannedBatch, VisitorPlan } from './plan';

export interface SimulationClock {
    now(): number;
    /** Resolves after `ms`, or at once when the signal aborts. */
    sleep(ms: number, signal: AbortSignal): Promise<void>;
}

export const realClock: SimulationClock = {
    now: () => Date.now(),
    sleep: (ms, signal) =>
        new Promise<void>((resolve) => {
            if (signal.aborted) return resolve();
            const timer = setTimeout(done, Math.max(0, ms));
            function done() {
                clearTimeout(timer);
                signal.removeEventListener('abort', done);
                resolve();
            }
            signal.addEventListener('abort', done, { once: true });
        })
};

export interface SimulationStats {
    arrived: number;
    left: number;
    active: number;
    maxActive: number;
    requests: number;
    accepted: number;
    refused: Record<string, number>;
    networkErrors: number;
}

/** The visitor's chat socket, as the simulator uses it. */
export interface SimSocket {
    onMessage(listener: (message: GatewayToVisitor) => void): void;
    send(message: VisitorSocketMessageInput): void;
    close(): void;
}

export function openWebSocket(url: string, headers: Record<string, string>): SimSocket {
    const socket = new WebSocket(url, { headers });
    socket.on('error', () => undefined); // the product may be stopping: the visit just goes on
    return {
        onMessage: (listener) =>
            socket.on('message', (data) => {
                try {
                    listener(JSON.parse(String(data)) as GatewayToVisitor);
                } catch {
                    /* not for us */
                }
            }),
        send: (message) => {
            if (socket.readyState === WebSocket.OPEN) socket.send(JSON.stringify(message));
        },
        close: () => socket.close()
    };
}

export interface RunOptions {
    /** The gateway, e.g. http://127.0.0.1:4300: where the beacons and chat sockets go. */
    url: string;
    /** The demo website, e.g. http://127.0.0.1:4301: the pages' URLs and the requests' Origin. */
    siteUrl: string;
    plans: readonly VisitorPlan[];
    siteKey?: string;
    maxConcurrent?: number;
    clock?: SimulationClock;
    fetch?: typeof fetch;
    /** Opens a visitor's chat socket after a chat request, to answer the rep (default: a real WebSocket). */
    openSocket?: ((url: string, headers: Record<string, string>) => SimSocket) | null;
}

export interface RunningSimulation {
    stats: SimulationStats;
    done: Promise<SimulationStats>;
    stop(): Promise<SimulationStats>;
}

export function runSimulation(options: RunOptions): RunningSimulation {
    const {
        url,
        plans,
        siteKey = 'demo-site-key',
        maxConcurrent = 80,
        clock = realClock
    } = options;
    const openSocket = options.openSocket === undefined ? openWebSocket : options.openSocket;
    const send = options.fetch ?? fetch;
    const base = url.replace(/\/$/, '');
    const site = new URL(options.siteUrl).origin;
    const controller = new AbortController();
    const signal = controller.signal;
    const stats: SimulationStats = {
        arrived: 0,
        left: 0,
        active: 0,
        maxActive: 0,
        requests: 0,
        accepted: 0,
        refused: {},
        networkErrors: 0
    };
    const started = clock.now();
    const visits = new Set<Promise<void>>();
    let leave: (() => void) | undefined;

    const absolute = (path: string) => (path.startsWith('/') ? site + path : path);
    function request(plan: VisitorPlan, batch: PlannedBatch): CollectRequestInput {
        const ts = clock.now();
        const events = batch.events.map((event): TrackerEventInput => {
            const e = { ...event, ts };
            if (e.type === 'pageview')
                return {
                    ...e,
                    url: absolute(e.url),
                    referrer: e.referrer ? absolute(e.referrer) : ''
                };
            if (e.type === 'scroll') return { ...e, url: absolute(e.url) };
            return e;
        });
        return {
            siteKey,
            visitorId: plan.visitorId,
            sessionId: plan.sessionId,
            tabId: plan.tabId,
            ...(batch.utm ? { utm: batch.utm } : {}),
            ...(batch.device ? { device: batch.device } : {}),
            events
        };
    }

    /** A visitor who asked to chat answers the rep, a few seconds after each message. */
    function chat(plan: VisitorPlan): SimSocket | undefined {
        if (!openSocket || !plan.chatReplies?.length) return undefined;
        const query = new URLSearchParams({
            siteKey,
            visitorId: plan.visitorId,
            sessionId: plan.sessionId
        });
        const socket = openSocket(`${base.replace(/^http/, 'ws')}/v1/visitor-socket?${query}`, {
            origin: site,
            'x-forwarded-for': plan.ip,
            'user-agent': plan.userAgent
        });
        const replies = [...plan.chatReplies];
        let answered = 0;
        socket.onMessage((message) => {
            if (message.type !== 'message' || message.sender !== 'Rep' || replies.length === 0)
                return;
            const body = replies.shift()!;
            const n = ++answered;
            void (async () => {
                socket.send({ type: 'typing', typing: true });
                await clock.sleep(2500 + body.length * 40, signal);
                if (signal.aborted) return;
                socket.send({
                    type: 'message',
                    clientMessageId: `sim${n}${plan.sessionId}`.slice(0, 40),
                    body
                });
            })();
        });
        return socket;
    }

    async function visit(plan: VisitorPlan, arrivedAt: number): Promise<void> {
        let socket: SimSocket | undefined;
        try {
            await play(plan, arrivedAt, () => (socket ??= chat(plan)));
        } finally {
            socket?.close();
        }
    }

    async function play(
        plan: VisitorPlan,
        arrivedAt: number,
        chatRequested: () => void
    ): Promise<void> {
        for (const batch of plan.batches) {
            await clock.sleep(arrivedAt + batch.atMs - clock.now(), signal);
            if (signal.aborted) return;
            stats.requests++;
            try {
                const response = await send(`${base}/v1/collect`, {
                    method: 'POST',
                    headers: {
                        'content-type': 'application/json',
                        'x-forwarded-for': plan.ip,
                        'user-agent': plan.userAgent,
                        origin: site
                    },
                    body: JSON.stringify(request(plan, batch)),
                    signal
                });
                if (response.ok) {
                    stats.accepted++;
                    if (batch.events.some((e) => e.type === 'chat-request')) chatRequested();
                } else stats.refused[response.status] = (stats.refused[response.status] ?? 0) + 1;
                await response.arrayBuffer().catch(() => undefined);
            } catch {
                if (!signal.aborted) stats.networkErrors++;
            }
        }
    }

    const done = (async () => {
        for (const plan of plans) {
            await clock.sleep(started + plan.arriveAtMs - clock.now(), signal);
            while (stats.active >= maxConcurrent && !signal.aborted)
                await new Promise<void>((resolve) => (leave = resolve));
            if (signal.aborted) break;
            stats.arrived++;
            stats.active++;
            stats.maxActive = Math.max(stats.maxActive, stats.active);
            const running: Promise<void> = visit(plan, clock.now()).finally(() => {
                stats.active--;
                stats.left++;
                visits.delete(running);
                leave?.();
                leave = undefined;
            });
            visits.add(running);
        }
        await Promise.all([...visits]);
        return stats;
    })();

    return {
        stats,
        done,
        async stop() {
            controller.abort();
            leave?.();
            return done;
        }
    };
}
