import assert from 'node:assert/strict';
import { apexSignatureHeaders } from '../../../../localorg/src/apex/apexSigner';
import { generateKeyPairSync } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import {
    ADMIN_USERNAME,
    startTestOrg,
    type TestOrg
} from '../../../../localorg/src/testing/testOrg';
import { checkPermissions } from '../../admin/permissionCheck';
import { loadConfig } from '../../config';
import { createProductionGateway } from '../../production';
import { root } from '../../testing/liveTestApp';
import { connectSalesforce } from './orgPorts';
import { SalesforceCrm } from './salesforceCrm';
import { jwtAssertion, signIn, type OrgAuth } from './signIn';

/** The adapter against the local org server: the same HTTP APIs, jsforce and sign-in as a real org. */
describe('the Salesforce CRM adapter, against the local org', () => {
    let org: TestOrg;
    let auth: Extract<OrgAuth, { flow: 'jwt' }>;
    let crm: SalesforceCrm;

    before(async () => {
        org = await startTestOrg();
        auth = {
            flow: 'jwt',
            loginUrl: org.url(),
            clientId: org.credentials!.consumerKey,
            username: ADMIN_USERNAME,
            privateKey: readFileSync(org.credentials!.privateKeyFile, 'utf8')
        };
        crm = new SalesforceCrm(await signIn(auth));
    });
    after(() => org.close());

    /** API requests the org counted while `work` ran. */
    async function requests(work: () => Promise<unknown>): Promise<number> {
        const before = org.usage.used();
        await work();
        return org.usage.used() - before;
    }

    it('explains every refused sign-in in words that say what to fix', async () => {
        const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
        const foreign = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
        const refusals: [Partial<OrgAuth>, RegExp][] = [
            [{ privateKey: foreign }, /does not match the certificate uploaded to the app/],
            [{ privateKey: 'not a key' }, /could not sign the JWT/],
            [{ clientId: 'SomeoneElsesApp' }, /no app with the consumer key SomeoneElsesApp/],
            [{ username: 'nobody@example.com' }, /nobody@example.com/],
            [{ loginUrl: `${org.url()}/wrong` }, /did not answer as a Salesforce login URL/],
            [
                { loginUrl: org.url().replace('127.0.0.1', 'localhost') },
                /refused the JWT's audience http:\/\/localhost/
            ],
            [{ loginUrl: 'http://127.0.0.1:9' }, /cannot be reached/]
        ];
        for (const [change, message] of refusals) {
            await assert.rejects(
                signIn({ ...auth, ...change } as OrgAuth),
                (error: Error) => {
                    assert.equal(error.name, 'OrgSignInError');
                    assert.match(error.message, message);
                    return true;
                },
                JSON.stringify(Object.keys(change))
            );
        }
    });

    it('keeps its JWT assertion short-lived: replayed once it expires, the org refuses it', async () => {
        const tokenRequest = (assertion: string) =>
            fetch(`${org.url()}/services/oauth2/token`, {
                method: 'POST',
                headers: { 'content-type': 'application/x-www-form-urlencoded' },
                body: new URLSearchParams({
                    grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer',
                    assertion
                })
            });
        // The platform takes any expiry ahead: the assertion's own 3 minutes are the bound.
        assert.equal((await tokenRequest(jwtAssertion(auth))).status, 200);
        const capturedEarlier = jwtAssertion(auth, Date.now() - 3 * 60_000 - 30_000);
        const replayed = await tokenRequest(capturedEarlier);
        assert.equal(replayed.status, 400);
        assert.deepEqual(await replayed.json(), {
            error: 'invalid_grant',
            error_description: 'expired authorization code'
        });
    });

    it('reads users with their Sightline permission sets, and the routing configuration', async () => {
        const users = await crm.users();
        const admin = users.find((u) => u.name === 'Priya Raman');
        assert.equal(admin?.isAdmin, true);
        assert.equal(admin?.isRep, false);
        assert.ok(users.filter((u) => u.isRep).length >= 10);
        assert.equal(await requests(() => crm.users()), 0, 'kept until users change');

        const config = await crm.routingConfig();
        assert.deepEqual(config.streams.map((s) => s.name).sort(), [
            'Open Opportunity',
            'Paid Advertising',
            'Pricing Page',
            'Target Account'
        ]);
        assert.ok(config.rules.length > 0 && config.groups.length === 2);
    });

    it('counts a permission set held through a permission set group', async () => {
        const repSet = org.store.find('PermissionSet', { Name: 'Sightline_Rep' })[0]!;
        const repSetId = repSet.Id as string;
        // A rep who holds the set only through a group: their direct assignment goes.
        const direct = org.store.find('PermissionSetAssignment', { PermissionSetId: repSetId })[0]!;
        const userId = direct.AssigneeId as string;
        org.store.delete('PermissionSetAssignment', direct.Id as string);
        crm.changed('PermissionSetAssignment');
        assert.equal((await crm.users()).find((u) => u.id === userId)?.isRep, false);

        const group = org.store.insert('PermissionSetGroup', {
            DeveloperName: 'Inside_Sales',
            MasterLabel: 'Inside Sales'
        });
        org.store.insert('PermissionSetGroupComponent', {
            PermissionSetGroupId: group.Id as string,
            PermissionSetId: repSetId
        });
        // As the platform records it: the group's aggregate permission set and the group.
        const aggregate = org.store.insert('PermissionSet', {
            Name: 'Inside_Sales_Group',
            Label: 'Inside Sales',
            Type: 'Group',
            PermissionSetGroupId: group.Id as string
        });
        org.store.insert('PermissionSetAssignment', {
            AssigneeId: userId,
            PermissionSetId: aggregate.Id as string,
            PermissionSetGroupId: group.Id as string
        });
        crm.changed('PermissionSetAssignment');
        assert.equal((await crm.users()).find((u) => u.id === userId)?.isRep, true);
    });

    it("reads the Sightline users' standard-object permissions as the org sums them, and Health names what is missing", async () => {
        const users = await crm.users();
        const rep = users.find((u) => u.isRep)!;
        const otherRep = users.filter((u) => u.isRep)[1]!;
        assert.deepEqual(
            (await checkPermissions(crm)).gaps,
            [],
            'the Standard User profile grants all'
        );

        // The admin takes Create and Edit on Lead away from the reps' profile …
        const standardUser = org.store.find('Profile', { Name: 'Standard User' })[0]!;
        const profileSet = org.store.find('PermissionSet', {
            ProfileId: standardUser.Id as string,
            IsOwnedByProfile: true
        })[0]!;
        const leadGrant = org.store.find('ObjectPermissions', {
            ParentId: profileSet.Id as string,
            SobjectType: 'Lead'
        })[0]!;
        org.store.update('ObjectPermissions', leadGrant.Id as string, {
            PermissionsCreate: false,
            PermissionsEdit: false
        });
        // … and gives them back to one rep through a permission set of their own.
        const leadAccess = org.store.insert('PermissionSet', {
            Name: 'Lead_Access',
            Label: 'Lead Access',
            Type: 'Regular'
        });
        org.store.insert('ObjectPermissions', {
            ParentId: leadAccess.Id as string,
            SobjectType: 'Lead',
            PermissionsRead: true,
            PermissionsCreate: true,
            PermissionsEdit: true
        });
        const assignment = org.store.insert('PermissionSetAssignment', {
            AssigneeId: rep.id,
            PermissionSetId: leadAccess.Id as string
        });
        try {
            const access = await crm.objectAccess([rep.id, otherRep.id], ['Lead', 'Account']);
            assert.deepEqual(access.get(rep.id)?.get('Lead'), {
                read: true,
                create: true,
                edit: true
            });
            assert.deepEqual(access.get(otherRep.id)?.get('Lead'), {
                read: true,
                create: false,
                edit: false
            });
            const health = await checkPermissions(crm);
            const gaps = health.gaps.filter((g) => g.object === 'Lead');
            assert.equal(health.checkedUsers, users.filter((u) => u.isRep || u.isAdmin).length);
            assert.ok(gaps.every((g) => g.role === 'Rep' && g.userId !== rep.id));
            assert.deepEqual(
                gaps.find((g) => g.userId === otherRep.id),
                {
                    userId: otherRep.id,
                    name: otherRep.name,
                    role: 'Rep',
                    object: 'Lead',
                    missing: ['Create', 'Edit']
                }
            );
        } finally {
            org.store.delete('PermissionSetAssignment', assignment.Id as string);
            org.store.update('ObjectPermissions', leadGrant.Id as string, {
                PermissionsCreate: true,
                PermissionsEdit: true
            });
        }
    });

    it('matches domains from an index read once, re-reading only the accounts a change names', async () => {
        const accounts = org.store.find('Account', {}, { orderBy: 'Name', limit: 6 });
        const domains = accounts.map((a) => String(a.Domain__c));
        let found: Awaited<ReturnType<SalesforceCrm['findAccountByDomain']>>[] = [];
        let used = await requests(async () => {
            found = await Promise.all([
                ...domains.map((d) => crm.findAccountByDomain(d.toUpperCase())),
                crm.findAccountByDomain('unknown.example')
            ]);
        });
        assert.equal(used, 1, 'every account with a domain, in one query');
        assert.deepEqual(
            found.map((a) => a?.id),
            [...accounts.map((a) => a.Id), undefined]
        );
        assert.ok(found[0]?.ownerName, 'with the owner name');
        used = await requests(() => crm.findAccountByDomain(domains[1]!));
        assert.equal(used, 0, 'later domains from memory');

        // A change event names the account: it alone is read again, the next lookup waits for it.
        const moved = accounts[0]!;
        const target = moved.Target_Account__c === true;
        org.store.update('Account', String(moved.Id), {
            Domain__c: 'moved.example',
            Target_Account__c: !target
        });
        used = await requests(async () => {
            crm.changed('Account', [String(moved.Id)]);
            found = [
                await crm.findAccountByDomain('moved.example'),
                await crm.findAccountByDomain(domains[0]!)
            ];
        });
        assert.equal(used, 1);
        assert.equal(found[0]?.id, moved.Id);
        assert.equal(found[0]?.targetAccount, !target, 'the new target flag');
        assert.equal(found[1], undefined, 'the old domain no longer matches');

        // A change without record ids: the whole index is read again.
        org.store.update('Account', String(moved.Id), {
            Domain__c: String(moved.Domain__c),
            Target_Account__c: target
        });
        used = await requests(async () => {
            crm.changed('Account');
            found = [await crm.findAccountByDomain(domains[0]!)];
        });
        assert.equal(used, 1);
        assert.equal(found[0]?.id, moved.Id);
    });

    it('writes many visitors in one collection upsert and reads them back in one query', async () => {
        const keys = Array.from({ length: 30 }, (_, i) => `vis-adapter-${i}`);
        let used = await requests(() =>
            Promise.all(
                keys.map((key, i) =>
                    crm.upsertVisitor(key, {
                        name: `Visitor ${i}`,
                        identityLevel: 'Anonymous',
                        visitCount: 1
                    })
                )
            )
        );
        assert.equal(used, 1);
        let visits: Awaited<ReturnType<SalesforceCrm['findVisitor']>>[] = [];
        used = await requests(async () => {
            visits = await Promise.all(keys.map((key) => crm.findVisitor(key)));
        });
        assert.equal(used, 1);
        assert.deepEqual(
            visits.map((v) => v?.name),
            keys.map((_, i) => `Visitor ${i}`)
        );
        const again = await crm.upsertVisitor(keys[0]!, { lastSeen: '2026-11-27T10:00:00.000Z' });
        assert.equal(again.id, visits[0]!.id, 'the same record, by its visitor key');
    });

    it("asks for a window's visitor records, open Opportunities and account teams in one composite request", async () => {
        const account = org.store
            .find('Opportunity', { IsClosed: false })
            .map((o) => String(o.AccountId))
            .find((id) => org.store.find('AccountTeamMember', { AccountId: id }).length > 0)!;
        await crm.upsertVisitor('vis-window', {
            name: 'Window visitor',
            identityLevel: 'Company_Known',
            visitCount: 1
        });
        let answers: [
            Awaited<ReturnType<SalesforceCrm['findVisitor']>>,
            Awaited<ReturnType<SalesforceCrm['openOpportunities']>>,
            Awaited<ReturnType<SalesforceCrm['accountTeam']>>
        ] = [undefined, [], []];
        const used = await requests(async () => {
            answers = await Promise.all([
                crm.findVisitor('vis-window'),
                crm.openOpportunities(account),
                crm.accountTeam(account)
            ]);
        });
        assert.equal(used, 1);
        const [visitor, opportunities, team] = answers;
        assert.equal(visitor?.name, 'Window visitor');
        assert.deepEqual(
            opportunities.map((o) => o.id).sort(),
            org.store
                .find('Opportunity', { AccountId: account, IsClosed: false })
                .map((o) => String(o.Id))
                .sort()
        );
        assert.equal(
            team.length,
            org.store.find('AccountTeamMember', { AccountId: account }).length
        );
    });

    it('stores conversations, messages once per client id, routing state, Events and Leads', async () => {
        const rep = (await crm.users()).find((u) => u.isRep)!;
        const conversation = await crm.createConversation({
            status: 'Active',
            origin: 'Pounce',
            repId: rep.id
        });
        const first = await crm.addMessage({
            conversationId: conversation.id,
            sender: 'Rep',
            senderUserId: rep.id,
            body: 'Hello',
            sentAt: '2026-11-27T10:00:00.000Z',
            clientMessageId: 'client-1'
        });
        const resent = await crm.addMessage({
            conversationId: conversation.id,
            sender: 'Rep',
            body: 'Hello',
            sentAt: '2026-11-27T10:00:01.000Z',
            clientMessageId: 'client-1'
        });
        assert.equal(resent.duplicate, true);
        assert.equal(resent.message.id, first.message.id);
        assert.equal((await crm.messages(conversation.id)).length, 1);
        assert.equal(
            (await crm.updateConversation(conversation.id, { status: 'Ended' })).status,
            'Ended'
        );

        await crm.putRoutingState([
            { key: 'rr:adapter', value: '3' },
            { key: 'gone:adapter', value: 'x' }
        ]);
        await crm.putRoutingState([{ key: 'gone:adapter', value: null }]);
        const state = await crm.routingState();
        assert.equal(state.get('rr:adapter'), '3');
        assert.equal(state.has('gone:adapter'), false);

        const lead = await crm.createLead({
            lastName: 'Whitfield',
            company: 'Nova Robotics',
            email: 'Dana.Adapter@Nova.example',
            ownerId: rep.id
        });
        const found = await crm.findPersonByEmail('dana.adapter@nova.example');
        assert.equal(found.lead?.id, lead.id);
        assert.equal(found.lead?.ownerId, rep.id, 'owned by the rep');
        const start = '2026-12-01T15:00:00.000Z';
        await crm.createEvent({
            ownerId: rep.id,
            subject: 'Demo',
            start,
            end: '2026-12-01T15:30:00.000Z'
        });
        const busy = await crm.busyTimes(
            rep.id,
            '2026-12-01T00:00:00.000Z',
            '2026-12-02T00:00:00.000Z'
        );
        assert.ok(busy.some((b) => Date.parse(b.start) === Date.parse(start)));

        const task = await crm.createTask({
            ownerId: rep.id,
            subject: 'Website conversation with Dana Whitfield',
            description: 'Transcript (1 messages):\n[14:02] Maya Chen: Hi',
            activityDate: '2026-12-01',
            whoId: lead.id
        });
        const conn = await signIn(auth);
        const stored = await conn.sobject('Task').retrieve(task.id);
        assert.deepEqual(
            [stored.Status, stored.IsClosed, stored.TaskSubtype, stored.WhoId, stored.OwnerId],
            ['Completed', true, 'Task', lead.id, rep.id],
            'a completed Task on the Lead, owned by the rep'
        );
        await assert.rejects(
            crm.createTask({
                ownerId: rep.id,
                subject: 'x',
                description: '',
                activityDate: '2026-12-01',
                whoId: lead.id,
                whatId: (await conn.query<{ Id: string }>('SELECT Id FROM Account LIMIT 1'))
                    .records[0]!.Id
            }),
            /FIELD_INTEGRITY_EXCEPTION/,
            'the org refuses a Lead with a Related To record'
        );
    });

    it('tells its listeners about its own writes, so availability reaches routing', async () => {
        const rep = (await crm.users()).find((u) => u.isRep)!;
        const seen: string[] = [];
        const stop = crm.onChange((object) => seen.push(object));
        await crm.setAvailability(rep.id, 'away');
        stop();
        assert.deepEqual(seen, ['Rep_Availability__c']);
        assert.equal((await crm.availability()).find((a) => a.userId === rep.id)?.status, 'away');
    });

    it('runs a production gateway on the org: settings and sites from its custom metadata', async () => {
        const config = loadConfig(
            {
                SIGHTLINE_ORG: org.url(),
                SIGHTLINE_API_KEY: 'a-production-secret-of-32-characters',
                SIGHTLINE_ORG_CLIENT_ID: auth.clientId,
                SIGHTLINE_ORG_USERNAME: ADMIN_USERNAME,
                SIGHTLINE_ORG_PRIVATE_KEY_FILE: org.credentials!.privateKeyFile,
                SIGHTLINE_ORG_ID: '00D000000000001AAA',
                SIGHTLINE_SIGNING_SECRET: 'c2lnaHRsaW5lLXRlc3Qtc2lnbmluZy1zZWNyZXQtMzItYnl0ZXM',
                SIGHTLINE_LOG_LEVEL: 'silent'
            },
            root
        );
        const ports = await connectSalesforce(config);
        assert.deepEqual(
            ports.sites.map((s) => s.siteKey),
            ['demo-site-key']
        );
        assert.ok(ports.settings.endAfterMs > 0);
        const { app } = await createProductionGateway(config, ports);
        try {
            const admin = (await ports.crm.users()).find((u) => u.isAdmin)!;
            const response = await app.inject({
                method: 'POST',
                url: '/api/v1/actions/getRoutingConfig',
                headers: {
                    authorization: 'Bearer a-production-secret-of-32-characters',
                    'content-type': 'application/json',
                    // Signed as the packaged Apex signs (SightlineSigner.cls).
                    ...apexSignatureHeaders('getRoutingConfig', '{}', {
                        secret: config.signingSecret,
                        orgId: config.orgId,
                        userId: admin.id
                    })
                },
                payload: '{}'
            });
            assert.equal(response.statusCode, 200, response.body);
            assert.equal(response.json().streams.length, 4);
            assert.equal((await app.inject('/local/session')).statusCode, 404);
        } finally {
            await app.close();
            await ports.close();
        }
    });
});
