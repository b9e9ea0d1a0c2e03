import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Connection } from 'jsforce';
import { jwtConnection, startTestOrg, type TestOrg } from '../testing/testOrg';
import { hasNamespace, withNamespace } from './namespace';

async function errorCodeOf(work: () => PromiseLike<unknown>): Promise<string> {
    try {
        await work();
    } catch (error) {
        return String((error as { errorCode?: string }).errorCode ?? (error as Error).message);
    }
    return 'no error';
}

describe('namespace names', () => {
    it('prefixes custom names only, once', () => {
        assert.equal(withNamespace('Live_Stream__c', 'sline'), 'sline__Live_Stream__c');
        assert.equal(withNamespace('Account__r', 'sline'), 'sline__Account__r');
        assert.equal(withNamespace('Visitor_Update__e', 'sline'), 'sline__Visitor_Update__e');
        assert.equal(
            withNamespace('Sightline_Updates__chn', 'sline'),
            'sline__Sightline_Updates__chn'
        );
        assert.equal(withNamespace('sline__Live_Stream__c', 'sline'), 'sline__Live_Stream__c');
        assert.equal(withNamespace('OwnerId', 'sline'), 'OwnerId');
        assert.equal(withNamespace('Live_Stream__c', undefined), 'Live_Stream__c');
        assert.equal(hasNamespace('Live_Stream__c'), false);
    });
});

describe('a namespaced local org answers as a subscriber org does', () => {
    let org: TestOrg;
    let conn: Connection;
    before(async () => {
        org = await startTestOrg({ namespace: 'sline' });
        conn = await jwtConnection(org);
    });
    after(() => org.close());

    it('knows custom objects and fields only by their prefixed names', async () => {
        const streams = await conn.query<{ sline__Priority__c: number }>(
            'SELECT Name, sline__Priority__c FROM sline__Live_Stream__c ORDER BY sline__Priority__c'
        );
        assert.equal(streams.totalSize, 4);
        assert.equal(typeof streams.records[0]?.sline__Priority__c, 'number');
        assert.equal(
            await errorCodeOf(() => conn.query('SELECT Id FROM Live_Stream__c')),
            'INVALID_TYPE'
        );
        assert.equal(
            await errorCodeOf(() => conn.query('SELECT Priority__c FROM sline__Live_Stream__c')),
            'INVALID_FIELD'
        );
        assert.equal(
            await errorCodeOf(() => conn.query('SELECT Target_Account__c FROM Account')),
            'INVALID_FIELD'
        );
        const targets = await conn.query(
            'SELECT COUNT() FROM Account WHERE sline__Target_Account__c = true'
        );
        assert.ok(targets.totalSize > 0);
        const visitor = await conn.sobject('sline__Website_Visitor__c').describe();
        assert.ok(visitor.fields.some((f) => f.name === 'sline__Visitor_Key__c' && f.externalId));
        assert.equal(
            visitor.fields.find((f) => f.name === 'sline__Account__c')?.relationshipName,
            'sline__Account__r'
        );
        assert.equal(
            await errorCodeOf(() => conn.sobject('Website_Visitor__c').create({ Name: 'x' })),
            'NOT_FOUND'
        );
        assert.equal(
            await errorCodeOf(() =>
                conn.sobject('sline__Website_Visitor__c').create({ Name: 'x', Visitor_Key__c: 'k' })
            ),
            'INVALID_FIELD'
        );
    });

    it('serves custom metadata, permission sets and channels of the installed package', async () => {
        const settings = await conn.query<{ sline__End_After_Minutes__c: number }>(
            "SELECT DeveloperName, sline__End_After_Minutes__c FROM sline__Sightline_Setting__mdt WHERE DeveloperName = 'Default'"
        );
        assert.equal(settings.records[0]?.sline__End_After_Minutes__c, 30);
        const permissionSets = await conn.query<{ Name: string; NamespacePrefix: string }>(
            "SELECT Name, NamespacePrefix FROM PermissionSet WHERE Name = 'Sightline_Rep'"
        );
        assert.deepEqual(
            permissionSets.records.map((p) => [p.Name, p.NamespacePrefix]),
            [['Sightline_Rep', 'sline']]
        );
        const channels = await conn.tooling.query<{ FullName: string }>(
            'SELECT FullName FROM PlatformEventChannel'
        );
        assert.deepEqual(
            channels.records.map((c) => c.FullName),
            ['sline__Sightline_Updates__chn']
        );
    });
});
