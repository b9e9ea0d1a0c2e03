import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Connection } from 'jsforce';
import { jwtConnection, startTestOrg, type TestOrg } from '../testing/testOrg';
import { LEAD_DUPLICATE_RULE } from '../store/leadRules';

/** The REST API's answer to a Lead create, with the save-rule headers given. */
async function createLead(
    conn: Connection,
    fields: Record<string, string>,
    headers: Record<string, string> = {}
): Promise<{ status: number; body: unknown }> {
    const response = await fetch(`${conn.instanceUrl}/services/data/v62.0/sobjects/Lead`, {
        method: 'POST',
        headers: {
            authorization: `Bearer ${conn.accessToken}`,
            'content-type': 'application/json',
            ...headers
        },
        body: JSON.stringify(fields)
    });
    return { status: response.status, body: await response.json() };
}

describe('a new Lead meets the org’s duplicate and assignment rules (REST)', () => {
    let org: TestOrg;
    let conn: Connection;
    let userId: (username: string) => Promise<string>;
    before(async () => {
        org = await startTestOrg();
        conn = await jwtConnection(org);
        userId = async (username) =>
            (await conn.query<{ Id: string }>(`SELECT Id FROM User WHERE Username = '${username}'`))
                .records[0]!.Id;
    });
    after(() => org.close());

    it('runs the active assignment rule unless Sforce-Auto-Assign is FALSE', async () => {
        const admin = (await conn.identity()).user_id;
        const kept = await createLead(
            conn,
            { LastName: 'Keep', Company: 'Rules One', Country: 'Canada' },
            { 'Sforce-Auto-Assign': 'FALSE' }
        );
        assert.equal(kept.status, 201);
        const keptId = (kept.body as { id: string }).id;
        assert.equal((await conn.sobject('Lead').retrieve(keptId)).OwnerId, admin);

        const assigned = await createLead(conn, {
            LastName: 'Assign',
            Company: 'Rules Two',
            Country: 'Canada'
        });
        const assignedId = (assigned.body as { id: string }).id;
        assert.equal(
            (await conn.sobject('Lead').retrieve(assignedId)).OwnerId,
            await userId('omar.haddad@lumendata.example.sightline'),
            'the entry for Canada'
        );
        const fallback = await createLead(
            conn,
            { LastName: 'Default', Company: 'Rules Three', Country: 'Japan' },
            { 'Sforce-Auto-Assign': 'TRUE' }
        );
        assert.equal(
            (await conn.sobject('Lead').retrieve((fallback.body as { id: string }).id)).OwnerId,
            await userId('grace.mensah@lumendata.example.sightline'),
            'no entry matches: the default Lead owner'
        );
    });

    it('refuses a duplicate with DUPLICATES_DETECTED and the matches, and saves it with allowSave=true', async () => {
        const first = await createLead(
            conn,
            {
                FirstName: 'Ada',
                LastName: 'Byron',
                Company: 'Engines Ltd',
                Email: 'ada@engines.example'
            },
            { 'Sforce-Auto-Assign': 'FALSE' }
        );
        const firstId = (first.body as { id: string }).id;
        const noHeaders = { 'Sforce-Auto-Assign': 'FALSE' };
        const sameLead: Record<string, string>[] = [
            { LastName: 'Other', Company: 'Elsewhere', Email: ' ADA@engines.example ' },
            { FirstName: 'ada', LastName: 'BYRON', Company: 'engines ltd' }
        ];
        for (const fields of sameLead) {
            const refused = await createLead(conn, fields, noHeaders);
            assert.equal(refused.status, 400, JSON.stringify(fields));
            const [error] = refused.body as {
                errorCode: string;
                message: string;
                duplicateResult: {
                    allowSave: boolean;
                    duplicateRule: string;
                    matchResults: { matchRecords: { record: { Id: string } }[] }[];
                };
            }[];
            assert.equal(error!.errorCode, 'DUPLICATES_DETECTED');
            assert.equal(error!.duplicateResult.allowSave, true);
            assert.equal(error!.duplicateResult.duplicateRule, LEAD_DUPLICATE_RULE);
            assert.deepEqual(
                error!.duplicateResult.matchResults[0]!.matchRecords.map((m) => m.record.Id),
                [firstId]
            );
        }
        const saved = await createLead(
            conn,
            { LastName: 'Other', Company: 'Elsewhere', Email: 'ada@engines.example' },
            {
                ...noHeaders,
                'Sforce-Duplicate-Rule-Header': 'allowSave=true; runAsCurrentUser=true'
            }
        );
        assert.equal(saved.status, 201);
        const distinct = await createLead(
            conn,
            { FirstName: 'Ada', LastName: 'Byron', Company: 'Another Co' },
            noHeaders
        );
        assert.equal(distinct.status, 201, 'a namesake at another company is not a match');
    });
});
