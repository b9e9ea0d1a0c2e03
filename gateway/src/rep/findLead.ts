/**
 * `findLeadByEmail`: the duplicate check before the console creates a Lead. The UI API has
 * no query, so the console asks the gateway (the Apex method of the same name forwards it)
 * for a Lead with the email, ignoring case as Salesforce's email comparison does.
 * Answers `{ id, name, company, ownerName }` or null.
 */
import { z } from 'zod';
import type { ActionRegistry } from '../actions/actionRegistry';
import { UserFacingError } from '../actions/userFacingError';
import type { CrmPort } from '../crm/crmPort';

const Params = z.object({ email: z.string().trim().min(3).max(254).email() });

export interface ExistingLead {
    id: string;
    name: string;
    company?: string;
    ownerName?: string;
}

export async function findLeadByEmail(crm: CrmPort, email: string): Promise<ExistingLead | null> {
    const { lead } = await crm.findPersonByEmail(email.trim());
    if (!lead) return null;
    const name = [lead.firstName, lead.lastName].filter(Boolean).join(' ') || lead.name || lead.id;
    return {
        id: lead.id,
        name,
        ...(lead.company ? { company: lead.company } : {}),
        ...(lead.ownerName ? { ownerName: lead.ownerName } : {})
    };
}

export function registerFindLead(actions: ActionRegistry, crm: CrmPort): void {
    actions.register('findLeadByEmail', (_user, params) => {
        const parsed = Params.safeParse(params);
        if (!parsed.success) throw new UserFacingError('Enter a valid email address.', 400);
        return findLeadByEmail(crm, parsed.data.email);
    });
}
