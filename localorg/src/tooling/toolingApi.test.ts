import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Connection } from 'jsforce';
import { jwtConnection, startTestOrg, type TestOrg } from '../testing/testOrg';

describe('Tooling API event channels, through jsforce', () => {
    let org: TestOrg;
    let conn: Connection;
    before(async () => {
        org = await startTestOrg();
        conn = await jwtConnection(org);
    });
    after(() => org.close());

    it('creates a channel and a filtered member, stores them, applies them to the bus and deletes them', async () => {
        const packaged = org.events.bus.customChannelCount();
        const channel = await conn.tooling.sobject('PlatformEventChannel').create({
            FullName: 'Rep_Alice__chn',
            Metadata: { channelType: 'event', label: 'Alice' }
        });
        assert.equal(channel.success, true);
        const member = await conn.tooling.sobject('PlatformEventChannelMember').create({
            FullName: 'Rep_Alice_chn_Visitor_Update_e',
            Metadata: {
                eventChannel: 'Rep_Alice__chn',
                selectedEntity: 'Visitor_Update__e',
                filterExpression: "Audience__c = '005000000000001AAA'"
            }
        });
        assert.equal(member.success, true);
        assert.equal(org.events.bus.customChannelCount(), packaged + 1);

        const members = await conn.tooling.query<{
            SelectedEntity: string;
            FilterExpression: string;
            EventChannel: string;
        }>(
            "SELECT SelectedEntity, FilterExpression, EventChannel FROM PlatformEventChannelMember WHERE FullName = 'Rep_Alice_chn_Visitor_Update_e'"
        );
        assert.deepEqual(
            members.records.map((m) => [m.SelectedEntity, m.FilterExpression, m.EventChannel]),
            [['Visitor_Update__e', "Audience__c = '005000000000001AAA'", channel.id]]
        );

        await assert.rejects(
            async () => conn.tooling.sobject('PlatformEventChannel').destroy(channel.id!),
            (error: unknown) => {
                assert.equal((error as { errorCode?: string }).errorCode, 'DELETE_FAILED');
                return true;
            }
        );
        await conn.tooling.sobject('PlatformEventChannelMember').destroy(member.id!);
        await conn.tooling.sobject('PlatformEventChannel').destroy(channel.id!);
        assert.equal(org.events.bus.customChannelCount(), packaged);
    });

    it('refuses what the bus refuses (a filter on an unknown field) and stores nothing', async () => {
        await conn.tooling
            .sobject('PlatformEventChannel')
            .create({ FullName: 'Rep_Bob__chn', Metadata: { channelType: 'event', label: 'Bob' } });
        await assert.rejects(
            async () =>
                conn.tooling.sobject('PlatformEventChannelMember').create({
                    FullName: 'Rep_Bob_chn_Visitor_Update_e',
                    Metadata: {
                        eventChannel: 'Rep_Bob__chn',
                        selectedEntity: 'Visitor_Update__e',
                        filterExpression: "Nope__c = 'x'"
                    }
                }),
            (error: unknown) => typeof (error as { errorCode?: string }).errorCode === 'string'
        );
        const stored = await conn.tooling.query(
            "SELECT Id FROM PlatformEventChannelMember WHERE FullName = 'Rep_Bob_chn_Visitor_Update_e'"
        );
        assert.equal(stored.totalSize, 0);
    });
});
