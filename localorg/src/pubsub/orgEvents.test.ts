/**
 * The event services over the package's own metadata, driven by the real Pub/Sub client:
 * filtered channels, deliveries counted per subscriber, the delivery limit error, REST
 * publishing and the namespace.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import type PubSubApiClient from 'salesforce-pubsub-api-client';
import { readOrgSchema } from '../store/objectMetadata';
import { createOrgEvents, type OrgEvents } from './orgEvents';
import { PUBSUB_ERROR_CODES, type PubSubServer } from './pubsubServer';
import { connectClient, TEST_ORG_ID, waitFor } from './testing';

const FORCE_APP = join(import.meta.dirname, '..', '..', '..', 'force-app', 'main', 'default');
const GATEWAY = '005000000000001AAA';
const tokenOf = (user: string) => `${TEST_ORG_ID}!${user}`;

type Callback = Parameters<PubSubApiClient['subscribe']>[1];
function collect(): {
    callback: Callback;
    events: Record<string, unknown>[];
    errorCodes: unknown[];
} {
    const events: Record<string, unknown>[] = [];
    const errorCodes: unknown[] = [];
    return {
        events,
        errorCodes,
        callback: (_info, type, data) => {
            if (type === 'event')
                events.push((data as { payload: Record<string, unknown> }).payload);
            if (type === 'error')
                errorCodes.push(
                    (data as { metadata?: { get(k: string): unknown[] } }).metadata?.get(
                        'error-code'
                    )[0]
                );
        }
    };
}

describe('the local org’s event services over the package metadata', () => {
    const servers: PubSubServer[] = [];
    const clients: PubSubApiClient[] = [];
    after(async () => {
        for (const server of servers) await server.close();
        for (const client of clients) client.close();
    });

    async function start(
        namespace?: string,
        dailyDeliveredEvents = 25_000
    ): Promise<{ events: OrgEvents; connect: (user: string) => Promise<PubSubApiClient> }> {
        const events = createOrgEvents({
            entities: readOrgSchema(FORCE_APP, namespace ? { namespace } : {}).values(),
            allocations: { dailyDeliveredEvents }
        });
        const server = await events.startPubSub(({ accessToken }) =>
            accessToken.startsWith(`${TEST_ORG_ID}!005`)
                ? { userId: accessToken.split('!')[1]!, organizationId: TEST_ORG_ID }
                : undefined
        );
        servers.push(server);
        return {
            events,
            connect: async (user) => {
                const client = await connectClient(server.endpoint, tokenOf(user));
                clients.push(client);
                return client;
            }
        };
    }

    it('derives a schema for every platform event and captured object of the package', async () => {
        const { events } = await start();
        const update = events.bus.schemaOfEntity('Visitor_Update__e');
        assert.ok(update);
        assert.deepEqual(update.fieldNames.slice(0, 2), ['CreatedDate', 'CreatedById']);
        for (const object of [
            'Live_Stream__c',
            'Routing_Rule__c',
            'Routing_Group__c',
            'Routing_Group_Member__c',
            'Rep_Availability__c'
        ])
            assert.ok(events.bus.capturesChanges(object), object);
        assert.equal(
            events.bus.capturesChanges('Website_Visitor__c'),
            false,
            'visitors are not configuration: capturing them would spend deliveries on every beacon'
        );
        assert.equal(
            events.bus.capturesChanges('Sightline_Setting__mdt'),
            false,
            'the platform captures no custom metadata'
        );
    });

    it('delivers on a filtered channel only the matching events, and counts each delivery per subscriber', async () => {
        const { events, connect } = await start();
        events.bus.createChannel('Rep_Alice__chn', 'event');
        events.bus.addMember(
            'Rep_Alice__chn',
            'Visitor_Update__e',
            "Audience__c = '005000000000002AAA'"
        );
        const alice = collect();
        const raw = collect();
        (await connect('005000000000002AAA')).subscribe('/event/Rep_Alice__chn', alice.callback);
        (await connect('005000000000003AAA')).subscribe('/event/Visitor_Update__e', raw.callback);
        await waitFor('both subscriptions', () => events.bus.subscriberCount() === 2);
        for (const audience of ['005000000000002AAA', '005000000000003AAA', '005000000000002aaa'])
            assert.ok(
                events.rest.publish(
                    'Visitor_Update__e',
                    { Audience__c: audience, Kind__c: 'delta', Sequence__c: 1 },
                    GATEWAY
                ).ok
            );
        await waitFor('the deliveries', () => raw.events.length === 3 && alice.events.length === 2);
        assert.deepEqual(
            alice.events.map((e) => e.Audience__c),
            ['005000000000002AAA', '005000000000002aaa']
        );
        assert.equal(
            raw.events[1]!.Audience__c,
            '005000000000003AAA',
            'the raw channel carries everyone’s events'
        );
        assert.equal(raw.events[0]!.CreatedById, GATEWAY);
        const limits = events.bus.allocations.limits();
        assert.equal(limits.DailyDeliveredPlatformEvents.Remaining, 25_000 - 5);
        assert.equal(limits.HourlyPublishedPlatformEvents.Remaining, 250_000 - 3);
    });

    it('ends Pub/Sub subscribers with the platform error once the daily allocation is spent', async () => {
        const { events, connect } = await start(undefined, 3);
        const one = collect();
        const two = collect();
        (await connect('005000000000002AAA')).subscribe('/event/Visitor_Update__e', one.callback);
        (await connect('005000000000003AAA')).subscribe('/event/Visitor_Update__e', two.callback);
        await waitFor('both subscriptions', () => events.bus.subscriberCount() === 2);
        events.rest.publish('Visitor_Update__e', { Kind__c: 'a' }, GATEWAY);
        await waitFor('two deliveries', () => one.events.length === 1 && two.events.length === 1);
        events.rest.publish('Visitor_Update__e', { Kind__c: 'b' }, GATEWAY);
        await waitFor(
            'the third delivery and the limit error',
            () =>
                one.events.length + two.events.length === 3 &&
                one.errorCodes.length + two.errorCodes.length === 1
        );
        assert.deepEqual(
            [...one.errorCodes, ...two.errorCodes],
            [PUBSUB_ERROR_CODES.deliveryLimit]
        );
        assert.equal(events.bus.allocations.limits().DailyDeliveredPlatformEvents.Remaining, 0);
    });

    it('refuses a REST publish naming a field the event does not have', async () => {
        const { events } = await start();
        const result = events.rest.publish('Visitor_Update__e', { Secret__c: 'x' }, GATEWAY);
        assert.deepEqual(result.ok ? undefined : result.errorCode, 'INVALID_FIELD');
        assert.equal(events.rest.publish('Live_Stream__c', {}, GATEWAY).ok, false);
    });

    it('names events, channels and change events with the namespace when the package has one', async () => {
        const { events, connect } = await start('sline');
        assert.throws(() => events.bus.channel('/event/Visitor_Update__e'), {
            code: 'UNKNOWN_CHANNEL'
        });
        assert.ok(events.bus.capturesChanges('sline__Live_Stream__c'));
        const received = collect();
        (await connect('005000000000002AAA')).subscribe(
            '/data/sline__Live_Stream__ChangeEvent',
            received.callback
        );
        await waitFor('the subscription', () => events.bus.subscriberCount() === 1);
        events.recordsCommitted(
            [
                {
                    object: 'sline__Live_Stream__c',
                    changeType: 'CREATE',
                    recordId: 'a00000000000001AAA',
                    after: { Name: 'Pricing' }
                }
            ],
            { userId: GATEWAY }
        );
        await waitFor('the change event', () => received.events.length === 1);
        assert.equal(received.events[0]!.Name, 'Pricing');
        const unprefixed = collect();
        (await connect('005000000000003AAA')).subscribe(
            '/event/Visitor_Update__e',
            unprefixed.callback
        );
        await waitFor('the refusal', () => unprefixed.errorCodes.length === 1);
        assert.equal(unprefixed.errorCodes[0], PUBSUB_ERROR_CODES.topicNotFound);
    });
});
