import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import Fastify, { type FastifyInstance } from 'fastify';
import WebSocket from 'ws';
import { ChangeDataCapture } from '../pubsub/changeDataCapture';
import { EventBus } from '../pubsub/eventBus';
import { TEST_ENTITIES, waitFor } from '../pubsub/testing';
import {
    DELIVERY_LIMIT_MESSAGE,
    registerStreamingEndpoint,
    STREAMING_PATH
} from './streamingEndpoint';
import { text } from '../store/textValue';

interface Message {
    type: string;
    id?: string;
    message?: string;
    data?: { payload: Record<string, unknown>; event: { replayId: number; EventUuid: string } };
}

async function serve(bus: EventBus): Promise<{ app: FastifyInstance; url: string }> {
    const app = Fastify();
    await registerStreamingEndpoint(app, {
        bus,
        authenticate: (request) =>
            request.headers.cookie === 'sid=rep' ? '005000000000002AAA' : undefined
    });
    const address = await app.listen({ port: 0, host: '127.0.0.1' });
    return { app, url: `${address.replace('http', 'ws')}${STREAMING_PATH}` };
}

function connect(
    url: string,
    cookie = 'sid=rep'
): Promise<{ socket: WebSocket; messages: Message[]; closed: () => boolean }> {
    const socket = new WebSocket(url, { headers: { cookie } });
    const messages: Message[] = [];
    let isClosed = false;
    socket.on('message', (raw) => messages.push(JSON.parse(raw.toString()) as Message));
    socket.on('close', () => (isClosed = true));
    return new Promise((resolve, reject) => {
        socket.once('open', () => resolve({ socket, messages, closed: () => isClosed }));
        socket.once('error', reject);
    });
}

const subscribe = (socket: WebSocket, id: string, channel: string, replayId = -1) =>
    socket.send(JSON.stringify({ type: 'subscribe', id, channel, replayId }));
const events = (messages: Message[]) => messages.filter((m) => m.type === 'event');
const update = (audience: string) => ({
    payload: { CreatedDate: 0, CreatedById: '005', Audience__c: audience, Kind__c: 'delta' }
});

describe('the streaming endpoint behind lightning/empApi', () => {
    const apps: FastifyInstance[] = [];
    after(async () => {
        for (const app of apps) await app.close();
    });

    async function start(daily = 1000): Promise<{ bus: EventBus; url: string }> {
        const bus = new EventBus({
            entities: TEST_ENTITIES,
            allocations: { dailyDeliveredEvents: daily }
        });
        const { app, url } = await serve(bus);
        apps.push(app);
        return { bus, url };
    }

    it('broadcasts every event of a channel to every socket, counting each delivery', async () => {
        const { bus, url } = await start();
        const alice = await connect(url);
        const bob = await connect(url);
        subscribe(alice.socket, 's1', '/event/Visitor_Update__e');
        subscribe(bob.socket, 's1', '/event/Visitor_Update__e');
        await waitFor('both subscriptions', () => bus.subscriberCount() === 2);
        bus.publish('Visitor_Update__e', [update('005000000000002AAA')]);
        await waitFor(
            'both deliveries',
            () => events(alice.messages).length === 1 && events(bob.messages).length === 1
        );
        assert.equal(events(bob.messages)[0]!.data!.payload.Audience__c, '005000000000002AAA');
        assert.equal(
            events(bob.messages)[0]!.data!.payload.CreatedDate,
            '1970-01-01T00:00:00.000Z'
        );
        assert.equal(bus.allocations.limits().DailyDeliveredPlatformEvents.Remaining, 998);
        alice.socket.close();
        bob.socket.close();
    });

    it('replays with -2 and after a replay id, and refuses an id it never issued', async () => {
        const { bus, url } = await start();
        const [first] = bus.publish('Visitor_Update__e', [update('a'), update('b')]);
        const client = await connect(url);
        subscribe(client.socket, 'all', '/event/Visitor_Update__e', -2);
        subscribe(
            client.socket,
            'after',
            '/event/Visitor_Update__e',
            first?.ok ? first.replayId : 0
        );
        subscribe(client.socket, 'bad', '/event/Visitor_Update__e', 999);
        subscribe(client.socket, 'nope', '/event/Nope__e');
        await waitFor(
            'replays and errors',
            () =>
                events(client.messages).length === 3 &&
                client.messages.filter((m) => m.type === 'error').length === 2
        );
        assert.deepEqual(
            events(client.messages).map((m) => `${m.id}:${text(m.data!.payload.Audience__c)}`),
            ['all:a', 'all:b', 'after:b']
        );
        const errors = client.messages.filter((m) => m.type === 'error');
        assert.match(
            errors.find((m) => m.id === 'bad')!.message!,
            /^400::The replayId \{999\} you provided was invalid/
        );
        assert.equal(errors.find((m) => m.id === 'nope')!.message, '403::Unknown channel');
        client.socket.close();
    });

    it('delivers on a custom channel only what the member filter passes', async () => {
        const { bus, url } = await start();
        bus.createChannel('Rep_B__chn', 'event');
        bus.addMember('Rep_B__chn', 'Visitor_Update__e', "Audience__c = 'B'");
        const client = await connect(url);
        subscribe(client.socket, 'mine', '/event/Rep_B__chn');
        await waitFor('the subscription', () => bus.subscriberCount() === 1);
        bus.publish('Visitor_Update__e', [update('A'), update('b'), update('C')]);
        await waitFor('the delivery', () => events(client.messages).length === 1);
        bus.publish('Visitor_Update__e', [update('B')]);
        await waitFor('the second delivery', () => events(client.messages).length === 2);
        assert.deepEqual(
            events(client.messages).map((m) => m.data!.payload.Audience__c),
            ['b', 'B']
        );
        client.socket.close();
    });

    it('disconnects with the platform error once the daily allocation is spent', async () => {
        const { bus, url } = await start(2);
        const client = await connect(url);
        subscribe(client.socket, 's', '/event/Visitor_Update__e');
        await waitFor('the subscription', () => bus.subscriberCount() === 1);
        bus.publish('Visitor_Update__e', [update('a'), update('b'), update('c')]);
        await waitFor('the disconnect', () => client.closed());
        assert.equal(events(client.messages).length, 2);
        assert.equal(client.messages.at(-1)!.message, DELIVERY_LIMIT_MESSAGE);
        const again = await connect(url);
        subscribe(again.socket, 's', '/event/Visitor_Update__e');
        await waitFor('the refusal', () => again.closed());
        assert.equal(again.messages.at(-1)!.message, DELIVERY_LIMIT_MESSAGE);
    });

    it('refuses a socket without a session and malformed messages', async () => {
        const { url } = await start();
        const stranger = await connect(url, 'sid=forged');
        await waitFor('the refusal', () => stranger.closed());
        assert.equal(stranger.messages[0]!.message, '401::Authentication invalid');
        const client = await connect(url);
        client.socket.send('{"type":"subscribe","id":"x"}');
        await waitFor('the error', () => client.messages.length === 1);
        assert.equal(client.messages[0]!.message, '400::Malformed message');
        client.socket.close();
    });

    it('gives change events with field names in the header, as CometD does', async () => {
        const { bus, url } = await start();
        bus.addMember('ChangeEvents', 'Live_Stream__ChangeEvent');
        const client = await connect(url);
        subscribe(client.socket, 'cdc', '/data/ChangeEvents');
        await waitFor('the subscription', () => bus.subscriberCount() === 1);
        const stream = { Id: 'a00', Name: 'Pricing', Priority__c: 2 };
        new ChangeDataCapture(bus).publish(
            [
                {
                    object: 'Live_Stream__c',
                    changeType: 'UPDATE',
                    recordId: 'a00',
                    before: stream,
                    after: { ...stream, Priority__c: 1 }
                }
            ],
            { userId: '005000000000001AAA' }
        );
        await waitFor('the change event', () => events(client.messages).length === 1);
        const header = events(client.messages)[0]!.data!.payload.ChangeEventHeader as Record<
            string,
            unknown
        >;
        assert.deepEqual(header.changedFields, ['Priority__c']);
        assert.equal(header.changeType, 'UPDATE');
        client.socket.close();
    });
});
