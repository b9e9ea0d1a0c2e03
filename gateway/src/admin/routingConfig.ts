/**
 * `getRoutingConfig`: the records the setup pages edit, as plain objects. The UI API has no
 * list query, so the pages read through this action and write through `lightning/uiRecordApi`
 * (the platform then enforces CRUD, FLS and validation rules on every save).
 */
import {
    customPermissionHolders,
    SIGHTLINE_ACCESS,
    SIGHTLINE_ADMIN_ACCESS
} from '../crm/customPermissions';
import type { LocalOrg, SObject } from '../crm/localOrg/localOrg';
import { groupsFromRecords, ruleFromRecord, streamFromRecord } from '../crm/routingRecords';
import type { RoutingGroup, RoutingRule } from '../engine';

export interface SetupStream {
    id: string;
    name: string;
    color: string;
    priority: number;
    active: boolean;
    /** Criteria JSON as stored (text). */
    criteria: string;
    description: string;
}

export type SetupRule = Omit<RoutingRule, 'criteria'> & { criteria: string };

export interface SetupUser {
    id: string;
    name: string;
    title: string;
}

export interface SetupRoutingConfig {
    /** Priority order (1 first). */
    streams: SetupStream[];
    /** Rule order (1 first). */
    rules: SetupRule[];
    groups: RoutingGroup[];
    /** Users a rule may target: active holders of the Sightline_Rep permission set, by name. */
    users: SetupUser[];
}

const text = (value: unknown): string =>
    typeof value === 'string'
        ? value
        : value === null || value === undefined
          ? ''
          : JSON.stringify(value);

export function readRoutingConfig(org: LocalOrg): SetupRoutingConfig {
    const streams = org.find('Live_Stream__c', {}, { orderBy: 'Priority__c' }).map((record) => ({
        ...streamFromRecord(record),
        criteria: text(record.Criteria__c),
        description: text(record.Description__c)
    }));
    const rules = org
        .find('Routing_Rule__c', {}, { orderBy: 'Order__c' })
        .map((record) =>
            withoutUndefined({ ...ruleFromRecord(record), criteria: text(record.Criteria__c) })
        );
    const groups = groupsFromRecords(
        org.find('Routing_Group__c', {}, { orderBy: 'Name' }),
        org.find('Routing_Group_Member__c')
    );
    return { streams, rules, groups, users: reps(org) };
}

/** The same object in the gateway as after the JSON hop through Apex: no undefined keys. */
function withoutUndefined<T extends object>(value: T): T {
    return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

function reps(org: LocalOrg): SetupUser[] {
    // The gateway's definition of a rep (LocalOrgCrm.users): Sightline access, not admin.
    const admins = customPermissionHolders(org, SIGHTLINE_ADMIN_ACCESS);
    const repIds = new Set(
        [...customPermissionHolders(org, SIGHTLINE_ACCESS)].filter((id) => !admins.has(id))
    );
    return org
        .find('User', { IsActive: true }, { orderBy: 'Name' })
        .filter((user: SObject) => repIds.has(user.Id as string))
        .map((user) => ({
            id: user.Id as string,
            name: String(user.Name ?? ''),
            title: String(user.Title ?? '')
        }));
}
