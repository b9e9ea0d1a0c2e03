import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { beacon, ids, pageview, sendBeacon, startTestGateway } from '../testing/liveTestApp';
import { BackPressure } from './backPressure';

describe('back-pressure', () => {
    it('turns beacons away past the in-flight limit, and admits again as answers go out', () => {
        const guard = new BackPressure({ maxInFlight: 2, maxLiveVisits: 100 });
        const a = guard.admit(true, 0);
        const b = guard.admit(false, 0);
        assert.ok(a.ok && b.ok);
        assert.deepEqual(guard.admit(false, 0), { ok: false, why: 'busy' });
        guard.release();
        assert.equal(guard.working, 1);
        assert.ok(guard.admit(false, 0).ok);
        assert.equal(guard.refused.busy, 1);
        guard.release();
        guard.release();
        guard.release(); // more releases than admissions never go below none
        assert.equal(guard.working, 0);
    });

    it('at the live-visit cap, new visits get 503 + Retry-After while live ones carry on', async () => {
        const gw = await startTestGateway({ env: { SIGHTLINE_MAX_LIVE_VISITS: '3' } });
        try {
            const send = (who: ReturnType<typeof ids>, path = '/') =>
                sendBeacon(gw, beacon(who, [pageview(path)]));
            const live = [ids(), ids(), ids()];
            for (const who of live) assert.equal((await send(who)).statusCode, 202);
            const refused = await send(ids());
            assert.equal(refused.statusCode, 503);
            assert.equal(refused.headers['retry-after'], '30');
            assert.equal(refused.json().errorCode, 'OVERLOADED');
            assert.equal(gw.live.liveVisits, 3);
            assert.equal((await send(live[0]!, '/pricing')).statusCode, 202);
            assert.equal(gw.live.session(live[0]!.sessionId)?.pages.length, 2);
        } finally {
            await gw.close();
        }
    });
});
