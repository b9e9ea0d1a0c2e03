import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { CollectResponse } from '../contracts/visitorProtocol';
import {
    beacon,
    ids,
    pageview,
    sendBeacon,
    startTestGateway,
    waitUntil,
    type TestGateway,
    fetchChanges
} from '../testing/liveTestApp';

describe('a chat request from a visitor in no stream', () => {
    let gw: TestGateway;
    before(async () => (gw = await startTestGateway()));
    after(async () => gw.close());

    it('gets the meeting booker at once: no rep could see it to accept', async () => {
        const who = ids('unseen');
        const collect = async (events: Parameters<typeof beacon>[1]) =>
            (await sendBeacon(gw, beacon(who, events))).json<CollectResponse>();
        await collect([pageview('/careers')]);
        const answer = await collect([{ type: 'chat-request', ts: 2, message: 'Anyone?' }]);

        assert.equal(answer.chat?.state, 'meeting-booker');
        const decision = gw.live.decision(who.sessionId)!;
        assert.equal(decision.streams.shown, null);
        assert.deepEqual(decision.routing.offeredTo, []);
        assert.match(decision.routing.reason, /^Fits no stream, so no rep can see this visitor/);
        // The conversation is marked missed in the org in the background.
        await waitUntil('the missed conversation', () =>
            gw.org.find('Conversation__c', {}).some((c) => c.Status__c === 'Missed')
        );
        assert.deepEqual(
            gw.org.find('Conversation__c', {}).map((c) => c.Status__c),
            ['Missed']
        );
        gw.clock.advance(250);
        const admin = gw.user('Priya').id;
        const receivers = new Set(
            gw.users
                .filter((u) => fetchChanges(gw, u.id).upserts.some((c) => c.id === who.sessionId))
                .map((u) => u.id)
        );
        assert.deepEqual([...receivers], [admin], 'only the admin sees the card');
    });
});
