import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
    beacon,
    ids,
    pageview,
    sendBeacon,
    startTestGateway,
    waitUntil,
    type TestGateway
} from '../testing/liveTestApp';

describe('Last_Seen__c of live visits', () => {
    let gw: TestGateway;
    before(async () => (gw = await startTestGateway()));
    after(async () => gw.close());

    const lastSeen = (visitorKey: string) =>
        Date.parse(
            String(
                gw.org.find('Website_Visitor__c', { Visitor_Key__c: visitorKey })[0]!.Last_Seen__c
            )
        );

    it('is written at most once a minute per visit, for many visits in one batch a second later', async () => {
        const visitors = [ids(), ids(), ids()];
        for (const who of visitors) await sendBeacon(gw, beacon(who, [pageview('/')]));
        const first = visitors.map((v) => lastSeen(v.visitorId));
        const heartbeats = () =>
            Promise.all(
                visitors.map((who) =>
                    sendBeacon(gw, beacon(who, [{ type: 'heartbeat', ts: 2, active: true }]))
                )
            );
        for (let i = 0; i < 2; i++) {
            gw.clock.advance(20_000);
            await heartbeats();
        }
        gw.clock.advance(1_000);
        await gw.live.settled();
        assert.deepEqual(
            visitors.map((v) => lastSeen(v.visitorId)),
            first,
            `not within the minute`
        );
        gw.clock.advance(20_000);
        const writes: string[] = [];
        const stop = gw.org.onChange((change) => {
            if (change.object === 'Website_Visitor__c') writes.push(change.id);
        });
        await heartbeats();
        assert.equal(writes.length, 0, 'not from inside the beacon request');
        const requests = gw.orgServer.usage.used();
        gw.clock.advance(1_000);
        await waitUntil('the Last_Seen__c writes', () => writes.length >= 3);
        stop();
        assert.equal(writes.length, 3, 'one write per visit');
        assert.equal(gw.orgServer.usage.used() - requests, 1, 'together, in one request');
        for (const [i, who] of visitors.entries())
            assert.equal(lastSeen(who.visitorId), first[i]! + 61_000);
    });
});
