/**
 * The org's own rules on a new Lead, as Salesforce runs them on every API save:
 *
 * - the standard Lead duplicate rule ("Standard Rule for Leads with Duplicate Leads":
 *   action on create Allow, with an alert), with the standard Lead matching rule reduced to
 *   its exact parts: the same email, or the same first name, last name and company (case
 *   and surrounding spaces ignored). A match refuses the save with DUPLICATES_DETECTED and
 *   the DuplicateResult, unless the caller says allowSave (the rule allows it);
 * - the active Lead assignment rule, when the caller asks for it: its entries in order, the
 *   first whose countries include the Lead's Country names the owner, otherwise the default
 *   Lead owner. It replaces any OwnerId the caller set, as the platform's does.
 */
import type { SObject } from './localOrg';

export const LEAD_DUPLICATE_RULE = 'Standard_Rule_for_Leads_with_Duplicate_Leads';
export const LEAD_MATCHING_RULE = 'Standard_Lead_Match_Rule_v1_0';
export const DUPLICATE_MESSAGE =
    "You're creating a duplicate record. We recommend you use an existing record instead.";

/** The DuplicateResult of the REST API's DUPLICATES_DETECTED error (SOAP DuplicateError shape). */
export interface DuplicateResult {
    allowSave: boolean;
    duplicateRule: string;
    duplicateRuleEntityType: 'Lead';
    errorMessage: string;
    matchResults: {
        entityType: 'Lead';
        errors: [];
        matchEngine: 'ExactMatchEngine';
        matchRecords: {
            additionalInformation: [];
            fieldDiffs: [];
            matchConfidence: number;
            record: { attributes: { type: 'Lead' }; Id: string };
        }[];
        rule: string;
        size: number;
        success: true;
    }[];
}

/** The active Lead assignment rule of the demo org (users by Username). */
export const LEAD_ASSIGNMENT_RULE = {
    name: 'Lumen Data Lead Assignment',
    entries: [
        {
            countries: ['United States', 'Canada', 'Mexico', 'Brazil'],
            username: 'omar.haddad@lumendata.example.sightline'
        },
        {
            countries: ['United Kingdom', 'Germany', 'France', 'Sweden', 'Netherlands', 'Spain'],
            username: 'emma.lindqvist@lumendata.example.sightline'
        }
    ],
    defaultOwnerUsername: 'grace.mensah@lumendata.example.sightline'
};

const norm = (value: unknown) => (typeof value === 'string' ? value.trim().toLowerCase() : '');

/** The existing Leads the matching rule pairs with `lead`, best first. */
export function matchingLeads(lead: SObject, existing: readonly SObject[]): SObject[] {
    const email = norm(lead.Email);
    const name = [norm(lead.FirstName), norm(lead.LastName), norm(lead.Company)];
    const sameName = (other: SObject) =>
        Boolean(name[1] && name[2]) &&
        norm(other.FirstName) === name[0] &&
        norm(other.LastName) === name[1] &&
        norm(other.Company) === name[2];
    return existing.filter((other) => (email && norm(other.Email) === email) || sameName(other));
}

export function duplicateResult(matches: readonly SObject[]): DuplicateResult {
    return {
        allowSave: true,
        duplicateRule: LEAD_DUPLICATE_RULE,
        duplicateRuleEntityType: 'Lead',
        errorMessage: DUPLICATE_MESSAGE,
        matchResults: [
            {
                entityType: 'Lead',
                errors: [],
                matchEngine: 'ExactMatchEngine',
                matchRecords: matches.map((m) => ({
                    additionalInformation: [],
                    fieldDiffs: [],
                    matchConfidence: 100,
                    record: { attributes: { type: 'Lead' }, Id: String(m.Id) }
                })),
                rule: LEAD_MATCHING_RULE,
                size: matches.length,
                success: true
            }
        ]
    };
}

/** The Username the active assignment rule gives `lead`. */
export function assignedUsername(lead: SObject): string {
    const country = norm(lead.Country);
    const entry = LEAD_ASSIGNMENT_RULE.entries.find((e) =>
        e.countries.some((c) => norm(c) === country)
    );
    return entry?.username ?? LEAD_ASSIGNMENT_RULE.defaultOwnerUsername;
}
