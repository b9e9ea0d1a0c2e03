/**
 * The Pub/Sub API as `startLocalOrg` serves it, reached as the gateway reaches an org:
 * jsforce signed in by JWT bearer for REST, the real Pub/Sub client for events.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Connection } from 'jsforce';
import PubSubApiClient from 'salesforce-pubsub-api-client';
import { LOCAL_ORG_ID } from '../server';
import {
    ADMIN_USERNAME,
    devPrivateKey,
    jwtConnection,
    startTestOrg,
    type TestOrg
} from '../testing/testOrg';
import { waitFor } from './testing';

const quiet = { debug() {}, info() {}, warn() {}, error() {} };
type Payload = Record<string, unknown> & { ChangeEventHeader?: Record<string, unknown> };

describe('the local org’s Pub/Sub API', () => {
    let org: TestOrg;
    let conn: Connection;
    const clients: PubSubApiClient[] = [];

    before(async () => {
        org = await startTestOrg();
        conn = await jwtConnection(org);
    });

    after(async () => {
        await org.close();
        for (const client of clients) client.close();
    });

    async function userSupplied(): Promise<PubSubApiClient> {
        const client = new PubSubApiClient(
            {
                authType: 'user-supplied',
                accessToken: conn.accessToken!,
                // The client insists on https; the local org's Pub/Sub endpoint is TLS, its REST http.
                instanceUrl: org.url().replace(/^http:/, 'https:'),
                organizationId: LOCAL_ORG_ID,
                pubSubEndpoint: org.pubSubEndpoint,
                rejectUnauthorizedSsl: false
            },
            quiet
        );
        await client.connect();
        clients.push(client);
        return client;
    }

    it('publishes a change event after a REST update, changedFields naming what changed', async () => {
        const client = await userSupplied();
        const received: Payload[] = [];
        client.subscribe(
            `/data/${org.store.name('Live_Stream__c').replace(/__c$/, '__ChangeEvent')}`,
            (_i, type, data) => {
                if (type === 'event') received.push((data as { payload: Payload }).payload);
            }
        );
        await waitFor('the subscription', () => org.events.bus.subscriberCount() === 1);
        const stream = (
            await conn.query<{ Id: string }>(
                `SELECT Id FROM ${org.store.name('Live_Stream__c')} LIMIT 1`
            )
        ).records[0]!;
        const priority = org.store.name('Priority__c');
        const result = await conn
            .sobject(org.store.name('Live_Stream__c'))
            .update({ Id: stream.Id, [priority]: 42 });
        assert.equal((result as { success: boolean }).success, true);
        await waitFor('the change event', () => received.length === 1);
        const header = received[0]!.ChangeEventHeader!;
        assert.equal(header.changeType, 'UPDATE');
        assert.deepEqual(header.recordIds, [stream.Id]);
        assert.ok((header.changedFields as string[]).includes(priority));
        assert.equal(received[0]![priority], 42);
    });

    it('publishes through Pub/Sub without spending API requests, and reports deliveries in /limits', async () => {
        const client = await userSupplied();
        const topic = `/event/${org.store.name('Visitor_Update__e')}`;
        const received: Payload[] = [];
        client.subscribe(topic, (_i, type, data) => {
            if (type === 'event') received.push((data as { payload: Payload }).payload);
        });
        await waitFor('the subscription', () => org.events.bus.subscriberCount() === 2);
        const before = await conn.limits();
        await client.publish(topic, {
            CreatedDate: Date.now(),
            CreatedById: '005000000000000AAA',
            [org.store.name('Kind__c')]: { string: 'delta' }
        });
        await waitFor('the event', () => received.length === 1);
        const afterLimits = await conn.limits();
        assert.equal(
            before.DailyApiRequests!.Remaining - afterLimits.DailyApiRequests!.Remaining,
            1,
            'only the second limits call itself'
        );
        const delivered = (l: typeof before) =>
            (l as unknown as Record<string, { Remaining: number }>).DailyDeliveredPlatformEvents!
                .Remaining;
        assert.ok(delivered(before) - delivered(afterLimits) >= 1);
    });

    it(
        'connects with oauth-jwt-bearer against the local org’s token endpoint',
        { todo: 'the client reads /services/oauth2/userinfo after the token' },
        async () => {
            const client = new PubSubApiClient(
                {
                    authType: 'oauth-jwt-bearer',
                    loginUrl: org.url(),
                    clientId: org.credentials!.consumerKey,
                    username: ADMIN_USERNAME,
                    privateKey: devPrivateKey(org),
                    pubSubEndpoint: org.pubSubEndpoint,
                    rejectUnauthorizedSsl: false
                },
                quiet
            );
            clients.push(client);
            await client.connect();
            const result = await client.publish(`/event/${org.store.name('Visitor_Update__e')}`, {
                CreatedDate: Date.now(),
                CreatedById: '005000000000000AAA'
            });
            assert.ok(result.replayId > 0);
        }
    );
});
