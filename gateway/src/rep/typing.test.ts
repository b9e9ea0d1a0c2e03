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
    type TestGateway
} from '../testing/liveTestApp';

type Who = ReturnType<typeof ids>;

describe('rep typing', () => {
    let gw: TestGateway;
    before(async () => (gw = await startTestGateway()));
    after(async () => gw.close());

    function action(name: string, userId: string, body: object) {
        return gw.action(name, userId, body);
    }

    async function collect(who: Who, events: Parameters<typeof beacon>[1]) {
        const response = await sendBeacon(gw, beacon(who, events));
        assert.equal(response.statusCode, 202, response.body);
    }

    /** The visitor's socket: resolves with the first message that matches (no sleeps). */
    async function visitorSocket(who: Who) {
        const received: GatewayToVisitor[] = [];
        const waiters: { match: (m: GatewayToVisitor) => boolean; resolve: () => void }[] = [];
        const ws: WebSocket = await gw.app.injectWS(
            `/v1/visitor-socket?siteKey=demo-site-key&visitorId=${who.visitorId}&sessionId=${who.sessionId}`,
            { headers: { origin: 'http://localhost:4300' } },
            {
                onInit: (socket: WebSocket) =>
                    socket.on('message', (raw) => {
                        received.push(JSON.parse(raw.toString()) as GatewayToVisitor);
                        for (const waiter of [...waiters])
                            if (received.some(waiter.match)) waiter.resolve();
                    })
            }
        );
        return {
            ws,
            received,
            until: (match: (m: GatewayToVisitor) => boolean) =>
                received.some(match)
                    ? Promise.resolve()
                    : new Promise<void>((resolve) => waiters.push({ match, resolve }))
        };
    }

    it('shows "<rep> is typing" on the visitor chat, from the conversation’s rep only, while it is active', async () => {
        const who = ids('typing');
        await collect(who, [pageview('/pricing')]);
        const socket = await visitorSocket(who);
        await collect(who, [{ type: 'chat-request', ts: 2, message: 'Hello?' }]);
        const rep = gw.live.decision(who.sessionId)!.routing.assignedTo!;
        const claim = (
            await action('acceptChat', rep, { visitorId: who.sessionId })
        ).json<ClaimResult>();
        assert.ok(claim.ok);
        const conversationId = claim.ok ? claim.conversationId : '';
        const repName = gw.users.find((u) => u.id === rep)!.name;

        for (const typing of [true, false]) {
            const response = await action('setTyping', rep, { conversationId, typing });
            assert.equal(response.statusCode, 200, response.body);
            assert.deepEqual(response.json(), { ok: true });
            await socket.until((m) => m.type === 'typing' && m.typing === typing);
        }
        assert.deepEqual(
            socket.received.filter((m) => m.type === 'typing'),
            [
                { type: 'typing', typing: true, senderName: repName },
                { type: 'typing', typing: false, senderName: repName }
            ]
        );

        const other = gw.users.find((u) => u.id !== rep && !u.isAdmin)!;
        assert.equal(
            (await action('setTyping', other.id, { conversationId, typing: true })).statusCode,
            404
        );
        const admin = gw.user('Priya');
        assert.equal(
            (await action('setTyping', admin.id, { conversationId, typing: true })).statusCode,
            404,
            'not even an admin types for a rep'
        );
        assert.equal(
            (await action('setTyping', rep, { conversationId, typing: 'yes' })).statusCode,
            400
        );

        assert.equal((await action('endConversation', rep, { conversationId })).statusCode, 200);
        assert.equal(
            (await action('setTyping', rep, { conversationId, typing: true })).statusCode,
            409
        );
        assert.equal(
            socket.received.filter((m) => m.type === 'typing').length,
            2,
            'nothing else was sent'
        );
        socket.ws.terminate();
    });
});
