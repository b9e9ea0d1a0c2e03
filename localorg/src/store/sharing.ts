/**
 * Record-level access in the local org: the **private** sharing model an Enterprise org's
 * admin sets for the CRM objects Sightline shows (organization-wide default Private for
 * Account, Opportunity and Lead; Contact Controlled by Parent), as Salesforce documents it
 * ("Sharing Settings", "Record-Level Access"):
 *
 * - the record's owner has full access;
 * - "Grant Access Using Hierarchies" (always on for standard objects): a user whose role is
 *   above another's has the access that user has, owner's included;
 * - an account team member has the team's Account, Opportunity and Contact access levels
 *   on that account and its child records (and the team member's managers with them);
 * - implicit sharing: the account's owner reads its opportunities; a user with access to an
 *   opportunity or contact reads its parent account;
 * - "View All" / "Modify All" on the object (a permission set or the profile, e.g. System
 *   Administrator) see every record.
 *
 * What reads it: UserRecordAccess (SOQL), the UI API as the signed-in user, and the Apex
 * stand-in's user-mode checks. Only these four objects are modelled: any other record is
 * answered with full access, as the local org did before (the package's own objects are
 * reached through the gateway, not by users). Sharing rules, manual shares, queues,
 * territories and opportunity teams are not modelled (the demo company has none).
 */
import type { LocalOrg, SObject } from './localOrg';
import { normaliseId } from './salesforceId';

export type AccessLevel = 'None' | 'Read' | 'Edit' | 'All';

/** The objects whose organization-wide default is Private (Contact: Controlled by Parent). */
export const PRIVATE_OBJECTS = new Set(['Account', 'Opportunity', 'Contact', 'Lead']);

const RANK: Record<AccessLevel, number> = { None: 0, Read: 1, Edit: 2, All: 3 };

function strongest(...levels: AccessLevel[]): AccessLevel {
    return levels.reduce((a, b) => (RANK[b] > RANK[a] ? b : a), 'None');
}

/** A team access picklist value as a level (the platform's values: Read, Edit, All, None). */
function teamLevel(value: unknown): AccessLevel {
    return value === 'Edit' || value === 'All' || value === 'None' ? value : 'Read';
}

export class Sharing {
    constructor(private readonly org: LocalOrg) {}

    /** The user's access to the record; `None` for a record that does not exist. */
    access(userId: string, recordId: string): AccessLevel {
        const user = normaliseId(userId);
        const id = normaliseId(recordId);
        const object = id ? this.org.objectForId(id) : undefined;
        const record = object && id ? this.org.get(object.apiName, id) : undefined;
        if (!user || !object || !record) return 'None';
        if (!PRIVATE_OBJECTS.has(object.apiName)) return 'All';
        const viewAll = this.viewAll(user, object.apiName);
        if (viewAll !== 'None' && RANK[viewAll] >= RANK.Read) return viewAll;
        switch (object.apiName) {
            case 'Account':
                return this.accountAccess(user, record);
            case 'Opportunity':
                return this.opportunityAccess(user, record);
            case 'Contact':
                return this.contactAccess(user, record);
            default:
                return this.ownerAccess(user, record.OwnerId);
        }
    }

    canRead(userId: string, recordId: string): boolean {
        return RANK[this.access(userId, recordId)] >= RANK.Read;
    }

    private accountAccess(user: string, account: SObject): AccessLevel {
        const accountId = String(account.Id);
        const levels: AccessLevel[] = [this.ownerAccess(user, account.OwnerId)];
        for (const member of this.org.find('AccountTeamMember', { AccountId: accountId }))
            if (this.isOrAbove(user, member.UserId))
                levels.push(teamLevel(member.AccountAccessLevel));
        // Implicit parent sharing: access to a child record reads the account.
        for (const child of ['Opportunity', 'Contact'])
            for (const record of this.org.find(child, { AccountId: accountId }))
                if (this.isOrAbove(user, record.OwnerId)) levels.push('Read');
        return strongest(...levels);
    }

    private opportunityAccess(user: string, opportunity: SObject): AccessLevel {
        const levels: AccessLevel[] = [this.ownerAccess(user, opportunity.OwnerId)];
        const accountId = opportunity.AccountId;
        if (typeof accountId === 'string') {
            const account = this.org.get('Account', accountId);
            // The account's owner (and above) reads its opportunities (the role's default).
            if (account && this.isOrAbove(user, account.OwnerId)) levels.push('Read');
            for (const member of this.org.find('AccountTeamMember', { AccountId: accountId }))
                if (this.isOrAbove(user, member.UserId))
                    levels.push(teamLevel(member.OpportunityAccessLevel));
        }
        return strongest(...levels);
    }

    /** Controlled by Parent: a contact's access is its account's; without one, its owner's. */
    private contactAccess(user: string, contact: SObject): AccessLevel {
        const accountId = contact.AccountId;
        const account = typeof accountId === 'string' && this.org.get('Account', accountId);
        if (!account) return this.ownerAccess(user, contact.OwnerId);
        const levels: AccessLevel[] = [
            this.ownerAccess(user, account.OwnerId),
            this.ownerAccess(user, contact.OwnerId)
        ];
        for (const member of this.org.find('AccountTeamMember', { AccountId: String(account.Id) }))
            if (this.isOrAbove(user, member.UserId))
                levels.push(teamLevel(member.ContactAccessLevel));
        return strongest(...levels);
    }

    private ownerAccess(user: string, ownerId: unknown): AccessLevel {
        return this.isOrAbove(user, ownerId) ? 'All' : 'None';
    }

    /** The user is `other`, or holds a role above `other`'s. */
    private isOrAbove(user: string, other: unknown): boolean {
        const otherId = typeof other === 'string' ? normaliseId(other) : null;
        if (!otherId) return false;
        if (otherId === user) return true;
        const roleOf = (id: string) => {
            const role = this.org.get('User', id)?.UserRoleId;
            return typeof role === 'string' ? role : null;
        };
        const mine = roleOf(user);
        if (!mine) return false;
        const seen = new Set<string>();
        let role = roleOf(otherId);
        while (role && !seen.has(role)) {
            seen.add(role);
            const parent = this.org.get('UserRole', role)?.ParentRoleId;
            role = typeof parent === 'string' ? parent : null;
            if (role === mine) return true;
        }
        return false;
    }

    /** View All / Modify All on the object, from any of the user's permission sets. */
    private viewAll(user: string, objectApiName: string): AccessLevel {
        const sets = new Set(
            this.org
                .find('PermissionSetAssignment', { AssigneeId: user })
                .map((a) => String(a.PermissionSetId))
        );
        let level: AccessLevel = 'None';
        for (const grant of this.org.find('ObjectPermissions', { SobjectType: objectApiName })) {
            if (!sets.has(String(grant.ParentId))) continue;
            if (grant.PermissionsModifyAllRecords === true) return 'All';
            if (grant.PermissionsViewAllRecords === true) level = 'Read';
        }
        return level;
    }
}
