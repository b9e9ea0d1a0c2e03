/**
 * The Apex twin of SightlineLeadController.createLead (force-app/main/default/classes): the
 * same validation and answers, run against the local org's store with the save options the
 * Apex sets (Database.DMLOptions: DuplicateRuleHeader.allowSave, AssignmentRuleHeader
 * .useDefaultRule). No Apex runtime exists off-platform; keep the two in step.
 */
import { DuplicatesDetected, LocalOrgError, type LocalOrg, type SObject } from '../store/localOrg';
import { AuraHandledException } from './gatewayCallout';

export const LEAD_CONTROLLER = 'SightlineLeadController';

export interface CreateLeadAnswer {
    id?: string;
    name?: string | null;
    ownerName?: string | null;
    assigned?: boolean;
    duplicates?: {
        allowSave: boolean;
        message: string;
        matches: {
            id: string;
            name: string | null;
            company: string | null;
            email: string | null;
            ownerName: string | null;
        }[];
        /** Matches the rep cannot see (the local org has no sharing: always 0). */
        hidden: number;
    };
}

function useAssignmentRules(store: LocalOrg): boolean {
    const settings = store.find(store.name('Sightline_Setting__mdt'), {
        DeveloperName: 'Default'
    })[0];
    return settings?.[store.name('Lead_Owner_By_Rule__c')] === true;
}

function leadFrom(store: LocalOrg, fields: unknown): SObject {
    if (
        !fields ||
        typeof fields !== 'object' ||
        Array.isArray(fields) ||
        !Object.keys(fields).length
    )
        throw new AuraHandledException('The Lead has no fields.');
    const lead = store.describe('Lead');
    for (const name of Object.keys(fields))
        if (!lead.fields.has(name) || name.toLowerCase() === 'ownerid')
            throw new AuraHandledException(`A Lead has no field ${name} to set here.`);
    return fields as SObject;
}

function ownerName(store: LocalOrg, ownerId: unknown): string | null {
    const owner = typeof ownerId === 'string' ? store.get('User', ownerId) : undefined;
    return owner ? String(owner.Name) : null;
}

export function createLead(
    store: LocalOrg,
    userId: string,
    params: { fields?: unknown; allowDuplicate?: unknown }
): CreateLeadAnswer {
    const values = leadFrom(store, params.fields);
    const assign = useAssignmentRules(store);
    try {
        const lead = store.insert(
            'Lead',
            { ...values, ...(assign ? {} : { OwnerId: userId }) },
            {
                userId,
                allowDuplicateSave: params.allowDuplicate === true,
                useAssignmentRule: assign
            }
        );
        return {
            id: String(lead.Id),
            name: (lead.Name as string | null) ?? null,
            ownerName: ownerName(store, lead.OwnerId),
            assigned: assign
        };
    } catch (error) {
        if (error instanceof DuplicatesDetected) {
            const ids = error.duplicateResult.matchResults.flatMap((r) =>
                r.matchRecords.map((m) => m.record.Id)
            );
            return {
                duplicates: {
                    allowSave: error.duplicateResult.allowSave,
                    message: error.duplicateResult.errorMessage,
                    matches: ids.map((id) => {
                        const match = store.get('Lead', id)!;
                        return {
                            id,
                            name: (match.Name as string | null) ?? null,
                            company: (match.Company as string | null) ?? null,
                            email: (match.Email as string | null) ?? null,
                            ownerName: ownerName(store, match.OwnerId)
                        };
                    }),
                    hidden: 0
                }
            };
        }
        if (error instanceof LocalOrgError) throw new AuraHandledException(error.message);
        throw error;
    }
}
