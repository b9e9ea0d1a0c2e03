import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Connection } from 'jsforce';
import {
    jwtConnection,
    startTestOrg,
    type TestOrg
} from '../../../../localorg/src/testing/testOrg';
import { Batcher } from './batcher';
import { QUERIES_PER_COMPOSITE, ReadWindow, type WindowCall } from './readWindow';
import { runWindowCalls } from './windowCalls';

/** A window's calls against the local org, which refuses composites over the platform's limits. */
describe("a read window's calls, against the local org's composite limits", () => {
    let org: TestOrg;
    let conn: Connection;
    before(async () => {
        org = await startTestOrg();
        conn = await jwtConnection(org);
    });
    after(() => org.close());

    it('answers a window of many reads and a collection write in composite calls the org accepts', async () => {
        const accounts = org.store.find('Account', {}).slice(0, 12);
        assert.equal(accounts.length, 12, 'the seed has accounts to read');
        const sent: number[] = [];
        const window = new ReadWindow(5, (calls) => {
            sent.push(calls.length);
            return runWindowCalls(conn, calls);
        });
        // One batcher per account: each flush is one query, so the window gathers twelve.
        const reads = accounts.map(
            () =>
                new Batcher<string, string | undefined>(window, 200, async (ids) => {
                    const records = await window.query(
                        `SELECT Id, Name FROM Account WHERE Id IN ('${ids.join("','")}')`
                    );
                    return new Map(records.map((r) => [String(r.Id), String(r.Name)]));
                })
        );
        const writes = new Batcher<string, boolean>(window, 200, async (keys) => {
            const results = await window.upsert(
                'Website_Visitor__c',
                'Visitor_Key__c',
                keys.map((key) => ({ Visitor_Key__c: key, Name: key }))
            );
            return new Map(keys.map((key, i) => [key, results[i]?.success === true]));
        });
        const before = org.usage.used();
        const [names, saved] = await Promise.all([
            Promise.all(reads.map((batcher, i) => batcher.load(String(accounts[i]!.Id)))),
            Promise.all(['window-a', 'window-b'].map((key) => writes.load(key)))
        ]);

        assert.deepEqual(
            names,
            accounts.map((a) => String(a.Name))
        );
        assert.deepEqual(saved, [true, true]);
        assert.equal(
            org.store.find('Website_Visitor__c', { Visitor_Key__c: 'window-b' }).length,
            1
        );
        assert.deepEqual(sent, [5, 5, 3], 'thirteen calls, at most five a composite');
        assert.equal(org.usage.used() - before, 3, 'one API request per composite call');
    });

    it('refuses to send more calls in one composite than the org takes', async () => {
        const calls: WindowCall[] = Array.from({ length: QUERIES_PER_COMPOSITE + 1 }, () => ({
            kind: 'query',
            soql: 'SELECT Id FROM User LIMIT 1'
        }));
        await assert.rejects(runWindowCalls(conn, calls), RangeError);
    });
});
