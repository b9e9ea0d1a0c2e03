/**
 * Custom metadata records are deployed metadata, not data: the org answers SOQL on
 * `Type__mdt` with what force-app's `customMetadata/Type.Record.md-meta.xml` files define,
 * reloaded on every start so a changed file is what the org serves (as after a deploy).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { XMLParser } from 'fast-xml-parser';
import type { FieldValue, LocalOrg } from './localOrg';

const parser = new XMLParser({
    ignoreAttributes: false,
    attributeNamePrefix: '@',
    parseTagValue: false,
    isArray: (name) => name === 'values'
});

interface XmlValue {
    field: string;
    value?: string | { '#text'?: string; '@xsi:type'?: string; '@xsi:nil'?: string };
}

export function loadCustomMetadataRecords(org: LocalOrg, sourceDirs: string | string[]): number {
    const files = [sourceDirs]
        .flat()
        .map((sourceDir) => join(sourceDir, 'customMetadata'))
        .filter((dir) => existsSync(dir))
        .flatMap((dir) =>
            readdirSync(dir)
                .sort()
                .map((file) => ({ dir, file }))
        );
    let loaded = 0;
    org.transaction(() => {
        const types = new Set<string>();
        const records: { type: string; fields: Record<string, FieldValue> }[] = [];
        for (const { dir, file } of files) {
            const match = /^([A-Za-z0-9_]+)\.([A-Za-z0-9_]+)\.md-meta\.xml$/.exec(file);
            if (!match) continue;
            const type = org.name(`${match[1]}__mdt`);
            const xml = parser.parse(readFileSync(join(dir, file), 'utf8')).CustomMetadata ?? {};
            const fields: Record<string, FieldValue> = {
                DeveloperName: match[2]!,
                MasterLabel: String(xml.label ?? match[2])
            };
            for (const entry of (xml.values ?? []) as XmlValue[]) {
                fields[org.name(entry.field)] = xmlValue(entry.value);
            }
            types.add(type);
            records.push({ type, fields });
        }
        for (const type of types) org.db.prepare(`DELETE FROM "${type.replace(/"/g, '""')}"`).run();
        for (const record of records) {
            org.insert(record.type, record.fields, { allowSystemFields: true });
            loaded++;
        }
    });
    return loaded;
}

function xmlValue(value: XmlValue['value']): FieldValue {
    if (value === undefined || value === '') return null;
    if (typeof value === 'string') return value;
    if (value['@xsi:nil'] === 'true') return null;
    const text = value['#text'] ?? '';
    switch (value['@xsi:type']) {
        case 'xsd:double':
        case 'xsd:int':
            return Number(text);
        case 'xsd:boolean':
            return text === 'true';
        default:
            return text;
    }
}
