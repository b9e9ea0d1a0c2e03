/**
 * `findLeadByEmail`: the duplicate check before the console creates a Lead. The UI API has
 * no query, so the console asks the gateway (the Apex method of the same name forwards it)
 * for an open Lead with the email, ignoring case as Salesforce duplicate rules do.
 * Answers `{ id, name, company, ownerName }` or null.
 */
import type { ActionRegistry } from '../actions/actionRegistry';
import { UserFacingError } from '../actions/userFacingError';
import { parseActionParams, type ExistingLead } from '../contracts/actionSchemas';
import type { LocalOrg } from '../crm/localOrg/localOrg';

export type { ExistingLead };

export function findLeadByEmail(org: LocalOrg, email: string): ExistingLead | null {
    const wanted = email.trim().toLowerCase();
    const exact = org.find('Lead', { Email: email.trim() }, { limit: 1 });
    const lead =
        exact[0] ??
        org
            .find('Lead')
            .find((l) => typeof l.Email === 'string' && l.Email.toLowerCase() === wanted);
    if (!lead) return null;
    const owner =
        typeof lead.OwnerId === 'string' ? org.get('User', lead.OwnerId, ['Name']) : undefined;
    const name =
        [lead.FirstName, lead.LastName].filter((p) => typeof p === 'string' && p).join(' ') ||
        String(lead.Name ?? lead.Id);
    return {
        id: String(lead.Id),
        name,
        ...(typeof lead.Company === 'string' ? { company: lead.Company } : {}),
        ...(owner && typeof owner.Name === 'string' ? { ownerName: owner.Name } : {})
    };
}

export function registerFindLead(actions: ActionRegistry, org: LocalOrg): void {
    actions.register('findLeadByEmail', (_user, params) => {
        const parsed = parseActionParams('findLeadByEmail', params);
        if (!parsed.ok) throw new UserFacingError('Enter a valid email address.', 400);
        return findLeadByEmail(org, parsed.value.email);
    });
}
