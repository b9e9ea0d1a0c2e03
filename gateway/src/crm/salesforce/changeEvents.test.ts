/**
 * Change Data Capture end to end: an admin edits a routing rule in the org as the Setup
 * page does (the UI API, signed in to Lightning), and routing follows without a restart:
 * the change event tells the gateway, which compiles its rule set again.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { SESSION_COOKIE } from '../../../../localorg/src/lightning/localSession';
import {
    beacon,
    ids,
    pageview,
    sendBeacon,
    startTestGateway,
    waitUntil,
    type TestGateway
} from '../../testing/liveTestApp';
import { API_VERSION } from './signIn';

describe('configuration changes through Change Data Capture', () => {
    let gw: TestGateway;
    before(async () => (gw = await startTestGateway({ lightning: true })));
    after(async () => gw.close());

    /** A new visitor on `path`, and who routing offers them to. */
    async function offeredFor(path: string): Promise<string[]> {
        const who = ids('cdc');
        const response = await sendBeacon(gw, beacon(who, [pageview(path)]), {
            'x-forwarded-for': '81.2.69.160'
        });
        assert.equal(response.statusCode, 202);
        return gw.live.decision(who.sessionId)!.routing.offeredTo;
    }

    it("an admin's rule change in Setup (UI API) reaches routing", async () => {
        assert.equal((await offeredFor('/pricing')).length, 1, 'one SDR by turns, as seeded');
        const rule = gw.org
            .find(gw.org.name('Routing_Rule__c'))
            .find((r) => String(r.Name).startsWith('Paid or pricing'))!;
        const admin = gw.user('Priya').id;
        const compiled = gw.live.decisions.ruleSet;
        const response = await fetch(
            `${gw.orgServer.url()}/services/data/v${API_VERSION}/ui-api/records/${String(rule.Id)}`,
            {
                method: 'PATCH',
                headers: {
                    'content-type': 'application/json',
                    cookie: `${SESSION_COOKIE}=${admin}`
                },
                body: JSON.stringify({
                    fields: { [gw.org.name('Strategy__c')]: 'First_Available' }
                })
            }
        );
        assert.equal(response.status, 200, await response.text());
        await waitUntil(
            'the rule set compiled again',
            () => gw.live.decisions.ruleSet !== compiled
        );
        await gw.live.settled();
        assert.ok((await offeredFor('/pricing')).length > 1, 'every available SDR, first wins');
    });
});
