/**
 * The delivery budget over a working day: 20 reps' consoles on Platform Event
 * notifications for 8 hours of the simulator's traffic (scripts/simulate/plan.ts, seeded),
 * on a simulated clock, against an Enterprise org's allocation (25,000 deliveries a rolling
 * day). Each visitor is routed to one rep (round robin); each beacon changes its card; a
 * chat request asks at once. Every notification is delivered to every subscribed console,
 * as the platform does, and each console fetches its changes when notified and at its quiet
 * check (45 s, or three windows), as the console does.
 *
 * Three runs of the same traffic: as the baseline, a fixed 250 ms window (no governor) on
 * the raw event channel; the budget governor on the raw channel (every notification
 * reaches all 20 consoles); and the governor with each console on its own filtered channel
 * (gateway/src/live/eventChannels.ts: a notification reaches its rep's console only).
 * Reports the deliveries each used (target: governed under 80 % of the allocation) and
 * each console's freshness — how long a change waited until that console had it —
 * p50/p95, and their ratios: governed to the baseline, filtered to raw. The direct socket's
 * beacon → screen p50/p99 is the `live-socket` bench of the same `npm run bench`; the
 * summary prints them side by side. Writes bench-results/delivery-budget.json.
 */
import type { LiveNotification, VisitorCard } from '../../gateway/src/contracts/liveContract';
import { BudgetGovernor, DEFAULT_DAILY_DELIVERIES } from '../../gateway/src/live/budgetGovernor';
import { ManualClock } from '../../gateway/src/live/clock';
import {
    fixedWindow,
    LivePublisher,
    type NotificationPacer,
    type PublishTransport
} from '../../gateway/src/live/publisher';
import { planSimulation } from '../simulate/plan';
import { writeResult } from './benchSupport';

const REPS = 20;
const HOURS = 8;
const DURATION_MS = HOURS * 60 * 60_000;
const BUDGET_SHARE = 80;
const QUIET_CHECK_MS = 45_000;
const BASELINE_WINDOW_MS = 250;

type Step =
    | { at: number; kind: 'update'; visitor: number; chat: boolean }
    | { at: number; kind: 'leave'; visitor: number };

/** The simulator's 8 hours as one time-ordered list of card changes and departures. */
function traffic(): Step[] {
    const plans = planSimulation({ durationMs: DURATION_MS, visitors: 100_000 });
    const steps: Step[] = [];
    for (const plan of plans) {
        for (const batch of plan.batches)
            steps.push({
                at: plan.arriveAtMs + batch.atMs,
                kind: 'update',
                visitor: plan.index,
                chat: batch.events.some((e) => e.type === 'chat-request')
            });
        steps.push({ at: plan.arriveAtMs + plan.durationMs, kind: 'leave', visitor: plan.index });
    }
    return steps.filter((s) => s.at <= DURATION_MS).sort((a, b) => a.at - b.at);
}

function percentile(sorted: readonly number[], p: number): number {
    if (sorted.length === 0) return 0;
    return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

interface ConsoleFreshness {
    rep: string;
    changes: number;
    p50Ms: number;
    p95Ms: number;
}

interface RunResult {
    pacing: string;
    notifications: number;
    deliveries: number;
    shareOfAllocation: number;
    finalWindowMs: number;
    freshness: { p50Ms: number; p95Ms: number; consoles: ConsoleFreshness[] };
}

type Mode = 'fixed' | 'raw' | 'filtered';

function run(steps: readonly Step[], mode: Mode): RunResult {
    const governed = mode !== 'fixed';
    const clock = new ManualClock();
    const reps = Array.from({ length: REPS }, (_, i) => `rep-${String(i).padStart(2, '0')}`);
    let deliveries = 0;
    let notifications = 0;
    const cursor = new Map(reps.map((rep) => [rep, 0]));
    /** Per console: when each visitor's oldest change it has not fetched yet happened. */
    const pending = new Map(reps.map((rep) => [rep, new Map<string, number>()]));
    const ages = new Map<string, number[]>(reps.map((rep) => [rep, []]));

    const fetch = (rep: string) => {
        const p = publisher;
        for (;;) {
            const page = p.changes(rep, p.epoch, cursor.get(rep)!);
            if (page.kind !== 'changes') throw new Error(`${rep} must re-snapshot`);
            const now = clock.now();
            const waiting = pending.get(rep)!;
            for (const id of [...page.upserts.map((c) => c.id), ...page.removals]) {
                const since = waiting.get(id);
                if (since === undefined) continue;
                ages.get(rep)!.push(now - since);
                waiting.delete(id);
            }
            cursor.set(rep, page.sequence);
            if (!page.more) break;
        }
    };
    // The platform: every notification reaches every subscribed console; the one it is for fetches.
    const bus: PublishTransport = {
        notify: (notification: LiveNotification) => {
            notifications++;
            if (!governed) deliveries += REPS;
            fetch(notification.audience);
        }
    };
    const governor: BudgetGovernor = new BudgetGovernor(clock, {
        sharePercent: BUDGET_SHARE,
        minWindowMs: BASELINE_WINDOW_MS,
        subscribers: () => publisher.activeConsoles(),
        // On its own channel, a notification reaches its rep's console, if it is listening.
        ...(mode === 'filtered'
            ? {
                  deliveriesFor: (audience: string) =>
                      publisher.activeConsoles((u) => u !== audience)
              }
            : {})
    });
    const pacer: NotificationPacer = governed ? governor : fixedWindow(BASELINE_WINDOW_MS);
    // The closures above run only once it exists.
    const publisher: LivePublisher = new LivePublisher(
        governed ? governor.metered(bus) : bus,
        clock,
        pacer
    );
    publisher.setViewers(reps.map((userId) => ({ userId, isAdmin: false })));
    for (const rep of reps) {
        fetch(rep);
        // The console's quiet check: a fetch when the channel has been silent for long.
        const quiet = () => {
            fetch(rep);
            clock.setTimeout(quiet, Math.max(QUIET_CHECK_MS, 3 * pacer.windowMs()));
        };
        clock.setTimeout(quiet, QUIET_CHECK_MS);
    }

    const start = clock.now();
    const version = new Map<number, number>();
    for (const step of steps) {
        clock.advance(start + step.at - clock.now());
        const id = `visit-${step.visitor}`;
        const rep = reps[step.visitor % REPS]!;
        const waiting = pending.get(rep)!;
        if (!waiting.has(id)) waiting.set(id, clock.now());
        if (step.kind === 'leave') {
            publisher.remove(id);
            continue;
        }
        const n = (version.get(step.visitor) ?? 0) + 1;
        version.set(step.visitor, n);
        const card = {
            id,
            currentPage: { path: `/${n}` },
            chat: step.chat ? { state: 'requested' } : { state: 'none' }
        } as unknown as VisitorCard;
        publisher.update(card, { streams: { shown: 's1' }, routing: { offeredTo: [rep] } });
    }
    clock.advance(start + DURATION_MS - clock.now());
    if (governed) deliveries = governor.report().usedToday;

    const consoles = reps.map((rep) => {
        const sorted = [...ages.get(rep)!].sort((a, b) => a - b);
        return {
            rep,
            changes: sorted.length,
            p50Ms: percentile(sorted, 50),
            p95Ms: percentile(sorted, 95)
        };
    });
    const all = [...ages.values()].flat().sort((a, b) => a - b);
    return {
        pacing: governed
            ? `governor (${BUDGET_SHARE} %), ${mode} channel`
            : `fixed ${BASELINE_WINDOW_MS} ms, raw channel`,
        notifications,
        deliveries,
        shareOfAllocation: deliveries / DEFAULT_DAILY_DELIVERIES,
        finalWindowMs: pacer.windowMs(),
        freshness: { p50Ms: percentile(all, 50), p95Ms: percentile(all, 95), consoles }
    };
}

const steps = traffic();
const visitors = new Set(steps.map((s) => s.visitor)).size;
const baseline = run(steps, 'fixed');
const governed = run(steps, 'raw');
const filtered = run(steps, 'filtered');

const pct = (share: number) => `${(share * 100).toFixed(1)} %`;
const sec = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
console.log(
    `${REPS} reps × ${HOURS} h of simulated traffic: ${visitors} visitors, ${steps.length} card changes and departures; Enterprise allocation ${DEFAULT_DAILY_DELIVERIES} deliveries/day`
);
for (const result of [baseline, governed, filtered])
    console.log(
        `  ${result.pacing.padEnd(34)} deliveries ${String(result.deliveries).padStart(9)} (${pct(result.shareOfAllocation)} of the allocation), freshness p50 ${sec(result.freshness.p50Ms)}, p95 ${sec(result.freshness.p95Ms)}`
    );
console.log(
    `  governed / baseline: deliveries ×${(governed.deliveries / baseline.deliveries).toFixed(3)}, freshness p50 ×${(governed.freshness.p50Ms / Math.max(1, baseline.freshness.p50Ms)).toFixed(1)}, p95 ×${(governed.freshness.p95Ms / Math.max(1, baseline.freshness.p95Ms)).toFixed(1)}`
);
console.log(
    `  filtered / raw (both governed): deliveries ×${(filtered.deliveries / governed.deliveries).toFixed(3)}, notifications ×${(filtered.notifications / governed.notifications).toFixed(1)}, freshness p50 ×${(filtered.freshness.p50Ms / Math.max(1, governed.freshness.p50Ms)).toFixed(3)}, p95 ×${(filtered.freshness.p95Ms / Math.max(1, governed.freshness.p95Ms)).toFixed(3)}`
);
console.log('  per console (governed, filtered channels), freshness p50 / p95:');
for (const c of filtered.freshness.consoles)
    console.log(`    ${c.rep}: ${sec(c.p50Ms)} / ${sec(c.p95Ms)} over ${c.changes} changes`);
const target =
    Math.max(governed.shareOfAllocation, filtered.shareOfAllocation) < BUDGET_SHARE / 100;
console.log(
    `  target: governed deliveries under ${BUDGET_SHARE} % of the allocation — ${target ? 'met' : 'MISSED'}`
);
writeResult('delivery-budget', {
    reps: REPS,
    hours: HOURS,
    visitors,
    allocation: DEFAULT_DAILY_DELIVERIES,
    targetShare: BUDGET_SHARE / 100,
    targetMet: target,
    baseline,
    governed,
    filtered
});
