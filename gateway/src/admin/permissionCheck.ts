/**
 * The standard-object permissions Sightline needs and a package cannot grant (Salesforce
 * ignores standard-object permissions in a packaged permission set on install): the
 * subscriber's profiles or permission sets must. docs/PACKAGE.md lists them; Health asks
 * the org what each Sightline user actually holds and names what is missing.
 */
import type {
    PermissionGap,
    PermissionHealth
} from '../../../force-app/main/default/lwc/setupModel/adminContract';
import type { CrmPort, CrmUser } from '../crm/crmPort';
import type { ObjectAccess, ObjectAccessByUser } from '../crm/objectAccess';

type Permission = PermissionGap['missing'][number];

const KEY: Record<Permission, keyof ObjectAccess> = {
    Read: 'read',
    Create: 'create',
    Edit: 'edit'
};

/** The table of docs/PACKAGE.md ("Standard objects are not in the permission sets"). */
export const REQUIRED_OBJECT_ACCESS: Record<PermissionGap['role'], Record<string, Permission[]>> = {
    // Create Lead from the Visitor 360; company badges and owners on cards.
    Rep: { Lead: ['Read', 'Create', 'Edit'], Account: ['Read'] },
    // Dry runs and health read leads; marking target accounts edits accounts.
    Admin: { Lead: ['Read'], Account: ['Read', 'Edit'] }
};

const OBJECTS = [
    ...new Set(Object.values(REQUIRED_OBJECT_ACCESS).flatMap((table) => Object.keys(table)))
];

function rolesOf(user: CrmUser): PermissionGap['role'][] {
    return [...(user.isRep ? ['Rep' as const] : []), ...(user.isAdmin ? ['Admin' as const] : [])];
}

export function permissionGaps(
    users: readonly CrmUser[],
    access: ObjectAccessByUser
): PermissionGap[] {
    const gaps: PermissionGap[] = [];
    for (const user of users) {
        for (const role of rolesOf(user)) {
            for (const [object, needed] of Object.entries(REQUIRED_OBJECT_ACCESS[role])) {
                const held = access.get(user.id)?.get(object);
                const missing = needed.filter((permission) => !held?.[KEY[permission]]);
                if (missing.length > 0)
                    gaps.push({ userId: user.id, name: user.name, role, object, missing });
            }
        }
    }
    return gaps;
}

export async function checkPermissions(crm: CrmPort): Promise<PermissionHealth> {
    const users = (await crm.users()).filter((u) => u.isRep || u.isAdmin);
    const access = await crm.objectAccess(
        users.map((u) => u.id),
        OBJECTS
    );
    return { checkedUsers: users.length, gaps: permissionGaps(users, access) };
}
