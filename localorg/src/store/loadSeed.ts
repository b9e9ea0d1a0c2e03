/**
 * Loads a seed plan into the local org, resolving symbolic references to record ids. The plan
 * names the package's objects and fields as force-app does; the org adds its namespace.
 */
import type { SeedRecord } from '../seed/demoCompany';
import type { LocalOrg, SObject } from './localOrg';

export function loadSeed(org: LocalOrg, records: SeedRecord[]): Map<string, string> {
    const ids = new Map<string, string>();
    org.transaction(() => {
        for (const record of records) {
            const fields: SObject = {};
            for (const [name, value] of Object.entries(record.fields)) {
                if (value !== null && typeof value === 'object') {
                    const id = ids.get(value.ref);
                    if (!id)
                        throw new Error(
                            `Seed record ${record.key} refers to ${value.ref}, which is not loaded before it`
                        );
                    fields[org.name(name)] = id;
                } else {
                    fields[org.name(name)] = value;
                }
            }
            ids.set(
                record.key,
                org.insert(org.name(record.object), fields, { allowSystemFields: true })
                    .Id as string
            );
        }
    });
    return ids;
}
