/**
 * The local Pub/Sub API driven by the real, unmodified `salesforce-pubsub-api-client`.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type PubSubApiClient from 'salesforce-pubsub-api-client';
import { EventBus, RETENTION_MS } from './eventBus';
import { startPubSubServer, PUBSUB_ERROR_CODES, type PubSubServer } from './pubsubServer';
import { connectClient, TEST_ENTITIES, TEST_ORG_ID, waitFor } from './testing';

const TOPIC = '/event/Visitor_Update__e';
const TOKENS: Record<string, string> = {
    [`${TEST_ORG_ID}!gateway`]: '005000000000001AAA',
    [`${TEST_ORG_ID}!alice`]: '005000000000002AAA',
    [`${TEST_ORG_ID}!bob`]: '005000000000003AAA'
};

interface Received {
    events: { replayId: number; payload: Record<string, unknown> }[];
    errors: { code?: number; metadata?: { get(key: string): unknown[] } }[];
    keepalives: number;
}

function listen(
    client: PubSubApiClient,
    topic: string,
    count: number | null,
    replayId?: number
): Received {
    const received: Received = { events: [], errors: [], keepalives: 0 };
    const callback = (_info: unknown, type: string, data?: unknown) => {
        if (type === 'event') received.events.push(data as Received['events'][number]);
        else if (type === 'error') received.errors.push(data as Received['errors'][number]);
        else if (type === 'grpcKeepAlive') received.keepalives++;
    };
    if (replayId !== undefined) client.subscribeFromReplayId(topic, callback, count, replayId);
    else client.subscribe(topic, callback, count);
    return received;
}

const errorCode = (received: Received) => received.errors[0]?.metadata?.get('error-code')[0];

describe('the local Pub/Sub API with the real client', () => {
    const clock = { t: Date.parse('2026-11-27T10:00:00Z') };
    let bus: EventBus;
    let server: PubSubServer;
    const clients: PubSubApiClient[] = [];

    async function client(token: string): Promise<PubSubApiClient> {
        const connected = await connectClient(server.endpoint, token);
        clients.push(connected);
        return connected;
    }

    before(async () => {
        bus = new EventBus({ entities: TEST_ENTITIES, now: () => clock.t });
        server = await startPubSubServer({
            bus,
            keepaliveMs: 200,
            now: () => clock.t,
            authenticate: ({ accessToken, tenantId }) =>
                TOKENS[accessToken] && tenantId === TEST_ORG_ID
                    ? { userId: TOKENS[accessToken], organizationId: TEST_ORG_ID }
                    : undefined
        });
    });

    after(async () => {
        // The server first, so each client still listens when its stream is ended.
        await server.close();
        for (const c of clients) c.close();
    });

    it('publishes Avro and delivers it to a subscriber, with the org setting the system fields', async () => {
        const gateway = await client(`${TEST_ORG_ID}!gateway`);
        const alice = await client(`${TEST_ORG_ID}!alice`);
        const received = listen(alice, TOPIC, null);
        await waitFor('the subscription', () => bus.subscriberCount() === 1);
        const result = await gateway.publish(TOPIC, {
            CreatedDate: 0,
            CreatedById: '005000000000009AAA',
            Audience__c: { string: '005000000000002AAA' },
            Kind__c: { string: 'delta' },
            Sequence__c: { double: 7 },
            Epoch__c: null
        });
        assert.ok(result.replayId > 0);
        await waitFor('the event', () => received.events.length === 1);
        const { payload } = received.events[0]!;
        assert.equal(payload.Kind__c, 'delta');
        assert.equal(payload.Sequence__c, 7);
        assert.equal(
            payload.CreatedById,
            '005000000000001AAA',
            'the publishing user, not what was written'
        );
        assert.equal(Number(payload.CreatedDate), clock.t);
        assert.equal(received.events[0]!.replayId, result.replayId);
    });

    it('broadcasts: a rep subscribed to the raw channel receives every event, another rep’s too', async () => {
        const gateway = await client(`${TEST_ORG_ID}!gateway`);
        const bob = await client(`${TEST_ORG_ID}!bob`);
        const received = listen(bob, TOPIC, null);
        await waitFor('the subscription', () => bus.subscriberCount() === 2);
        await gateway.publish(TOPIC, {
            CreatedDate: 0,
            CreatedById: '005000000000001AAA',
            Audience__c: { string: '005000000000002AAA' },
            Kind__c: { string: 'delta' },
            Sequence__c: null,
            Epoch__c: { string: '1767261600000-0a1b2c3d' }
        });
        await waitFor('the event', () => received.events.length === 1);
        assert.equal(received.events[0]!.payload.Audience__c, '005000000000002AAA');
        assert.equal(received.events[0]!.payload.Epoch__c, '1767261600000-0a1b2c3d');
    });

    it('replays after a custom replay id and sends keepalives with the latest replay id', async () => {
        const gateway = await client(`${TEST_ORG_ID}!gateway`);
        const ids: number[] = [];
        for (const kind of ['one', 'two', 'three']) {
            const r = await gateway.publish(TOPIC, {
                CreatedDate: 0,
                CreatedById: '005000000000001AAA',
                Audience__c: null,
                Kind__c: { string: kind },
                Sequence__c: null,
                Epoch__c: null
            });
            ids.push(r.replayId);
        }
        const late = await client(`${TEST_ORG_ID}!alice`);
        const received = listen(late, TOPIC, 2, ids[0]);
        await waitFor('the replayed events', () => received.events.length === 2);
        assert.deepEqual(
            received.events.map((e) => e.payload.Kind__c),
            ['two', 'three']
        );
        const watcher = await client(`${TEST_ORG_ID}!bob`);
        const quiet = listen(watcher, TOPIC, null);
        await waitFor('a keepalive', () => quiet.keepalives > 0);
    });

    it('refuses a replay id outside the 72-hour window with the documented error', async () => {
        const gateway = await client(`${TEST_ORG_ID}!gateway`);
        const first = await gateway.publish(TOPIC, {
            CreatedDate: 0,
            CreatedById: '005000000000001AAA',
            Audience__c: null,
            Kind__c: { string: 'old' },
            Sequence__c: null,
            Epoch__c: null
        });
        clock.t += RETENTION_MS + 60_000;
        await gateway.publish(TOPIC, {
            CreatedDate: 0,
            CreatedById: '005000000000001AAA',
            Audience__c: null,
            Kind__c: { string: 'new' },
            Sequence__c: null,
            Epoch__c: null
        });
        const late = await client(`${TEST_ORG_ID}!alice`);
        const received = listen(late, TOPIC, 10, first.replayId - 1);
        await waitFor('the error', () => received.errors.length > 0);
        assert.equal(errorCode(received), PUBSUB_ERROR_CODES.replayIdInvalid);
        assert.equal(received.events.length, 0);
    });

    it('refuses calls without a valid session', async () => {
        const stranger = await client(`${TEST_ORG_ID}!forged`);
        await assert.rejects(() =>
            stranger.getConnectivityState().then(() => stranger.publish(TOPIC, {}))
        );
        const received = listen(stranger, TOPIC, 1);
        await waitFor('the error', () => received.errors.length > 0);
        assert.equal(errorCode(received), PUBSUB_ERROR_CODES.auth);
    });

    it('publishes a batch on a publish stream, one result per event in order', async () => {
        const gateway = await client(`${TEST_ORG_ID}!gateway`);
        const responses: { results: { replayId: number; correlationKey: string }[] }[] = [];
        const payload = (kind: string) => ({
            CreatedDate: 0,
            CreatedById: '005000000000001AAA',
            Audience__c: null,
            Kind__c: { string: kind },
            Sequence__c: null,
            Epoch__c: null
        });
        await gateway.publishBatch(
            TOPIC,
            ['a', 'b', 'c'].map((kind) => ({ id: `batch-${kind}`, payload: payload(kind) })),
            (_info, type, data) => {
                if (type === 'publishResponse') responses.push(data as (typeof responses)[number]);
            }
        );
        await waitFor('the publish response', () => responses.length === 1);
        const { results } = responses[0]!;
        assert.deepEqual(
            results.map((r) => r.correlationKey),
            ['batch-a', 'batch-b', 'batch-c']
        );
        assert.deepEqual(
            results.map((r) => r.replayId - results[0]!.replayId),
            [0, 1, 2]
        );
    });

    it('publishes a batch over the recommended 200 events: a recommendation, not a limit', async () => {
        const gateway = await client(`${TEST_ORG_ID}!gateway`);
        const responses: { results: unknown[] }[] = [];
        const before = bus.latestReplayId();
        const event = {
            payload: {
                CreatedDate: 0,
                CreatedById: '005000000000001AAA',
                Audience__c: null,
                Kind__c: { string: 'bulk' },
                Sequence__c: null,
                Epoch__c: null
            }
        };
        await gateway.publishBatch(
            TOPIC,
            Array.from({ length: 201 }, (_, i) => ({ id: `bulk-${i}`, ...event })),
            (_info, type, data) => {
                if (type === 'publishResponse') responses.push(data as (typeof responses)[number]);
            }
        );
        await waitFor('the publish response', () => responses.length === 1);
        assert.equal(responses[0]!.results.length, 201);
        assert.equal(bus.latestReplayId() - before, 201);
    });

    it('counts each published event against the hourly publishing allocation', async () => {
        const gateway = await client(`${TEST_ORG_ID}!gateway`);
        const remaining = () => bus.allocations.limits().HourlyPublishedPlatformEvents.Remaining;
        const before = remaining();
        await gateway.publish(TOPIC, {
            CreatedDate: 0,
            CreatedById: '005000000000001AAA',
            Audience__c: null,
            Kind__c: { string: 'delta' },
            Sequence__c: null,
            Epoch__c: null
        });
        assert.equal(before - remaining(), 1);
    });

    it('refuses a publish to a topic that does not exist with the topic-not-found error', async () => {
        const gateway = await client(`${TEST_ORG_ID}!gateway`);
        const before = bus.latestReplayId();
        const error = await gateway.publish('/event/Nowhere__e', {}).then(
            () => undefined,
            (e: unknown) => e as Error
        );
        const cause = error?.cause as Received['errors'][number] | undefined;
        assert.equal(cause?.code, 5, 'NOT_FOUND');
        assert.equal(cause?.metadata?.get('error-code')[0], PUBSUB_ERROR_CODES.topicNotFound);
        assert.equal(bus.latestReplayId(), before);
    });

    it('when the event bus goes away, each stream ends with UNAVAILABLE; resubscribing after the last replay id misses nothing', async () => {
        const gateway = await client(`${TEST_ORG_ID}!gateway`);
        const bob = await client(`${TEST_ORG_ID}!bob`);
        const publish = (kind: string) =>
            gateway.publish(TOPIC, {
                CreatedDate: 0,
                CreatedById: '005000000000001AAA',
                Kind__c: { string: kind }
            });
        const subscribers = bus.subscriberCount();
        const first = listen(bob, TOPIC, null);
        await waitFor('the subscription', () => bus.subscriberCount() === subscribers + 1);
        await publish('before');
        await waitFor('the first event', () => first.events.length === 1);

        bus.closeAll();
        await waitFor('the stream to end', () => first.errors.length === 1);
        assert.equal(first.errors[0]!.code, 14, 'gRPC UNAVAILABLE: retry');
        assert.equal(bus.subscriberCount(), 0, 'no stream left open and silent');

        await publish('while away');
        const again = listen(bob, TOPIC, null, first.events[0]!.replayId);
        await waitFor('the resubscription', () => bus.subscriberCount() === 1);
        await publish('after');
        await waitFor('both events', () => again.events.length === 2);
        assert.deepEqual(
            again.events.map((e) => e.payload.Kind__c),
            ['while away', 'after']
        );
    });
});
