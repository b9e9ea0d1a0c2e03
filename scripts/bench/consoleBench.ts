/**
 * The rep console under load, in Chromium against the real local product (`npm start`
 * without the simulator): 500 live visitors on the admin's Live view (every stream), then
 *
 *   (a) responsiveness — frame times (requestAnimationFrame deltas) and long tasks
 *       (PerformanceObserver 'longtask') over a fixed window with the page idle, then over
 *       the same window while 20 visitor updates a second arrive; reported as p50/p95 frame
 *       time and long-task totals, and as ratios of loaded to idle measured in the same run;
 *   (b) latency — each update is a page view whose title carries the time the beacon was
 *       sent; a MutationObserver in the page (on the cards' shadow roots) notes when that
 *       title reaches the screen: beacon → rep's screen p50/p99.
 *
 * Seeded, bounded (about 40 s after the product starts) and stops by itself. Figures on a
 * shared machine are noisy: compare the ratios. Writes bench-results/console.json.
 */
import { launchBrowser } from '../../e2e/support/browser';
import { collect, demoCompanyIp, type FakeVisit } from '../../e2e/support/consoleTraffic';
import { startProduct } from '../../e2e/support/product';
import { localUsers, openConsole, sitePage } from '../../e2e/support/repConsole';
import { random, writeResult } from './benchSupport';
import { LATENCY_SCRIPT } from './screenLatency';

const VISITORS = 500;
const UPDATES_PER_SECOND = 20;
const WINDOW_MS = 8_000;
const LATENCY_WINDOW_MS = 10_000;
const PAID = { source: 'google', medium: 'cpc', campaign: 'bench' };

interface Measured {
    frames: number[];
    tasks: number[];
    ms: number;
}

/** `window.__benchMeasure(ms)`: rAF deltas and long tasks over `ms`. A string: it runs in the page as written. */
const MEASURE_SCRIPT = `window.__benchMeasure = function (ms) {
    return new Promise(function (resolve) {
        var frames = [], tasks = [];
        var observer = new PerformanceObserver(function (list) { list.getEntries().forEach(function (e) { tasks.push(e.duration); }); });
        observer.observe({ type: 'longtask' });
        requestAnimationFrame(function (start) {
            var last = start;
            requestAnimationFrame(function tick(t) {
                frames.push(t - last);
                last = t;
                if (t - start < ms) return requestAnimationFrame(tick);
                observer.disconnect();
                resolve({ frames: frames, tasks: tasks, ms: t - start });
            });
        });
    });
};`;

const next = random(7);
const product = await startProduct();
const browser = await launchBrowser();
try {
    // 500 visitors: a third from the demo company's accounts, the rest from a paid campaign.
    const visits: FakeVisit[] = Array.from({ length: VISITORS }, (_, i) => {
        const id = `bench${String(i).padStart(5, '0')}`;
        const ip =
            i % 3 === 0
                ? demoCompanyIp(Math.floor(next() * 300), 1 + (i % 250))
                : `81.${1 + Math.floor(i / 250)}.${i % 250}.${1 + Math.floor(next() * 250)}`;
        return { visitorId: `v${id}`, sessionId: `s${id}`, tabId: `t${id}`, ip };
    });
    const pageView = (title: string, query = '') => ({
        ts: Date.now(),
        type: 'pageview' as const,
        url: sitePage(product, `/pricing.html${query}`),
        title
    });
    for (let i = 0; i < visits.length; i += 25) {
        await Promise.all(
            visits
                .slice(i, i + 25)
                .map((visit) => collect(product.url, visit, [pageView('Pricing')], { utm: PAID }))
        );
    }

    // The admin sees every routed visitor: the whole live view.
    const admin = (await localUsers(product)).find((u) => u.isAdmin)!;
    const { page } = await openConsole(browser, product, admin.id);
    await page.getByRole('button', { name: 'Live view' }).click();
    const cards = page.locator('[data-id="visitor-card"]');
    const shown = await waitFor(async () => {
        const n = await cards.count();
        return n >= VISITORS ? n : undefined;
    }, 30_000);

    // Updates: a page view of a random visitor (a new address each time, the same stream), its
    // title the time it was sent. Returns those times.
    let sent = 0;
    let failures = 0;
    async function updatesFor(ms: number): Promise<number[]> {
        const end = Date.now() + ms;
        const gap = 1000 / UPDATES_PER_SECOND;
        const sentAt: number[] = [];
        let due = Date.now();
        while (due < end) {
            const visit = visits[Math.floor(next() * visits.length)]!;
            const at = Date.now();
            sentAt.push(at);
            collect(product.url, visit, [
                pageView(`bench-${at}`, `?update=${sent + failures}`)
            ]).then(
                () => (sent += 1),
                () => (failures += 1)
            );
            due += gap;
            await new Promise((resolve) => setTimeout(resolve, Math.max(0, due - Date.now())));
        }
        return sentAt;
    }

    await page.evaluate(MEASURE_SCRIPT);
    const idle = await page.evaluate<Measured>(`window.__benchMeasure(${WINDOW_MS})`);
    const [loaded] = await Promise.all([
        page.evaluate<Measured>(`window.__benchMeasure(${WINDOW_MS})`),
        updatesFor(WINDOW_MS)
    ]);

    await page.evaluate(LATENCY_SCRIPT);
    const latencyUpdates = await updatesFor(LATENCY_WINDOW_MS);
    // The last updates still arrive (a batch window and a render): wait for them, at most 5 s.
    const readSeen = async () => page.evaluate<Record<string, number>>('window.__benchLatencies');
    const settleBy = Date.now() + 5_000;
    let seen = await readSeen();
    while (latencyUpdates.some((at) => !(at in seen)) && Date.now() < settleBy) {
        await new Promise((resolve) => setTimeout(resolve, 200));
        seen = await readSeen();
    }
    const latencies = latencyUpdates.filter((at) => at in seen).map((at) => seen[at]! - at);
    const latencySent = latencyUpdates.length;

    const idleStats = stats(idle);
    const loadedStats = stats(loaded);
    const result = {
        chromium: browser.version(),
        visitorsShown: shown,
        updatesPerSecond: UPDATES_PER_SECOND,
        windowMs: WINDOW_MS,
        idle: idleStats,
        loaded: loadedStats,
        ratios: {
            frameP50: ratio(loadedStats.frameP50Ms, idleStats.frameP50Ms),
            frameP95: ratio(loadedStats.frameP95Ms, idleStats.frameP95Ms),
            longTaskMsPerSecondLoadedMinusIdle: round(
                loadedStats.longTaskMsPerSecond - idleStats.longTaskMsPerSecond
            )
        },
        latency: {
            updates: latencySent,
            observed: latencies.length,
            p50Ms: percentile(latencies, 0.5),
            p99Ms: percentile(latencies, 0.99),
            maxMs: round(Math.max(...latencies))
        },
        updatesSent: sent,
        failedUpdates: failures
    };
    console.table([
        {
            measure: 'frame time p50 (ms)',
            idle: idleStats.frameP50Ms,
            '20 updates/s': loadedStats.frameP50Ms,
            ratio: result.ratios.frameP50
        },
        {
            measure: 'frame time p95 (ms)',
            idle: idleStats.frameP95Ms,
            '20 updates/s': loadedStats.frameP95Ms,
            ratio: result.ratios.frameP95
        },
        {
            measure: 'frames over 50 ms',
            idle: idleStats.framesOver50Ms,
            '20 updates/s': loadedStats.framesOver50Ms,
            ratio: ''
        },
        {
            measure: 'long tasks',
            idle: idleStats.longTasks,
            '20 updates/s': loadedStats.longTasks,
            ratio: ''
        },
        {
            measure: 'long-task time (ms/s)',
            idle: idleStats.longTaskMsPerSecond,
            '20 updates/s': loadedStats.longTaskMsPerSecond,
            ratio: ''
        },
        {
            measure: 'longest task (ms)',
            idle: idleStats.longestTaskMs,
            '20 updates/s': loadedStats.longestTaskMs,
            ratio: ''
        }
    ]);
    console.table([
        {
            measure: 'beacon → rep’s screen',
            'p50 (ms)': result.latency.p50Ms,
            'p99 (ms)': result.latency.p99Ms,
            observed: `${latencies.length}/${latencySent}`
        }
    ]);
    writeResult('console', result);
} finally {
    await browser.close();
    await product.stop();
}

function stats(m: Measured) {
    const seconds = m.ms / 1000;
    const longTaskMs = m.tasks.reduce((a, b) => a + b, 0);
    return {
        frames: m.frames.length,
        frameP50Ms: percentile(m.frames, 0.5),
        frameP95Ms: percentile(m.frames, 0.95),
        framesOver50Ms: m.frames.filter((f) => f > 50).length,
        longTasks: m.tasks.length,
        longTaskMs: round(longTaskMs),
        longTaskMsPerSecond: round(longTaskMs / seconds),
        longestTaskMs: round(Math.max(0, ...m.tasks))
    };
}

function percentile(values: number[], p: number): number {
    if (values.length === 0) return NaN;
    const sorted = [...values].sort((a, b) => a - b);
    return round(sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!);
}

function round(n: number): number {
    return Math.round(n * 10) / 10;
}

function ratio(a: number, b: number): number {
    return Math.round((a / b) * 100) / 100;
}

async function waitFor<T>(read: () => Promise<T | undefined>, timeoutMs: number): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
        const value = await read();
        if (value !== undefined) return value;
        if (Date.now() > deadline) throw new Error('The console did not show the visitors in time');
        await new Promise((resolve) => setTimeout(resolve, 200));
    }
}
