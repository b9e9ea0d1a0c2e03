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
     * Default: the gateway's configuration objects (`CAPTURED_OBJECTS`), namespaced or not.
     */
    capturedObjects?: string[];
}

/**
 * What the gateway caches and watches through Change Data Capture, by packaged name: the
 * routing configuration, availability, users (a deactivated user loses access at once) and
 * accounts (owner and target flag steer routing). Visitors, conversations and messages are
 * left out: capturing them would spend the delivery allocation on every beacon, and the
 * admin selects only these in the setup guide.
 */
export const CAPTURED_OBJECTS = [
    'Live_Stream__c',
    'Routing_Rule__c',
    'Routing_Group__c',
    'Routing_Group_Member__c',
    'Rep_Availability__c',
    'User',
    'Account'
];

/** `sline__Live_Stream__c` → `Live_Stream__c`; unprefixed names (standard objects) stay as they are. */
function packagedName(apiName: string): string {
    return /^[A-Za-z][A-Za-z0-9]*__([A-Za-z].*__c)$/.exec(apiName)?.[1] ?? apiName;
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
    /** Ends every subscription and stops the Pub/Sub servers this started. */
    close(): Promise<void>;
}

export function createOrgEvents(options: OrgEventsOptions): OrgEvents {
    const entities = [...options.entities];
    const now = options.now ?? Date.now;
    const bus = new EventBus({ ...options, entities, now });
    const captured =
        options.capturedObjects ??
        entities
            .filter(
                (e) => e.kind === 'object' && CAPTURED_OBJECTS.includes(packagedName(e.apiName))
            )
            .map((e) => e.apiName);
    for (const object of captured) bus.addMember(ALL_CHANGE_EVENTS, changeEventName(object));
    const changeDataCapture = new ChangeDataCapture(bus, now);
    const pubSubServers: PubSubServer[] = [];

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
        async startPubSub(authenticate, serverOptions) {
            const server = await startPubSubServer({ now, ...serverOptions, bus, authenticate });
            pubSubServers.push(server);
            return server;
        },
        registerStreaming: (app, authenticate) =>
            registerStreamingEndpoint(app, { bus, authenticate }),
        async close() {
            bus.closeAll();
            for (const server of pubSubServers.splice(0)) await server.close();
        }
    };
}
