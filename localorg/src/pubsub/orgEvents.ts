/**
 * The local org's event services in one place, for the server that starts the org:
 * the event bus, Change Data Capture, the Pub/Sub API and the streaming endpoint, all on
 * one bus so every path broadcasts and counts the same way.
 *
 *   const events = createOrgEvents({ entities: schema.values() });
 *   limits.addSource(events.bus.allocations);            // /limits
 *   restContext.events = events.rest;                    // POST /sobjects/X__e
 *   events.recordsCommitted(changes, { userId });        // after each committed write
 *   const pubsub = await events.startPubSub(authenticate);
 *   await events.registerStreaming(app, userOfRequest);
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { registerStreamingEndpoint } from '../streaming/streamingEndpoint';
import { ChangeDataCapture, type CommitInfo, type CommittedChange } from './changeDataCapture';
import { ALL_CHANGE_EVENTS, EventBus, type EventBusOptions } from './eventBus';
import { changeEventName, toAvroValue, type EntitySource } from './eventSchemas';
import {
    startPubSubServer,
    type PubSubAuthenticator,
    type PubSubServer,
    type PubSubServerOptions
} from './pubsubServer';

export interface OrgEventsOptions extends Omit<EventBusOptions, 'entities'> {
    entities: Iterable<EntitySource>;
    /**
     * Objects selected for Change Data Capture (Setup → Change Data Capture on an org).
     * Default: every custom object, so the gateway's configuration objects are captured.
     */
    capturedObjects?: string[];
}

export type RestPublishResult =
    { ok: true; uuid: string } | { ok: false; errorCode: string; message: string };

export interface OrgEvents {
    bus: EventBus;
    changeDataCapture: ChangeDataCapture;
    /** Publishing through REST (`POST /sobjects/X__e`): JSON values, hourly allocation counted. */
    rest: {
        publish(
            entity: string,
            payload: Record<string, unknown>,
            userId?: string
        ): RestPublishResult;
    };
    /** Call after every committed REST write (one call per transaction). */
    recordsCommitted(changes: CommittedChange[], commit: CommitInfo): void;
    startPubSub(
        authenticate: PubSubAuthenticator,
        options?: Omit<PubSubServerOptions, 'bus' | 'authenticate'>
    ): Promise<PubSubServer>;
    registerStreaming(
        app: FastifyInstance,
        authenticate: (request: FastifyRequest) => string | undefined
    ): Promise<void>;
}

export function createOrgEvents(options: OrgEventsOptions): OrgEvents {
    const entities = [...options.entities];
    const now = options.now ?? Date.now;
    const bus = new EventBus({ ...options, entities, now });
    const captured =
        options.capturedObjects ??
        entities
            .filter((e) => e.kind === 'object' && e.apiName.endsWith('__c'))
            .map((e) => e.apiName);
    for (const object of captured) bus.addMember(ALL_CHANGE_EVENTS, changeEventName(object));
    const changeDataCapture = new ChangeDataCapture(bus, now);

    return {
        bus,
        changeDataCapture,
        rest: {
            publish(entity, payload, userId = '') {
                const schema = bus.schemaOfEntity(entity);
                if (!schema || !entity.endsWith('__e'))
                    return {
                        ok: false,
                        errorCode: 'INVALID_TYPE',
                        message: `sObject type '${entity}' is not supported.`
                    };
                const values: Record<string, unknown> = { CreatedDate: now(), CreatedById: userId };
                for (const [field, value] of Object.entries(payload)) {
                    const type = schema.fieldTypes.get(field);
                    if (!type || field === 'CreatedDate' || field === 'CreatedById')
                        return {
                            ok: false,
                            errorCode: 'INVALID_FIELD',
                            message: `No such column '${field}' on sobject of type ${entity}`
                        };
                    values[field] = toAvroValue(type, value);
                }
                for (const [field, type] of schema.fieldTypes)
                    if (!(field in values)) values[field] = type === 'Checkbox' ? false : null;
                const [result] = bus.publish(entity, [{ payload: values }]);
                return result!.ok ? { ok: true, uuid: result!.uuid } : result!;
            }
        },
        recordsCommitted: (changes, commit) => changeDataCapture.publish(changes, commit),
        startPubSub: (authenticate, serverOptions) =>
            startPubSubServer({ now, ...serverOptions, bus, authenticate }),
        registerStreaming: (app, authenticate) =>
            registerStreamingEndpoint(app, { bus, authenticate })
    };
}
