/**
 * What installing (or upgrading) the package does to an org's permissions, done by the
 * local org on every open: each packaged custom permission becomes a CustomPermission
 * record, each packaged permission set a PermissionSet, and each custom permission a
 * permission set enables a SetupEntityAccess row, each object permission an
 * ObjectPermissions row and each field permission a FieldPermissions row (updated to the
 * metadata on upgrade). Idempotent, so a local org created before
 * a permission was added gains it, as a subscriber org does on upgrade. The namespace of
 * sfdx-project.json goes on the CustomPermission records (NamespacePrefix), as in a
 * subscriber org.
 */
import { XMLParser } from 'fast-xml-parser';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { LocalOrg } from './localOrg';

const parser = new XMLParser({
    ignoreAttributes: true,
    parseTagValue: false,
    isArray: (name) =>
        name === 'customPermissions' || name === 'objectPermissions' || name === 'fieldPermissions'
});

function metadataFiles(dir: string, suffix: string): { name: string; xml: string }[] {
    if (!existsSync(dir)) return [];
    return readdirSync(dir)
        .filter((file) => file.endsWith(suffix))
        .sort()
        .map((file) => ({
            name: file.slice(0, -suffix.length),
            xml: readFileSync(join(dir, file), 'utf8')
        }));
}

/** A parsed `.customPermission-meta.xml`: only the label is read. */
interface CustomPermissionXml {
    CustomPermission?: { label?: string | number };
}

/** A parsed `.permissionset-meta.xml`: its label and the custom permissions it grants. */
interface PermissionSetXml {
    PermissionSet?: {
        label?: string | number;
        customPermissions?: { enabled?: string; name?: string }[];
        objectPermissions?: ObjectPermissionXml[];
        fieldPermissions?: { field?: string; readable?: string; editable?: string }[];
    };
}

interface ObjectPermissionXml {
    object?: string;
    allowRead?: string;
    allowCreate?: string;
    allowEdit?: string;
    allowDelete?: string;
    viewAllRecords?: string;
    modifyAllRecords?: string;
}

export function installPackagePermissions(
    org: LocalOrg,
    forceAppDir: string,
    namespace: string | null = null
): void {
    const customPermissionIds = new Map<string, string>();
    for (const { name, xml } of metadataFiles(
        join(forceAppDir, 'customPermissions'),
        '.customPermission-meta.xml'
    )) {
        const label = String(
            (parser.parse(xml) as CustomPermissionXml).CustomPermission?.label ?? name
        );
        const existing = org
            .find('CustomPermission', { DeveloperName: name })
            .find((c) => (c.NamespacePrefix ?? null) === namespace);
        const record =
            existing ??
            org.insert('CustomPermission', {
                DeveloperName: name,
                MasterLabel: label,
                NamespacePrefix: namespace
            });
        customPermissionIds.set(name, record.Id as string);
    }
    for (const { name, xml } of metadataFiles(
        join(forceAppDir, 'permissionsets'),
        '.permissionset-meta.xml'
    )) {
        const set = (parser.parse(xml) as PermissionSetXml).PermissionSet ?? {};
        const permissionSet =
            org.find('PermissionSet', { Name: name })[0] ??
            org.insert('PermissionSet', {
                Name: name,
                Label: String(set.label ?? name),
                // Installed from the package: its namespace, as a subscriber org shows it.
                NamespacePrefix: namespace,
                Type: 'Regular'
            });
        const granted = set.customPermissions ?? [];
        for (const grant of granted) {
            const customPermissionId = grant.name ? customPermissionIds.get(grant.name) : undefined;
            if (grant.enabled !== 'true' || !customPermissionId) continue;
            const where = {
                ParentId: permissionSet.Id as string,
                SetupEntityId: customPermissionId
            };
            if (org.find('SetupEntityAccess', where).length === 0)
                org.insert('SetupEntityAccess', { ...where, SetupEntityType: 'CustomPermission' });
        }
        for (const grant of set.objectPermissions ?? []) {
            if (!grant.object) continue;
            const where = {
                ParentId: permissionSet.Id as string,
                SobjectType: org.name(grant.object)
            };
            const values = {
                PermissionsRead: grant.allowRead === 'true',
                PermissionsCreate: grant.allowCreate === 'true',
                PermissionsEdit: grant.allowEdit === 'true',
                PermissionsDelete: grant.allowDelete === 'true',
                PermissionsViewAllRecords: grant.viewAllRecords === 'true',
                PermissionsModifyAllRecords: grant.modifyAllRecords === 'true'
            };
            const existing = org.find('ObjectPermissions', where)[0];
            if (existing) org.update('ObjectPermissions', String(existing.Id), values);
            else org.insert('ObjectPermissions', { ...where, ...values });
        }
        for (const grant of set.fieldPermissions ?? []) {
            const [object, field] = grant.field?.split('.') ?? [];
            if (!object || !field) continue;
            const where = {
                ParentId: permissionSet.Id as string,
                Field: `${org.name(object)}.${org.name(field)}`
            };
            const values = {
                SobjectType: org.name(object),
                PermissionsRead: grant.readable === 'true',
                PermissionsEdit: grant.editable === 'true'
            };
            const existing = org.find('FieldPermissions', where)[0];
            if (existing) org.update('FieldPermissions', String(existing.Id), values);
            else org.insert('FieldPermissions', { ...where, ...values });
        }
    }
}
