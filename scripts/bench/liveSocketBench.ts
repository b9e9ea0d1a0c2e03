/**
 * Beacon → rep's screen through the console's direct socket vs through Platform Event
 * notifications, in the same run: the real local product twice (`npm start`, then
 * `npm start -- --no-trusted-url`, where the page's Content Security Policy blocks the
 * socket and the console falls back to events), the admin's console in Chromium, 40
 * visitors and 10 updates a second for 10 s, each a page view whose title carries the time
 * its beacon was sent (screenLatency.ts notes when it reaches the screen). Reports p50/p99
 * per path, their ratio, and the org's Platform Event deliveries each path used.
 * Target: socket p99 under 300 ms. Writes bench-results/live-socket.json.
 */
import type { Browser } from 'playwright-core';
import { launchBrowser } from '../../e2e/support/browser';
import { collect, demoCompanyIp, type FakeVisit } from '../../e2e/support/consoleTraffic';
import { deliveredEvents } from '../../e2e/support/orgLimits';
import { startProduct } from '../../e2e/support/product';
import { localUsers, openConsole, sitePage } from '../../e2e/support/repConsole';
import { random, writeResult } from './benchSupport';
import { LATENCY_SCRIPT } from './screenLatency';

const VISITORS = 40;
const UPDATES_PER_SECOND = 10;
const WINDOW_MS = 10_000;

interface PathResult {
    via: string;
    updates: number;
    observed: number;
    p50Ms: number;
    p99Ms: number;
    deliveriesUsed: number;
}

async function measure(browser: Browser, via: 'socket' | 'events'): Promise<PathResult> {
    const product = await startProduct({ extraArgs: via === 'events' ? ['--no-trusted-url'] : [] });
    try {
        const next = random(11);
        const visits: FakeVisit[] = Array.from({ length: VISITORS }, (_, i) => ({
            visitorId: `vlatency${String(i).padStart(4, '0')}`,
            sessionId: `slatency${String(i).padStart(4, '0')}`,
            tabId: `tlatency${String(i).padStart(4, '0')}`,
            ip: demoCompanyIp(Math.floor(next() * 300), 1 + i)
        }));
        const pageView = (title: string) => ({
            ts: Date.now(),
            type: 'pageview' as const,
            url: sitePage(product, '/pricing'),
            title
        });
        await Promise.all(
            visits.map((visit) => collect(product.gatewayUrl, visit, [pageView('Pricing')]))
        );
        const admin = (await localUsers(product)).find((u) => u.isAdmin)!;
        const { page } = await openConsole(browser, product, admin.id);
        await page.locator(`[data-id="freshness"][data-via="${via}"]`).waitFor();
        await page.evaluate(LATENCY_SCRIPT);

        const deliveredBefore = await deliveredEvents(product);
        const sentAt: number[] = [];
        const gap = 1000 / UPDATES_PER_SECOND;
        const end = Date.now() + WINDOW_MS;
        for (let due = Date.now(); due < end; due += gap) {
            const at = Date.now();
            sentAt.push(at);
            void collect(product.gatewayUrl, visits[Math.floor(next() * visits.length)]!, [
                pageView(`bench-${at}`)
            ]).catch(() => undefined);
            await new Promise((resolve) =>
                setTimeout(resolve, Math.max(0, due + gap - Date.now()))
            );
        }
        const readSeen = () => page.evaluate<Record<string, number>>('window.__benchLatencies');
        // The last updates still arrive (a batch window and a render): wait for them, 5 s at most.
        const settleBy = Date.now() + 5_000;
        let seen = await readSeen();
        while (sentAt.some((at) => !(at in seen)) && Date.now() < settleBy) {
            await new Promise((resolve) => setTimeout(resolve, 200));
            seen = await readSeen();
        }
        const latencies = sentAt.filter((at) => at in seen).map((at) => seen[at]! - at);
        return {
            via,
            updates: sentAt.length,
            observed: latencies.length,
            p50Ms: percentile(latencies, 0.5),
            p99Ms: percentile(latencies, 0.99),
            deliveriesUsed: (await deliveredEvents(product)) - deliveredBefore
        };
    } finally {
        await product.stop();
    }
}

const browser = await launchBrowser();
try {
    const socket = await measure(browser, 'socket');
    const events = await measure(browser, 'events');
    const result = {
        chromium: browser.version(),
        visitors: VISITORS,
        updatesPerSecond: UPDATES_PER_SECOND,
        windowMs: WINDOW_MS,
        socket,
        events,
        ratios: {
            p50SocketToEvents: ratio(socket.p50Ms, events.p50Ms),
            p99SocketToEvents: ratio(socket.p99Ms, events.p99Ms)
        },
        socketP99Under300Ms: socket.p99Ms < 300
    };
    console.table(
        [socket, events].map((r) => ({
            path: r.via,
            'p50 (ms)': r.p50Ms,
            'p99 (ms)': r.p99Ms,
            observed: `${r.observed}/${r.updates}`,
            'event deliveries': r.deliveriesUsed
        }))
    );
    console.log(
        `socket/events: p50 ×${result.ratios.p50SocketToEvents}, p99 ×${result.ratios.p99SocketToEvents}; socket p99 < 300 ms: ${result.socketP99Under300Ms}`
    );
    writeResult('live-socket', result);
} finally {
    await browser.close();
}

function percentile(values: number[], p: number): number {
    if (values.length === 0) return NaN;
    const sorted = [...values].sort((a, b) => a - b);
    return (
        Math.round(sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]! * 10) / 10
    );
}

function ratio(a: number, b: number): number {
    return Math.round((a / b) * 100) / 100;
}
