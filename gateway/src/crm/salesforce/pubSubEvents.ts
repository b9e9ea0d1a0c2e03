/**
 * Notifications as `Visitor_Update__e` events published through the Pub/Sub API: audience,
 * epoch, sequence and kind, never record data (every subscriber of the channel receives
 * every event). The notifications of one publisher flush go out together in one `Publish`
 * call, Avro-encoded against the event's schema.
 *
 * Why the Pub/Sub API and not REST: "Publishing via REST/SOAP/Bulk ALSO consumes daily API
 * requests; publishing via Pub/Sub API, Apex, flows does NOT."
 * (/work/shared/reference/salesforce-platform-facts.md §1 and §11; the Pub/Sub API's own
 * allocations page, https://developer.salesforce.com/docs/platform/pub-sub-api/guide/allocations.html,
 * lists only the hourly platform event publishing allocation for Publish.) Both ways spend
 * the same `HourlyPublishedPlatformEvents`.
 *
 * Why not `PubSubApiClient.publish` / `publishBatch` (salesforce-pubsub-api-client 5.5):
 * `publish` sends one event per call, and `publishBatch` maps each PublishResult to
 * `{ replayId, correlationKey }`, dropping its `error`, then decodes the empty replay id of a
 * failed event, which throws inside the stream's listener. So the transport calls the Publish
 * RPC itself, over the `pubsub_api.proto` the client ships and with the headers it sends
 * (`accesstoken`, `instanceurl`, `tenantid`), and reads every result.
 */
import { randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import avro from 'avsc';
import type { Connection } from 'jsforce';
import type { PubSubSettings } from '../../config';
import type { LiveNotification } from '../../contracts/liveContract';
import type { PublishTransport } from '../../live/publisher';
import type { OrgNames } from './orgNames';

/** "We recommend that you send no more than 200 events in one publish request" (allocations page). */
export const MAX_EVENTS_PER_PUBLISH = 200;
/** The recommended 3 MB per PublishRequest, under gRPC's 4 MB (allocations page). */
export const MAX_PUBLISH_BYTES = 3 * 1024 * 1024;

/** The event's fields: all a subscriber of the channel learns. */
export function notificationFields(notification: LiveNotification): Record<string, unknown> {
    return {
        Audience__c: notification.audience,
        Epoch__c: notification.epoch,
        Sequence__c: notification.sequence,
        Kind__c: notification.kind
    };
}

/** A notification the org did not take: why, and which one (its correlation key). */
export class NotificationNotPublished extends Error {
    constructor(
        readonly notification: LiveNotification,
        readonly correlationKey: string,
        reason: string
    ) {
        super(
            `Visitor_Update__e for ${notification.audience} (sequence ${notification.sequence}) was not published: ${reason}`
        );
        this.name = 'NotificationNotPublished';
    }
}

interface ProducerEvent {
    id: string;
    schemaId: string;
    payload: Buffer;
}
interface PublishResult {
    replayId: Buffer;
    error: { code: string; msg: string } | null;
    correlationKey: string;
}
type Unary<Req, Res> = (
    request: Req,
    options: grpc.CallOptions,
    callback: (error: grpc.ServiceError | null, response?: Res) => void
) => void;
interface PubSubStub extends grpc.Client {
    GetTopic: Unary<{ topicName: string }, { schemaId: string; canPublish: boolean }>;
    GetSchema: Unary<{ schemaId: string }, { schemaJson: string }>;
    Publish: Unary<
        { topicName: string; events: ProducerEvent[] },
        { results: PublishResult[]; schemaId: string }
    >;
}

function pubSubService(): grpc.ServiceClientConstructor {
    const require = createRequire(import.meta.url);
    const clientEntry = require.resolve('salesforce-pubsub-api-client');
    const protoFile = join(dirname(clientEntry), '..', 'pubsub_api.proto');
    const definition = protoLoader.loadSync(protoFile, { enums: String, defaults: true });
    const loaded = grpc.loadPackageDefinition(definition) as unknown as {
        eventbus: { v1: { PubSub: grpc.ServiceClientConstructor } };
    };
    return loaded.eventbus.v1.PubSub;
}

/**
 * Flushes wait for the one before: a call the network leaves unanswered must end
 * (`DEADLINE_EXCEEDED`, then a new channel) rather than hold every later notification.
 */
const CALL_DEADLINE_MS = 10_000;

function call<Req, Res>(method: Unary<Req, Res>, stub: PubSubStub, request: Req): Promise<Res> {
    return new Promise((resolve, reject) =>
        method.call(
            stub,
            request,
            { deadline: Date.now() + CALL_DEADLINE_MS },
            (error, response) =>
                error || !response ? reject(error ?? new Error('No response')) : resolve(response)
        )
    );
}

/** The `error-code` trailer the Pub/Sub API puts on a failed call, with the status. */
function describeCallError(error: unknown): string {
    const status = error as Partial<grpc.ServiceError>;
    const code = status.metadata?.get('error-code')[0];
    return `${status.details ?? (error as Error).message}${code ? ` (${String(code)})` : ''}`;
}

export class PubSubEventTransport implements PublishTransport {
    private readonly topicName: string;
    private pending: LiveNotification[] = [];
    /** Flushes go out one after another, so a rep's notifications keep their order. */
    private sending: Promise<void> = Promise.resolve();
    private stub: PubSubStub | undefined;
    /** The event's schema, fetched once (GetTopic → GetSchema) and kept until the org refuses it. */
    private schema: { id: string; type: avro.Type } | undefined;
    private closed = false;
    /** Events the org accepted. */
    publishedEvents = 0;
    /** Events the org refused, or that a failed call never delivered (each reported to `onError`). */
    failedEvents = 0;
    /** Publish calls made (a flush of up to 200 notifications is one). */
    publishCalls = 0;

    constructor(
        private readonly conn: Connection,
        private readonly settings: PubSubSettings,
        private readonly names: OrgNames,
        private readonly onError: (error: unknown) => void
    ) {
        this.topicName = `/event/${names.of('Visitor_Update__e')}`;
    }

    /** Notifications of the same turn (one publisher flush) are published together. */
    notify(notification: LiveNotification): void {
        if (this.closed) return;
        this.pending.push(notification);
        if (this.pending.length === 1) queueMicrotask(() => this.flush());
    }

    /** Resolves once everything notified so far has been published or reported. */
    settled(): Promise<void> {
        this.flush();
        return this.sending;
    }

    /** Publishes what is pending, then stops: later notifications are dropped. */
    async close(): Promise<void> {
        this.closed = true;
        await this.settled();
        this.stub?.close();
        this.stub = undefined;
    }

    private flush(): void {
        const batch = this.pending;
        this.pending = [];
        if (batch.length === 0) return;
        this.sending = this.sending.then(() => this.publish(batch));
    }

    private async publish(notifications: LiveNotification[]): Promise<void> {
        let schema;
        try {
            schema = await this.currentSchema();
        } catch (error) {
            this.lost(
                notifications,
                `the topic's schema is unavailable: ${describeCallError(error)}`
            );
            await this.reconnect(error);
            return;
        }
        const events: { notification: LiveNotification; event: ProducerEvent }[] = [];
        for (const notification of notifications) {
            try {
                const payload = schema.type.toBuffer(this.record(notification));
                events.push({
                    notification,
                    event: { id: randomUUID(), schemaId: schema.id, payload }
                });
            } catch (error) {
                // The event's fields are not the ones the gateway knows (another package version).
                this.lost(
                    [notification],
                    `it does not fit the topic's schema: ${(error as Error).message}`
                );
            }
        }
        for (const chunk of chunks(events)) await this.publishChunk(chunk);
    }

    private async publishChunk(
        chunk: { notification: LiveNotification; event: ProducerEvent }[]
    ): Promise<void> {
        this.publishCalls++;
        let response;
        try {
            const stub = this.connected();
            response = await call(stub.Publish, stub, {
                topicName: this.topicName,
                events: chunk.map((c) => c.event)
            });
        } catch (error) {
            this.lost(
                chunk.map((c) => c.notification),
                describeCallError(error)
            );
            await this.reconnect(error);
            return;
        }
        const results = new Map(response.results.map((r) => [r.correlationKey, r]));
        for (const { notification, event } of chunk) {
            const result = results.get(event.id);
            if (result && !result.error) {
                this.publishedEvents++;
                continue;
            }
            this.failedEvents++;
            this.onError(
                new NotificationNotPublished(
                    notification,
                    event.id,
                    result?.error
                        ? `${result.error.code}: ${result.error.msg}`
                        : 'the org sent no result for it'
                )
            );
            // The event may have been redeployed with another schema: the next flush asks
            // again (GetTopic and GetSchema spend no API request).
            this.schema = undefined;
        }
    }

    /** The notification as the schema's record: the system fields the org overwrites, then ours. */
    private record(notification: LiveNotification): Record<string, unknown> {
        return {
            CreatedDate: Date.now(),
            CreatedById: this.conn.userInfo?.id ?? '',
            ...this.names.out(notificationFields(notification))
        };
    }

    private lost(notifications: LiveNotification[], reason: string): void {
        for (const notification of notifications) {
            this.failedEvents++;
            this.onError(new NotificationNotPublished(notification, '', reason));
        }
    }

    private async currentSchema(): Promise<{ id: string; type: avro.Type }> {
        if (this.schema) return this.schema;
        const stub = this.connected();
        const topic = await call(stub.GetTopic, stub, { topicName: this.topicName });
        if (!topic.canPublish) throw new Error(`Publishing to ${this.topicName} is not allowed`);
        const { schemaJson } = await call(stub.GetSchema, stub, { schemaId: topic.schemaId });
        this.schema = {
            id: topic.schemaId,
            type: avro.Type.forSchema(JSON.parse(schemaJson) as avro.Schema)
        };
        return this.schema;
    }

    /** The gRPC channel to the org's Pub/Sub API, opened on first use. */
    private connected(): PubSubStub {
        if (this.stub) return this.stub;
        const organizationId = this.conn.userInfo?.organizationId;
        if (!this.conn.instanceUrl || !organizationId)
            throw new Error('Publishing needs a signed-in connection to the org.');
        // Read at each call: jsforce replaces the token when it signs in again.
        const headers = grpc.credentials.createFromMetadataGenerator((_params, callback) => {
            const metadata = new grpc.Metadata();
            metadata.add('accesstoken', this.conn.accessToken ?? '');
            // The platform wants the org's https URL; the local org serves REST over http.
            metadata.add('instanceurl', this.conn.instanceUrl.replace(/^http:/, 'https:'));
            metadata.add('tenantid', organizationId);
            callback(null, metadata);
        });
        const tls = grpc.credentials.createSsl(null, null, null, {
            rejectUnauthorized: !this.settings.trustAnyCertificate
        });
        const Service = pubSubService();
        this.stub = new Service(
            this.settings.endpoint,
            grpc.credentials.combineChannelCredentials(tls, headers)
        ) as unknown as PubSubStub;
        return this.stub;
    }

    /**
     * A failed call: the next flush opens a new channel and fetches the schema again. An
     * expired session is refreshed first (a REST call makes jsforce sign in again).
     */
    private async reconnect(error: unknown): Promise<void> {
        this.stub?.close();
        this.stub = undefined;
        this.schema = undefined;
        if ((error as Partial<grpc.ServiceError>).code !== grpc.status.UNAUTHENTICATED) return;
        try {
            await this.conn.limits();
        } catch (refreshError) {
            this.onError(refreshError);
        }
    }
}

/** Splits a flush into Publish requests within the documented limits. */
function chunks<T extends { event: ProducerEvent }>(events: T[]): T[][] {
    const out: T[][] = [];
    let current: T[] = [];
    let bytes = 0;
    for (const entry of events) {
        const size = entry.event.payload.length;
        if (
            current.length === MAX_EVENTS_PER_PUBLISH ||
            (current.length > 0 && bytes + size > MAX_PUBLISH_BYTES)
        ) {
            out.push(current);
            current = [];
            bytes = 0;
        }
        current.push(entry);
        bytes += size;
    }
    if (current.length > 0) out.push(current);
    return out;
}
