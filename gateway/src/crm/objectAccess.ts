/**
 * What users may do on objects, as the org sums it: the union of the object permissions
 * of every permission set assigned to them (the profile's own permission set among them,
 * and a group's aggregate one). Both CRM adapters read the same two sObjects,
 * PermissionSetAssignment and ObjectPermissions, and sum them here.
 */
export interface ObjectAccess {
    read: boolean;
    create: boolean;
    edit: boolean;
}

/** Per user id, per object API name. An object absent from a user's map: no access. */
export type ObjectAccessByUser = Map<string, Map<string, ObjectAccess>>;

export interface AssignmentRow {
    userId: string;
    permissionSetId: string;
}

export interface ObjectPermissionRow {
    permissionSetId: string;
    object: string;
    read: boolean;
    create: boolean;
    edit: boolean;
}

export function sumObjectAccess(
    assignments: readonly AssignmentRow[],
    permissions: readonly ObjectPermissionRow[]
): ObjectAccessByUser {
    const bySet = new Map<string, ObjectPermissionRow[]>();
    for (const row of permissions)
        bySet.set(row.permissionSetId, [...(bySet.get(row.permissionSetId) ?? []), row]);
    const result: ObjectAccessByUser = new Map();
    for (const { userId, permissionSetId } of assignments) {
        const objects = result.get(userId) ?? new Map<string, ObjectAccess>();
        result.set(userId, objects);
        for (const row of bySet.get(permissionSetId) ?? []) {
            const held = objects.get(row.object) ?? { read: false, create: false, edit: false };
            objects.set(row.object, {
                read: held.read || row.read,
                create: held.create || row.create,
                edit: held.edit || row.edit
            });
        }
    }
    return result;
}
