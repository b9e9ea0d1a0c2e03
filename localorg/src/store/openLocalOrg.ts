/**
 * Opens (and on first start creates and seeds) the local org that local mode runs on.
 * Tables follow the metadata on every start, so new fields appear without losing data.
 */
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { demoCompany } from '../seed/demoCompany';
import { seedDemoRouting } from '../seed/demoRouting';
import { loadCustomMetadataRecords } from './customMetadataRecords';
import { installPackagePermissions } from './installPermissions';
import { installStandardProfiles } from './standardProfiles';
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
    // As a scratch org holds every package directory deployed: the package's records and
    // the unpackaged ones beside it (the demo site).
    loadCustomMetadataRecords(org, projectSourceDirs(forceAppDir));
    const seeded = isNew || org.count('User') === 0;
    if (seeded) seedDemoOrg(org);
    // As every org has: the standard profiles, and one for each user (an org seeded before
    // profiles were modelled gains them).
    installStandardProfiles(org);
    // As a package install or upgrade would: the packaged custom permissions and their grants.
    installPackagePermissions(org, forceAppDir, namespace ?? null);
    return { org, seeded };
}

/** The demo company and its routing (the package's permissions are installed on every open). */
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
    for (const permissionSet of org.find('PermissionSet'))
        org.update('PermissionSet', String(permissionSet.Id), { Type: 'Regular' });
    installStandardProfiles(org);
}

/** The source folders of every package directory in sfdx-project.json, given force-app's. */
function projectSourceDirs(forceAppDir: string): string[] {
    const root = resolve(forceAppDir, '../../..');
    const project = join(root, 'sfdx-project.json');
    if (!existsSync(project)) return [forceAppDir];
    const { packageDirectories = [] } = JSON.parse(readFileSync(project, 'utf8')) as {
        packageDirectories?: { path: string }[];
    };
    const dirs = packageDirectories
        .map((entry) => resolve(root, entry.path, 'main/default'))
        .filter((dir) => dir !== resolve(forceAppDir) && existsSync(dir));
    return [forceAppDir, ...dirs];
}
