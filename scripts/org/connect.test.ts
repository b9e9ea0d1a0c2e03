/**
 * `npm run org:connect` against the local org, which answers the OAuth token endpoint with
 * Salesforce's own refusals: each misconfiguration an admin can make gets its own message,
 * and a good one writes settings the gateway loads.
 */
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { loadConfig } from '../../gateway/src/config';
import { ADMIN_USERNAME, startTestOrg, type TestOrg } from '../../localorg/src/testing/testOrg';
import { connect } from './connect';
import { INTEGRATION_PERMISSION_SET } from './integrationCheck';
import { readOrgConfig } from './orgConfigFile';

interface Run {
    code: number;
    output: string;
}

async function run(args: string[]): Promise<Run> {
    const lines: string[] = [];
    const code = await connect(args, { log: (line) => lines.push(line) });
    return { code, output: lines.join('\n') };
}

/** The flags of a JWT sign-in to `org` as `username` with the dev app's key. */
function jwtFlags(org: TestOrg, username = ADMIN_USERNAME): string[] {
    return [
        '--login-url',
        org.url(),
        '--client-id',
        org.credentials!.consumerKey,
        '--username',
        username,
        '--private-key',
        org.credentials!.privateKeyFile
    ];
}

function assign(org: TestOrg, username: string, permissionSet: string): void {
    const user = org.store.find('User', { Username: username })[0]!;
    const set = org.store.find('PermissionSet', { Name: permissionSet })[0]!;
    org.store.insert('PermissionSetAssignment', {
        AssigneeId: String(user.Id),
        PermissionSetId: String(set.Id)
    });
}

describe('npm run org:connect', () => {
    let org: TestOrg;
    let work: string;
    before(async () => {
        org = await startTestOrg();
        work = mkdtempSync(join(tmpdir(), 'org-connect-'));
    });
    after(async () => {
        await org.close();
        rmSync(work, { recursive: true, force: true });
    });

    it('says which flags are missing, without asking the org', async () => {
        const result = await run(['--login-url', org.url()]);
        assert.equal(result.code, 2);
        assert.match(result.output, /--client-id is required/);
        const partial = await run(['--client-id', 'x', '--username', ADMIN_USERNAME]);
        assert.equal(partial.code, 2);
        assert.match(partial.output, /needs --username and --private-key/);
        assert.equal((await run(['--bogus'])).code, 2);
    });

    it('refuses a file that is not a private key before signing in', async () => {
        const notAKey = join(work, 'cert-instead.pem');
        writeFileSync(notAKey, readFileSync(join(org.dataDir, 'oauth', 'local-org-jwt.crt')));
        const result = await run([...jwtFlags(org).slice(0, -1), notAKey]);
        assert.equal(result.code, 1);
        assert.match(result.output, /is not a PEM private key/);
        const missing = await run([...jwtFlags(org).slice(0, -1), join(work, 'nowhere.key')]);
        assert.match(missing.output, /cannot be read \(ENOENT\)/);
    });

    it('a key that does not match the certificate: the org refuses the signature', async () => {
        const other = join(work, 'other.key');
        const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
        writeFileSync(other, privateKey.export({ type: 'pkcs8', format: 'pem' }));
        const result = await run([...jwtFlags(org).slice(0, -1), other]);
        assert.equal(result.code, 1);
        assert.match(result.output, /does not match the certificate uploaded to the app/);
    });

    it('a login URL the org does not answer to: the audience is refused', async () => {
        // The same server under another name: the JWT's aud is not the org's URL.
        const elsewhere = org.url().replace('127.0.0.1', 'localhost');
        const flags = jwtFlags(org);
        flags[1] = elsewhere;
        const result = await run(flags);
        assert.equal(result.code, 1);
        assert.match(result.output, /refused the JWT's audience/);
    });

    it('an unknown consumer key and an unknown user say so', async () => {
        const flags = jwtFlags(org);
        flags[3] = 'NoSuchConsumerKey';
        assert.match((await run(flags)).output, /knows no app with the consumer key/);
        const nobody = await run(jwtFlags(org, 'nobody@example.invalid'));
        assert.equal(nobody.code, 1);
        assert.match(nobody.output, /may not use this app/);
    });

    it('a user without the Sightline_Integration permission set is told to get it', async () => {
        const result = await run([...jwtFlags(org), '--out', join(work, 'refused.env')]);
        assert.equal(result.code, 1);
        assert.match(
            result.output,
            new RegExp(`does not have the ${INTEGRATION_PERMISSION_SET} permission set`)
        );
        assert.throws(() => statSync(join(work, 'refused.env')), /ENOENT/);
    });

    it('connects, writes settings the gateway loads, and keeps their secrets on a rerun', async () => {
        assign(org, ADMIN_USERNAME, INTEGRATION_PERMISSION_SET);
        const out = join(work, 'org.env');
        const result = await run([...jwtFlags(org), '--out', out]);
        assert.equal(result.code, 0, result.output);
        assert.match(result.output, /Connected: org 00D\w{15}, integration user priya/);
        assert.match(result.output, /Websites registered: Demo/);
        assert.equal(statSync(out).mode & 0o777, 0o600);
        const settings = readOrgConfig(out);
        assert.equal(settings.SIGHTLINE_ORG, org.url());
        assert.equal(settings.SIGHTLINE_ORG_ID, org.orgId);
        assert.equal(settings.SIGHTLINE_NAMESPACE, undefined);
        const config = loadConfig(settings);
        assert.equal(config.mode, 'org');
        assert.deepEqual(config.orgSignIn, {
            flow: 'jwt',
            clientId: org.credentials!.consumerKey,
            username: ADMIN_USERNAME,
            privateKeyFile: org.credentials!.privateKeyFile
        });

        assert.equal((await run([...jwtFlags(org), '--out', out])).code, 0);
        const again = readOrgConfig(out);
        assert.equal(again.SIGHTLINE_API_KEY, settings.SIGHTLINE_API_KEY);
        assert.equal(again.SIGHTLINE_SIGNING_SECRET, settings.SIGHTLINE_SIGNING_SECRET);
    });

    it('a namespace the org does not have is refused', async () => {
        const result = await run([
            ...jwtFlags(org),
            '--namespace',
            'other',
            '--out',
            join(work, 'x.env')
        ]);
        assert.equal(result.code, 1);
        assert.match(result.output, /has the namespace \(none\), not other/);
    });

    it('an org without the package: no Sightline_Integration permission set', async () => {
        const set = org.store.find('PermissionSet', { Name: INTEGRATION_PERMISSION_SET })[0]!;
        for (const a of org.store.find('PermissionSetAssignment', {
            PermissionSetId: String(set.Id)
        }))
            org.store.delete('PermissionSetAssignment', String(a.Id));
        org.store.delete('PermissionSet', String(set.Id));
        const result = await run([...jwtFlags(org), '--out', join(work, 'y.env')]);
        assert.equal(result.code, 1);
        assert.match(result.output, /The Sightline package is not installed in this org/);
    });

    it('--new-key makes a key pair the app and the gateway can use', async () => {
        const dir = join(work, 'keys');
        const result = await run(['--new-key', dir]);
        assert.equal(result.code, 0, result.output);
        assert.equal(statSync(join(dir, 'sightline-gateway.key')).mode & 0o777, 0o600);
        assert.match(readFileSync(join(dir, 'sightline-gateway.crt'), 'utf8'), /BEGIN CERTIFICATE/);
        assert.equal((await run(['--new-key', dir])).code, 2, 'never overwrites a key');
    });
});

describe('npm run org:connect on a namespaced org', () => {
    let org: TestOrg;
    let work: string;
    before(async () => {
        org = await startTestOrg({ namespace: 'sline' });
        work = mkdtempSync(join(tmpdir(), 'org-connect-ns-'));
    });
    after(async () => {
        await org.close();
        rmSync(work, { recursive: true, force: true });
    });

    it('reads the namespace from the org and writes it for the gateway', async () => {
        assign(org, ADMIN_USERNAME, INTEGRATION_PERMISSION_SET);
        const out = join(work, 'org.env');
        const result = await run([...jwtFlags(org), '--out', out]);
        assert.equal(result.code, 0, result.output);
        assert.match(result.output, /package namespace sline/);
        assert.equal(readOrgConfig(out).SIGHTLINE_NAMESPACE, 'sline');
    });
});

describe('npm run org:connect --target-org', () => {
    let org: TestOrg;
    let home: string;
    const previousHome = process.env.HOME;
    before(async () => {
        org = await startTestOrg();
        home = mkdtempSync(join(tmpdir(), 'org-connect-home-'));
        assign(org, ADMIN_USERNAME, INTEGRATION_PERMISSION_SET);
        // What `sf org login jwt --alias lumen` leaves in the CLI's store.
        mkdirSync(join(home, '.sfdx'));
        writeFileSync(
            join(home, '.sfdx', 'alias.json'),
            JSON.stringify({ orgs: { lumen: ADMIN_USERNAME, webonly: 'web@example.invalid' } })
        );
        writeFileSync(
            join(home, '.sfdx', `${ADMIN_USERNAME}.json`),
            JSON.stringify({
                username: ADMIN_USERNAME,
                orgId: org.orgId,
                loginUrl: org.url(),
                instanceUrl: org.url(),
                clientId: org.credentials!.consumerKey,
                privateKey: org.credentials!.privateKeyFile
            })
        );
        writeFileSync(
            join(home, '.sfdx', 'web@example.invalid.json'),
            JSON.stringify({ username: 'web@example.invalid', loginUrl: org.url() })
        );
        process.env.HOME = home;
    });
    after(async () => {
        process.env.HOME = previousHome;
        await org.close();
        rmSync(home, { recursive: true, force: true });
    });

    it("takes the sign-in from a JWT alias of the sf CLI's store", async () => {
        const out = join(home, 'org.env');
        const result = await run(['--target-org', 'lumen', '--out', out]);
        assert.equal(result.code, 0, result.output);
        assert.equal(readOrgConfig(out).SIGHTLINE_ORG_USERNAME, ADMIN_USERNAME);
    });

    it('an alias signed in through the browser, or none at all, says what to do', async () => {
        const web = await run(['--target-org', 'webonly']);
        assert.equal(web.code, 2);
        assert.match(web.output, /was not signed in with the JWT bearer flow/);
        const none = await run(['--target-org', 'nosuch']);
        assert.notEqual(none.code, 0);
        assert.match(none.output, /has no org "nosuch": sign in first/);
    });
});
