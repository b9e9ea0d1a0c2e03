import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
    beacon,
    ids,
    pageview,
    sendBeacon,
    startTestGateway,
    type TestGateway,
    fetchChanges
} from '../testing/liveTestApp';

describe('a visitor who identifies with a form', () => {
    let gw: TestGateway;
    before(async () => (gw = await startTestGateway()));
    after(async () => gw.close());

    const collect = (who: ReturnType<typeof ids>, events: Parameters<typeof beacon>[1]) =>
        sendBeacon(gw, beacon(who, events));

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

    it("a known Contact's email with another typed name: the card names the Contact, and keeps what was typed as typed", async () => {
        const contact = gw.org.find('Contact', {}, { limit: 1 })[0]!;
        const who = ids('mickey');
        await collect(who, [pageview('/demo.html')]);
        await collect(who, [
            {
                type: 'identify',
                ts: 2,
                email: String(contact.Email),
                firstName: 'Mickey',
                lastName: 'Mouse',
                source: 'form'
            }
        ]);
        gw.clock.advance(250);
        // The first page asks the org what Priya may read of the records; then they show.
        fetchChanges(gw, gw.user('Priya').id);
        await gw.live.access.settled();
        const card = fetchChanges(gw, gw.user('Priya').id).upserts.find(
            (c) => c.id === who.sessionId
        )!;
        assert.equal(card.salesforce.contact?.id, contact.Id);
        assert.equal(
            card.salesforce.contact?.name,
            contact.Name,
            'the link and its label are the same record'
        );
        assert.equal(card.displayName, contact.Name);
        assert.equal(card.typedName, 'Mickey Mouse');
    });
});
