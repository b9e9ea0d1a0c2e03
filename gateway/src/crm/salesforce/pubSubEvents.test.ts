/**
 * Notifications published through the org's Pub/Sub API, read back by a subscriber with the
 * real `salesforce-pubsub-api-client`: one Publish per flush, no API request spent, each
 * refused event reported, and a lapsed session or broken channel recovered on the next flush.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Connection } from 'jsforce';
import PubSubApiClient from 'salesforce-pubsub-api-client';
import { LOCAL_ORG_ID } from '../../../../localorg/src/server';
import {
    ADMIN_USERNAME,
    devPrivateKey,
    startTestOrg,
    type TestOrg
} from '../../../../localorg/src/testing/testOrg';
import type { LiveNotification } from '../../contracts/liveContract';
import { waitUntil } from '../../testing/liveTestApp';
import { OrgNames } from './orgNames';
import { NotificationNotPublished, PubSubEventTransport } from './pubSubEvents';
import { signIn } from './signIn';

const quiet = { debug() {}, info() {}, warn() {}, error() {} };

function notification(audience: string, sequence: number): LiveNotification {
    return { audience, epoch: '2026-11-27T19:00:00.000Z-ab12', sequence, kind: 'delta' };
}

/** A window's worth: one notification per rep. */
function window(count: number, sequence: number): LiveNotification[] {
    return Array.from({ length: count }, (_, i) =>
        notification(`005000000000${String(i).padStart(3, '0')}AAA`, sequence)
    );
}

async function orgConnection(org: TestOrg): Promise<Connection> {
    return signIn({
        flow: 'jwt',
        loginUrl: org.url(),
        clientId: org.credentials!.consumerKey,
        username: ADMIN_USERNAME,
        privateKey: devPrivateKey(org)
    });
}

/** A subscriber of the event's channel, as a console's (or anyone's) Pub/Sub client reads it. */
async function subscriber(
    org: TestOrg,
    conn: Connection,
    topic: string
): Promise<{ received: Record<string, unknown>[]; client: PubSubApiClient }> {
    const client = new PubSubApiClient(
        {
            authType: 'user-supplied',
            accessToken: conn.accessToken!,
            instanceUrl: org.url().replace(/^http:/, 'https:'),
            organizationId: LOCAL_ORG_ID,
            pubSubEndpoint: org.pubSubEndpoint,
            rejectUnauthorizedSsl: false
        },
        quiet
    );
    await client.connect();
    const received: Record<string, unknown>[] = [];
    const before = org.events.bus.subscriberCount();
    client.subscribe(topic, (_info, type, data) => {
        if (type === 'event') received.push((data as { payload: Record<string, unknown> }).payload);
    });
    await waitUntil('the subscription', () => org.events.bus.subscriberCount() > before);
    return { received, client };
}

for (const namespace of ['', 'sline']) {
    describe(`notifications through the Pub/Sub API${namespace ? ' (namespaced org)' : ''}`, () => {
        let org: TestOrg;
        let conn: Connection;
        let transport: PubSubEventTransport;
        let reader: { received: Record<string, unknown>[]; client: PubSubApiClient };
        const errors: unknown[] = [];
        const names = new OrgNames(namespace || undefined);

        before(async () => {
            // A small hourly allocation, so the org refuses a publish as a real one would.
            org = await startTestOrg({
                namespace,
                eventAllocations: { dailyDeliveredEvents: 25_000, hourlyPublishedEvents: 30 }
            });
            conn = await orgConnection(org);
            transport = new PubSubEventTransport(
                conn,
                { endpoint: org.pubSubEndpoint, trustAnyCertificate: true },
                names,
                (error) => errors.push(error)
            );
            reader = await subscriber(org, conn, `/event/${names.of('Visitor_Update__e')}`);
        });
        after(async () => {
            await transport.close();
            // The subscriber's stream ends with the org; its client may go then (not before,
            // or the stream's last error has no listener).
            await org.close();
            reader.client.close();
        });

        it('publishes a window in one call, read back with its four fields, no API request spent', async () => {
            const apiRequests = org.usage.used();
            const published = org.events.bus.allocations.limits().HourlyPublishedPlatformEvents;
            for (const n of window(12, 1)) transport.notify(n);
            await transport.settled();
            assert.equal(org.usage.used(), apiRequests, 'DailyApiRequests unchanged');
            assert.equal(transport.publishCalls, 1);
            assert.equal(transport.publishedEvents, 12);
            assert.equal(
                published.Remaining -
                    org.events.bus.allocations.limits().HourlyPublishedPlatformEvents.Remaining,
                12,
                'each event counts against HourlyPublishedPlatformEvents'
            );
            await waitUntil('the window', () => reader.received.length === 12);
            const fields = (payload: Record<string, unknown>) => names.in(payload);
            const first = fields(reader.received[0]!);
            assert.equal(first.Audience__c, window(12, 1)[0]!.audience);
            assert.equal(first.Epoch__c, '2026-11-27T19:00:00.000Z-ab12');
            assert.equal(first.Sequence__c, 1);
            assert.equal(first.Kind__c, 'delta');
            assert.deepEqual(
                Object.keys(first)
                    .filter((k) => k.endsWith('__c'))
                    .sort(),
                ['Audience__c', 'Epoch__c', 'Kind__c', 'Sequence__c'],
                'nothing but audience, epoch, sequence and kind'
            );
            assert.deepEqual(errors, []);
        });

        it('reports each event the org refuses, and the next flush goes out', async () => {
            const lost = transport.failedEvents;
            const seen = reader.received.length;
            // 12 of 30 spent: 20 more do not fit in the hour, and the org queues none of them.
            for (const n of window(20, 2)) transport.notify(n);
            await transport.settled();
            assert.equal(transport.failedEvents - lost, 20);
            assert.equal(errors.length, 20);
            const refused = errors[0] as NotificationNotPublished;
            assert.ok(refused instanceof NotificationNotPublished);
            assert.match(refused.message, /LIMIT_EXCEEDED/);
            assert.ok(refused.correlationKey);

            const published = transport.publishedEvents;
            for (const n of window(3, 3)) transport.notify(n);
            await transport.settled();
            assert.equal(transport.publishedEvents - published, 3);
            await waitUntil('the next window', () => reader.received.length === seen + 3);
            errors.length = 0;
        });

        it('after the session lapses, signs in again and publishes on the next flush', async () => {
            org.sessions.expireAll();
            for (const n of window(1, 4)) transport.notify(n);
            await transport.settled();
            assert.equal(errors.length, 1, 'the flush the org refused');
            assert.match((errors[0] as Error).message, /auth/i);
            const published = transport.publishedEvents;
            for (const n of window(1, 5)) transport.notify(n);
            await transport.settled();
            assert.equal(transport.publishedEvents - published, 1);
            errors.length = 0;
        });
    });
}
