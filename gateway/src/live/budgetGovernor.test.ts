import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BudgetGovernor, type OrgEventLimits } from './budgetGovernor';
import { ManualClock } from './clock';
import { LivePublisher } from './publisher';
import type { LiveNotification, VisitorCard } from '../contracts/liveContract';

const HOUR = 60 * 60_000;
const DAY = 24 * HOUR;

/**
 * Simulates `reps` busy reps (a visitor of each changes every second) over `ms`, each with
 * the console open (it snapshots, then fetches its changes when notified): the deliveries spent.
 */
function simulate(governor: BudgetGovernor, clock: ManualClock, reps: number, ms: number): number {
    const transport = governor.metered({
        notify: (n) => publisher.changes(n.audience, n.epoch, n.sequence)
    });
    const publisher: LivePublisher = new LivePublisher(transport, clock, governor);
    publisher.setViewers(
        Array.from({ length: reps }, (_, i) => ({ userId: `rep-${i}`, isAdmin: false }))
    );
    for (let i = 0; i < reps; i++) publisher.snapshot(`rep-${i}`);
    const card = (id: string, n: number): VisitorCard =>
        ({ id, currentPage: { path: `/${n}` }, chat: { state: 'none' } }) as unknown as VisitorCard;
    let n = 0;
    const timer = clock.setInterval(() => {
        n++;
        for (let i = 0; i < reps; i++)
            publisher.update(card(`v${i}`, n), {
                streams: { shown: 's1' },
                routing: { offeredTo: [`rep-${i}`] }
            });
    }, 1_000);
    const before = governor.report().usedToday;
    clock.advance(ms);
    timer.cancel();
    publisher.close();
    return governor.report().usedToday - before;
}

describe('budget governor', () => {
    it('stretches the window so that a busy day stays under the budget share of the allocation', () => {
        const clock = new ManualClock();
        const consoles = 12;
        const governor = new BudgetGovernor(clock, {
            sharePercent: 80,
            minWindowMs: 250,
            subscribers: () => consoles
        });
        // 12 reps whose visitors change every second, all day: unthrottled that is
        // 12 × 12 × 4 per second, some 50 million deliveries a day.
        const used = simulate(governor, clock, 12, DAY);
        const report = governor.report();
        assert.ok(used <= 20_000, `${used} deliveries in a day, budget 20,000`);
        assert.ok(used >= 10_000, `${used}: the budget is used, not hoarded`);
        assert.equal(report.budget, 20_000);
        assert.ok(report.batchWindowMs > 250, 'throttled');
        assert.equal(governor.freshness().mode, 'throttled');
        assert.ok(report.projectedDay <= 20_000, `projected ${report.projectedDay}`);
    });

    it('stays live when the budget allows it, and follows the org: what others use counts', async () => {
        const clock = new ManualClock();
        let limits: OrgEventLimits = {
            DailyDeliveredPlatformEvents: { Max: 10_000_000, Remaining: 10_000_000 },
            HourlyPublishedPlatformEvents: { Max: 250_000, Remaining: 250_000 }
        };
        const governor = new BudgetGovernor(clock, {
            sharePercent: 80,
            minWindowMs: 250,
            subscribers: () => 2,
            readLimits: async () => limits
        });
        await governor.refresh();
        simulate(governor, clock, 2, 10 * 60_000);
        assert.equal(governor.windowMs(), 250, 'a large allocation: every change at once');
        assert.equal(governor.freshness().mode, 'live');
        // Another integration spent almost all of the org's allocation.
        limits = {
            DailyDeliveredPlatformEvents: { Max: 10_000_000, Remaining: 2_000_001 },
            HourlyPublishedPlatformEvents: { Max: 250_000, Remaining: 250_000 }
        };
        await governor.refresh();
        assert.equal(governor.report().usedSource, 'org');
        assert.equal(governor.report().usedToday, 7_999_999);
        assert.equal(governor.windowMs(), HOUR, 'no headroom left: the longest window');
    });

    it('lets chat messages burst, and counts what they spend', () => {
        const clock = new ManualClock();
        const governor = new BudgetGovernor(clock, {
            sharePercent: 80,
            minWindowMs: 250,
            subscribers: () => 5
        });
        const sent: LiveNotification[] = [];
        const publisher = new LivePublisher(
            governor.metered({ notify: (n) => sent.push(n) }),
            clock,
            governor
        );
        publisher.setViewers([{ userId: 'rep-a', isAdmin: false }]);
        for (let i = 0; i < 50; i++)
            publisher.chat('rep-a', {
                conversationId: 'c1',
                message: {
                    id: `m${i}`,
                    sender: 'Visitor',
                    senderName: 'Ana',
                    body: 'hi',
                    sentAt: ''
                }
            });
        assert.equal(sent.length, 50, 'none held back');
        assert.equal(governor.report().usedToday, 250, '50 notifications × 5 consoles');
    });

    it('counts a notification on a filtered channel as its own subscribers, so the same day waits less', () => {
        const day = (deliveriesFor?: (audience: string) => number) => {
            const clock = new ManualClock();
            const governor = new BudgetGovernor(clock, {
                sharePercent: 80,
                minWindowMs: 250,
                subscribers: () => 12,
                ...(deliveriesFor ? { deliveriesFor } : {})
            });
            // Two hours: long enough for the window to settle.
            const used = simulate(governor, clock, 12, 2 * HOUR);
            return { used, report: governor.report() };
        };
        const audiences: string[] = [];
        const raw = day();
        // Each rep's console on its own channel: a notification reaches that console only.
        const filtered = day((audience) => {
            audiences.push(audience);
            return 1;
        });
        assert.ok(
            audiences.every((a) => /^rep-\d+$/.test(a)),
            'counted per audience'
        );
        assert.equal(filtered.report.deliveriesPerNotification, 1);
        assert.equal(raw.report.deliveriesPerNotification, 12);
        for (const run of [raw, filtered])
            assert.ok(run.used <= 20_000, `${run.used} deliveries, budget 20,000 a day`);
        // The same budget pays for twelve times the notifications: the window shrinks to match.
        const ratio = raw.report.batchWindowMs / filtered.report.batchWindowMs;
        assert.ok(ratio > 8 && ratio < 16, `raw window / filtered window = ${ratio.toFixed(1)}`);
    });
});
