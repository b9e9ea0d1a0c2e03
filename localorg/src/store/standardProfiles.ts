/**
 * The standard profiles every org comes with, as far as Sightline reads them: a Profile,
 * the permission set it owns (IsOwnedByProfile) and that permission set's object
 * permissions on the standard objects. Every user has a profile, and the platform lists
 * the profile's permission set among the user's PermissionSetAssignments, so a query for
 * "what may this user do on Lead" is answered the same way as in a real org.
 * Idempotent: run on every open; a user without a profile gets Standard User.
 */
import type { LocalOrg } from './localOrg';

type Access = 'read' | 'full' | 'all';

/** What the standard profiles grant on the objects Sightline needs (Enterprise Edition). */
const PROFILES: { name: string; objects: Record<string, Access> }[] = [
    {
        name: 'Standard User',
        objects: { Account: 'full', Contact: 'full', Lead: 'full', Opportunity: 'full' }
    },
    {
        name: 'System Administrator',
        objects: { Account: 'all', Contact: 'all', Lead: 'all', Opportunity: 'all' }
    }
];

/**
 * Field-level security the standard profiles grant on the standard fields Sightline shows
 * that an admin can hide (required fields, Name and OwnerId cannot be hidden). Custom
 * fields get theirs from the package's permission sets.
 */
const PROFILE_FIELDS = ['Opportunity.Amount'];

function permissions(access: Access): Record<string, boolean> {
    const write = access !== 'read';
    const all = access === 'all';
    return {
        PermissionsRead: true,
        PermissionsCreate: write,
        PermissionsEdit: write,
        PermissionsDelete: write,
        PermissionsViewAllRecords: all,
        PermissionsModifyAllRecords: all
    };
}

export function installStandardProfiles(org: LocalOrg): void {
    const permissionSetOf = new Map<string, string>();
    for (const profile of PROFILES) {
        const profileId = String(
            (
                org.find('Profile', { Name: profile.name })[0] ??
                org.insert('Profile', { Name: profile.name })
            ).Id
        );
        const owned =
            org.find('PermissionSet', { ProfileId: profileId, IsOwnedByProfile: true })[0] ??
            org.insert('PermissionSet', {
                // The platform names a profile's permission set after the profile's id.
                Name: `X${profileId}`,
                Label: profile.name,
                Type: 'Profile',
                IsOwnedByProfile: true,
                ProfileId: profileId
            });
        const parentId = String(owned.Id);
        permissionSetOf.set(profileId, parentId);
        for (const [object, access] of Object.entries(profile.objects)) {
            if (org.find('ObjectPermissions', { ParentId: parentId, SobjectType: object }).length)
                continue;
            org.insert('ObjectPermissions', {
                ParentId: parentId,
                SobjectType: object,
                ...permissions(access)
            });
        }
        for (const field of PROFILE_FIELDS) {
            if (org.find('FieldPermissions', { ParentId: parentId, Field: field }).length) continue;
            org.insert('FieldPermissions', {
                ParentId: parentId,
                SobjectType: field.split('.')[0]!,
                Field: field,
                PermissionsRead: true,
                PermissionsEdit: true
            });
        }
    }
    const standardUser = String(org.find('Profile', { Name: 'Standard User' })[0]!.Id);
    for (const user of org.find('User')) {
        const userId = String(user.Id);
        const profileId = user.ProfileId ? String(user.ProfileId) : standardUser;
        if (!user.ProfileId) org.update('User', userId, { ProfileId: profileId });
        const permissionSetId = permissionSetOf.get(profileId);
        if (!permissionSetId) continue;
        const where = { AssigneeId: userId, PermissionSetId: permissionSetId };
        if (org.find('PermissionSetAssignment', where).length === 0)
            org.insert('PermissionSetAssignment', where);
    }
}
