import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, it } from 'node:test';
import { openLocalOrg } from '../store/openLocalOrg';
import { AuraHandledException } from './gatewayCallout';
import { createLead } from './leadController';

const forceAppDir = resolve(import.meta.dirname, '../../../force-app/main/default');

function seededOrg() {
    return openLocalOrg({ dataDir: mkdtempSync(join(tmpdir(), 'sightline-lead-')), forceAppDir })
        .org;
}

const userNamed = (org: ReturnType<typeof seededOrg>, username: string) =>
    String(org.find('User', { Username: username })[0]!.Id);

describe('SightlineLeadController.createLead, the Apex twin', () => {
    it('creates the Lead owned by the rep, then answers the duplicate rule’s matches, and saves anyway when asked', () => {
        const org = seededOrg();
        const rep = userNamed(org, 'maya.chen@lumendata.example.sightline');
        const fields = {
            FirstName: 'Ada',
            LastName: 'Byron',
            Company: 'Engines Ltd',
            Email: 'ada@engines.example',
            Country: 'Canada'
        };
        const created = createLead(org, rep, { fields, allowDuplicate: false });
        assert.equal(created.assigned, false);
        assert.equal(org.get('Lead', created.id!)?.OwnerId, rep, 'the rep, by default');

        const again = createLead(org, rep, { fields, allowDuplicate: false });
        assert.deepEqual(
            again.duplicates?.matches.map((m) => [m.id, m.name, m.ownerName]),
            [[created.id, 'Ada Byron', created.ownerName]]
        );
        assert.equal(again.duplicates?.allowSave, true);
        assert.ok(createLead(org, rep, { fields, allowDuplicate: true }).id, 'saved anyway');
        org.close();
    });

    it('runs the active assignment rule where the admin chose it', () => {
        const org = seededOrg();
        const rep = userNamed(org, 'maya.chen@lumendata.example.sightline');
        const settings = org.find('Sightline_Setting__mdt', { DeveloperName: 'Default' })[0]!;
        org.update(
            'Sightline_Setting__mdt',
            String(settings.Id),
            { Lead_Owner_By_Rule__c: true },
            { allowSystemFields: true }
        );
        const created = createLead(org, rep, {
            fields: { LastName: 'Rule', Company: 'Assigned Inc', Country: 'Canada' },
            allowDuplicate: false
        });
        assert.equal(created.assigned, true);
        assert.equal(
            org.get('Lead', created.id!)?.OwnerId,
            userNamed(org, 'omar.haddad@lumendata.example.sightline')
        );
        assert.equal(created.ownerName, 'Omar Haddad');
        org.close();
    });

    it('refuses an owner, unknown fields and no fields, as the Apex does', () => {
        const org = seededOrg();
        const rep = userNamed(org, 'maya.chen@lumendata.example.sightline');
        for (const fields of [
            { LastName: 'X', Company: 'Y', OwnerId: rep },
            { LastName: 'X', Company: 'Y', No_Such_Field__c: 'x' },
            {},
            null
        ])
            assert.throws(
                () => createLead(org, rep, { fields, allowDuplicate: false }),
                AuraHandledException,
                JSON.stringify(fields)
            );
        org.close();
    });
});
