/**
 * Plays a simulation plan against a gateway over HTTP, as trackers would: CollectRequest
 * batches to POST /v1/collect with the visitor's address in X-Forwarded-For. Visitors come
 * and go on the plan's schedule, with at most `maxConcurrent` on the site at once. Time is
 * injected so tests can run a plan instantly.
 */
import type { CollectRequestInput, TrackerEventInput } from '../../gateway/src/contracts/visitorProtocol';
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

export interface RunOptions {
    /** The gateway, e.g. http://127.0.0.1:4300 (the demo site is under /site/). */
    url: string;
    plans: readonly VisitorPlan[];
    siteKey?: string;
    maxConcurrent?: number;
    clock?: SimulationClock;
    fetch?: typeof fetch;
}

export interface RunningSimulation {
    stats: SimulationStats;
    done: Promise<SimulationStats>;
    stop(): Promise<SimulationStats>;
}

export function runSimulation(options: RunOptions): RunningSimulation {
    const { url, plans, siteKey = 'demo-site-key', maxConcurrent = 80, clock = realClock } = options;
    const send = options.fetch ?? fetch;
    const base = url.replace(/\/$/, '');
    const origin = new URL(base).origin;
    const controller = new AbortController();
    const signal = controller.signal;
    const stats: SimulationStats = { arrived: 0, left: 0, active: 0, maxActive: 0, requests: 0, accepted: 0, refused: {}, networkErrors: 0 };
    const started = clock.now();
    const visits = new Set<Promise<void>>();
    let leave: (() => void) | undefined;

    const absolute = (path: string) => (path.startsWith('/') ? base + path : path);
    function request(plan: VisitorPlan, batch: PlannedBatch): CollectRequestInput {
        const ts = clock.now();
        const events = batch.events.map((event): TrackerEventInput => {
            const e = { ...event, ts } as TrackerEventInput;
            if (e.type === 'pageview') return { ...e, url: absolute(e.url), referrer: e.referrer ? absolute(e.referrer) : '' };
            if (e.type === 'scroll') return { ...e, url: absolute(e.url) };
            return e;
        });
        return { siteKey, visitorId: plan.visitorId, sessionId: plan.sessionId, tabId: plan.tabId, ...(batch.utm ? { utm: batch.utm } : {}), ...(batch.device ? { device: batch.device } : {}), events };
    }

    async function visit(plan: VisitorPlan, arrivedAt: number): Promise<void> {
        for (const batch of plan.batches) {
            await clock.sleep(arrivedAt + batch.atMs - clock.now(), signal);
            if (signal.aborted) return;
            stats.requests++;
            try {
                const response = await send(`${base}/v1/collect`, {
                    method: 'POST',
                    headers: { 'content-type': 'application/json', 'x-forwarded-for': plan.ip, 'user-agent': plan.userAgent, origin },
                    body: JSON.stringify(request(plan, batch)),
                    signal
                });
                if (response.ok) stats.accepted++;
                else stats.refused[response.status] = (stats.refused[response.status] ?? 0) + 1;
                await response.arrayBuffer().catch(() => undefined);
            } catch {
                if (!signal.aborted) stats.networkErrors++;
            }
        }
    }

    const done = (async () => {
        for (const plan of plans) {
            await clock.sleep(started + plan.arriveAtMs - clock.now(), signal);
            while (stats.active >= maxConcurrent && !signal.aborted) await new Promise<void>((resolve) => (leave = resolve));
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
