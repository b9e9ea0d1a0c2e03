/**
 * Opens (and on first start creates and seeds) the local org that local mode runs on.
 * Tables follow the metadata on every start, so new fields appear without losing data.
 */
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { demoCompany } from '../seed/demoCompany';
import { seedDemoRouting } from '../seed/demoRouting';
import { loadCustomMetadataRecords } from './customMetadataRecords';
import { loadSeed } from './loadSeed';
import { LocalOrg } from './localOrg';
import { readOrgSchema } from './objectMetadata';

export interface OpenLocalOrgOptions {
    dataDir: string;
    forceAppDir: string;
    /** Delete the database first: `npm start -- --reset`. */
    reset?: boolean;
    /** The package namespace a subscriber org would show (see namespace.ts). */
    namespace?: string;
}

export function openLocalOrg({
    dataDir,
    forceAppDir,
    reset = false,
    namespace
}: OpenLocalOrgOptions): {
    org: LocalOrg;
    seeded: boolean;
} {
    const file = join(dataDir, 'local-org.sqlite');
    if (reset) {
        for (const suffix of ['', '-wal', '-shm']) rmSync(file + suffix, { force: true });
    }
    const isNew = !existsSync(file);
    const org = LocalOrg.open(file, readOrgSchema(forceAppDir, { namespace }), { namespace });
    loadCustomMetadataRecords(org, forceAppDir);
    if (isNew || org.count('User') === 0) {
        seedDemoOrg(org);
        return { org, seeded: true };
    }
    return { org, seeded: false };
}

export function seedDemoOrg(org: LocalOrg): void {
    const company = demoCompany();
    const ids = loadSeed(org, company.records);
    seedDemoRouting(org, company.users, ids, ids.get('user-admin')!);
    if (org.namespace) {
        // The package's permission sets, installed: same Name, the package's namespace.
        for (const permissionSet of org.find('PermissionSet')) {
            org.update('PermissionSet', String(permissionSet.Id), {
                NamespacePrefix: org.namespace
            });
        }
    }
}
