/**
 * The change event follower when the org ends its stream (the Pub/Sub service restarts, a
 * session lapses): it subscribes again after the last replay id it saw, so a change made
 * while it had no stream still arrives, once, in order. The local org ends streams as the
 * platform does, with a gRPC status.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Connection } from 'jsforce';
import {
    jwtConnection,
    startTestOrg,
    type TestOrg
} from '../../../../localorg/src/testing/testOrg';
import { waitUntil } from '../../testing/liveTestApp';
import { ChangeEventFollower } from './changeEvents';
import { OrgNames } from './orgNames';

for (const namespace of ['', 'sline']) {
    describe(`the change event follower when the org ends its stream${namespace ? ' (namespaced org)' : ''}`, () => {
        let org: TestOrg;
        let conn: Connection;
        let follower: ChangeEventFollower;
        const changes: string[] = [];
        const errors: string[] = [];

        before(async () => {
            org = await startTestOrg({ namespace });
            conn = await jwtConnection(org);
            follower = new ChangeEventFollower(
                conn,
                { endpoint: org.pubSubEndpoint, trustAnyCertificate: true },
                new OrgNames(namespace || undefined),
                (object) => changes.push(object),
                (error) => errors.push((error as Error).message)
            );
            await follower.start();
            await waitUntil('the subscription', () => org.events.bus.subscriberCount() === 1);
        });
        after(async () => {
            follower.close();
            await org.close();
        });

        /** An admin's edit of the first record of `object`, through the REST API. */
        async function edit(object: string, field: string, value: unknown): Promise<void> {
            const name = org.store.name(object);
            const [record] = (await conn.query<{ Id: string }>(`SELECT Id FROM ${name} LIMIT 1`))
                .records;
            const result = await conn
                .sobject(name)
                .update({ Id: record!.Id, [org.store.name(field)]: value });
            assert.equal((result as { success: boolean }).success, true);
        }

        it('resubscribes after its last replay id and misses no change made in between', async () => {
            await edit('Live_Stream__c', 'Priority__c', 9);
            await waitUntil('the first change', () => changes.length === 1);

            org.events.bus.closeAll();
            await edit('Routing_Rule__c', 'Order__c', 7);
            // The change was published while the follower had no stream: only a replay brings it.
            assert.equal(org.events.bus.subscriberCount(), 0);

            await waitUntil('the resubscription', () => org.events.bus.subscriberCount() === 1);
            await waitUntil('the change made in between', () => changes.length === 2);
            await edit('Routing_Group__c', 'Description__c', 'After the restart');
            await waitUntil('the change after', () => changes.length === 3);
            assert.deepEqual(changes, ['Live_Stream__c', 'Routing_Rule__c', 'Routing_Group__c']);
            assert.equal(errors.length, 1, errors.join('\n'));
            assert.match(errors[0]!, /subscription (ended|failed).*; resubscribing/);
        });
    });
}
