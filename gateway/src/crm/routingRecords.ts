/**
 * Streams, routing rules and groups as the engine sees them, read from their records
 * (Live_Stream__c, Routing_Rule__c, Routing_Group__c / Routing_Group_Member__c).
 */
import type {
    OwnerSource,
    RoutingGroup,
    RoutingRule,
    RoutingStrategy,
    UnavailableAction
} from '../engine';
import type { CrmStream } from './crmPort';
import { text } from './textValue';

/** A record's fields by API name, as the org's REST API answers them. */
export type SObject = Record<string, unknown>;

export function streamFromRecord(record: SObject): CrmStream {
    return {
        id: String(record.Id),
        name: String(record.Name),
        color: text(record.Color__c ?? '#0176D3'),
        priority: Number(record.Priority__c ?? 999),
        active: record.Active__c === true,
        criteria: record.Criteria__c ?? '',
        ...(typeof record.Description__c === 'string' ? { description: record.Description__c } : {})
    };
}

const list = (value: unknown): string[] =>
    typeof value === 'string'
        ? value
              .split(',')
              .map((s) => s.trim())
              .filter(Boolean)
        : [];

export function ruleFromRecord(record: SObject): RoutingRule {
    const optional = <T>(value: unknown): T | undefined =>
        value === null || value === undefined || value === '' ? undefined : (value as T);
    return {
        id: String(record.Id),
        name: String(record.Name),
        order: Number(record.Order__c ?? 999),
        active: record.Active__c === true,
        criteria: record.Criteria__c ?? '',
        strategy: String(record.Strategy__c) as RoutingStrategy,
        ownerSources: list(record.Owner_Sources__c) as OwnerSource[],
        teamRole: optional<string>(record.Team_Role__c),
        targetGroupId: optional<string>(record.Target_Group__c),
        targetUserIds: list(record.Target_User_Ids__c),
        unavailableAction: (optional<string>(record.Unavailable_Action__c) ??
            'Next_Rule') as UnavailableAction,
        fallbackGroupId: optional<string>(record.Fallback_Group__c),
        chatTimeoutSeconds: optional<number>(record.Chat_Timeout_Seconds__c)
    };
}

export function groupsFromRecords(groups: SObject[], members: SObject[]): RoutingGroup[] {
    return groups.map((g) => ({
        id: String(g.Id),
        name: String(g.Name),
        memberIds: members.filter((m) => m.Routing_Group__c === g.Id).map((m) => String(m.User__c))
    }));
}
