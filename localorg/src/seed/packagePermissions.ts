/**
 * The package's custom permissions as an installed package leaves them in an org:
 * CustomPermission records (with the package's namespace) and the SetupEntityAccess rows
 * that grant them to the package's permission sets, read from force-app's
 * customPermissions/ and permissionsets/. What a user holds is then answerable in SOQL,
 * as in an org (permission set → SetupEntityAccess → CustomPermission).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { LocalOrg } from '../store/localOrg';

export function seedPackagePermissions(org: LocalOrg, forceAppDir: string): void {
    const permissionsDir = join(forceAppDir, 'customPermissions');
    const setsDir = join(forceAppDir, 'permissionsets');
    const namespace = org.namespace ?? null;
    org.transaction(() => {
        for (const set of org.find('PermissionSet')) {
            org.update('PermissionSet', String(set.Id), { Type: 'Regular' });
        }
        if (!existsSync(permissionsDir)) return;
        for (const file of readdirSync(permissionsDir).filter((f) =>
            f.endsWith('.customPermission-meta.xml')
        )) {
            const name = file.replace('.customPermission-meta.xml', '');
            const label =
                /<label>([^<]*)<\/label>/.exec(
                    readFileSync(join(permissionsDir, file), 'utf8')
                )?.[1] ?? name;
            const permission = org.insert('CustomPermission', {
                DeveloperName: name,
                MasterLabel: label,
                NamespacePrefix: namespace
            });
            if (!existsSync(setsDir)) continue;
            for (const setFile of readdirSync(setsDir).filter((f) =>
                f.endsWith('.permissionset-meta.xml')
            )) {
                const xml = readFileSync(join(setsDir, setFile), 'utf8');
                const grants = [
                    ...xml.matchAll(/<customPermissions>([\s\S]*?)<\/customPermissions>/g)
                ].some(
                    (m) =>
                        m[1]!.includes(`<name>${name}</name>`) &&
                        m[1]!.includes('<enabled>true</enabled>')
                );
                const set = org.find('PermissionSet', {
                    Name: setFile.replace('.permissionset-meta.xml', '')
                })[0];
                if (grants && set) {
                    org.insert('SetupEntityAccess', {
                        ParentId: String(set.Id),
                        SetupEntityId: String(permission.Id),
                        SetupEntityType: 'CustomPermission'
                    });
                }
            }
        }
    });
}
