import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { jwtConnection, startTestOrg, type TestOrg } from '../testing/testOrg';
import type { LocalOrg, SObject } from './localOrg';
import { Sharing } from './sharing';

/** The demo company's users by first name, and a Maya-owned account with its children. */
function cast(org: LocalOrg) {
    const user = (firstName: string) => String(org.find('User', { FirstName: firstName })[0]!.Id);
    const maya = user('Maya');
    const mayaAccounts = org.find('Account', { OwnerId: maya });
    const withOpportunity = mayaAccounts.find(
        (a) => org.find('Opportunity', { AccountId: String(a.Id) }).length > 0
    )!;
    const accountId = String(withOpportunity.Id);
    const team = org.find('AccountTeamMember', { AccountId: accountId }).map((m) => m.UserId);
    const sdr = org
        .find('User')
        .find((u) => u.Title !== 'Account Executive' && team.includes(u.Id) && u.Id !== maya)!;
    // Another account executive, on no team of this account: a peer, not above Maya.
    const peer = org
        .find('User', { Title: 'Account Executive' })
        .find((u) => u.Id !== maya && !team.includes(u.Id))!;
    const opportunity = org.find('Opportunity', { AccountId: accountId })[0]!;
    return {
        maya,
        vp: user('Daniel'),
        admin: user('Priya'),
        sdr: String(sdr.Id),
        peer: String(peer.Id),
        accountId,
        opportunityId: String(opportunity.Id)
    };
}

describe('the private sharing model', () => {
    let org: TestOrg;
    let sharing: Sharing;
    let people: ReturnType<typeof cast>;

    before(async () => {
        const shellDir = mkdtempSync(join(tmpdir(), 'sightline-shell-'));
        writeFileSync(join(shellDir, 'index.html'), '<html><head></head><body></body></html>');
        // The Lightning shell, for the UI API as the signed-in user (no gateway is called).
        org = await startTestOrg({
            lightning: {
                shellDir,
                gateway: {
                    url: 'http://127.0.0.1:9',
                    apiKey: 'k',
                    signing: { secret: 's', orgId: '00D000000000001AAA' }
                }
            }
        });
        sharing = new Sharing(org.store);
        people = cast(org.store);
    });
    after(() => org.close());

    it('gives the owner and the roles above them full access, a peer none', () => {
        const { maya, vp, peer, accountId, opportunityId } = people;
        assert.equal(sharing.access(maya, accountId), 'All');
        assert.equal(sharing.access(vp, accountId), 'All', 'the VP is above the owner');
        assert.equal(sharing.access(peer, accountId), 'None');
        assert.equal(sharing.access(peer, opportunityId), 'None');
    });

    it('lets the account team read the account and its opportunities', () => {
        const { sdr, accountId, opportunityId } = people;
        assert.equal(sharing.access(sdr, accountId), 'Read');
        assert.equal(sharing.access(sdr, opportunityId), 'Read');
    });

    it('gives View All to the System Administrator profile', () => {
        assert.equal(sharing.access(people.admin, people.accountId), 'All');
    });

    it('follows ownership: a new owner and their roles gain it, the old owner loses it', () => {
        const { maya, peer, accountId } = people;
        org.store.update('Account', accountId, { OwnerId: peer });
        try {
            assert.equal(sharing.access(peer, accountId), 'All');
            // Maya still owns the opportunities: implicit parent sharing reads the account.
            assert.equal(sharing.access(maya, accountId), 'Read');
        } finally {
            org.store.update('Account', accountId, { OwnerId: maya });
        }
    });

    it('answers UserRecordAccess over SOQL for one user and at most 200 records', async () => {
        const conn = await jwtConnection(org);
        const { peer, sdr, accountId, opportunityId } = people;
        const ask = async (userId: string) =>
            (
                await conn.query<SObject>(
                    `SELECT RecordId, HasReadAccess, MaxAccessLevel FROM UserRecordAccess WHERE UserId = '${userId}' AND RecordId IN ('${accountId}', '${opportunityId}')`
                )
            ).records.map((r) => [r.RecordId, r.HasReadAccess, r.MaxAccessLevel]);
        assert.deepEqual(await ask(peer), [
            [accountId, false, 'None'],
            [opportunityId, false, 'None']
        ]);
        assert.deepEqual(await ask(sdr), [
            [accountId, true, 'Read'],
            [opportunityId, true, 'Read']
        ]);
        await assert.rejects(
            async () =>
                conn.query(`SELECT RecordId FROM UserRecordAccess WHERE RecordId = '${accountId}'`),
            /MALFORMED_QUERY/,
            'without one UserId the org refuses the query'
        );
        const many = Array.from({ length: 201 }, () => `'${accountId}'`).join(',');
        await assert.rejects(
            async () =>
                conn.query(
                    `SELECT RecordId FROM UserRecordAccess WHERE UserId = '${sdr}' AND RecordId IN (${many})`
                ),
            /200/
        );
    });

    it('refuses a record the signed-in user may not read through the UI API', async () => {
        const read = (userId: string) =>
            fetch(
                `${org.url()}/services/data/v62.0/ui-api/records/${people.accountId}?fields=Account.Name`,
                { headers: { cookie: `sightline_user=${userId}` } }
            );
        const denied = await read(people.peer);
        assert.equal(denied.status, 403);
        assert.equal(
            ((await denied.json()) as { errorCode: string }[])[0]?.errorCode,
            'INSUFFICIENT_ACCESS'
        );
        assert.equal((await read(people.sdr)).status, 200);
    });
});
