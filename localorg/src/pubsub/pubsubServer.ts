/**
 * The local org's Pub/Sub API: a gRPC server built from the `pubsub_api.proto` that
 * `salesforce-pubsub-api-client` ships (read from node_modules, never copied), answering
 * GetTopic, GetSchema, Publish, PublishStream and Subscribe as the platform does, over the
 * one event bus the streaming endpoint also uses.
 *
 * - Auth: every call carries `accesstoken`, `instanceurl` and `tenantid` metadata, checked
 *   against the REST server's sessions; anything else is `UNAUTHENTICATED` with
 *   `sfdc.platform.eventbus.grpc.service.auth.error`.
 * - Publish: ≤ 1 MB per event (that one event fails) and the topic's current schema id,
 *   Avro decoded with the topic's schema; each event counts against the hourly publishing
 *   allocation, none spends an API request. 200 events and 3 MB per request are the
 *   documented *recommendations* and are not refused; a request over gRPC's 4 MB is.
 * - Subscribe: `num_requested` flow control capped at 100 outstanding, replay presets
 *   LATEST / EARLIEST / CUSTOM, keepalive empty batches carrying the latest replay id,
 *   and the platform's errors in the `error-code` trailer.
 */
import { randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import {
    EventBusError,
    type BusEvent,
    type EventBus,
    type ReplayFrom,
    type Subscription
} from './eventBus';
import { decodeReplayId, encodeReplayId } from './replayId';
import { selfSignedCertificate, type TlsKeyPair } from './selfSignedCertificate';

export interface PubSubCredentials {
    accessToken: string;
    instanceUrl: string;
    tenantId: string;
}

export interface PubSubSession {
    userId: string;
    organizationId: string;
}

/** Checks call credentials against the org's sessions (the REST server's). */
export type PubSubAuthenticator = (credentials: PubSubCredentials) => PubSubSession | undefined;

export interface PubSubServerOptions {
    bus: EventBus;
    authenticate: PubSubAuthenticator;
    host?: string;
    /** 0 (default) picks a free port. */
    port?: number;
    /** The platform sends a keepalive within 270 s; tests use less. */
    keepaliveMs?: number;
    tls?: TlsKeyPair;
    now?: () => number;
}

export interface PubSubServer {
    port: number;
    /** `host:port`, what the client's `pubSubEndpoint` takes. */
    endpoint: string;
    close(): Promise<void>;
}

/** "If your PublishRequest exceeds 4 MB, the publish call fails" (Pub/Sub API allocations). */
export const MAX_PUBLISH_REQUEST_BYTES = 4 * 1024 * 1024;
export const MAX_EVENT_BYTES = 1024 * 1024;
export const MAX_REQUESTED = 100;

/** The `error-code` trailers this server sends. */
export const PUBSUB_ERROR_CODES = {
    auth: 'sfdc.platform.eventbus.grpc.service.auth.error',
    topicNotFound: 'sfdc.platform.eventbus.grpc.topic.notfound',
    replayIdInvalid: 'sfdc.platform.eventbus.grpc.subscription.fetch.replayid.corrupted',
    deliveryLimit: 'sfdc.platform.eventbus.grpc.subscription.limit.exceeded',
    schemaNotFound: 'sfdc.platform.eventbus.grpc.schema.notfound',
    publishNotAllowed: 'sfdc.platform.eventbus.grpc.publish.topic.not.allowed',
    badRequest: 'sfdc.platform.eventbus.grpc.service.invalid.request'
} as const;

function loadProto(): grpc.GrpcObject {
    const require = createRequire(import.meta.url);
    const clientEntry = require.resolve('salesforce-pubsub-api-client');
    const protoFile = join(dirname(clientEntry), '..', 'pubsub_api.proto');
    const definition = protoLoader.loadSync(protoFile, {
        enums: String,
        defaults: true,
        longs: Number
    });
    return grpc.loadPackageDefinition(definition);
}

interface PubSubStatus {
    code: grpc.status;
    details: string;
    metadata: grpc.Metadata;
}

function failure(
    code: grpc.status,
    errorCode: string,
    message: string,
    rpcId: string
): PubSubStatus {
    const metadata = new grpc.Metadata();
    metadata.set('error-code', errorCode);
    metadata.set('rpc-id', rpcId);
    return { code, details: `${message} rpcId: ${rpcId}`, metadata };
}

function busFailure(error: unknown, rpcId: string): PubSubStatus {
    if (!(error instanceof EventBusError)) throw error;
    switch (error.code) {
        case 'UNKNOWN_CHANNEL':
            return failure(
                grpc.status.NOT_FOUND,
                PUBSUB_ERROR_CODES.topicNotFound,
                error.message,
                rpcId
            );
        case 'REPLAY_ID_INVALID':
            return failure(
                grpc.status.INVALID_ARGUMENT,
                PUBSUB_ERROR_CODES.replayIdInvalid,
                'The Replay ID validation failed.',
                rpcId
            );
        case 'DELIVERY_LIMIT_EXCEEDED':
            return failure(
                grpc.status.RESOURCE_EXHAUSTED,
                PUBSUB_ERROR_CODES.deliveryLimit,
                error.message,
                rpcId
            );
        case 'SERVICE_UNAVAILABLE':
            // The transient gRPC status, which clients retry with backoff (as at shutdown).
            return failure(
                grpc.status.UNAVAILABLE,
                PUBSUB_ERROR_CODES.badRequest,
                error.message,
                rpcId
            );
        default:
            return failure(
                grpc.status.INVALID_ARGUMENT,
                PUBSUB_ERROR_CODES.badRequest,
                error.message,
                rpcId
            );
    }
}

function credentialsOf(metadata: grpc.Metadata): PubSubCredentials {
    const first = (key: string): string => String(metadata.get(key)[0] ?? '');
    return {
        accessToken: first('accesstoken'),
        instanceUrl: first('instanceurl'),
        tenantId: first('tenantid')
    };
}

interface ProducerEvent {
    id: string;
    schemaId: string;
    payload: Buffer;
}
interface PublishRequest {
    topicName: string;
    events: ProducerEvent[];
}
interface FetchRequest {
    topicName: string;
    replayPreset: 'LATEST' | 'EARLIEST' | 'CUSTOM';
    replayId: Buffer;
    numRequested: number;
}

export async function startPubSubServer(options: PubSubServerOptions): Promise<PubSubServer> {
    const { bus } = options;
    const now = options.now ?? Date.now;
    const keepaliveMs = options.keepaliveMs ?? 270_000;
    const proto = loadProto() as unknown as {
        eventbus: { v1: { PubSub: grpc.ServiceClientConstructor } };
    };
    const server = new grpc.Server({
        'grpc.max_receive_message_length': MAX_PUBLISH_REQUEST_BYTES
    });
    const live = new Set<() => void>();

    function authenticate(metadata: grpc.Metadata, rpcId: string): PubSubSession | PubSubStatus {
        const session = options.authenticate(credentialsOf(metadata));
        return (
            session ??
            failure(
                grpc.status.UNAUTHENTICATED,
                PUBSUB_ERROR_CODES.auth,
                'An authentication exception occurred. Provide valid authentication via metadata headers.',
                rpcId
            )
        );
    }
    const isStatus = (value: PubSubSession | PubSubStatus): value is PubSubStatus =>
        'code' in value;

    function publish(
        request: PublishRequest,
        session: PubSubSession,
        rpcId: string
    ): object | PubSubStatus {
        let channel;
        try {
            channel = bus.channel(request.topicName);
        } catch (error) {
            return busFailure(error, rpcId);
        }
        if (!channel.canPublish || !channel.schema)
            return failure(
                grpc.status.PERMISSION_DENIED,
                PUBSUB_ERROR_CODES.publishNotAllowed,
                `Publishing to ${request.topicName} is not allowed.`,
                rpcId
            );
        const schema = channel.schema;
        const results: object[] = [];
        const accepted: { index: number; payload: Record<string, unknown> }[] = [];
        for (const [index, event] of request.events.entries()) {
            const error = (msg: string) => ({
                replayId: Buffer.alloc(0),
                error: { code: 'PUBLISH', msg },
                correlationKey: event.id
            });
            if (event.schemaId !== schema.id) {
                results[index] = error(
                    `Schema ${event.schemaId} is not the current schema of ${request.topicName}.`
                );
            } else if (event.payload.length > MAX_EVENT_BYTES) {
                results[index] = error(`The event is larger than ${MAX_EVENT_BYTES} bytes.`);
            } else {
                try {
                    const payload = schema.type.fromBuffer(event.payload) as Record<
                        string,
                        unknown
                    >;
                    // The org sets the system fields, whatever the publisher wrote.
                    accepted.push({
                        index,
                        payload: { ...payload, CreatedDate: now(), CreatedById: session.userId }
                    });
                } catch (decodeError) {
                    results[index] = error(
                        `The payload does not match the schema: ${(decodeError as Error).message}`
                    );
                }
            }
        }
        const published = bus.publish(
            schema.entity,
            accepted.map((a) => ({ payload: a.payload }))
        );
        published.forEach((result, i) => {
            const { index } = accepted[i]!;
            const correlationKey = request.events[index]!.id;
            results[index] = result.ok
                ? { replayId: encodeReplayId(result.replayId), correlationKey }
                : {
                      replayId: Buffer.alloc(0),
                      error: { code: 'PUBLISH', msg: `${result.errorCode}: ${result.message}` },
                      correlationKey
                  };
        });
        return { results, schemaId: schema.id, rpcId };
    }

    const handlers: grpc.UntypedServiceImplementation = {
        GetTopic(
            call: grpc.ServerUnaryCall<{ topicName: string }, object>,
            callback: grpc.sendUnaryData<object>
        ) {
            const rpcId = randomUUID();
            const session = authenticate(call.metadata, rpcId);
            if (isStatus(session)) return callback(session);
            try {
                const channel = bus.channel(call.request.topicName);
                callback(null, {
                    topicName: call.request.topicName,
                    tenantGuid: session.organizationId,
                    canPublish: channel.canPublish,
                    canSubscribe: true,
                    schemaId: channel.schema?.id ?? '',
                    rpcId
                });
            } catch (error) {
                callback(busFailure(error, rpcId));
            }
        },
        GetSchema(
            call: grpc.ServerUnaryCall<{ schemaId: string }, object>,
            callback: grpc.sendUnaryData<object>
        ) {
            const rpcId = randomUUID();
            const session = authenticate(call.metadata, rpcId);
            if (isStatus(session)) return callback(session);
            const schema = bus.schemaById(call.request.schemaId);
            if (!schema)
                return callback(
                    failure(
                        grpc.status.NOT_FOUND,
                        PUBSUB_ERROR_CODES.schemaNotFound,
                        `No schema ${call.request.schemaId}.`,
                        rpcId
                    )
                );
            callback(null, { schemaJson: schema.json, schemaId: schema.id, rpcId });
        },
        Publish(
            call: grpc.ServerUnaryCall<PublishRequest, object>,
            callback: grpc.sendUnaryData<object>
        ) {
            const rpcId = randomUUID();
            const session = authenticate(call.metadata, rpcId);
            if (isStatus(session)) return callback(session);
            const response = publish(call.request, session, rpcId);
            if ('code' in response) callback(response);
            else callback(null, response);
        },
        PublishStream(call: grpc.ServerDuplexStream<PublishRequest, object>) {
            const rpcId = randomUUID();
            const session = authenticate(call.metadata, rpcId);
            if (isStatus(session)) return void call.emit('error', session);
            call.on('data', (request: PublishRequest) => {
                const response = publish(request, session, rpcId);
                if ('code' in response) call.emit('error', response);
                else call.write(response);
            });
            call.on('end', () => call.end());
        },
        Subscribe(call: grpc.ServerDuplexStream<FetchRequest, object>) {
            const rpcId = randomUUID();
            const session = authenticate(call.metadata, rpcId);
            if (isStatus(session)) return void call.emit('error', session);
            let subscription: Subscription | undefined;
            let batch: BusEvent[] = [];
            let sentSinceKeepalive = false;
            let ended = false;
            const finish = (status?: PubSubStatus) => {
                if (ended) return;
                ended = true;
                clearInterval(keepalive);
                live.delete(stop);
                subscription?.close();
                if (status) call.emit('error', status);
                else call.end();
            };
            const stop = () =>
                finish(
                    failure(
                        grpc.status.UNAVAILABLE,
                        PUBSUB_ERROR_CODES.badRequest,
                        'The server is shutting down.',
                        rpcId
                    )
                );
            live.add(stop);
            const flush = () => {
                if (ended || batch.length === 0) return;
                const events = batch;
                batch = [];
                sentSinceKeepalive = true;
                call.write({
                    events: events.map((event) => ({
                        event: {
                            id: event.uuid,
                            schemaId: event.schemaId,
                            payload: bus.schemaById(event.schemaId)!.type.toBuffer(event.payload),
                            headers: []
                        },
                        replayId: encodeReplayId(event.replayId)
                    })),
                    latestReplayId: encodeReplayId(events.at(-1)!.replayId),
                    rpcId,
                    pendingNumRequested: subscription?.pendingRequested ?? 0
                });
            };
            const keepalive = setInterval(() => {
                if (!sentSinceKeepalive && !ended)
                    call.write({
                        events: [],
                        latestReplayId: encodeReplayId(bus.latestReplayId()),
                        rpcId,
                        pendingNumRequested: subscription?.pendingRequested ?? 0
                    });
                sentSinceKeepalive = false;
            }, keepaliveMs);
            keepalive.unref();

            call.on('data', (request: FetchRequest) => {
                if (ended) return;
                if (!subscription) {
                    let from: ReplayFrom;
                    if (request.replayPreset === 'CUSTOM') {
                        const replayId = decodeReplayId(request.replayId);
                        if (replayId === undefined)
                            return finish(
                                busFailure(
                                    new EventBusError('REPLAY_ID_INVALID', 'corrupted'),
                                    rpcId
                                )
                            );
                        from = { preset: 'CUSTOM', replayId };
                    } else {
                        from = {
                            preset: request.replayPreset === 'EARLIEST' ? 'EARLIEST' : 'LATEST'
                        };
                    }
                    try {
                        subscription = bus.subscribe(
                            request.topicName,
                            from,
                            {
                                deliver: (event) => {
                                    if (batch.push(event) === 1) queueMicrotask(flush);
                                },
                                end: (error) => {
                                    flush();
                                    finish(busFailure(error, rpcId));
                                }
                            },
                            true
                        );
                    } catch (error) {
                        return finish(busFailure(error, rpcId));
                    }
                }
                const room = MAX_REQUESTED - subscription.pendingRequested;
                if (request.numRequested > 0 && room > 0)
                    subscription.request(Math.min(request.numRequested, room));
            });
            call.on('end', () => finish());
            call.on('cancelled', () => finish());
            call.on('error', () => finish());
        },
        ManagedSubscribe(call: grpc.ServerDuplexStream<unknown, object>) {
            const rpcId = randomUUID();
            call.emit(
                'error',
                failure(
                    grpc.status.UNIMPLEMENTED,
                    PUBSUB_ERROR_CODES.badRequest,
                    'Managed subscriptions are not available in the local org.',
                    rpcId
                )
            );
        }
    };
    server.addService(proto.eventbus.v1.PubSub.service, handlers);

    const tls = options.tls ?? selfSignedCertificate();
    const host = options.host ?? '127.0.0.1';
    const port = await new Promise<number>((resolve, reject) =>
        server.bindAsync(
            `${host}:${options.port ?? 0}`,
            grpc.ServerCredentials.createSsl(
                null,
                [{ cert_chain: tls.cert, private_key: tls.key }],
                false
            ),
            (error, bound) => (error ? reject(error) : resolve(bound))
        )
    );
    return {
        port,
        endpoint: `${host === '127.0.0.1' ? 'localhost' : host}:${port}`,
        close: () =>
            new Promise<void>((resolve) => {
                for (const stop of [...live]) stop();
                server.tryShutdown(() => resolve());
                setTimeout(() => server.forceShutdown(), 2000).unref();
            })
    };
}
