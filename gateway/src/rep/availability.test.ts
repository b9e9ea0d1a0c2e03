import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { ConsoleSnapshot, RepAvailability } from '../contracts/liveContract';
import {
    beacon,
    ids,
    pageview,
    sendBeacon,
    startTestGateway,
    type TestGateway
} from '../testing/liveTestApp';

describe("a rep's availability, as the console header shows and sets it", () => {
    let gw: TestGateway;
    before(async () => (gw = await startTestGateway()));
    after(async () => gw.close());

    const action = (name: string, userId: string, body: object = {}) =>
        gw.action(name, userId, body);
    const snapshot = async (userId: string) =>
        (await action('getSnapshot', userId, { page: 0 })).json<ConsoleSnapshot>();

    it("the snapshot carries a rep's status, capacity and conversations; an admin who is no rep has none", async () => {
        const sdr = gw.users.find((u) => u.title === 'Sales Development Rep')!;
        assert.deepEqual((await snapshot(sdr.id)).user.availability, {
            status: 'available',
            capacity: 4,
            activeConversations: 0
        });
        assert.equal((await snapshot(gw.user('Priya').id)).user.availability, undefined);
    });

    it('a new rep starts offline and is offered no chat; once Available, the waiting request is offered to them', async () => {
        const sdrs = gw.users.filter((u) => u.title === 'Sales Development Rep');
        const [newcomer, ...others] = sdrs;
        for (const other of others)
            assert.equal(
                (await action('setAvailability', other.id, { status: 'Away' })).statusCode,
                200
            );
        await gw.changeInOrg((org) => {
            const record = org.find('Rep_Availability__c', { User__c: newcomer!.id })[0]!;
            org.delete('Rep_Availability__c', record.Id as string);
        });
        assert.deepEqual((await snapshot(newcomer!.id)).user.availability, {
            status: 'offline',
            capacity: 3,
            activeConversations: 0
        });

        const who = ids('avail');
        const send = (events: Parameters<typeof beacon>[1]) => sendBeacon(gw, beacon(who, events));
        await send([pageview('/pricing')]);
        await send([{ type: 'chat-request', ts: 2, message: 'Pricing question' }]);
        assert.ok(!gw.live.decision(who.sessionId)!.routing.offeredTo.includes(newcomer!.id));

        const answer = await action('setAvailability', newcomer!.id, { status: 'Available' });
        assert.equal(answer.statusCode, 200);
        const availability = answer.json<RepAvailability>();
        assert.equal(availability.status, 'available');
        assert.ok(
            gw.live.decision(who.sessionId)!.routing.offeredTo.includes(newcomer!.id),
            'offered once available'
        );
        assert.equal((await snapshot(newcomer!.id)).user.availability?.status, 'available');
    });

    it('refuses an unknown status with a clear 400, and changes nothing', async () => {
        const sdr = gw.users.find((u) => u.title === 'Sales Development Rep')!;
        const before = (await snapshot(sdr.id)).user.availability;
        const answer = await action('setAvailability', sdr.id, { status: 'Busy' });
        assert.equal(answer.statusCode, 400);
        assert.match(answer.body, /setAvailability/);
        assert.deepEqual((await snapshot(sdr.id)).user.availability, before);
    });
});
