import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { dryRun } from '../engine';
import {
    beacon,
    ids,
    pageview,
    sendBeacon,
    startTestGateway,
    type TestGateway
} from '../testing/liveTestApp';
import type { DryRunVisitors } from './adminActions';
import type { GatewayHealth } from './health';

/** The setup pages' admin actions on the running gateway: they read its live store. */
describe('admin actions on the live gateway', () => {
    let gw: TestGateway;

    before(async () => {
        gw = await startTestGateway();
    });
    after(async () => {
        await gw?.close();
    });

    async function adminAction<T>(name: string): Promise<T> {
        const response = await gw.action(name, gw.user('Priya').id);
        assert.equal(response.statusCode, 200, response.body);
        return response.json<T>();
    }

    async function collect(who: ReturnType<typeof ids>, path: string, extra = {}) {
        const response = await sendBeacon(gw, beacon(who, [pageview(path)], extra));
        assert.equal(response.statusCode, 202, response.body);
    }

    it('dry-runs against the current visits, most recent first, and reports their count and deliveries', async () => {
        for (const user of gw.users) gw.live.publisher.snapshot(user.id); // consoles open
        const reader = ids('reader');
        const phone = ids('phone');
        await collect(reader, '/blog');
        gw.clock.advance(1_000);
        await collect(phone, '/pricing', {
            device: { type: 'mobile', browser: 'Safari', os: 'iOS' }
        });
        gw.clock.advance(250);

        const dry = await adminAction<DryRunVisitors>('getDryRunVisitors');
        assert.equal(dry.source, 'live');
        assert.equal(dry.now, gw.clock.now());
        assert.deepEqual(
            dry.visitors.map((v) => v.identity.visitorId),
            [phone.sessionId, reader.sessionId]
        );
        assert.equal(dry.truncated, false);
        const mobile = dryRun(
            { field: 'device.type', operator: 'equals', value: 'mobile' },
            dry.visitors,
            dry.now
        );
        assert.deepEqual(mobile.matchedVisitorIds, [phone.sessionId]);

        const health = await adminAction<GatewayHealth>('getHealth');
        assert.equal(health.liveSessions, 2);
        assert.ok(gw.transport.sent.length > 0, 'the visits were published');
        const events = health.events!;
        // The org's own count (`limits`) wins over the gateway's: the test's recording
        // transport publishes nothing to the org, so the org has delivered none.
        assert.deepEqual(
            { ...events, projectedDay: 0 },
            {
                usedToday: 0,
                usedSource: 'org',
                budget: 20_000, // 80 % (Sightline_Setting.Default) of 25,000
                allocation: 25_000,
                batchWindowMs: events.batchWindowMs,
                projectedDay: 0,
                // Every user's console is open, on events.
                subscribers: gw.users.length,
                // The raw channel: every notification reaches every subscriber.
                deliveriesPerNotification: gw.users.length,
                share: 0
            }
        );
        assert.ok(
            events.batchWindowMs! >= 250,
            'the governor’s window, at least the configured one'
        );
        assert.ok(events.projectedDay! > 0, 'a projection of the day at the current rate');
    });
});
