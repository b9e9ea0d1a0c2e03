/**
 * Seeds the guide's four streams, two routing groups and the demo routing rules into an
 * org, after the demo company (its users) is loaded.
 */
import type {
    LiveStream,
    RoutingRule
} from '../../../force-app/main/default/lwc/sightlineEngine/sightlineEngine';
import type { LocalOrg, SObject } from '../store/localOrg';
import type { DemoUser } from './demoCompany';
import { DEMO_STREAMS, demoRules } from './demoStreams';

export function seedDemoRouting(
    org: LocalOrg,
    users: DemoUser[],
    userIds: Map<string, string>,
    adminId: string
): void {
    const idOf = (key: string) => userIds.get(key)!;
    org.transaction(() => {
        for (const stream of DEMO_STREAMS)
            org.insert(org.name('Live_Stream__c'), named(org, streamToRecord(stream)), {
                userId: adminId
            });
        const group = (name: string, description: string, role: DemoUser['role']) => {
            const id = org.insert(
                org.name('Routing_Group__c'),
                named(org, { Name: name, Description__c: description }),
                { userId: adminId }
            ).Id as string;
            for (const user of users.filter((u) => u.role === role)) {
                org.insert(
                    org.name('Routing_Group_Member__c'),
                    named(org, { Routing_Group__c: id, User__c: idOf(user.key) }),
                    { userId: adminId }
                );
            }
            return id;
        };
        const sdr = group(
            'Inbound SDRs',
            'Sales development reps who take inbound website visitors.',
            'sdr'
        );
        const ae = group(
            'Account Executives',
            'Account executives, the fallback for named accounts.',
            'ae'
        );
        for (const rule of demoRules({ sdr, ae }))
            org.insert(org.name('Routing_Rule__c'), named(org, ruleToRecord(rule)), {
                userId: adminId
            });
    });
}

/** The record an admin would save for a stream (as the setup pages write it). */
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

/** The record an admin would save for a routing rule. */
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

/** Field names as the org spells them (namespaced in a namespaced org). */
function named(org: LocalOrg, record: SObject): SObject {
    return Object.fromEntries(Object.entries(record).map(([k, v]) => [org.name(k), v]));
}
