/**
 * A minimal, valid Salesforce DX project for the validation tests, written to a temporary
 * directory: one LWC bundle in TypeScript (an `@api` property, a schema import with a
 * relationship path, an Apex import), a tiny field catalogue, one custom object, a
 * permission set, an Apex controller and its test class.
 *
 * The build configuration is the real one (tsconfig.base.json, the LWC tsconfig, types/,
 * .forceignore, sfdx-project.json, eslint.config.js are copied from this repository), and
 * node_modules is linked, so a fixture fails for the reasons the real project would.
 * Built in code rather than kept as files so that no tool of the real project (tsc, jest,
 * the Salesforce CLI) ever mistakes the fixture for part of the product.
 */
import {
    cpSync,
    mkdirSync,
    mkdtempSync,
    readFileSync,
    rmSync,
    symlinkSync,
    writeFileSync
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)));

const LWC = 'force-app/main/default/lwc';
const OBJECTS = 'force-app/main/default/objects';
const CLASSES = 'force-app/main/default/classes';

export const FIXTURE_FILES: Record<string, string> = {
    'package.json': JSON.stringify(
        { name: 'validation-fixture', private: true, type: 'module' },
        null,
        2
    ),

    [`${LWC}/fixtureCard/fixtureCard.ts`]: `import { LightningElement, api } from 'lwc';
import getItems from '@salesforce/apex/FixtureController.getItems';
import LABEL_FIELD from '@salesforce/schema/Fixture_Item__c.Label__c';
import OWNER_NAME_FIELD from '@salesforce/schema/Fixture_Item__c.Owner.Name';

export default class FixtureCard extends LightningElement {
    @api recordId: string | undefined;
    items: string[] = [];
    fields = [LABEL_FIELD, OWNER_NAME_FIELD];

    get count(): number {
        return this.items.length;
    }

    async connectedCallback(): Promise<void> {
        this.items = (await getItems({ recordId: this.recordId })) as string[];
    }
}
`,
    [`${LWC}/fixtureCard/fixtureCard.html`]: `<template>
    <p class="count">{count}</p>
    <template for:each={items} for:item="item">
        <p key={item}>{item}</p>
    </template>
</template>
`,
    [`${LWC}/fixtureCard/fixtureCard.css`]: `:host {
    display: block;
}
`,
    [`${LWC}/fixtureCard/fixtureCard.js-meta.xml`]: `<?xml version="1.0" encoding="UTF-8"?>
<LightningComponentBundle xmlns="http://soap.sforce.com/2006/04/metadata">
    <apiVersion>62.0</apiVersion>
    <isExposed>true</isExposed>
    <targets>
        <target>lightning__RecordPage</target>
    </targets>
</LightningComponentBundle>
`,
    [`${LWC}/fixtureCard/__tests__/fixtureCard.test.ts`]: `// Not deployed, not built, not linted: the .forceignore and the LWC tsconfig exclude tests.
export {};
`,

    [`${LWC}/sightlineEngine/sightlineEngine.ts`]: `export { FIELD_CATALOGUE } from './fieldCatalogue';
`,
    [`${LWC}/sightlineEngine/fieldCatalogue.ts`]: `export interface FieldDefinition {
    key: string;
    label: string;
    source?: { object: string; field: string };
}

export const FIELD_CATALOGUE: readonly FieldDefinition[] = [
    { key: 'visit.pageCount', label: 'Pages viewed' },
    {
        key: 'item.label',
        label: 'Item label',
        source: { object: 'Fixture_Item__c', field: 'Label__c' }
    }
];
`,
    [`${LWC}/sightlineEngine/sightlineEngine.js-meta.xml`]: `<?xml version="1.0" encoding="UTF-8"?>
<LightningComponentBundle xmlns="http://soap.sforce.com/2006/04/metadata">
    <apiVersion>62.0</apiVersion>
    <isExposed>false</isExposed>
</LightningComponentBundle>
`,

    [`${OBJECTS}/Fixture_Item__c/Fixture_Item__c.object-meta.xml`]: `<?xml version="1.0" encoding="UTF-8"?>
<CustomObject xmlns="http://soap.sforce.com/2006/04/metadata">
    <deploymentStatus>Deployed</deploymentStatus>
    <label>Fixture Item</label>
    <nameField>
        <label>Item Name</label>
        <type>Text</type>
    </nameField>
    <pluralLabel>Fixture Items</pluralLabel>
    <sharingModel>ReadWrite</sharingModel>
</CustomObject>
`,
    [`${OBJECTS}/Fixture_Item__c/fields/Label__c.field-meta.xml`]: customField(
        'Label__c',
        'Label',
        false
    ),
    // Required: Salesforce refuses field permissions on it, so no permission set may grant it.
    [`${OBJECTS}/Fixture_Item__c/fields/Code__c.field-meta.xml`]: customField(
        'Code__c',
        'Code',
        true
    ),

    'force-app/main/default/permissionsets/Fixture_User.permissionset-meta.xml': `<?xml version="1.0" encoding="UTF-8"?>
<PermissionSet xmlns="http://soap.sforce.com/2006/04/metadata">
    <classAccesses>
        <apexClass>FixtureController</apexClass>
        <enabled>true</enabled>
    </classAccesses>
    <fieldPermissions>
        <editable>true</editable>
        <field>Fixture_Item__c.Label__c</field>
        <readable>true</readable>
    </fieldPermissions>
    <hasActivationRequired>false</hasActivationRequired>
    <label>Fixture User</label>
    <objectPermissions>
        <allowCreate>true</allowCreate>
        <allowDelete>false</allowDelete>
        <allowEdit>true</allowEdit>
        <allowRead>true</allowRead>
        <modifyAllRecords>false</modifyAllRecords>
        <object>Fixture_Item__c</object>
        <viewAllRecords>false</viewAllRecords>
    </objectPermissions>
</PermissionSet>
`,

    [`${CLASSES}/FixtureController.cls`]: `public with sharing class FixtureController {
    @AuraEnabled(cacheable=true)
    public static List<String> getItems(Id recordId) {
        List<String> labels = new List<String>();
        for (Fixture_Item__c item : [SELECT Label__c FROM Fixture_Item__c WITH USER_MODE LIMIT 10]) {
            labels.add(item.Label__c);
        }
        return labels;
    }

    public static String notExposed() {
        return 'internal';
    }
}
`,
    [`${CLASSES}/FixtureController.cls-meta.xml`]: classMeta(),
    [`${CLASSES}/FixtureControllerTest.cls`]: `@IsTest
private class FixtureControllerTest {
    @IsTest
    static void returnsLabels() {
        insert new Fixture_Item__c(Name = 'One', Label__c = 'First', Code__c = 'A1');
        Assert.areEqual(new List<String>{ 'First' }, FixtureController.getItems(null));
    }
}
`,
    [`${CLASSES}/FixtureControllerTest.cls-meta.xml`]: classMeta()
};

export function customField(apiName: string, label: string, required: boolean): string {
    return `<?xml version="1.0" encoding="UTF-8"?>
<CustomField xmlns="http://soap.sforce.com/2006/04/metadata">
    <fullName>${apiName}</fullName>
    <externalId>false</externalId>
    <label>${label}</label>
    <length>80</length>
    <required>${required}</required>
    <type>Text</type>
    <unique>false</unique>
</CustomField>
`;
}

export function classMeta(): string {
    return `<?xml version="1.0" encoding="UTF-8"?>
<ApexClass xmlns="http://soap.sforce.com/2006/04/metadata">
    <apiVersion>62.0</apiVersion>
    <status>Active</status>
</ApexClass>
`;
}

/** Copied from this repository so the fixture builds exactly as the product does. */
const FROM_REPO = [
    'tsconfig.base.json',
    'types',
    '.forceignore',
    'sfdx-project.json',
    'eslint.config.js',
    `${LWC}/tsconfig.json`
];

export interface FixtureProject {
    root: string;
    /** Writes (or overwrites) a file, path relative to the root. */
    write(path: string, text: string): void;
    read(path: string): string;
    /** Replaces text in a file; throws when the text is not there, so a test never edits nothing. */
    edit(path: string, from: string, to: string): void;
    remove(path: string): void;
    cleanup(): void;
}

export function createFixtureProject(): FixtureProject {
    const root = mkdtempSync(join(tmpdir(), 'sightline-validate-'));
    for (const path of FROM_REPO)
        cpSync(join(REPO_ROOT, path), join(root, path), { recursive: true });
    symlinkSync(join(REPO_ROOT, 'node_modules'), join(root, 'node_modules'), 'dir');
    const write = (path: string, text: string): void => {
        mkdirSync(dirname(join(root, path)), { recursive: true });
        writeFileSync(join(root, path), text);
    };
    const read = (path: string): string => readFileSync(join(root, path), 'utf8');
    for (const [path, text] of Object.entries(FIXTURE_FILES)) write(path, text);
    return {
        root,
        write,
        read,
        edit(path, from, to) {
            const text = read(path);
            if (!text.includes(from))
                throw new Error(`fixture ${path} does not contain ${JSON.stringify(from)}`);
            write(path, text.replace(from, to));
        },
        remove(path) {
            rmSync(join(root, path), { recursive: true, force: true });
        },
        cleanup() {
            rmSync(root, { recursive: true, force: true });
        }
    };
}
