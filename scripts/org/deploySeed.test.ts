/**
 * `npm run org:seed` against the local org, which answers the same REST API a scratch org
 * does (plain and namespaced), and `npm run org:deploy` as far as it can run here: the
 * local org has no Metadata API, so the deploy's argument handling, what it would send and
 * how it reports an org that refuses are tested, not a deployment.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ADMIN_USERNAME, startTestOrg, type TestOrg } from '../../localorg/src/testing/testOrg';
import { DEMO_STREAMS } from '../../localorg/src/seed/demoStreams';
import { deploy } from './deploy';
import { seed } from './seed';

function adminFlags(org: TestOrg): string[] {
    return [
        '--login-url',
        org.url(),
        '--client-id',
        org.credentials!.consumerKey,
        '--username',
        ADMIN_USERNAME,
        '--private-key',
        org.credentials!.privateKeyFile
    ];
}

async function run(
    command: (argv: string[], log: (line: string) => void) => Promise<number>,
    args: string[]
): Promise<{ code: number; output: string }> {
    const lines: string[] = [];
    const code = await command(args, (line) => lines.push(line));
    return { code, output: lines.join('\n') };
}

/** An org as a fresh scratch org is after the deploy: the package, none of the demo records. */
function withoutDemoRouting(org: TestOrg): void {
    for (const object of [
        'Routing_Rule__c',
        'Routing_Group_Member__c',
        'Routing_Group__c',
        'Live_Stream__c'
    ])
        for (const record of org.store.find(org.store.name(object)))
            org.store.delete(org.store.name(object), String(record.Id));
}

for (const namespace of [undefined, 'sline']) {
    describe(`npm run org:seed${namespace ? ' (namespaced org)' : ''}`, () => {
        let org: TestOrg;
        let home: string;
        const previousHome = process.env.HOME;
        before(async () => {
            org = await startTestOrg(namespace ? { namespace } : { namespace: '' });
            // No sf CLI store: the JWT flags alone sign in.
            home = mkdtempSync(join(tmpdir(), 'org-seed-home-'));
            process.env.HOME = home;
            withoutDemoRouting(org);
        });
        after(async () => {
            process.env.HOME = previousHome;
            await org.close();
            rmSync(home, { recursive: true, force: true });
        });

        it('creates the streams, groups with the admin as member and rules, once', async () => {
            const admin = org.store.find('User', { Username: ADMIN_USERNAME })[0]!;
            const result = await run(seed, adminFlags(org));
            assert.equal(result.code, 0, result.output);
            const n = (name: string) => org.store.name(name);
            const streams = org.store.find(n('Live_Stream__c'));
            assert.deepEqual(
                streams.map((s) => s.Name).sort(),
                DEMO_STREAMS.map((s) => s.name).sort()
            );
            const groups = org.store.find(n('Routing_Group__c'));
            assert.deepEqual(groups.map((g) => g.Name).sort(), [
                'Account Executives',
                'Inbound SDRs'
            ]);
            for (const group of groups)
                assert.deepEqual(
                    org.store
                        .find(n('Routing_Group_Member__c'), {
                            [n('Routing_Group__c')]: String(group.Id)
                        })
                        .map((m) => m[n('User__c')]),
                    [admin.Id]
                );
            const rules = org.store.find(n('Routing_Rule__c'));
            assert.equal(rules.length, 5);
            const sdr = groups.find((g) => g.Name === 'Inbound SDRs')!;
            const roundRobin = rules.find((r) => r[n('Strategy__c')] === 'Round_Robin')!;
            assert.equal(roundRobin[n('Target_Group__c')], sdr.Id);
            const sets = org.store
                .find('PermissionSetAssignment', { AssigneeId: String(admin.Id) })
                .map((a) => org.store.get('PermissionSet', String(a.PermissionSetId))?.Name);
            assert.ok(sets.includes('Sightline_Rep'), 'the admin can open the console');

            const again = await run(seed, adminFlags(org));
            assert.equal(again.code, 0, again.output);
            assert.match(again.output, /: 0 created/);
            assert.equal(org.store.find(n('Live_Stream__c')).length, DEMO_STREAMS.length);
        });

        it('an unknown member, and missing sign-in flags, say so', async () => {
            const unknown = await run(seed, [
                ...adminFlags(org),
                '--member',
                'nobody@example.invalid'
            ]);
            assert.equal(unknown.code, 1);
            assert.match(unknown.output, /No user nobody@example.invalid in this org/);
            const flagless = await run(seed, ['--username', ADMIN_USERNAME]);
            assert.equal(flagless.code, 2);
            assert.match(flagless.output, /Say which org/);
        });
    });
}

describe('npm run org:deploy', () => {
    it('--dry-run lists the package and the demo site, without TypeScript or tests', async () => {
        const result = await run(deploy, ['--dry-run']);
        assert.equal(result.code, 0, result.output);
        assert.match(result.output, /Would deploy \d+ components \(API 62\.0\)/);
        assert.match(result.output, /LightningComponentBundle: \d+/);
        assert.match(result.output, /PermissionSet: 3/, 'Rep, Admin and Integration');
        assert.match(result.output, /CustomMetadata: 2/, 'the default setting and the demo site');
    });

    it('without an org to deploy to, says how to name one', async () => {
        const result = await run(deploy, ['--no-build']);
        assert.equal(result.code, 2);
        assert.match(result.output, /--target-org, or --client-id, --username and --private-key/);
        const unknown = await run(deploy, ['--no-build', '--target-org', 'nosuch']);
        assert.equal(unknown.code, 2);
        assert.match(unknown.output, /has no org "nosuch"/);
    });

    it('an org that refuses the Metadata API deploy is reported, exit 1', async () => {
        // The local org signs the admin in but has no Metadata API: the deploy request fails.
        const org = await startTestOrg();
        const home = mkdtempSync(join(tmpdir(), 'org-deploy-home-'));
        const previousHome = process.env.HOME;
        process.env.HOME = home;
        try {
            const result = await run(deploy, ['--no-build', ...adminFlags(org)]);
            assert.equal(result.code, 1, result.output);
            assert.match(
                result.output,
                /Deploying \d+ components to http:\/\/127\.0\.0\.1:\d+ as priya/
            );
            assert.match(result.output, /The deployment could not run: .*NOT_FOUND/);
        } finally {
            process.env.HOME = previousHome;
            await org.close();
            rmSync(home, { recursive: true, force: true });
        }
    });
});
