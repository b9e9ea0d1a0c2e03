/**
 * Reads Salesforce object metadata (source format) into plain descriptions.
 *
 * The local org and the metadata lint both build on this, so a field exists locally
 * exactly when it exists in `force-app` (or in the list of standard fields we read).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { XMLParser } from 'fast-xml-parser';
import { withNamespace } from './namespace';
import { STANDARD_OBJECTS } from './standardObjects';
import {
    standardField,
    type FieldDescribe,
    type FieldType,
    type ObjectDescribe,
    type OrgSchema
} from './describe';

export type { FieldDescribe, FieldType, ObjectDescribe, OrgSchema };

const parser = new XMLParser({
    ignoreAttributes: true,
    parseTagValue: false,
    isArray: (name) => ['value', 'fields'].includes(name)
});

/**
 * Reads every object under `<dir>/objects` and merges the standard objects we use. With a
 * namespace, every custom object and field is named as a subscriber org names it
 * (`sline__Live_Stream__c`, `Account.sline__Target_Account__c`).
 */
export function readOrgSchema(
    forceAppDefaultDir: string,
    options: { namespace?: string } = {}
): OrgSchema {
    const schema = readUnprefixedSchema(forceAppDefaultDir);
    return options.namespace ? applyNamespace(schema, options.namespace) : schema;
}

function applyNamespace(schema: OrgSchema, namespace: string): OrgSchema {
    const out: OrgSchema = new Map();
    for (const object of schema.values()) {
        const apiName = object.custom ? withNamespace(object.apiName, namespace) : object.apiName;
        const fields = new Map<string, FieldDescribe>();
        for (const field of object.fields.values()) {
            const name = field.custom ? withNamespace(field.apiName, namespace) : field.apiName;
            const referenceTo = field.referenceTo && withNamespace(field.referenceTo, namespace);
            fields.set(name, { ...field, apiName: name, ...(referenceTo ? { referenceTo } : {}) });
        }
        out.set(apiName, { ...object, apiName, fields });
    }
    return out;
}

function readUnprefixedSchema(forceAppDefaultDir: string): OrgSchema {
    const schema: OrgSchema = new Map();
    for (const standard of STANDARD_OBJECTS) {
        schema.set(standard.apiName, {
            ...standard,
            fields: new Map(standard.fields.map((f) => [f.apiName, { ...f }]))
        });
    }
    const objectsDir = join(forceAppDefaultDir, 'objects');
    if (!existsSync(objectsDir)) return schema;

    const customPrefixes = new Counter();
    for (const objectName of readdirSync(objectsDir).sort()) {
        const objectDir = join(objectsDir, objectName);
        const objectFile = join(objectDir, `${objectName}.object-meta.xml`);
        let target = schema.get(objectName);
        if (!target) {
            if (!existsSync(objectFile)) {
                throw new Error(
                    `${objectDir}: no ${objectName}.object-meta.xml and not a known standard object`
                );
            }
            target = describeCustomObject(objectName, objectFile, customPrefixes.next());
            schema.set(objectName, target);
        }
        const fieldsDir = join(objectDir, 'fields');
        if (!existsSync(fieldsDir)) continue;
        for (const fieldFile of readdirSync(fieldsDir).sort()) {
            if (!fieldFile.endsWith('.field-meta.xml')) continue;
            const field = describeField(join(fieldsDir, fieldFile));
            target.fields.set(field.apiName, field);
            if (field.type === 'MasterDetail') {
                // Detail records are owned through their master: they have no OwnerId.
                target.hasOwner = false;
                target.fields.delete('OwnerId');
            }
        }
    }
    return schema;
}

class Counter {
    private n = 0;
    /** Custom-object key prefixes look like a00, a01 … as in a real org. */
    next(): string {
        return `a${(this.n++).toString(36).padStart(2, '0')}`;
    }
}

function describeCustomObject(apiName: string, file: string, keyPrefix: string): ObjectDescribe {
    const xml = parser.parse(readFileSync(file, 'utf8')).CustomObject ?? {};
    const kind = apiName.endsWith('__e')
        ? 'platformEvent'
        : apiName.endsWith('__mdt')
          ? 'customMetadata'
          : 'object';
    const fields = new Map<string, FieldDescribe>();
    fields.set('Id', standardField('Id', 'Record ID', 'Id'));
    const nameType = xml.nameField?.type === 'AutoNumber' ? 'AutoNumber' : 'Text';
    if (kind === 'object') {
        fields.set('Name', {
            ...standardField('Name', String(xml.nameField?.label ?? 'Name'), nameType, 80),
            required: nameType === 'Text'
        });
        for (const [name, label] of [
            ['CreatedDate', 'Created Date'],
            ['LastModifiedDate', 'Last Modified Date']
        ] as const) {
            fields.set(name, standardField(name, label, 'DateTime'));
        }
        fields.set('CreatedById', {
            ...standardField('CreatedById', 'Created By ID', 'Lookup'),
            referenceTo: 'User'
        });
        fields.set('OwnerId', {
            ...standardField('OwnerId', 'Owner ID', 'Lookup'),
            referenceTo: 'User'
        });
    } else if (kind === 'customMetadata') {
        fields.set('DeveloperName', standardField('DeveloperName', 'Name', 'Text', 40));
        fields.set('MasterLabel', standardField('MasterLabel', 'Label', 'Text', 40));
    } else {
        fields.set('ReplayId', standardField('ReplayId', 'Replay ID', 'Text'));
        fields.set('EventUuid', standardField('EventUuid', 'Event UUID', 'Text', 36));
    }
    return {
        apiName,
        label: String(xml.label ?? apiName),
        custom: true,
        kind,
        keyPrefix,
        hasOwner: kind === 'object',
        nameField:
            kind === 'object'
                ? { type: nameType, displayFormat: xml.nameField?.displayFormat }
                : undefined,
        fields
    };
}

function describeField(file: string): FieldDescribe {
    const xml = parser.parse(readFileSync(file, 'utf8')).CustomField;
    if (!xml?.fullName || !xml.type)
        throw new Error(`${file}: not a CustomField with fullName and type`);
    const type = String(xml.type) as FieldType;
    const picklist = xml.valueSet?.valueSetDefinition?.value as { fullName: string }[] | undefined;
    const field: FieldDescribe = {
        apiName: String(xml.fullName),
        label: String(xml.label ?? xml.fullName),
        type,
        custom: true,
        required: xml.required === 'true' || type === 'MasterDetail',
        unique: xml.unique === 'true',
        externalId: xml.externalId === 'true',
        source: file
    };
    if (xml.referenceTo) field.referenceTo = String(xml.referenceTo);
    if (xml.length) field.length = Number(xml.length);
    if (picklist) field.picklistValues = picklist.map((v) => String(v.fullName));
    if (xml.defaultValue !== undefined)
        field.defaultValue = parseDefault(type, String(xml.defaultValue));
    return field;
}

function parseDefault(type: FieldType, raw: string): string | number | boolean {
    if (type === 'Checkbox') return raw === 'true';
    if (type === 'Number' || type === 'Percent' || type === 'Currency') return Number(raw);
    return raw.replace(/^"(.*)"$/, '$1');
}
