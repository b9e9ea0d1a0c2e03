/**
 * Opens (and on first start creates and seeds) the local org that local mode runs on.
 * Tables follow the metadata on every start, so new fields appear without losing data.
 */
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { demoCompany } from '../../demo/demoCompany';
import { seedDemoRouting } from '../../demo/demoRouting';
import { installPackagePermissions } from './installPermissions';
import { loadSeed } from './loadSeed';
import { LocalOrg } from './localOrg';
import { readOrgSchema } from './objectMetadata';

export interface OpenLocalOrgOptions {
    dataDir: string;
    forceAppDir: string;
    /** Delete the database first: `npm start -- --reset`. */
    reset?: boolean;
}

export function openLocalOrg({ dataDir, forceAppDir, reset = false }: OpenLocalOrgOptions): {
    org: LocalOrg;
    seeded: boolean;
} {
    const file = join(dataDir, 'local-org.sqlite');
    if (reset) {
        for (const suffix of ['', '-wal', '-shm']) rmSync(file + suffix, { force: true });
    }
    const isNew = !existsSync(file);
    const org = LocalOrg.open(file, readOrgSchema(forceAppDir));
    const seeded = isNew || org.count('User') === 0;
    if (seeded) seedDemoOrg(org);
    // As a package install or upgrade would: the packaged custom permissions and their grants.
    installPackagePermissions(org, forceAppDir);
    return { org, seeded };
}

export function seedDemoOrg(org: LocalOrg): void {
    const company = demoCompany();
    const ids = loadSeed(org, company.records);
    seedDemoRouting(org, company.users, ids, ids.get('user-admin')!);
}
