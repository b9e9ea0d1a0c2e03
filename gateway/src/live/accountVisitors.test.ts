import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { AccountVisitors } from '../contracts/liveContract';
import {
    beacon,
    ids,
    pageview,
    sendBeacon,
    startTestGateway,
    type TestGateway
} from '../testing/liveTestApp';

describe('on the website now, for a record page', () => {
    let gw: TestGateway;
    before(async () => (gw = await startTestGateway()));
    after(async () => gw.close());

    const action = (name: string, userId: string, body: object) => gw.action(name, userId, body);

    it("lists the account's visitors the viewer may see from Account, Opportunity and Contact pages, and counts the rest", async () => {
        const account = gw.org
            .find('Account', {})
            .find((a) => a.Domain__c && gw.org.find('Contact', { AccountId: a.Id! }).length > 0)!;
        const contact = gw.org.find('Contact', { AccountId: account.Id! })[0]!;
        const domain = String(account.Domain__c);
        // Two people from the account, identified by email on its domain.
        const visits = [ids('acct'), ids('acct')];
        for (const [i, who] of visits.entries()) {
            const send = (events: Parameters<typeof beacon>[1]) =>
                sendBeacon(gw, beacon(who, events));
            await send([pageview('/pricing')]);
            await send([
                { type: 'identify', ts: 2, email: `person${i}@${domain}`, source: 'form' }
            ]);
        }
        gw.clock.advance(250);
        const routed = new Set(
            visits.flatMap((v) =>
                gw.live
                    .decision(v.sessionId)!
                    .routing.offeredTo.concat(
                        gw.live.decision(v.sessionId)!.routing.assignedTo ?? []
                    )
            )
        );
        const admin = gw.user('Priya').id;
        const all = (
            await action('getAccountVisitors', admin, { recordId: account.Id })
        ).json<AccountVisitors>();
        assert.equal(all.matchedOn, account.Name);
        assert.deepEqual(
            all.visitors.map((v) => v.id).sort(),
            visits.map((v) => v.sessionId).sort()
        );
        assert.equal(all.otherReps, 0);

        const fromContact = (
            await action('getAccountVisitors', admin, { recordId: contact.Id })
        ).json<AccountVisitors>();
        assert.equal(fromContact.visitors.length, 2);

        const outsider = gw.users.find(
            (u) =>
                !u.isAdmin &&
                !routed.has(u.id) &&
                !gw.users.some(
                    (r) =>
                        r.id !== u.id &&
                        routed.has(r.id) &&
                        (r as { managerId?: string }).managerId === u.id
                )
        )!;
        const theirs = (
            await action('getAccountVisitors', outsider.id, { recordId: account.Id })
        ).json<AccountVisitors>();
        assert.equal(theirs.visitors.length + theirs.otherReps, 2);
        assert.ok(
            theirs.visitors.every((v) => v.routing.routedTo.some((u) => u.id === outsider.id)),
            'only cards the viewer may see'
        );
    });

    it('answers 404 for a record that does not exist and 400 for a malformed id', async () => {
        const admin = gw.user('Priya').id;
        assert.equal(
            (await action('getAccountVisitors', admin, { recordId: '001000000000000AAA' }))
                .statusCode,
            404
        );
        assert.equal(
            (await action('getAccountVisitors', admin, { recordId: 'x' })).statusCode,
            400
        );
    });
});
