import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { beacon, ids, pageview, startTestGateway, type TestGateway } from '../testing/liveTestApp';

describe('a visitor who identifies with a form', () => {
    let gw: TestGateway;
    before(async () => (gw = await startTestGateway()));
    after(async () => gw.close());

    const collect = (who: ReturnType<typeof ids>, events: Parameters<typeof beacon>[1]) =>
        gw.app.inject({
            method: 'POST',
            url: '/v1/collect',
            headers: { 'content-type': 'text/plain' },
            payload: JSON.stringify(beacon(who, events))
        });

    it('keeps the company name typed in the form when no Account matches the email domain', async () => {
        const who = ids('typed');
        await collect(who, [pageview('/demo.html')]);
        const identified = await collect(who, [
            {
                type: 'identify',
                ts: 2,
                email: 'ada@analytical-engines.example',
                firstName: 'Ada',
                lastName: 'Lovelace',
                company: 'Analytical Engines Ltd',
                source: 'form'
            }
        ]);
        assert.equal(identified.statusCode, 202);
        const session = gw.live.session(who.sessionId)!;
        assert.equal(session.personName, 'Ada Lovelace');
        assert.deepEqual(session.company, {
            domain: 'analytical-engines.example',
            name: 'Analytical Engines Ltd'
        });
    });
});
