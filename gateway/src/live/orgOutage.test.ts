import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { WebSocket } from 'ws';
import type { ClaimResult } from '../contracts/liveContract';
import type { GatewayToVisitor } from '../contracts/visitorProtocol';
import {
    beacon,
    ids,
    pageview,
    sendBeacon,
    startTestGateway,
    waitUntil,
    type TestGateway
} from '../testing/liveTestApp';

const DAY = 24 * 3_600_000;

/**
 * A gateway whose org spends its API allocation mid-chat: the visit and the chat go on, the
 * writes wait on disk, and once the rolling window lets the org answer again every visitor
 * field, routing state key, conversation update and message is in the org, in order, once.
 */
describe('the org over its API allocation mid-traffic', () => {
    let gw: TestGateway;
    /** How far the org's clock is ahead: a day ahead drains its rolling allocation. */
    let ahead = 0;
    before(
        async () =>
            (gw = await startTestGateway({
                org: { now: () => Date.now() + ahead, sessionTimeoutMs: 7 * DAY }
            }))
    );
    after(async () => gw.close());

    async function collect(who: ReturnType<typeof ids>, path: string) {
        const response = await sendBeacon(gw, beacon(who, [pageview(path)]), {
            'x-forwarded-for': '81.2.69.160'
        });
        assert.equal(response.statusCode, 202, response.body);
    }

    /** The visitor's chat socket; `next` waits for a matching message. */
    async function connect(who: ReturnType<typeof ids>) {
        const received: GatewayToVisitor[] = [];
        const ws: WebSocket = await gw.app.injectWS(
            `/v1/visitor-socket?siteKey=demo-site-key&visitorId=${who.visitorId}&sessionId=${who.sessionId}`,
            { headers: { origin: 'http://localhost:4300' } },
            {
                onInit: (socket: WebSocket) =>
                    socket.on('message', (raw) =>
                        received.push(JSON.parse(raw.toString()) as GatewayToVisitor)
                    )
            }
        );
        return {
            ws,
            send: (message: object) => ws.send(JSON.stringify(message)),
            /** Resolves once `count` messages match. */
            async until(count: number, match: (m: GatewayToVisitor) => boolean) {
                await waitUntil('the visitor socket', () => received.filter(match).length >= count);
            }
        };
    }

    it('keeps the chat and the visit going, then writes everything to the org in order, once', async () => {
        const who = ids();
        await collect(who, '/pricing');
        const socket = await connect(who);
        await collect(who, '/pricing');
        await sendBeacon(
            gw,
            beacon(who, [{ type: 'chat-request', ts: 2, message: 'Do you do volume pricing?' }]),
            { 'x-forwarded-for': '81.2.69.160' }
        );
        const rep = gw.live.decision(who.sessionId)!.routing.assignedTo!;
        const accepted = (
            await gw.action('acceptChat', rep, { visitorId: who.sessionId })
        ).json<ClaimResult>();
        assert.equal(accepted.ok, true);
        const conversationId = accepted.ok ? accepted.conversationId : '';
        const visitorRecordId = gw.live.session(who.sessionId)!.visitorRecordId!;

        while (gw.orgServer.usage.tryCount()) {
            // Another integration spends the rest of the day's allocation.
        }
        socket.send({ type: 'message', clientMessageId: 'outage-1', body: 'Are you there?' });
        socket.send({ type: 'message', clientMessageId: 'outage-2', body: 'For 40 seats.' });
        await socket.until(2, (m) => m.type === 'delivered');
        assert.equal(
            (await gw.action('endConversation', rep, { conversationId })).statusCode,
            200,
            'the rep ends the chat while the org refuses'
        );
        gw.clock.advance(61_000);
        await collect(who, '/pricing/enterprise');
        gw.clock.advance(1_000);
        // Last_Seen__c goes with the writer's next batch: written (here, queued) now.
        await gw.live.visits.flushLastSeen();
        await gw.live.decisions.persisted();
        const waiting = gw.crm.writeQueueHealth()!;
        assert.ok(waiting.depth >= 4, `writes waiting: ${waiting.depth}`);
        assert.equal(waiting.lastError?.code, 'REQUEST_LIMIT_EXCEEDED');
        const lastSeen = new Date(gw.live.session(who.sessionId)!.lastSeenAt).toISOString();

        ahead = DAY + 60_000;
        await gw.crm.retryWrites();
        await gw.crm.writesDrained();
        const org = gw.orgServer.store;
        const messages = org
            .find('Conversation_Message__c', { Conversation__c: conversationId })
            .sort((a, b) => String(a.Id).localeCompare(String(b.Id)))
            .map((m) => m.Body__c);
        assert.deepEqual(messages, [
            'Do you do volume pricing?',
            'Are you there?',
            'For 40 seats.'
        ]);
        const conversation = org.get('Conversation__c', conversationId)!;
        assert.equal(conversation.Status__c, 'Ended');
        assert.equal(conversation.Visitor_Replied__c, 1);
        assert.equal(
            new Date(
                String(org.get('Website_Visitor__c', visitorRecordId)!.Last_Seen__c)
            ).toISOString(),
            lastSeen
        );
        assert.equal(
            org.find('Website_Visitor__c', {
                Visitor_Key__c: gw.live.session(who.sessionId)!.visitorKey
            }).length,
            1
        );
        assert.equal(gw.crm.writeQueueHealth()!.deadLetters, 0);
        socket.ws.terminate();
    });
});
