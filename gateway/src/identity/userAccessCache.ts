/**
 * The org's word on a signed caller: active, holding Sightline_Access, holding
 * Sightline_Admin_Access. A valid signature proves which user Apex ran as, not that the
 * user may still use Sightline (an admin may have removed the permission set a minute
 * ago), so the gateway asks the org through the CRM port and keeps the answer briefly:
 * 30 s, or until the org reports a change to users or permissions. Bounded in size.
 */
import type { CrmPort, CrmUserAccess } from '../crm/crmPort';

export const USER_ACCESS_TTL_MS = 30_000;

/** Changes to these objects can change who holds a Sightline custom permission. */
export const PERMISSION_OBJECTS = new Set([
    'User',
    'PermissionSetAssignment',
    'PermissionSet',
    'PermissionSetGroup',
    'PermissionSetGroupComponent',
    'SetupEntityAccess',
    'CustomPermission'
]);

export class UserAccessCache {
    private readonly entries = new Map<
        string,
        { at: number; access: Promise<CrmUserAccess | undefined> }
    >();

    constructor(
        private readonly crm: Pick<CrmPort, 'userAccess' | 'onChange'>,
        private readonly now: () => number,
        private readonly ttlMs = USER_ACCESS_TTL_MS,
        private readonly maxEntries = 10_000
    ) {
        crm.onChange((objectApiName) => {
            if (PERMISSION_OBJECTS.has(objectApiName)) this.entries.clear();
        });
    }

    get(userId: string): Promise<CrmUserAccess | undefined> {
        const now = this.now();
        const cached = this.entries.get(userId);
        if (cached && now - cached.at < this.ttlMs) return cached.access;
        if (this.entries.size >= this.maxEntries) this.entries.clear();
        const access = this.crm.userAccess(userId);
        this.entries.set(userId, { at: now, access });
        // A failed lookup is not remembered: the next call asks the org again.
        access.catch(() => this.entries.delete(userId));
        return access;
    }
}
