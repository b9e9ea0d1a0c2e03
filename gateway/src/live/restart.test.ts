import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ClaimResult } from '../contracts/liveContract';
import {
    beacon,
    ids,
    pageview,
    sendBeacon,
    startTestGateway,
    type TestGateway
} from '../testing/liveTestApp';
import { ManualClock } from './clock';

function collect(gw: TestGateway, who: ReturnType<typeof ids>, path: string) {
    return sendBeacon(gw, beacon(who, [pageview(path)]), { 'x-forwarded-for': '81.2.69.160' });
}

function action(gw: TestGateway, name: string, userId: string, body: object) {
    return gw.action(name, userId, body);
}

describe('restart during traffic', () => {
    it('loses no accepted visitor, no stored message, no claim and no round-robin turn', async () => {
        const clock = new ManualClock();
        const first = await startTestGateway({ clock });
        const dataDir = first.dataDir;

        // A conversation under way, and round-robin turns taken.
        const engaged = ids('engaged');
        await collect(first, engaged, '/pricing');
        const rep = first.live.decision(engaged.sessionId)!.routing.assignedTo!;
        const claim = (
            await action(first, 'pounce', rep, { visitorId: engaged.sessionId })
        ).json<ClaimResult>();
        assert.ok(claim.ok);
        const conversationId = claim.ok ? claim.conversationId : '';
        for (let i = 0; i < 5; i++) await collect(first, ids('rr'), '/pricing');
        const asking = ids('asking');
        await collect(first, asking, '/pricing');
        await sendBeacon(
            first,
            beacon(asking, [{ type: 'chat-request', ts: 2, message: 'Anyone there?' }])
        );
        const waiting = first.org.find('Conversation__c', { Status__c: 'Requested' });
        assert.equal(waiting.length, 1);
        clock.advance(250); // the batch window ends: every changed visit is decided
        const pointers = { ...first.live.decisions.state.roundRobin };

        // Traffic in flight while the gateway shuts down.
        const visitors = Array.from({ length: 120 }, () => ids('traffic'));
        const beacons = visitors.map((who, i) =>
            collect(first, who, i % 2 ? '/pricing' : '/').then(
                (r) => r.statusCode,
                () => 0
            )
        );
        const messages = Array.from({ length: 30 }, (_, i) =>
            action(first, 'sendMessage', rep, {
                conversationId,
                body: `Message ${i}`,
                clientMessageId: `restart-msg-${String(i).padStart(3, '0')}`
            }).then(
                (r) => r.statusCode,
                () => 0
            )
        );
        const closing = first.close();
        const [beaconCodes, messageCodes] = await Promise.all([
            Promise.all(beacons),
            Promise.all(messages),
            closing
        ]);
        const accepted = visitors.filter((_, i) => beaconCodes[i] === 202);
        const stored = messageCodes
            .map((code, i) => (code === 200 ? `Message ${i}` : null))
            .filter(Boolean);
        assert.ok(
            beaconCodes.every((c) => c === 202 || c === 503 || c === 0),
            `only accepted or refused: ${[...new Set(beaconCodes)].join(', ')}`
        );

        const second = await startTestGateway({ dataDir, clock });
        try {
            for (const who of [engaged, ...accepted]) {
                assert.equal(
                    second.org.find('Website_Visitor__c', { Visitor_Key__c: who.visitorId }).length,
                    1,
                    `visitor ${who.visitorId} persisted`
                );
            }
            const bodies = second.org
                .find('Conversation_Message__c', { Conversation__c: conversationId })
                .map((m) => m.Body__c);
            for (const body of stored) assert.ok(bodies.includes(body), `${body} persisted`);
            assert.deepEqual(
                second.live.decisions.state.roundRobin,
                pointers,
                'round-robin pointers survive'
            );
            assert.equal(
                second.org.get('Conversation__c', waiting[0]!.Id as string)?.Status__c,
                'Missed',
                'a countdown cut by the restart counts as missed'
            );
            assert.equal(
                second.org.find('Conversation_Message__c', {
                    Conversation__c: waiting[0]!.Id as string
                })[0]?.Body__c,
                'Anyone there?'
            );

            // The engaged visitor comes back: still engaged by the same rep, nobody else can pounce.
            await collect(second, engaged, '/pricing/enterprise');
            assert.equal(second.live.session(engaged.sessionId)?.chat.state, 'conversation');
            const admin = second.user('Priya');
            const again = (
                await action(second, 'pounce', admin.id, { visitorId: engaged.sessionId })
            ).json<ClaimResult>();
            assert.equal(again.ok, false);
            assert.equal(!again.ok && again.engagedBy.id, rep);
            // Visit counts do not double count a visit that continued across the restart.
            assert.equal(
                second.org.find('Website_Visitor__c', { Visitor_Key__c: engaged.visitorId })[0]
                    ?.Visit_Count__c,
                1
            );
        } finally {
            await second.close();
        }
    });
});
