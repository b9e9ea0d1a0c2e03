/**
 * Change events after REST writes, received by the real Pub/Sub client, which decodes the
 * header's field bitmaps against the schema as it does with the platform's events.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type PubSubApiClient from 'salesforce-pubsub-api-client';
import { ChangeDataCapture } from './changeDataCapture';
import { EventBus } from './eventBus';
import { startPubSubServer, type PubSubServer } from './pubsubServer';
import { connectClient, TEST_ENTITIES, TEST_ORG_ID, waitFor } from './testing';

const TOKEN = `${TEST_ORG_ID}!gateway`;
const USER = '005000000000001AAA';
const STREAM = 'a0000000000001AAAA';

describe('Change Data Capture', () => {
    const clock = { t: Date.parse('2026-11-27T10:00:00Z') };
    let bus: EventBus;
    let cdc: ChangeDataCapture;
    let server: PubSubServer;
    let client: PubSubApiClient;
    const events: { payload: Record<string, unknown> }[] = [];
    const everything: { payload: Record<string, unknown> }[] = [];

    before(async () => {
        bus = new EventBus({ entities: TEST_ENTITIES, now: () => clock.t });
        bus.addMember('ChangeEvents', 'Live_Stream__ChangeEvent');
        cdc = new ChangeDataCapture(bus, () => clock.t);
        server = await startPubSubServer({
            bus,
            authenticate: ({ accessToken }) =>
                accessToken === TOKEN ? { userId: USER, organizationId: TEST_ORG_ID } : undefined
        });
        client = await connectClient(server.endpoint, TOKEN);
        client.subscribe('/data/Live_Stream__ChangeEvent', (_i, type, data) => {
            if (type === 'event') events.push(data as (typeof events)[number]);
        });
        client.subscribe('/data/ChangeEvents', (_i, type, data) => {
            if (type === 'event') everything.push(data as (typeof events)[number]);
        });
        await waitFor('both subscriptions', () => bus.subscriberCount() === 2);
    });

    after(async () => {
        await server.close();
        client.close();
    });

    it('publishes a CREATE with every non-null field', async () => {
        cdc.publish(
            [
                {
                    object: 'Live_Stream__c',
                    changeType: 'CREATE',
                    recordId: STREAM,
                    after: {
                        Id: STREAM,
                        Name: 'Pricing Page',
                        OwnerId: USER,
                        CreatedDate: '2026-11-27T10:00:00.000Z',
                        LastModifiedDate: '2026-11-27T10:00:00.000Z',
                        Active__c: true,
                        Priority__c: 3,
                        Color__c: null
                    }
                }
            ],
            { userId: USER }
        );
        await waitFor('the change event', () => events.length === 1 && everything.length === 1);
        const { payload } = events[0]!;
        const header = payload.ChangeEventHeader as Record<string, unknown>;
        assert.equal(header.changeType, 'CREATE');
        assert.equal(header.entityName, 'Live_Stream__c');
        assert.deepEqual(header.recordIds, [STREAM]);
        assert.equal(header.commitUser, USER);
        assert.equal(Number(header.commitTimestamp), clock.t);
        assert.deepEqual(header.changedFields, []);
        assert.equal(payload.Name, 'Pricing Page');
        assert.equal(payload.Priority__c, 3);
        assert.equal(payload.Active__c, true);
        assert.equal(Number(payload.CreatedDate), Date.parse('2026-11-27T10:00:00.000Z'));
    });

    it('publishes an UPDATE with only the changed fields, named in changedFields and nulledFields', async () => {
        const beforeValues = {
            Id: STREAM,
            Name: 'Pricing Page',
            Priority__c: 3,
            Color__c: '#ff0000',
            Active__c: true
        };
        cdc.publish(
            [
                {
                    object: 'Live_Stream__c',
                    changeType: 'UPDATE',
                    recordId: STREAM,
                    before: beforeValues,
                    after: { ...beforeValues, Priority__c: 1, Color__c: null }
                },
                {
                    object: 'Live_Stream__c',
                    changeType: 'UPDATE',
                    recordId: STREAM,
                    before: beforeValues,
                    after: beforeValues
                }
            ],
            { userId: USER }
        );
        await waitFor('the change event', () => events.length === 2);
        const { payload } = events[1]!;
        const header = payload.ChangeEventHeader as Record<string, unknown>;
        assert.equal(header.changeType, 'UPDATE');
        assert.deepEqual(header.changedFields, ['Priority__c', 'Color__c']);
        assert.deepEqual(header.nulledFields, ['Color__c']);
        assert.equal(payload.Priority__c, 1);
        assert.equal(payload.Name, null, 'unchanged fields are not sent');
    });

    it('publishes a DELETE, outside the hourly publishing allocation, and nothing for objects not captured', async () => {
        const published = bus.allocations.limits().HourlyPublishedPlatformEvents.Remaining;
        cdc.publish(
            [
                { object: 'Live_Stream__c', changeType: 'DELETE', recordId: STREAM },
                { object: 'Visitor_Update__e', changeType: 'CREATE', recordId: 'e00', after: {} }
            ],
            { userId: USER }
        );
        await waitFor('the change event', () => events.length === 3);
        const header = events[2]!.payload.ChangeEventHeader as Record<string, unknown>;
        assert.equal(header.changeType, 'DELETE');
        assert.equal(bus.allocations.limits().HourlyPublishedPlatformEvents.Remaining, published);
        assert.equal(everything.length, 3);
        bus.removeMember('ChangeEvents', 'Live_Stream__ChangeEvent');
        const before = bus.latestReplayId();
        cdc.publish([{ object: 'Live_Stream__c', changeType: 'DELETE', recordId: STREAM }], {
            userId: USER
        });
        assert.equal(bus.latestReplayId(), before, 'capture switched off');
    });
});
