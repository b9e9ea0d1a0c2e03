import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { CollectRequestInput } from '../contracts/visitorProtocol';
import {
    beacon,
    ids,
    pageview,
    sendBeacon,
    startTestGateway,
    type TestGateway,
    fetchChanges
} from '../testing/liveTestApp';

function send(gw: TestGateway, body: CollectRequestInput, ip = '81.2.69.160') {
    return sendBeacon(gw, body, { 'x-forwarded-for': ip });
}

describe('live sessions', () => {
    let gw: TestGateway;
    before(async () => (gw = await startTestGateway()));
    after(async () => gw.close());

    it('keeps pages with dwell and scroll depth, tabs, UTM, referrer and device', async () => {
        const who = ids();
        await send(
            gw,
            beacon(
                who,
                [
                    {
                        type: 'pageview',
                        ts: 1,
                        url: 'http://localhost:4300/?utm_medium=cpc',
                        title: 'Home',
                        referrer: 'https://www.google.com/'
                    }
                ],
                {
                    utm: { source: 'google', medium: 'cpc' },
                    device: { type: 'mobile', browser: 'Safari', os: 'iOS' }
                }
            )
        );
        gw.clock.advance(12_000);
        await send(
            gw,
            beacon(who, [
                { type: 'scroll', ts: 2, url: 'http://localhost:4300/?utm_medium=cpc', depth: 0.4 },
                pageview('/pricing', 3),
                { type: 'tabs', ts: 4, count: 2 }
            ])
        );
        gw.clock.advance(5_000);
        await send(
            gw,
            beacon({ ...who, tabId: 'second-tab-1' }, [{ type: 'heartbeat', ts: 5, active: true }])
        );
        const s = gw.live.session(who.sessionId)!;
        assert.deepEqual(
            s.pages.map((p) => [p.path, p.dwellMs, p.scrollDepth]),
            [
                ['/', 12_000, 0.4],
                ['/pricing', 0, 0]
            ]
        );
        assert.equal(s.tabsReported, 2);
        assert.deepEqual(s.utm, { source: 'google', medium: 'cpc' });
        assert.equal(s.referrer, 'https://www.google.com/');
        assert.equal(s.device?.type, 'mobile');
        const detail = await gw.live.rep.detail(
            { id: gw.user('Priya').id, name: 'Priya', isAdmin: true },
            who.sessionId
        );
        assert.deepEqual(
            detail.pages.map((p) => [p.path, p.dwellMs, p.readingSignal]),
            [
                ['/', 12_000, true],
                ['/pricing', 5_000, false]
            ]
        );
        assert.equal(detail.tabsOpen, 2);
        assert.equal(detail.card.location?.countryCode, 'GB');
    });

    it('goes idle after 30 s without activity, back to active on activity, and ends after 30 min without a beacon', async () => {
        const who = ids();
        await send(gw, beacon(who, [pageview('/')]));
        gw.clock.advance(29_000);
        assert.equal(gw.live.session(who.sessionId)?.active, true);
        gw.clock.advance(2_000);
        assert.equal(gw.live.session(who.sessionId)?.active, false, 'idle after 30 s');
        await send(gw, beacon(who, [{ type: 'heartbeat', ts: 2, active: false }]));
        assert.equal(
            gw.live.session(who.sessionId)?.active,
            false,
            'a heartbeat of an idle tab keeps it idle'
        );
        await send(gw, beacon(who, [{ type: 'activity', ts: 3, state: 'active' }]));
        assert.equal(gw.live.session(who.sessionId)?.active, true);
        await send(gw, beacon(who, [{ type: 'activity', ts: 4, state: 'idle' }]));
        assert.equal(
            gw.live.session(who.sessionId)?.active,
            false,
            'the tracker may say idle itself'
        );
        gw.clock.advance(29 * 60_000);
        assert.ok(gw.live.session(who.sessionId), 'still live at 29 min');
        gw.clock.advance(61_000);
        assert.equal(
            gw.live.session(who.sessionId),
            undefined,
            'ended after 30 min without a heartbeat'
        );
        gw.clock.advance(300);
        const { removals } = fetchChanges(gw, gw.user('Priya').id);
        assert.ok(removals.includes(who.sessionId), 'the card left the admin console');
    });

    it('recognises a returning visitor by visitor id (Website_Visitor__c visit count, first and last seen)', async () => {
        const who = ids();
        await send(gw, beacon(who, [pageview('/')]));
        await gw.live.settled();
        const first = gw.org.find('Website_Visitor__c', { Visitor_Key__c: who.visitorId })[0]!;
        assert.equal(first.Visit_Count__c, 1);
        // A second tab's new session during the same visit does not count again.
        await send(gw, beacon({ ...who, sessionId: `${who.sessionId}-b` }, [pageview('/')]));
        assert.equal(gw.live.session(`${who.sessionId}-b`)?.visitCount, 1);
        gw.clock.advance(31 * 60_000);
        await send(gw, beacon({ ...who, sessionId: `${who.sessionId}-2` }, [pageview('/blog')]));
        const again = gw.org.find('Website_Visitor__c', { Visitor_Key__c: who.visitorId })[0]!;
        assert.equal(again.Visit_Count__c, 2);
        assert.equal(again.First_Seen__c, first.First_Seen__c);
        assert.ok(Date.parse(String(again.Last_Seen__c)) > Date.parse(String(first.Last_Seen__c)));
        const session = gw.live.session(`${who.sessionId}-2`)!;
        assert.equal(session.visitCount, 2);
        // A live decision keeps no score reasons (memory); Visitor 360 recomputes them.
        const detail = await gw.live.rep.detail(
            { id: gw.user('Priya').id, name: 'Priya', isAdmin: true },
            session.sessionId
        );
        assert.equal(
            detail.scoreReasons.some((r) => /return/i.test(r.label)),
            true
        );
    });
});
