/**
 * The Tooling API's PlatformEventChannel and PlatformEventChannelMember: create (with
 * `FullName` and `Metadata`), read, delete and query, stored as records in the org's
 * database beside the data. The channels the package deploys (force-app's
 * platformEventChannels and members) are there from the first start, namespaced when the
 * package is. Every change is applied to the `ChannelRegistry` (the event bus), which
 * refuses what the platform refuses (an unknown event, a bad filter, the 101st channel);
 * a refused change is not stored.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FieldDescribe, FieldType, ObjectDescribe, OrgSchema } from '../store/describe';
import { standardField } from '../store/describe';
import type { LocalOrg, SObject } from '../store/localOrg';
import { withNamespace } from '../store/namespace';
import { ApiError, notFound } from '../rest/apiError';
import { objectBody, noContent, ok, type Router } from '../rest/dataApi';
import { queryResources } from '../rest/queryResources';
import { apiRecord } from '../rest/recordResources';
import { text } from '../store/textValue';
import { TRUSTED_URL, trustedUrlObject, trustedUrlResources } from './trustedUrls';

/** What applies channel metadata: the event bus implements it. */
export interface ChannelRegistry {
    createChannel(fullName: string, channelType: 'event' | 'data'): void;
    deleteChannel(fullName: string): void;
    addMember(channelName: string, selectedEntity: string, filterExpression?: string | null): void;
    removeMember(channelName: string, selectedEntity: string): void;
}

export interface ChannelMemberRecord {
    channel: string;
    selectedEntity: string;
    filterExpression: string | null;
}

const CHANNEL = 'PlatformEventChannel';
const MEMBER = 'PlatformEventChannelMember';

function toolingObject(
    apiName: string,
    label: string,
    keyPrefix: string,
    specs: [string, string, FieldType, string?][]
): ObjectDescribe {
    const fields = new Map<string, FieldDescribe>();
    for (const [name, fieldLabel, type, referenceTo] of [
        ['Id', 'Record ID', 'Id'],
        ['DeveloperName', 'Developer Name', 'Text'],
        ['MasterLabel', 'Label', 'Text'],
        ['NamespacePrefix', 'Namespace Prefix', 'Text'],
        ['FullName', 'Full Name', 'Text'],
        ['CreatedDate', 'Created Date', 'DateTime'],
        ['LastModifiedDate', 'Last Modified Date', 'DateTime'],
        ['CreatedById', 'Created By ID', 'Lookup', 'User'],
        ...specs
    ] as [string, string, FieldType, string?][]) {
        fields.set(name, {
            ...standardField(name, fieldLabel, type),
            ...(referenceTo ? { referenceTo } : {})
        });
    }
    return { apiName, label, custom: false, kind: 'object', keyPrefix, hasOwner: false, fields };
}

/** The Tooling API's own objects (a separate schema: the data API does not see them). */
export function toolingSchema(): OrgSchema {
    return new Map([
        [
            CHANNEL,
            toolingObject(CHANNEL, 'Platform Event Channel', '0YL', [
                ['ChannelType', 'Channel Type', 'Picklist']
            ])
        ],
        [
            MEMBER,
            toolingObject(MEMBER, 'Platform Event Channel Member', '0v8', [
                ['EventChannel', 'Event Channel ID', 'Lookup', CHANNEL],
                ['SelectedEntity', 'Selected Entity', 'Text'],
                ['FilterExpression', 'Filter Expression', 'TextArea']
            ])
        ],
        [TRUSTED_URL, trustedUrlObject()]
    ]);
}

/** Every stored member with its channel's name: what the event bus filters by. */
export function readChannelMembers(tooling: LocalOrg): ChannelMemberRecord[] {
    const channels = new Map(tooling.find(CHANNEL).map((c) => [c.Id, String(c.FullName)]));
    return tooling.find(MEMBER).map((m) => ({
        channel: channels.get(m.EventChannel) ?? '',
        selectedEntity: String(m.SelectedEntity),
        filterExpression: (m.FilterExpression as string | null) ?? null
    }));
}

/** Applies every stored channel and member to the registry (at start, after a restart). */
export function applyStoredChannels(tooling: LocalOrg, registry: ChannelRegistry): void {
    for (const channel of tooling.find(CHANNEL)) {
        registry.createChannel(
            String(channel.FullName),
            channel.ChannelType === 'data' ? 'data' : 'event'
        );
    }
    for (const member of readChannelMembers(tooling)) {
        registry.addMember(member.channel, member.selectedEntity, member.filterExpression);
    }
}

/** Stores the channels and members force-app deploys, once (a deployed package's metadata). */
export function deployPackagedChannels(
    tooling: LocalOrg,
    forceAppDir: string,
    namespace: string | undefined
): void {
    const read = (dir: string, suffix: string) => {
        const path = join(forceAppDir, dir);
        if (!existsSync(path)) return [];
        return readdirSync(path)
            .filter((f) => f.endsWith(suffix))
            .sort()
            .map((f) => ({
                name: f.slice(0, -suffix.length),
                xml: readFileSync(join(path, f), 'utf8')
            }));
    };
    const tag = (xml: string, name: string) =>
        new RegExp(`<${name}>([^<]*)</${name}>`).exec(xml)?.[1]?.trim();
    tooling.transaction(() => {
        for (const { name, xml } of read(
            'platformEventChannels',
            '.platformEventChannel-meta.xml'
        )) {
            const fullName = withNamespace(name, namespace);
            if (tooling.find(CHANNEL, { FullName: fullName }).length) continue;
            tooling.insert(CHANNEL, {
                FullName: fullName,
                DeveloperName: name.replace(/__chn$/, ''),
                MasterLabel: tag(xml, 'label') ?? name,
                NamespacePrefix: namespace ?? null,
                ChannelType: tag(xml, 'channelType') ?? 'event'
            });
        }
        for (const { name, xml } of read(
            'platformEventChannelMembers',
            '.platformEventChannelMember-meta.xml'
        )) {
            const channelName = withNamespace(tag(xml, 'eventChannel') ?? '', namespace);
            const channel = tooling.find(CHANNEL, { FullName: channelName })[0];
            const fullName = namespace ? `${namespace}__${name}` : name;
            if (!channel || tooling.find(MEMBER, { FullName: fullName }).length) continue;
            tooling.insert(MEMBER, {
                FullName: fullName,
                DeveloperName: name,
                MasterLabel: name,
                NamespacePrefix: namespace ?? null,
                EventChannel: channel.Id as string,
                SelectedEntity: withNamespace(tag(xml, 'selectedEntity') ?? '', namespace),
                FilterExpression: tag(xml, 'filterExpression') ?? null
            });
        }
    });
}

/** Routes under `/tooling`, served by the tooling store. */
export function toolingResources(
    router: Router,
    registry: () => ChannelRegistry | undefined
): void {
    queryResources(router, '/tooling');
    trustedUrlResources(router);
    const apply = (work: (r: ChannelRegistry) => void) => {
        const target = registry();
        if (!target)
            throw new ApiError(
                503,
                'SERVICE_UNAVAILABLE',
                'The local org was started without its event bus.'
            );
        try {
            work(target);
        } catch (error) {
            const code = (error as { code?: unknown }).code;
            if (typeof code === 'string') throw new ApiError(400, code, (error as Error).message);
            throw error;
        }
    };
    router
        .add(
            'POST',
            /^\/tooling\/sobjects\/(PlatformEventChannel|PlatformEventChannelMember)\/?$/i,
            (req, m, ctx) => {
                const body = objectBody(req.body);
                const fullName = typeof body.FullName === 'string' ? body.FullName : '';
                const metadata = (
                    body.Metadata && typeof body.Metadata === 'object' ? body.Metadata : {}
                ) as Record<string, unknown>;
                if (!fullName)
                    throw new ApiError(
                        400,
                        'REQUIRED_FIELD_MISSING',
                        'Required fields are missing: [FullName]',
                        ['FullName']
                    );
                if (
                    ctx.org.find(
                        m[1]!.toLowerCase() === 'platformeventchannel' ? CHANNEL : MEMBER,
                        { FullName: fullName }
                    ).length
                ) {
                    throw new ApiError(
                        400,
                        'DUPLICATE_DEVELOPER_NAME',
                        `There's already a ${m[1]} named ${fullName}.`
                    );
                }
                let values: SObject;
                if (m[1]!.toLowerCase() === 'platformeventchannel') {
                    const channelType = metadata.channelType === 'data' ? 'data' : 'event';
                    if (!/__chn$/.test(fullName))
                        throw new ApiError(
                            400,
                            'FIELD_INTEGRITY_EXCEPTION',
                            `A channel's FullName ends in __chn: ${fullName}`
                        );
                    apply((r) => r.createChannel(fullName, channelType));
                    values = {
                        FullName: fullName,
                        DeveloperName: fullName
                            .replace(/__chn$/, '')
                            .replace(/^[A-Za-z0-9]+__/, ''),
                        MasterLabel: typeof metadata.label === 'string' ? metadata.label : fullName,
                        ChannelType: channelType
                    };
                    return created(ctx.org.insert(CHANNEL, values, { userId: req.session.userId }));
                }
                const channelName = text(metadata.eventChannel);
                const selectedEntity = text(metadata.selectedEntity);
                const filter =
                    typeof metadata.filterExpression === 'string' &&
                    metadata.filterExpression.trim()
                        ? metadata.filterExpression
                        : null;
                const channel = ctx.org.find(CHANNEL, { FullName: channelName })[0];
                if (!channel)
                    throw new ApiError(
                        400,
                        'INVALID_CROSS_REFERENCE_KEY',
                        `No channel named ${channelName}`
                    );
                apply((r) => r.addMember(channelName, selectedEntity, filter));
                values = {
                    FullName: fullName,
                    DeveloperName: fullName,
                    MasterLabel: fullName,
                    EventChannel: channel.Id as string,
                    SelectedEntity: selectedEntity,
                    FilterExpression: filter
                };
                return created(ctx.org.insert(MEMBER, values, { userId: req.session.userId }));
            }
        )
        .add(
            'GET',
            /^\/tooling\/sobjects\/(PlatformEventChannel|PlatformEventChannelMember)\/([^/]+)\/?$/i,
            (req, m, ctx) => {
                const object = ctx.names.object(m[1]!);
                const record = ctx.org.get(object.apiName, m[2]!);
                if (!record) throw notFound();
                return ok({
                    ...apiRecord(object, record, req.version).valueOf(),
                    Metadata: metadataOf(ctx.org, object, record)
                });
            }
        )
        .add(
            'DELETE',
            /^\/tooling\/sobjects\/(PlatformEventChannel|PlatformEventChannelMember)\/([^/]+)\/?$/i,
            (_req, m, ctx) => {
                const object = ctx.names.object(m[1]!);
                const record = ctx.org.get(object.apiName, m[2]!);
                if (!record) throw notFound();
                ctx.org.transaction(() => {
                    if (object.apiName === CHANNEL) {
                        const members = ctx.org.find(MEMBER, { EventChannel: record.Id as string });
                        if (members.length) {
                            throw new ApiError(
                                400,
                                'DELETE_FAILED',
                                `Delete the channel's ${members.length} member(s) first.`
                            );
                        }
                        apply((r) => r.deleteChannel(String(record.FullName)));
                    } else {
                        const channel = ctx.org.get(CHANNEL, String(record.EventChannel));
                        apply((r) =>
                            r.removeMember(
                                String(channel?.FullName ?? ''),
                                String(record.SelectedEntity)
                            )
                        );
                    }
                    ctx.org.delete(object.apiName, String(record.Id));
                });
                return noContent;
            }
        );
}

function created(record: SObject) {
    return ok({ id: record.Id, success: true, errors: [], warnings: [], infos: [] }, 201);
}

function metadataOf(tooling: LocalOrg, object: ObjectDescribe, record: SObject) {
    if (object.apiName === CHANNEL)
        return { channelType: record.ChannelType, label: record.MasterLabel };
    const channel = tooling.get(CHANNEL, String(record.EventChannel));
    return {
        eventChannel: channel?.FullName ?? null,
        selectedEntity: record.SelectedEntity,
        filterExpression: record.FilterExpression ?? null
    };
}
