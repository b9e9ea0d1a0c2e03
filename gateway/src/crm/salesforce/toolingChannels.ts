/**
 * The org's custom event channels through the Tooling API (PlatformEventChannel and
 * PlatformEventChannelMember, API 56.0+), as `live/eventChannels.ts` needs them. Creating
 * and deleting them needs Customize Application; listing them View Setup and Configuration
 * (docs/SETUP.md). The channels the gateway creates live in the subscriber org's own
 * namespace (none); the event and field they name carry the package's.
 */
import type { Connection } from 'jsforce';
import type { ChannelAdmin, OrgChannel, OrgChannelMember } from '../../live/eventChannels';
import type { OrgNames } from './orgNames';
import { text } from '../textValue';

/** A member's developer name: `Channel_chn_Event_e`, double underscores made single. */
export function memberName(channelFullName: string, eventName: string): string {
    return `${channelFullName}_${eventName}`.replace(/__/g, '_');
}

export class ToolingChannels implements ChannelAdmin {
    readonly eventName: string;
    readonly audienceField: string;

    constructor(
        private readonly conn: Connection,
        names: OrgNames
    ) {
        this.eventName = names.of('Visitor_Update__e');
        this.audienceField = names.of('Audience__c');
    }

    async list(): Promise<{ channels: OrgChannel[]; members: OrgChannelMember[] }> {
        // FullName is only queryable one record at a time: the name is rebuilt from its parts.
        const [channels, members] = await Promise.all([
            this.conn.tooling.query<Record<string, unknown>>(
                "SELECT Id, DeveloperName, NamespacePrefix FROM PlatformEventChannel WHERE ChannelType = 'event'"
            ),
            this.conn.tooling.query<Record<string, unknown>>(
                'SELECT Id, EventChannel, SelectedEntity, FilterExpression FROM PlatformEventChannelMember'
            )
        ]);
        return {
            channels: channels.records.map((c) => {
                const namespace = text(c.NamespacePrefix);
                return {
                    id: text(c.Id),
                    fullName: `${namespace ? `${namespace}__` : ''}${text(c.DeveloperName)}__chn`
                };
            }),
            members: members.records.map((m) => ({
                id: text(m.Id),
                channelId: text(m.EventChannel),
                selectedEntity: text(m.SelectedEntity),
                filterExpression: typeof m.FilterExpression === 'string' ? m.FilterExpression : null
            }))
        };
    }

    async createChannel(fullName: string, label: string): Promise<void> {
        await this.conn.tooling
            .sobject('PlatformEventChannel')
            .create({ FullName: fullName, Metadata: { channelType: 'event', label } });
    }

    async createMember(channelFullName: string, filterExpression: string): Promise<void> {
        await this.conn.tooling.sobject('PlatformEventChannelMember').create({
            FullName: memberName(channelFullName, this.eventName),
            Metadata: {
                eventChannel: channelFullName,
                selectedEntity: this.eventName,
                filterExpression
            }
        });
    }

    async deleteMember(id: string): Promise<void> {
        await this.conn.tooling.sobject('PlatformEventChannelMember').destroy(id);
    }

    async deleteChannel(id: string): Promise<void> {
        await this.conn.tooling.sobject('PlatformEventChannel').destroy(id);
    }
}
