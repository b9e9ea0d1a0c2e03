/**
 * Streams, routing rules and groups as the engine sees them, read from their records
 * (Live_Stream__c, Routing_Rule__c, Routing_Group__c / Routing_Group_Member__c), and the
 * reverse, to write the demo configuration.
 */
import type {
    LiveStream,
    OwnerSource,
    RoutingGroup,
    RoutingRule,
    RoutingStrategy,
    UnavailableAction
} from '../engine';
import type { SObject } from './localOrg/localOrg';

export function streamFromRecord(record: SObject): LiveStream {
    return {
        id: String(record.Id),
        name: String(record.Name),
        color: String(record.Color__c ?? '#0176D3'),
        priority: Number(record.Priority__c ?? 999),
        active: record.Active__c === true,
        criteria: record.Criteria__c ?? ''
    };
}

export function streamToRecord(stream: LiveStream): SObject {
    return {
        Name: stream.name,
        Color__c: stream.color,
        Priority__c: stream.priority,
        Active__c: stream.active,
        Criteria__c:
            typeof stream.criteria === 'string' ? stream.criteria : JSON.stringify(stream.criteria)
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

export function ruleToRecord(rule: RoutingRule): SObject {
    return {
        Name: rule.name,
        Order__c: rule.order,
        Active__c: rule.active,
        Criteria__c:
            typeof rule.criteria === 'string' ? rule.criteria : JSON.stringify(rule.criteria),
        Strategy__c: rule.strategy,
        Owner_Sources__c: rule.ownerSources?.length ? rule.ownerSources.join(',') : null,
        Team_Role__c: rule.teamRole ?? null,
        Target_Group__c: rule.targetGroupId ?? null,
        Target_User_Ids__c: rule.targetUserIds?.length ? rule.targetUserIds.join(',') : null,
        Unavailable_Action__c: rule.unavailableAction,
        Fallback_Group__c: rule.fallbackGroupId ?? null,
        Chat_Timeout_Seconds__c: rule.chatTimeoutSeconds ?? 30
    };
}

export function groupsFromRecords(groups: SObject[], members: SObject[]): RoutingGroup[] {
    return groups.map((g) => ({
        id: String(g.Id),
        name: String(g.Name),
        memberIds: members.filter((m) => m.Routing_Group__c === g.Id).map((m) => String(m.User__c))
    }));
}
