/**
 * What SightlineLeadController.createLead answers (force-app/main/default/classes): the Lead
 * created, or the matches the org's duplicate rules found. The Apex class and its local twin
 * (localorg/src/apex/leadController.ts) give this shape.
 */
export interface LeadMatch {
    id: string;
    name: string | null;
    company: string | null;
    email: string | null;
    ownerName: string | null;
}

export interface LeadDuplicates {
    /** The rule's action allows saving anyway. */
    allowSave: boolean;
    /** The rule's own message. */
    message: string;
    /** The matching Leads the rep can see. */
    matches: LeadMatch[];
    /** Matches the rep cannot see (counted, never named). */
    hidden: number;
}

export type CreateLeadAnswer =
    | { id: string; name: string | null; ownerName: string | null; assigned: boolean }
    | { duplicates: LeadDuplicates };

export interface CreateLeadParams {
    fields: Record<string, unknown>;
    allowDuplicate: boolean;
}
