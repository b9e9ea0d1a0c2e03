/**
 * The empApi stand-in against the local org's streaming endpoint, in Node: the browser's
 * WebSocket and location are stood in for by `ws` (sending the session cookie a browser
 * would) and a plain object.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import Fastify, { type FastifyInstance } from 'fastify';
import NodeWebSocket from 'ws';
import { EventBus } from '../../../../localorg/src/pubsub/eventBus';
import { TEST_ENTITIES, waitFor } from '../../../../localorg/src/pubsub/testing';
import { registerStreamingEndpoint } from '../../../../localorg/src/streaming/streamingEndpoint';

class BrowserWebSocket extends NodeWebSocket {
    constructor(url: string) {
        super(url, { headers: { cookie: 'sid=rep-session' } });
        // A browser reports a failed connection as an event, never as an uncaught error.
        this.on('error', () => {});
    }
}

describe('the lightning/empApi stand-in', () => {
    let app: FastifyInstance;
    let bus: EventBus;
    let empApi: typeof import('./empApi');

    before(async () => {
        bus = new EventBus({ entities: TEST_ENTITIES, allocations: { dailyDeliveredEvents: 4 } });
        app = Fastify();
        await registerStreamingEndpoint(app, {
            bus,
            authenticate: (request) =>
                request.headers.cookie === 'sid=rep-session' ? '005000000000002AAA' : undefined
        });
        const address = new URL(await app.listen({ port: 0, host: '127.0.0.1' }));
        Object.assign(globalThis, {
            window: { location: { protocol: 'http:', host: address.host } },
            WebSocket: BrowserWebSocket
        });
        empApi = await import('./empApi');
    });

    after(async () => {
        await app.close();
    });

    it('subscribes, receives every event of the channel with its replay id, and unsubscribes', async () => {
        assert.equal(await empApi.isEmpEnabled(), true);
        const messages: import('./empApi').EmpMessage[] = [];
        const subscription = await empApi.subscribe('/event/Visitor_Update__e', -1, (m) =>
            messages.push(m)
        );
        assert.equal(subscription.channel, '/event/Visitor_Update__e');
        const [published] = bus.publish('Visitor_Update__e', [
            {
                payload: {
                    CreatedDate: 0,
                    CreatedById: '005',
                    Audience__c: '005000000000003AAA',
                    Kind__c: 'delta'
                }
            }
        ]);
        await waitFor('the event', () => messages.length === 1);
        assert.equal(messages[0]!.channel, '/event/Visitor_Update__e');
        assert.equal(
            messages[0]!.data.payload.Audience__c,
            '005000000000003AAA',
            'another rep’s event: the platform broadcasts'
        );
        assert.equal(messages[0]!.data.event.replayId, published?.ok ? published.replayId : -1);
        assert.equal(await empApi.unsubscribe(subscription), true);
        await waitFor('the unsubscribe', () => bus.subscriberCount() === 0);
    });

    it('rejects a subscription to an unknown channel', async () => {
        await assert.rejects(() => empApi.subscribe('/event/Nope__e', -1, () => {}), {
            error: '403::Unknown channel'
        });
    });

    it('reports the daily limit error through onError', async () => {
        const errors: { error?: string }[] = [];
        empApi.onError((error) => errors.push(error as { error?: string }));
        const received: unknown[] = [];
        const subscription = await empApi.subscribe('/event/Visitor_Update__e', -2, (m) =>
            received.push(m)
        );
        await waitFor('the replayed event', () => received.length === 1);
        const { Remaining } = bus.allocations.limits().DailyDeliveredPlatformEvents;
        const event = {
            payload: { CreatedDate: 0, CreatedById: '005', Audience__c: null, Kind__c: 'delta' }
        };
        bus.publish(
            'Visitor_Update__e',
            Array.from({ length: Remaining + 1 }, () => event)
        );
        await waitFor('the limit error', () =>
            errors.some((e) => e.error === '403::Organization total events daily limit exceeded')
        );
        assert.equal(received.length, 1 + Remaining, 'what fits in the allocation, and no more');
        await empApi.unsubscribe(subscription);
    });
});
