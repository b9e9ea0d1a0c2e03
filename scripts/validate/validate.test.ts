/**
 * The whole validation against fixtures: the valid fixture passes every check (and the
 * command exits 0); a broken one makes the command exit 1 with the file named; a
 * conversion error names the file; the `.forceignore` keeps TypeScript out of the package.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createFixtureProject, REPO_ROOT, type FixtureProject } from './fixtureProject';
import { checkMetadataConversion } from './metadataConversion';
import { errorsOf, formatFinding } from './report';
import { CHECKS, validateProject } from './validate';

function runCli(root: string): { status: number | null; output: string } {
    const run = spawnSync(
        process.execPath,
        ['--import', 'tsx', join(REPO_ROOT, 'scripts/validate/index.ts'), '--root', root],
        {
            cwd: REPO_ROOT,
            encoding: 'utf8'
        }
    );
    return { status: run.status, output: `${run.stdout}${run.stderr}` };
}

describe('validation of the valid fixture', () => {
    let project: FixtureProject;
    before(() => {
        project = createFixtureProject();
    });
    after(() => project.cleanup());

    it('passes every check', async () => {
        const results = await validateProject(project.root);
        assert.deepEqual(
            results.map((r) => r.name),
            [...CHECKS]
        );
        const errors = errorsOf(results);
        assert.deepEqual(errors, [], errors.map(formatFinding).join('\n'));
        // Not vacuous: each check looked at something.
        const summaries = Object.fromEntries(results.map((r) => [r.name, r.summary]));
        assert.match(summaries['lwc-compile'] ?? '', /^2 bundles/);
        assert.match(summaries['eslint'] ?? '', /^3 files/);
        assert.match(summaries['metadata-conversion'] ?? '', /^6 components/);
        assert.match(
            summaries['metadata-lint'] ?? '',
            /2 schema imports, 1 catalogue fields, 1 custom objects, 1 permission sets, 2 Apex classes, 1 Apex imports/
        );
        assert.match(summaries['code-analyzer'] ?? '', /^0 AppExchange\/Security, 0 reviewed/);
    });

    it('exits 0 from the command line', () => {
        const { status, output } = runCli(project.root);
        assert.equal(status, 0, output);
        assert.match(output, /Validation passed: 5 checks/);
    });
});

describe('validation of a broken fixture', () => {
    it('exits 1 from the command line and names every broken file', () => {
        const project = createFixtureProject();
        try {
            project.edit(
                'force-app/main/default/lwc/fixtureCard/fixtureCard.html',
                '<p class="count">',
                '<p class="count" lwc:bogus={count}>'
            );
            project.edit(
                'force-app/main/default/lwc/fixtureCard/fixtureCard.ts',
                'Fixture_Item__c.Label__c',
                'Fixture_Item__c.Missing__c'
            );
            project.write('force-app/main/default/classes/Orphan.cls', 'public class Orphan {}\n');
            const { status, output } = runCli(project.root);
            assert.equal(status, 1, output);
            assert.match(output, /FAIL LWC bundles/);
            assert.match(
                output,
                /force-app\/main\/default\/lwc\/fixtureCard\/fixtureCard\.html:2:\d+: error: .*lwc:bogus/
            );
            assert.match(
                output,
                /force-app\/main\/default\/lwc\/fixtureCard\/fixtureCard\.ts:3: error: .*Fixture_Item__c\.Missing__c/
            );
            assert.match(
                output,
                /force-app\/main\/default\/classes\/Orphan\.cls: error: has no test class/
            );
            assert.match(
                output,
                /force-app\/main\/default\/classes\/Orphan\.cls: error: no Orphan\.cls-meta\.xml/
            );
            assert.match(output, /Validation FAILED/);
        } finally {
            project.cleanup();
        }
    });
});

describe('conversion to Metadata API format', () => {
    it('fails on metadata it cannot read, naming the file', async () => {
        const project = createFixtureProject();
        try {
            const field =
                'force-app/main/default/objects/Fixture_Item__c/fields/Broken__c.field-meta.xml';
            project.write(
                field,
                '<?xml version="1.0" encoding="UTF-8"?>\n<CustomField><fullName>Broken__c</fullName\n'
            );
            const errors = errorsOf(await checkMetadataConversion(project.root));
            assert.equal(errors.length, 1, errors.map(formatFinding).join('\n'));
            assert.equal(errors[0]?.file, field);
        } finally {
            project.cleanup();
        }
    });

    it('fails when the .forceignore lets TypeScript into the package', async () => {
        const project = createFixtureProject();
        try {
            project.write('.forceignore', '# nothing ignored\n');
            const errors = errorsOf(await checkMetadataConversion(project.root));
            assert.ok(
                errors.some(
                    (f) =>
                        f.file === '.forceignore' &&
                        /lwc\/fixtureCard\/fixtureCard\.ts reached the Metadata API package/.test(
                            f.message
                        )
                ),
                errors.map(formatFinding).join('\n') || '(no errors)'
            );
        } finally {
            project.cleanup();
        }
    });
});
