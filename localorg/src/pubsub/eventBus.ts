/**
 * The local org's event bus, as the platform's behaves:
 * - an event on a channel reaches **every** subscriber of that channel (there is no
 *   per-user audience on the platform);
 * - a custom channel (`/event/Name__chn`) carries the events of its members' entities that
 *   pass the member's `filterExpression`, and nothing else;
 * - events are retained for 72 hours and replayed by id (`-1`/LATEST, `-2`/EARLIEST, or
 *   after a given id); an id outside the window is refused, never silently repositioned;
 * - every delivery to every subscriber counts against the rolling-day allocation, every
 *   published event against the rolling hour; past them subscribers are ended with the
 *   platform's error and publishes fail with `LIMIT_EXCEEDED`, not queued.
 *
 * Both the Pub/Sub API server and the streaming endpoint behind `lightning/empApi` sit on
 * this one bus, so they count and broadcast alike.
 */
import { randomUUID } from 'node:crypto';
import {
    EventAllocations,
    ENTERPRISE_ALLOCATIONS,
    type AllocationSettings
} from './eventAllocations';
import {
    changeEventName,
    changeEventSchema,
    platformEventSchema,
    type EntitySource,
    type EventSchema
} from './eventSchemas';
import { matchesFilter, parseFilterExpression, type FilterNode } from './filterExpression';

export const RETENTION_MS = 72 * 3_600_000;
/** Custom channels per org (all editions). */
export const MAX_CUSTOM_CHANNELS = 100;
/** The standard channel of every change event entity selected for Change Data Capture. */
export const ALL_CHANGE_EVENTS = 'ChangeEvents';

export interface BusEvent {
    replayId: number;
    entity: string;
    schemaId: string;
    /** EventUuid: unique per event, what subscribers deduplicate on. */
    uuid: string;
    /** Field values as the schema's Avro type reads them. */
    payload: Record<string, unknown>;
    publishedAt: number;
}

export type ReplayFrom =
    { preset: 'LATEST' } | { preset: 'EARLIEST' } | { preset: 'CUSTOM'; replayId: number };

export type EventBusErrorCode =
    | 'UNKNOWN_CHANNEL'
    | 'REPLAY_ID_INVALID'
    | 'DELIVERY_LIMIT_EXCEEDED'
    | 'SERVICE_UNAVAILABLE'
    | 'LIMIT_EXCEEDED'
    | 'DUPLICATE_VALUE'
    | 'INVALID_CROSS_REFERENCE_KEY'
    | 'INVALID_INPUT';

export class EventBusError extends Error {
    constructor(
        readonly code: EventBusErrorCode,
        message: string
    ) {
        super(message);
        this.name = 'EventBusError';
    }
}

export interface Subscriber {
    /** Each event, in replay order, once credit allows. */
    deliver(event: BusEvent): void;
    /** The bus ended the subscription (the delivery allocation is spent, or the service went away). */
    end(error: EventBusError): void;
}

export interface PublishInput {
    payload: Record<string, unknown>;
    uuid?: string;
}

export type PublishResult =
    | { ok: true; replayId: number; uuid: string }
    | { ok: false; errorCode: 'LIMIT_EXCEEDED'; message: string };

export interface EventBusOptions {
    /** Every object of the org: platform events get their channel, objects a change event. */
    entities: Iterable<EntitySource>;
    allocations?: Partial<AllocationSettings>;
    now?: () => number;
    /**
     * How many events the local org keeps at most, whatever their age: a bound on memory
     * the platform does not have (it keeps 72 hours of everything), documented as such.
     */
    maxRetainedEvents?: number;
}

interface Member {
    entity: string;
    filter?: FilterNode;
}

interface Channel {
    name: string;
    /** The entity whose schema GetTopic reports and publishes use, when there is one. */
    schema?: EventSchema;
    canPublish: boolean;
    carries(event: BusEvent): boolean;
}

export class Subscription {
    private credit: number;
    private readonly queue: BusEvent[] = [];
    private open = true;

    constructor(
        readonly channel: Channel,
        private readonly subscriber: Subscriber,
        private readonly bus: EventBus,
        unlimitedCredit: boolean
    ) {
        this.credit = unlimitedCredit ? Number.POSITIVE_INFINITY : 0;
    }

    get isOpen(): boolean {
        return this.open;
    }

    /** Flow control (Pub/Sub `num_requested`): allows `n` more events. */
    request(n: number): void {
        this.credit += n;
        this.flush();
    }

    /** Events requested but not yet delivered. */
    get pendingRequested(): number {
        return Number.isFinite(this.credit) ? this.credit : 0;
    }

    close(): void {
        this.open = false;
        this.queue.length = 0;
        this.bus.detach(this);
    }

    /** @internal */
    offer(event: BusEvent): void {
        if (!this.open) return;
        this.queue.push(event);
        this.flush();
    }

    /** @internal */
    fail(error: EventBusError): void {
        if (!this.open) return;
        this.close();
        this.subscriber.end(error);
    }

    private flush(): void {
        while (this.open && this.credit > 0 && this.queue.length > 0) {
            if (!this.bus.allocations.canDeliver()) {
                this.fail(deliveryLimitError());
                return;
            }
            const event = this.queue.shift()!;
            this.credit--;
            this.bus.allocations.countDelivery();
            this.subscriber.deliver(event);
        }
    }
}

function deliveryLimitError(): EventBusError {
    return new EventBusError(
        'DELIVERY_LIMIT_EXCEEDED',
        'You have exceeded the event delivery limit for your org.'
    );
}

export class EventBus {
    readonly allocations: EventAllocations;
    private readonly now: () => number;
    private readonly maxRetained: number;
    private readonly schemasByEntity = new Map<string, EventSchema>();
    private readonly schemasById = new Map<string, EventSchema>();
    /** Change event entities selected for Change Data Capture. */
    private readonly cdcEntities = new Set<string>();
    /** Change event entity → its object (`Live_Stream__ChangeEvent` → `Live_Stream__c`). */
    private readonly changeEventObjects = new Map<string, string>();
    private readonly customChannels = new Map<
        string,
        { type: 'event' | 'data'; members: Map<string, Member> }
    >();
    private readonly subscriptions = new Set<Subscription>();
    private readonly retained: BusEvent[] = [];
    private lastReplayId = 0;
    /** The highest replay id no longer retained: replaying after anything older is refused. */
    private prunedThrough = 0;

    constructor(options: EventBusOptions) {
        this.now = options.now ?? Date.now;
        this.maxRetained = options.maxRetainedEvents ?? 50_000;
        this.allocations = new EventAllocations(
            { ...ENTERPRISE_ALLOCATIONS, ...options.allocations },
            this.now
        );
        for (const entity of options.entities) {
            if (entity.kind === 'platformEvent') this.addSchema(platformEventSchema(entity));
            else if (entity.kind === 'object') {
                const schema = changeEventSchema(entity);
                this.addSchema(schema);
                this.changeEventObjects.set(schema.entity, entity.apiName);
            }
        }
    }

    private addSchema(schema: EventSchema): void {
        this.schemasByEntity.set(schema.entity, schema);
        this.schemasById.set(schema.id, schema);
    }

    schemaById(id: string): EventSchema | undefined {
        return this.schemasById.get(id);
    }

    schemaOfEntity(entity: string): EventSchema | undefined {
        return this.schemasByEntity.get(entity);
    }

    /** The change event schema of an object (`Live_Stream__c`), if the object exists. */
    changeEventSchemaOf(objectApiName: string): EventSchema | undefined {
        return this.schemasByEntity.get(changeEventName(objectApiName));
    }

    /** Whether Change Data Capture is on for the object (selected on `ChangeEvents`). */
    capturesChanges(objectApiName: string): boolean {
        return this.cdcEntities.has(changeEventName(objectApiName));
    }

    /** The objects selected for Change Data Capture. */
    capturedObjects(): string[] {
        return [...this.cdcEntities].map((entity) => this.changeEventObjects.get(entity)!);
    }

    // ---- channels and members (the Tooling API's PlatformEventChannel / …Member) ----

    /** Creates a custom channel `Name__chn`; the org has 100 at most. */
    createChannel(fullName: string, channelType: 'event' | 'data'): void {
        if (!/^[A-Za-z][A-Za-z0-9_]*__chn$/.test(fullName))
            throw new EventBusError('INVALID_INPUT', `Channel names end in __chn: ${fullName}`);
        if (this.customChannels.has(fullName))
            throw new EventBusError('DUPLICATE_VALUE', `Channel ${fullName} already exists`);
        if (this.customChannels.size >= MAX_CUSTOM_CHANNELS)
            throw new EventBusError(
                'LIMIT_EXCEEDED',
                `The org already has ${MAX_CUSTOM_CHANNELS} custom channels, the maximum`
            );
        this.customChannels.set(fullName, { type: channelType, members: new Map() });
    }

    /** Deletes a channel with its members; its subscribers are ended as on a removed topic. */
    deleteChannel(fullName: string): void {
        if (!this.customChannels.delete(fullName))
            throw new EventBusError('INVALID_CROSS_REFERENCE_KEY', `No channel ${fullName}`);
        for (const subscription of this.subscriptions) {
            if (subscription.channel.name.endsWith(`/${fullName}`)) subscription.close();
        }
    }

    /**
     * Adds an entity to a channel, with an optional filter expression (custom platform
     * events on event channels only, as on the platform). A member of the standard
     * `ChangeEvents` channel selects an object for Change Data Capture.
     */
    addMember(channelName: string, selectedEntity: string, filterExpression?: string | null): void {
        if (channelName === ALL_CHANGE_EVENTS) {
            if (
                !this.schemasByEntity.has(selectedEntity) ||
                !selectedEntity.endsWith('ChangeEvent')
            )
                throw new EventBusError(
                    'INVALID_CROSS_REFERENCE_KEY',
                    `No change event ${selectedEntity}`
                );
            if (filterExpression)
                throw new EventBusError(
                    'INVALID_INPUT',
                    'The ChangeEvents channel takes no filter'
                );
            this.cdcEntities.add(selectedEntity);
            return;
        }
        const channel = this.customChannels.get(channelName);
        if (!channel)
            throw new EventBusError('INVALID_CROSS_REFERENCE_KEY', `No channel ${channelName}`);
        const schema = this.schemasByEntity.get(selectedEntity);
        const isEvent = selectedEntity.endsWith('__e');
        if (!schema || (channel.type === 'event') !== isEvent)
            throw new EventBusError(
                'INVALID_CROSS_REFERENCE_KEY',
                `${selectedEntity} cannot be a member of the ${channel.type} channel ${channelName}`
            );
        if (channel.members.has(selectedEntity))
            throw new EventBusError(
                'DUPLICATE_VALUE',
                `${selectedEntity} is already a member of ${channelName}`
            );
        let filter: FilterNode | undefined;
        if (filterExpression) {
            try {
                filter = parseFilterExpression(filterExpression, (name) =>
                    filterableField(schema, name)
                );
            } catch (error) {
                throw new EventBusError(
                    'INVALID_INPUT',
                    `Invalid filter expression: ${(error as Error).message}`
                );
            }
        }
        channel.members.set(selectedEntity, {
            entity: selectedEntity,
            ...(filter ? { filter } : {})
        });
    }

    removeMember(channelName: string, selectedEntity: string): void {
        if (channelName === ALL_CHANGE_EVENTS) {
            this.cdcEntities.delete(selectedEntity);
            return;
        }
        const removed = this.customChannels.get(channelName)?.members.delete(selectedEntity);
        if (!removed)
            throw new EventBusError(
                'INVALID_CROSS_REFERENCE_KEY',
                `${selectedEntity} is not a member of ${channelName}`
            );
    }

    customChannelCount(): number {
        return this.customChannels.size;
    }

    /** The channel a topic name denotes, or an UNKNOWN_CHANNEL error. */
    channel(topicName: string): Channel {
        const match = /^\/(event|data)\/([A-Za-z0-9_]+)$/.exec(topicName);
        const [, space, name] = match ?? [];
        if (space === 'event' && name?.endsWith('__e')) {
            const schema = this.schemasByEntity.get(name);
            if (schema)
                return {
                    name: topicName,
                    schema,
                    canPublish: true,
                    carries: (e) => e.entity === name
                };
        }
        if (space === 'data' && name === ALL_CHANGE_EVENTS) {
            return {
                name: topicName,
                canPublish: false,
                carries: (e) => this.cdcEntities.has(e.entity)
            };
        }
        if (space === 'data' && name && this.cdcEntities.has(name)) {
            const schema = this.schemasByEntity.get(name)!;
            return {
                name: topicName,
                schema,
                canPublish: false,
                carries: (e) => e.entity === name
            };
        }
        const custom = name ? this.customChannels.get(name) : undefined;
        if (custom && custom.type === space) {
            const members = [...custom.members.values()];
            const only =
                members.length === 1 ? this.schemasByEntity.get(members[0]!.entity) : undefined;
            return {
                name: topicName,
                ...(only ? { schema: only } : {}),
                canPublish: false,
                carries: (event) => {
                    // Membership is read at delivery time: members added or removed at runtime apply at once.
                    const member = custom.members.get(event.entity);
                    return (
                        member !== undefined &&
                        (!member.filter || matchesFilter(member.filter, event.payload))
                    );
                }
            };
        }
        throw new EventBusError('UNKNOWN_CHANNEL', `The channel ${topicName} does not exist`);
    }

    // ---- publishing and subscribing ----

    /**
     * Publishes events of one entity. `countsAgainstPublishing` is false for change
     * events, which the platform publishes itself outside the hourly allocation.
     */
    publish(
        entity: string,
        events: PublishInput[],
        countsAgainstPublishing = true
    ): PublishResult[] {
        const schema = this.schemasByEntity.get(entity);
        if (!schema) throw new EventBusError('UNKNOWN_CHANNEL', `No event ${entity}`);
        if (countsAgainstPublishing && !this.allocations.canPublish(events.length)) {
            return events.map(() => ({
                ok: false,
                errorCode: 'LIMIT_EXCEEDED',
                message:
                    'The number of published platform event messages exceeded the hourly publishing limit.'
            }));
        }
        if (countsAgainstPublishing) this.allocations.countPublish(events.length);
        this.prune();
        return events.map((input) => {
            const event: BusEvent = {
                replayId: ++this.lastReplayId,
                entity,
                schemaId: schema.id,
                uuid: input.uuid ?? randomUUID(),
                payload: input.payload,
                publishedAt: this.now()
            };
            this.retained.push(event);
            for (const subscription of [...this.subscriptions]) {
                if (subscription.channel.carries(event)) subscription.offer(event);
            }
            return { ok: true, replayId: event.replayId, uuid: event.uuid };
        });
    }

    /**
     * Subscribes to a channel from a replay position. `flowControlled` subscribers (Pub/Sub)
     * receive only what they request; others (CometD) receive everything.
     */
    subscribe(
        topicName: string,
        from: ReplayFrom,
        subscriber: Subscriber,
        flowControlled: boolean
    ): Subscription {
        const channel = this.channel(topicName);
        this.prune();
        if (from.preset === 'CUSTOM' && !this.isReplayable(from.replayId))
            throw new EventBusError(
                'REPLAY_ID_INVALID',
                `The replay ID ${from.replayId} is outside the retention window or was never issued`
            );
        if (!this.allocations.canDeliver()) throw deliveryLimitError();
        const subscription = new Subscription(channel, subscriber, this, !flowControlled);
        this.subscriptions.add(subscription);
        if (from.preset !== 'LATEST') {
            const after = from.preset === 'EARLIEST' ? 0 : from.replayId;
            for (const event of this.retained) {
                if (event.replayId > after && channel.carries(event)) subscription.offer(event);
            }
        }
        return subscription;
    }

    /** The newest replay id issued (keepalives carry it). */
    latestReplayId(): number {
        return this.lastReplayId;
    }

    subscriberCount(): number {
        return this.subscriptions.size;
    }

    /**
     * Ends every subscription, as when the org's streaming service goes away: each
     * subscriber is told (a Pub/Sub stream ends with a status, a CometD client is
     * disconnected), as the platform ends a stream rather than leave it open and silent.
     * Clients resubscribe after the last replay id they saw.
     */
    closeAll(): void {
        const gone = new EventBusError(
            'SERVICE_UNAVAILABLE',
            'The event bus service is unavailable. Subscribe again.'
        );
        for (const subscription of [...this.subscriptions]) subscription.fail(gone);
    }

    /** @internal */
    detach(subscription: Subscription): void {
        this.subscriptions.delete(subscription);
    }

    private isReplayable(replayId: number): boolean {
        return (
            Number.isSafeInteger(replayId) &&
            replayId >= this.prunedThrough &&
            replayId <= this.lastReplayId
        );
    }

    private prune(): void {
        const oldest = this.now() - RETENTION_MS;
        let drop = 0;
        while (
            drop < this.retained.length &&
            (this.retained[drop]!.publishedAt < oldest ||
                this.retained.length - drop > this.maxRetained)
        )
            drop++;
        if (drop === 0) return;
        this.prunedThrough = this.retained[drop - 1]!.replayId;
        this.retained.splice(0, drop);
    }
}

/** Filters may name the event's custom fields (any case), as the platform allows. */
function filterableField(schema: EventSchema, name: string): string | undefined {
    const lower = name.toLowerCase();
    for (const [field, type] of schema.fieldTypes) {
        if (field.toLowerCase() === lower && field.endsWith('__c') && type !== 'LongTextArea')
            return field;
    }
    return undefined;
}
