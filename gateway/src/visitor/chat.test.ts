import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { WebSocket } from 'ws';
import type { ChatChange, ClaimResult } from '../contracts/liveContract';
import type { BookerSlots, CollectResponse, GatewayToVisitor } from '../contracts/visitorProtocol';
import {
    beacon,
    fetchChanges,
    ids,
    pageview,
    sendBeacon,
    startTestGateway,
    waitUntil,
    type TestGateway
} from '../testing/liveTestApp';
import { freeSlots } from './booker';

type Who = ReturnType<typeof ids>;

async function collect(
    gw: TestGateway,
    who: Who,
    events: Parameters<typeof beacon>[1]
): Promise<CollectResponse> {
    const response = await sendBeacon(gw, beacon(who, events), {
        'x-forwarded-for': '81.2.69.160'
    });
    assert.equal(response.statusCode, 202, response.body);
    return response.json<CollectResponse>();
}

function action(gw: TestGateway, name: string, userId: string, body: object) {
    return gw.action(name, userId, body);
}

/** A visitor socket that records what it receives; `next` waits for a matching message (no sleeps). */
async function connect(gw: TestGateway, who: Who, origin = 'http://localhost:4300') {
    const received: GatewayToVisitor[] = [];
    const waiters: {
        match: (m: GatewayToVisitor) => boolean;
        resolve: (m: GatewayToVisitor) => void;
    }[] = [];
    const ws: WebSocket = await gw.app.injectWS(
        `/v1/visitor-socket?siteKey=demo-site-key&visitorId=${who.visitorId}&sessionId=${who.sessionId}`,
        { headers: { origin } },
        {
            onInit: (socket: WebSocket) =>
                socket.on('message', (raw) => {
                    const message = JSON.parse(raw.toString()) as GatewayToVisitor;
                    received.push(message);
                    for (const waiter of [...waiters]) {
                        if (waiter.match(message)) {
                            waiters.splice(waiters.indexOf(waiter), 1);
                            waiter.resolve(message);
                        }
                    }
                })
        }
    );
    let seen = 0;
    return {
        ws,
        received,
        send: (message: object) => ws.send(JSON.stringify(message)),
        /** The first message after those already taken that matches. */
        next(match: (m: GatewayToVisitor) => boolean): Promise<GatewayToVisitor> {
            const index = received.findIndex((m, i) => i >= seen && match(m));
            if (index >= 0) {
                seen = index + 1;
                return Promise.resolve(received[index]!);
            }
            return new Promise((resolve) =>
                waiters.push({
                    match,
                    resolve: (m) => {
                        seen = received.indexOf(m) + 1;
                        resolve(m);
                    }
                })
            );
        }
    };
}

/** The chat changes the rep's console fetches. */
function chatChanges(gw: TestGateway, userId: string): ChatChange[] {
    return fetchChanges(gw, userId).chat;
}

describe('chat requests', () => {
    let gw: TestGateway;
    before(async () => (gw = await startTestGateway()));
    after(async () => gw.close());

    it('counts down from the rule timeout; at the deadline the visitor gets the meeting booker and the card shows it', async () => {
        const who = ids();
        await collect(gw, who, [pageview('/pricing')]);
        const socket = await connect(gw, who);
        await socket.next((m) => m.type === 'chat' && m.chat.state === 'idle');
        const answer = await collect(gw, who, [
            { type: 'chat-request', ts: 2, message: 'Do you have volume pricing?' }
        ]);
        assert.equal(answer.chat?.state, 'waiting');
        assert.equal(answer.chat?.state === 'waiting' && answer.chat.secondsTotal, 30);
        assert.equal(
            answer.chat?.state === 'waiting' && answer.chat.deadline,
            new Date(gw.clock.now() + 30_000).toISOString()
        );
        await socket.next((m) => m.type === 'chat' && m.chat.state === 'waiting');
        const rep = gw.live.decision(who.sessionId)!.routing.assignedTo!;
        assert.equal(gw.live.decision(who.sessionId)?.routing.experience, 'chat-routed');
        gw.clock.advance(250);
        const card = gw.live.publisher.card(who.sessionId)!.card;
        assert.equal(card.chat.state, 'requested');
        const requested = fetchChanges(gw, rep).upserts.find((c) => c.id === who.sessionId);
        assert.equal(requested?.chat.state, 'requested', 'the routed rep saw the countdown');
        assert.ok(
            gw.transport.to(rep).length > 0,
            'the routed rep was notified (of nothing but that something changed)'
        );
        const conversation = gw.org.find('Conversation__c', { Origin__c: 'Chat_Request' }).at(-1)!;
        assert.equal(conversation.Status__c, 'Requested');
        assert.equal(
            gw.org.find('Conversation_Message__c', {
                Conversation__c: conversation.Id as string
            })[0]?.Body__c,
            'Do you have volume pricing?'
        );

        gw.clock.advance(29_000);
        assert.equal(gw.live.session(who.sessionId)?.chat.state, 'requested');
        gw.clock.advance(1_000);
        const booker = await socket.next(
            (m) => m.type === 'chat' && m.chat.state === 'meeting-booker'
        );
        assert.equal(
            booker.type === 'chat' && booker.chat.state === 'meeting-booker' && booker.chat.repName,
            gw.live.decisions.nameOf(rep)
        );
        assert.equal(gw.live.publisher.card(who.sessionId)?.card.chat.state, 'meeting-booker');
        assert.equal(gw.live.decision(who.sessionId)?.routing.experience, 'meeting-booker');
        // Marked missed in the org in the background.
        await waitUntil(
            'the missed conversation',
            () => gw.org.get('Conversation__c', conversation.Id as string)?.Status__c === 'Missed'
        );
        const late = await action(gw, 'acceptChat', rep, { visitorId: who.sessionId });
        assert.equal(late.statusCode, 409);
        socket.ws.terminate();
    });

    it('accepted in time: connected both ways, messages stored once, typing and delivery acks', async () => {
        const who = ids();
        await collect(gw, who, [pageview('/pricing')]);
        const socket = await connect(gw, who);
        await collect(gw, who, [{ type: 'chat-request', ts: 2, message: '' }]);
        const rep = gw.live.decision(who.sessionId)!.routing.assignedTo!;
        gw.clock.advance(10_000);
        const accepted = (
            await action(gw, 'acceptChat', rep, { visitorId: who.sessionId })
        ).json<ClaimResult>();
        assert.equal(accepted.ok, true);
        const conversationId = accepted.ok ? accepted.conversationId : '';
        const connected = await socket.next(
            (m) => m.type === 'chat' && m.chat.state === 'connected'
        );
        assert.equal(
            connected.type === 'chat' &&
                connected.chat.state === 'connected' &&
                connected.chat.rep.name,
            gw.live.decisions.nameOf(rep)
        );
        gw.clock.advance(30_000);
        assert.equal(
            gw.live.session(who.sessionId)?.chat.state,
            'conversation',
            'no booker after an accept'
        );

        assert.notEqual(
            gw.org.get('Conversation__c', conversationId)!.Visitor_Replied__c,
            1,
            'no reply yet'
        );
        socket.send({ type: 'message', clientMessageId: 'visitor-msg-1', body: 'Hello!' });
        const ack = await socket.next((m) => m.type === 'delivered');
        assert.equal(
            gw.org.get('Conversation__c', conversationId)!.Visitor_Replied__c,
            1,
            'the reports count it as a conversation'
        );
        socket.send({ type: 'message', clientMessageId: 'visitor-msg-1', body: 'Hello!' });
        const ack2 = await socket.next((m) => m.type === 'delivered');
        assert.equal(
            ack.type === 'delivered' && ack2.type === 'delivered' && ack.id === ack2.id,
            true,
            'a resend is acknowledged with the same id'
        );
        assert.equal(
            chatChanges(gw, rep).filter((e) => e.message?.body === 'Hello!').length,
            1,
            'the rep got it once'
        );
        socket.send({ type: 'typing', typing: true });
        socket.send({ type: 'bogus' });
        await socket.next((m) => m.type === 'error');
        assert.ok(chatChanges(gw, rep).some((e) => e.typing?.typing === true));

        await action(gw, 'sendMessage', rep, {
            conversationId,
            body: 'Hi, how can I help?',
            clientMessageId: 'rep-msg-xyz1'
        });
        const fromRep = await socket.next((m) => m.type === 'message' && m.sender === 'Rep');
        assert.equal(fromRep.type === 'message' && fromRep.body, 'Hi, how can I help?');
        const stored = gw.org.find('Conversation_Message__c', { Conversation__c: conversationId });
        assert.deepEqual(stored.map((m) => m.Sender__c).sort(), ['Rep', 'Visitor']);

        // A reload of the page: a new socket gets the state and the transcript.
        const reloaded = await connect(gw, who);
        await reloaded.next((m) => m.type === 'chat' && m.chat.state === 'connected');
        await reloaded.next((m) => m.type === 'message' && m.sender === 'Rep');
        await action(gw, 'endConversation', rep, { conversationId });
        await reloaded.next((m) => m.type === 'chat' && m.chat.state === 'ended');
        socket.ws.terminate();
        reloaded.ws.terminate();
    });

    it('refuses sockets with an unknown site key, a foreign origin, or a visit of another visitor', async () => {
        const who = ids();
        await collect(gw, who, [pageview('/')]);
        await assert.rejects(
            gw.app.injectWS(
                `/v1/visitor-socket?siteKey=nope&visitorId=${who.visitorId}&sessionId=${who.sessionId}`,
                { headers: {} }
            ),
            /401/
        );
        await assert.rejects(
            gw.app.injectWS(
                `/v1/visitor-socket?siteKey=demo-site-key&visitorId=${who.visitorId}&sessionId=${who.sessionId}`,
                { headers: { origin: 'https://evil.example' } }
            ),
            /403/
        );
        await assert.rejects(
            gw.app.injectWS(
                `/v1/visitor-socket?siteKey=demo-site-key&visitorId=someone-else&sessionId=${who.sessionId}`,
                { headers: {} }
            ),
            /403/
        );
        await assert.rejects(
            gw.app.injectWS(`/v1/visitor-socket?siteKey=demo-site-key`, { headers: {} }),
            /400/
        );
    });
});

describe('meeting booker', () => {
    let gw: TestGateway;
    before(async () => (gw = await startTestGateway()));
    after(async () => gw.close());

    it('slots: 30 minutes, 9–17 in the rep time zone, five working days, minus Events', () => {
        const now = Date.UTC(2026, 10, 27, 12, 0); // a Friday
        const slots = freeSlots({
            now,
            timeZone: 'America/Los_Angeles',
            busy: [{ start: '2026-11-27T17:00:00.000Z', end: '2026-11-27T18:00:00.000Z' }]
        });
        assert.equal(
            slots[0]!.start,
            '2026-11-27T18:00:00.000Z',
            'Friday 10:00 in Los Angeles, after the 9–10 Event'
        );
        assert.equal(slots.length, 14 + 16 * 4, 'Friday afternoon, then Monday to Thursday');
        assert.ok(slots.every((s) => Date.parse(s.end) - Date.parse(s.start) === 30 * 60_000));
        const weekday = new Intl.DateTimeFormat('en-US', {
            timeZone: 'America/Los_Angeles',
            weekday: 'short'
        });
        assert.ok(
            !slots.some((s) => ['Sat', 'Sun'].includes(weekday.format(new Date(s.start)))),
            'no weekend'
        );
        const paris = freeSlots({
            now: Date.UTC(2026, 2, 27, 6, 0),
            timeZone: 'Europe/Paris',
            busy: []
        });
        assert.equal(paris[0]!.start, '2026-03-27T08:00:00.000Z', '9:00 in Paris (UTC+1)');
        assert.ok(
            paris.some((s) => s.start === '2026-03-30T07:00:00.000Z'),
            '9:00 in Paris after the switch to summer time (UTC+2)'
        );
    });

    it('books a free slot: an Event for the rep, a Lead for a new email, the Contact linked for a known one', async () => {
        const who = ids();
        await collect(gw, who, [pageview('/pricing')]);
        const query = `siteKey=demo-site-key&visitorId=${who.visitorId}&sessionId=${who.sessionId}`;
        const slots = (
            await gw.app.inject({
                url: `/v1/booker/slots?${query}`,
                headers: { origin: 'http://localhost:4300' }
            })
        ).json<BookerSlots>();
        const rep = gw.live.decision(who.sessionId)!.routing.assignedTo!;
        assert.equal(slots.repName, gw.live.decisions.nameOf(rep));
        assert.equal(slots.timeZone, 'America/Los_Angeles');
        assert.ok(slots.slots.length > 50);
        const book = (start: string, email: string) =>
            gw.app.inject({
                method: 'POST',
                url: '/v1/booker/book',
                headers: { origin: 'http://localhost:4300' },
                payload: {
                    siteKey: 'demo-site-key',
                    visitorId: who.visitorId,
                    sessionId: who.sessionId,
                    start,
                    email,
                    firstName: 'Ada',
                    lastName: 'Lovelace',
                    company: 'Analytical Engines'
                }
            });
        const booked = await book(slots.slots[0]!.start, 'ada@analytical.example');
        assert.equal(booked.statusCode, 201, booked.body);
        const event = gw.org.find('Event', { OwnerId: rep }).at(-1)!;
        assert.equal(event.StartDateTime, slots.slots[0]!.start);
        const lead = gw.org.find('Lead', { Email: 'ada@analytical.example' })[0]!;
        assert.equal(event.WhoId, lead.Id);
        assert.equal(lead.Company, 'Analytical Engines');
        assert.equal(
            gw.org.find('Website_Visitor__c', { Visitor_Key__c: who.visitorId })[0]?.Lead__c,
            lead.Id
        );
        assert.equal(
            (await book(slots.slots[0]!.start, 'ada@analytical.example')).statusCode,
            409,
            'the slot is taken now'
        );
        const after = (
            await gw.app.inject({ url: `/v1/booker/slots?${query}` })
        ).json<BookerSlots>();
        assert.ok(!after.slots.some((s) => s.start === slots.slots[0]!.start));

        const contact = gw.org.find('Contact')[0]!;
        const leads = gw.org.count('Lead');
        assert.equal((await book(slots.slots[1]!.start, String(contact.Email))).statusCode, 201);
        assert.equal(gw.org.count('Lead'), leads, 'no Lead for a known Contact');
        assert.equal(
            gw.org.find('Website_Visitor__c', { Visitor_Key__c: who.visitorId })[0]?.Contact__c,
            contact.Id
        );
        assert.equal((await book('2020-01-01T00:00:00.000Z', 'x@y.example')).statusCode, 409);
        assert.equal(
            (
                await gw.app.inject({
                    method: 'POST',
                    url: '/v1/booker/book',
                    payload: { siteKey: 'demo-site-key' }
                })
            ).statusCode,
            400
        );
    });
});
