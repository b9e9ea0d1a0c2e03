import assert from 'node:assert/strict';
import { resolve } from 'node:path';
import { describe, it } from 'node:test';
import { LocalOrg, LocalOrgError } from './localOrg';
import { readOrgSchema } from './objectMetadata';

const schema = readOrgSchema(resolve(import.meta.dirname, '../../../force-app/main/default'));

function refusal(work: () => unknown): { code: string; fields: string[] } {
    try {
        work();
    } catch (error) {
        if (error instanceof LocalOrgError) return { code: error.errorCode, fields: error.fields };
        throw error;
    }
    return { code: 'no error', fields: [] };
}

/** An org with an Account, a Contact on it, a Lead and an Opportunity. */
function orgWithPeople() {
    const org = LocalOrg.open(':memory:', schema);
    const account = org.insert('Account', { Name: 'Acme' }).Id as string;
    const contact = org.insert('Contact', { LastName: 'Okafor', AccountId: account }).Id as string;
    const lead = org.insert('Lead', { LastName: 'Nguyen', Company: 'Nova' }).Id as string;
    const opportunity = org.insert('Opportunity', {
        Name: 'Acme renewal',
        AccountId: account,
        StageName: 'Prospecting',
        CloseDate: '2026-12-31'
    }).Id as string;
    return { org, account, contact, lead, opportunity };
}

describe('Task and Event, as the org writes them', () => {
    it('defaults Status and Priority, and derives IsClosed, CompletedDateTime and AccountId', () => {
        const { org, account, contact } = orgWithPeople();
        const open = org.insert('Task', { Subject: 'Call back', WhoId: contact });
        assert.equal(open.Status, 'Not Started');
        assert.equal(open.Priority, 'Normal');
        assert.equal(open.IsClosed, false);
        assert.equal(open.CompletedDateTime, null);
        assert.equal(open.AccountId, account, "from the Contact's Account");

        const done = org.update('Task', open.Id as string, { Status: 'Completed' });
        assert.equal(done.IsClosed, true);
        assert.ok(done.CompletedDateTime, 'completed now');
    });

    it('takes a Lead or a Contact as WhoId, and an Account or Opportunity as WhatId', () => {
        const { org, account, lead, opportunity } = orgWithPeople();
        assert.equal(org.insert('Task', { Subject: 'a', WhoId: lead }).AccountId, null);
        assert.equal(org.insert('Task', { Subject: 'b', WhatId: opportunity }).AccountId, account);
        assert.deepEqual(
            refusal(() => org.insert('Task', { Subject: 'c', WhoId: account })),
            { code: 'FIELD_INTEGRITY_EXCEPTION', fields: ['WhoId'] },
            'an Account is not a Name'
        );
        assert.deepEqual(
            refusal(() => org.insert('Event', { Subject: 'd', WhatId: lead })),
            { code: 'FIELD_INTEGRITY_EXCEPTION', fields: ['WhatId'] }
        );
    });

    it('refuses a Lead with a Related To record, as the org does', () => {
        const { org, account, lead } = orgWithPeople();
        for (const object of ['Task', 'Event'])
            assert.deepEqual(
                refusal(() =>
                    org.insert(object, {
                        Subject: 'Meeting',
                        WhoId: lead,
                        WhatId: account,
                        ...(object === 'Event'
                            ? {
                                  StartDateTime: '2026-12-01T15:00:00.000Z',
                                  EndDateTime: '2026-12-01T15:30:00.000Z'
                              }
                            : {})
                    })
                ),
                { code: 'FIELD_INTEGRITY_EXCEPTION', fields: ['WhatId'] },
                object
            );
    });

    it('refuses writes to the fields the org sets, a changed subtype, and a Description past 32,000', () => {
        const { org } = orgWithPeople();
        for (const field of ['IsClosed', 'AccountId', 'CompletedDateTime'])
            assert.equal(
                refusal(() => org.insert('Task', { Subject: 'x', [field]: null })).code,
                'INVALID_FIELD',
                field
            );
        const task = org.insert('Task', { Subject: 'x', TaskSubtype: 'Task' });
        assert.equal(
            refusal(() => org.update('Task', task.Id as string, { TaskSubtype: 'Call' })).code,
            'INVALID_FIELD',
            'TaskSubtype is set on create only'
        );
        assert.equal(
            refusal(() => org.insert('Task', { Subject: 'x', Status: 'Done' })).code,
            'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST'
        );
        assert.equal(
            refusal(() => org.insert('Task', { Subject: 'x', Description: 'a'.repeat(32_001) }))
                .code,
            'STRING_TOO_LONG'
        );
        assert.ok(org.insert('Task', { Subject: 'x', Description: 'a'.repeat(32_000) }).Id);
    });
});
