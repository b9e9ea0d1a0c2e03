/**
 * Seeds the guide's four streams, two routing groups and the demo routing rules into an
 * org, after the demo company (its users) is loaded.
 */
import { DEMO_STREAMS, demoRules } from '../engine';
import type { LocalOrg } from '../crm/localOrg/localOrg';
import { ruleToRecord, streamToRecord } from '../crm/routingRecords';
import type { DemoUser } from './demoCompany';

export function seedDemoRouting(
    org: LocalOrg,
    users: DemoUser[],
    userIds: Map<string, string>,
    adminId: string
): void {
    const idOf = (key: string) => userIds.get(key)!;
    org.transaction(() => {
        for (const stream of DEMO_STREAMS)
            org.insert('Live_Stream__c', streamToRecord(stream), { userId: adminId });
        const group = (name: string, description: string, role: DemoUser['role']) => {
            const id = org.insert(
                'Routing_Group__c',
                { Name: name, Description__c: description },
                { userId: adminId }
            ).Id as string;
            for (const user of users.filter((u) => u.role === role)) {
                org.insert(
                    'Routing_Group_Member__c',
                    { Routing_Group__c: id, User__c: idOf(user.key) },
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
            org.insert('Routing_Rule__c', ruleToRecord(rule), { userId: adminId });
    });
}
