/**
 * Who holds a custom permission — the one definition of a Sightline user and of a Sightline
 * admin, on the gateway as in Apex (`FeatureManagement.checkPermission`). A user holds it
 * through a permission set that enables it, or through a permission set group that has
 * such a permission set as a component (muting permission sets are not modelled: Sightline
 * ships none). Never by permission set or profile name, which a subscriber may clone or
 * rename.
 */
import type { LocalOrg } from './localOrg';

/** Use the console at all (granted by Sightline_Rep and Sightline_Admin). */
export const SIGHTLINE_ACCESS = 'Sightline_Access';
/** Set up streams and routing, see every visitor (granted by Sightline_Admin). */
export const SIGHTLINE_ADMIN_ACCESS = 'Sightline_Admin_Access';

export function customPermissionHolders(
    org: LocalOrg,
    developerName: string,
    namespace: string | null = null
): Set<string> {
    const holders = new Set<string>();
    for (const permission of org.find('CustomPermission', { DeveloperName: developerName })) {
        if ((permission.NamespacePrefix ?? null) !== namespace) continue;
        const sets = org
            .find('SetupEntityAccess', { SetupEntityId: permission.Id as string })
            .map((access) => access.ParentId as string);
        for (const setId of sets) {
            for (const assignment of org.find('PermissionSetAssignment', {
                PermissionSetId: setId
            }))
                holders.add(assignment.AssigneeId as string);
            for (const component of org.find('PermissionSetGroupComponent', {
                PermissionSetId: setId
            }))
                for (const assignment of org.find('PermissionSetAssignment', {
                    PermissionSetGroupId: component.PermissionSetGroupId as string
                }))
                    holders.add(assignment.AssigneeId as string);
        }
    }
    return holders;
}
