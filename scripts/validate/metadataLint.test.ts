/**
 * Check 4 against fixtures: schema imports, the field catalogue, permission sets and Apex.
 * No build needed: the lint reads the TypeScript sources and the metadata.
 */
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import {
    classMeta,
    createFixtureProject,
    customField,
    type FixtureProject
} from './fixtureProject';
import { checkMetadataLint } from './metadataLint';
import { errorsOf, formatFinding, type Finding } from './report';

const CARD = 'force-app/main/default/lwc/fixtureCard/fixtureCard.ts';
const ITEM = 'force-app/main/default/objects/Fixture_Item__c';
const PERMSET = 'force-app/main/default/permissionsets/Fixture_User.permissionset-meta.xml';
const CLASSES = 'force-app/main/default/classes';

const show = (findings: Finding[]): string => findings.map(formatFinding).join('\n') || '(none)';

async function lintErrors(project: FixtureProject): Promise<Finding[]> {
    return errorsOf(await checkMetadataLint(project.root));
}

function expectOne(errors: Finding[], file: string, pattern: RegExp): Finding {
    const hit = errors.find((f) => f.file === file && pattern.test(f.message));
    assert.ok(
        hit,
        `expected an error on ${file} matching ${pattern.source}, got:\n${show(errors)}`
    );
    return hit;
}

describe('metadata lint', () => {
    let project: FixtureProject;
    beforeEach(() => {
        project = createFixtureProject();
    });
    afterEach(() => project.cleanup());

    it('passes on the valid fixture', async () => {
        assert.deepEqual(await lintErrors(project), []);
    });

    describe('schema imports', () => {
        it('fails on an import of a missing field, naming the file, line and field', async () => {
            project.edit(CARD, 'Fixture_Item__c.Label__c', 'Fixture_Item__c.Missing__c');
            const hit = expectOne(
                await lintErrors(project),
                CARD,
                /Fixture_Item__c\.Missing__c does not exist/
            );
            assert.equal(hit.line, 3);
        });

        it('fails on an import of a missing object', async () => {
            project.edit(CARD, 'Fixture_Item__c.Label__c', 'No_Such_Object__c.Label__c');
            expectOne(await lintErrors(project), CARD, /object No_Such_Object__c does not exist/);
        });

        it('follows relationship paths and fails on a missing field at their end', async () => {
            project.edit(CARD, 'Fixture_Item__c.Owner.Name', 'Fixture_Item__c.Owner.Nickname__c');
            const hit = expectOne(
                await lintErrors(project),
                CARD,
                /field User\.Nickname__c does not exist/
            );
            assert.equal(hit.line, 4);
        });

        it('fails on a relationship that does not exist', async () => {
            project.edit(CARD, 'Fixture_Item__c.Owner.Name', 'Fixture_Item__c.Parent__r.Name');
            expectOne(
                await lintErrors(project),
                CARD,
                /relationship Fixture_Item__c\.Parent__r does not exist/
            );
        });
    });

    describe('field catalogue', () => {
        it('fails on a catalogue entry whose Salesforce field does not exist, naming the entry', async () => {
            const catalogue = 'force-app/main/default/lwc/sightlineEngine/fieldCatalogue.ts';
            project.edit(catalogue, "field: 'Label__c'", "field: 'Gone__c'");
            const hit = expectOne(
                await lintErrors(project),
                catalogue,
                /'item\.label' reads Fixture_Item__c\.Gone__c/
            );
            assert.equal(hit.line, 10);
        });
    });

    describe('permission sets', () => {
        it('refuses standard-object permissions and standard tabs, which a package cannot carry', async () => {
            project.edit(
                PERMSET,
                '</PermissionSet>',
                `    <objectPermissions><allowCreate>true</allowCreate><allowRead>true</allowRead><object>Lead</object></objectPermissions>
    <tabSettings><tab>standard-Lead</tab><visibility>Visible</visibility></tabSettings>
</PermissionSet>`
            );
            const errors = await lintErrors(project);
            expectOne(
                errors,
                PERMSET,
                /grants standard object Lead: a managed package cannot grant it/
            );
            expectOne(
                errors,
                PERMSET,
                /standard tab standard-Lead: standard tab settings cannot be packaged/
            );
        });

        it('refuses delete without edit, as Salesforce does', async () => {
            project.edit(
                PERMSET,
                '<allowDelete>false</allowDelete>',
                '<allowDelete>true</allowDelete>'
            );
            project.edit(PERMSET, '<allowEdit>true</allowEdit>', '<allowEdit>false</allowEdit>');
            expectOne(await lintErrors(project), PERMSET, /without the one it depends on/);
        });

        it('fails on a custom field no permission set grants, naming the field file', async () => {
            project.write(
                `${ITEM}/fields/Notes__c.field-meta.xml`,
                customField('Notes__c', 'Notes', false)
            );
            expectOne(
                await lintErrors(project),
                `${ITEM}/fields/Notes__c.field-meta.xml`,
                /Fixture_Item__c\.Notes__c is not granted/
            );
        });

        it('does not ask for grants on required fields, and fails when one is granted', async () => {
            assert.deepEqual(
                await lintErrors(project),
                [],
                'Code__c is required and ungranted: fine'
            );
            project.edit(
                PERMSET,
                '    <hasActivationRequired>',
                '    <fieldPermissions>\n        <editable>false</editable>\n        <field>Fixture_Item__c.Code__c</field>\n        <readable>true</readable>\n    </fieldPermissions>\n    <hasActivationRequired>'
            );
            expectOne(
                await lintErrors(project),
                PERMSET,
                /Code__c, which is required: Salesforce refuses/
            );
        });

        it('fails on a custom object no permission set grants', async () => {
            project.write(
                'force-app/main/default/objects/Fixture_Other__c/Fixture_Other__c.object-meta.xml',
                project
                    .read(`${ITEM}/Fixture_Item__c.object-meta.xml`)
                    .replace('Fixture Item', 'Fixture Other')
            );
            expectOne(
                await lintErrors(project),
                'force-app/main/default/objects/Fixture_Other__c/Fixture_Other__c.object-meta.xml',
                /custom object Fixture_Other__c is not granted/
            );
        });

        it('fails on a grant of a field, object or class that does not exist, naming the line', async () => {
            project.edit(
                PERMSET,
                '<field>Fixture_Item__c.Label__c</field>',
                '<field>Fixture_Item__c.Label2__c</field>'
            );
            project.edit(
                PERMSET,
                '<object>Fixture_Item__c</object>',
                '<object>Fixture_Gone__c</object>'
            );
            project.edit(
                PERMSET,
                '<apexClass>FixtureController</apexClass>',
                '<apexClass>GoneController</apexClass>'
            );
            const errors = await lintErrors(project);
            assert.equal(
                expectOne(
                    errors,
                    PERMSET,
                    /grants field Fixture_Item__c\.Label2__c, which does not exist/
                ).line,
                9
            );
            assert.equal(
                expectOne(errors, PERMSET, /grants object Fixture_Gone__c, which does not exist/)
                    .line,
                20
            );
            assert.equal(
                expectOne(errors, PERMSET, /grants Apex class GoneController, which does not exist/)
                    .line,
                4
            );
        });
    });

    describe('Apex', () => {
        it('fails on a class without a test class', async () => {
            project.write(
                `${CLASSES}/Orphan.cls`,
                'public with sharing class Orphan {\n    public static Integer one() {\n        return 1;\n    }\n}\n'
            );
            project.write(`${CLASSES}/Orphan.cls-meta.xml`, classMeta());
            expectOne(
                await lintErrors(project),
                `${CLASSES}/Orphan.cls`,
                /no test class: expected OrphanTest\.cls/
            );
        });

        it('fails on a test class that is not marked @IsTest', async () => {
            project.edit(
                `${CLASSES}/FixtureControllerTest.cls`,
                '@IsTest\nprivate class',
                'private class'
            );
            expectOne(
                await lintErrors(project),
                `${CLASSES}/FixtureControllerTest.cls`,
                /not marked @IsTest/
            );
        });

        it('fails on an unparsable class, naming the file and line', async () => {
            project.edit(`${CLASSES}/FixtureController.cls`, 'return labels;', 'return labels');
            const hit = expectOne(
                await lintErrors(project),
                `${CLASSES}/FixtureController.cls`,
                /Apex syntax error/
            );
            assert.equal(
                hit.line,
                9,
                'the parser reports the missing ; at the next token, the } on line 9'
            );
        });

        it('fails on an Apex import of a missing class, naming the import', async () => {
            project.edit(
                CARD,
                '@salesforce/apex/FixtureController.getItems',
                '@salesforce/apex/SightlineGatewayController.getSnapshot'
            );
            const hit = expectOne(
                await lintErrors(project),
                CARD,
                /'@salesforce\/apex\/SightlineGatewayController\.getSnapshot': class SightlineGatewayController does not exist/
            );
            assert.equal(hit.line, 2);
        });

        it('fails on an Apex import of a method that is not @AuraEnabled, or missing', async () => {
            project.edit(CARD, 'FixtureController.getItems', 'FixtureController.notExposed');
            expectOne(
                await lintErrors(project),
                CARD,
                /FixtureController\.notExposed is not @AuraEnabled/
            );
            project.edit(CARD, 'FixtureController.notExposed', 'FixtureController.nothing');
            expectOne(await lintErrors(project), CARD, /has no method nothing/);
        });

        it('with no classes folder, still fails on the Apex imports', async () => {
            project.remove(CLASSES);
            const errors = await lintErrors(project);
            expectOne(errors, CARD, /class FixtureController does not exist/);
        });
    });
});

describe('metadata lint, engine that does not load', () => {
    it('reports the engine file instead of crashing, and still runs the other lints', async () => {
        const project = createFixtureProject();
        try {
            const engine = 'force-app/main/default/lwc/sightlineEngine/sightlineEngine.ts';
            project.write(
                engine,
                "export { FIELD_CATALOGUE } from './fieldCatalogue';\nthrow new Error('engine broke');\n"
            );
            project.edit(CARD, 'Fixture_Item__c.Label__c', 'Fixture_Item__c.Missing__c');
            const errors = await lintErrors(project);
            expectOne(errors, engine, /could not load the engine.*engine broke/);
            expectOne(errors, CARD, /Fixture_Item__c\.Missing__c does not exist/);
        } finally {
            project.cleanup();
        }
    });
});
