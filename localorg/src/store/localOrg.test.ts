import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, it } from 'node:test';
import { demoCompany } from '../seed/demoCompany';
import { LocalOrg, LocalOrgError } from './localOrg';
import { readOrgSchema } from './objectMetadata';
import { openLocalOrg } from './openLocalOrg';
import { normaliseId } from './salesforceId';

const forceAppDir = resolve(import.meta.dirname, '../../../force-app/main/default');
const schema = readOrgSchema(forceAppDir);

function memoryOrg(): LocalOrg {
    return LocalOrg.open(':memory:', schema);
}

function errorCode(work: () => unknown): string {
    try {
        work();
    } catch (error) {
        if (error instanceof LocalOrgError) return error.errorCode;
        throw error;
    }
    return 'no error';
}

describe('schema from metadata', () => {
    it('has the custom objects and fields the metadata defines, and the standard ones we read', () => {
        const stream = schema.get('Live_Stream__c');
        assert.ok(stream, 'Live_Stream__c is read from its object file');
        assert.deepEqual(
            ['Active__c', 'Color__c', 'Criteria__c', 'Priority__c'].filter((f) =>
                stream.fields.has(f)
            ),
            ['Active__c', 'Color__c', 'Criteria__c', 'Priority__c']
        );
        assert.equal(schema.get('Account')?.fields.get('Target_Account__c')?.type, 'Checkbox');
        assert.equal(schema.get('Lead')?.fields.get('UTM_Campaign__c')?.custom, true);
        assert.equal(schema.get('Visitor_Update__e')?.kind, 'platformEvent');
        assert.deepEqual(schema.get('Routing_Rule__c')?.fields.get('Strategy__c')?.picklistValues, [
            'Record_Owner',
            'Account_Team',
            'Round_Robin',
            'First_Available',
            'Named_Reps'
        ]);
    });

    it('gives master-detail children no owner', () => {
        assert.equal(schema.get('Conversation_Message__c')?.hasOwner, false);
        assert.equal(schema.get('Conversation_Message__c')?.fields.has('OwnerId'), false);
    });
});

describe('writes are checked as an org checks them', () => {
    it('creates 18-character ids with the object key prefix', () => {
        const org = memoryOrg();
        const account = org.insert('Account', { Name: 'Acme' });
        assert.match(String(account.Id), /^001[0-9A-Za-z]{12}[A-Z0-5]{3}$/);
        assert.equal(normaliseId(String(account.Id).slice(0, 15)), account.Id);
    });

    it('refuses a field that is not in the metadata', () => {
        const org = memoryOrg();
        assert.equal(
            errorCode(() => org.insert('Account', { Name: 'Acme', Rating__c: 'Hot' })),
            'INVALID_FIELD'
        );
        assert.equal(
            errorCode(() => org.find('Lead', { Favourite_Colour__c: 'blue' })),
            'INVALID_FIELD'
        );
    });

    it('refuses a value outside a restricted picklist, a wrong type and a too-long text', () => {
        const org = memoryOrg();
        assert.equal(
            errorCode(() => org.insert('Rep_Availability__c', { Status__c: 'Sleeping' })),
            'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST'
        );
        assert.equal(
            errorCode(() => org.insert('Live_Stream__c', { Name: 'X', Priority__c: 'first' })),
            'FIELD_INTEGRITY_EXCEPTION'
        );
        assert.equal(
            errorCode(() => org.insert('Live_Stream__c', { Name: 'X', Color__c: '#0176D3FF' })),
            'STRING_TOO_LONG'
        );
    });

    it('refuses a duplicate unique value and a dangling reference', () => {
        const org = memoryOrg();
        org.insert('Website_Visitor__c', { Name: 'Visitor', Visitor_Key__c: 'v-1' });
        assert.equal(
            errorCode(() =>
                org.insert('Website_Visitor__c', { Name: 'Again', Visitor_Key__c: 'v-1' })
            ),
            'DUPLICATE_VALUE'
        );
        assert.equal(
            errorCode(() =>
                org.insert('Contact', { LastName: 'Nobody', AccountId: '001000000000999AAA' })
            ),
            'INVALID_CROSS_REFERENCE_KEY'
        );
    });

    it('deletes the detail records of a master-detail relationship with their master', () => {
        const org = memoryOrg();
        const conversation = org.insert('Conversation__c', {
            Status__c: 'Ended',
            Origin__c: 'Pounce'
        });
        const other = org.insert('Conversation__c', { Status__c: 'Ended', Origin__c: 'Pounce' });
        for (const parent of [conversation, other])
            org.insert('Conversation_Message__c', {
                Conversation__c: String(parent.Id),
                Sender__c: 'Visitor',
                Body__c: 'Hello'
            });
        const deleted: string[] = [];
        org.onChange((change) => {
            if (change.kind === 'delete') deleted.push(change.object);
        });
        org.delete('Conversation__c', String(conversation.Id));
        assert.equal(org.count('Conversation_Message__c'), 1, "the other conversation's stays");
        assert.deepEqual(deleted, ['Conversation_Message__c', 'Conversation__c']);
    });

    it('refuses writes to system fields and numbers auto-number names', () => {
        const org = memoryOrg();
        assert.equal(
            errorCode(() =>
                org.insert('Account', { Name: 'Acme', CreatedDate: '2020-01-01T00:00:00Z' })
            ),
            'INVALID_FIELD'
        );
        const visitor = org.insert('Website_Visitor__c', { Name: 'Visitor' });
        const first = org.insert('Conversation__c', {
            Website_Visitor__c: visitor.Id as string,
            Status__c: 'Active'
        });
        const second = org.insert('Conversation__c', {
            Website_Visitor__c: visitor.Id as string,
            Status__c: 'Active'
        });
        assert.notEqual(first.Name, second.Name);
        assert.match(String(first.Name), /\d/);
    });

    it('derives the compound Name of people', () => {
        const org = memoryOrg();
        const lead = org.insert('Lead', {
            FirstName: 'Ada',
            LastName: 'Lovelace',
            Company: 'Analytical Engines'
        });
        assert.equal(lead.Name, 'Ada Lovelace');
        assert.equal(
            org.update('Lead', String(lead.Id), { FirstName: 'Augusta Ada' }).Name,
            'Augusta Ada Lovelace'
        );
    });
});

describe('the local org on disk', () => {
    it('is seeded with the demo company once, keeps data across restarts and recreates it on reset', () => {
        const dataDir = mkdtempSync(join(tmpdir(), 'sightline-org-'));
        const first = openLocalOrg({ dataDir, forceAppDir });
        assert.equal(first.seeded, true);
        const company = demoCompany();
        assert.equal(first.org.count('Account'), company.accounts.length);
        assert.equal(first.org.count('User'), company.users.length);
        assert.equal(first.org.count('Live_Stream__c'), 4);
        assert.ok(
            first.org.find('Account', { Target_Account__c: true }).length > 20,
            'some accounts are target accounts'
        );
        assert.ok(
            first.org.find('Opportunity', { IsClosed: false }).length > 50,
            'there is open pipeline'
        );
        const lead = first.org.insert('Lead', { LastName: 'Kept', Company: 'Across Restarts' });
        first.org.close();

        const second = openLocalOrg({ dataDir, forceAppDir });
        assert.equal(second.seeded, false);
        assert.equal(second.org.get('Lead', String(lead.Id))?.Company, 'Across Restarts');
        second.org.close();

        const reset = openLocalOrg({ dataDir, forceAppDir, reset: true });
        assert.equal(reset.seeded, true);
        assert.equal(reset.org.get('Lead', String(lead.Id)), undefined);
        reset.org.close();
    });

    it('seeds the same company every time', () => {
        assert.deepEqual(demoCompany().records, demoCompany().records);
    });
});
