/**
 * Change Data Capture over the Pub/Sub API: what an admin edits in the org (streams,
 * rules, groups and their members, rep availability, users — the objects the setup guide
 * selects for capture) reaches the adapter as change events on `/data/ChangeEvents`, and
 * the adapter tells its listeners, as it does for its own writes. One subscription for the
 * gateway; it spends one event delivery per change, no API request.
 *
 * Custom metadata (sites, settings) is deployed, not written, and the platform captures no
 * changes to it: a new deployment needs a gateway restart.
 */
import type { Connection } from 'jsforce';
import PubSubApiClient from 'salesforce-pubsub-api-client';
import type { PubSubSettings } from '../../config';
import type { OrgNames } from './orgNames';

export const CHANGE_EVENTS_TOPIC = '/data/ChangeEvents';
/** After a broken subscription, the first retry waits this long, doubling up to a minute. */
const FIRST_RETRY_MS = 500;
const MAX_RETRY_MS = 60_000;

/** The client's logger, silenced: the follower reports what matters through `onError`. */
const quiet = { debug() {}, info() {}, warn() {}, error() {} };

interface ChangeEventHeader {
    entityName?: unknown;
    recordIds?: unknown;
}

export class ChangeEventFollower {
    private client: PubSubApiClient | undefined;
    private closed = false;
    private retryMs = FIRST_RETRY_MS;
    private retryTimer: ReturnType<typeof setTimeout> | undefined;
    /** The stream's last replay id seen: a new subscription resumes after it, so none is lost. */
    private lastReplayId: number | undefined;

    constructor(
        private readonly conn: Connection,
        private readonly settings: PubSubSettings,
        private readonly names: OrgNames,
        /** An object changed; `recordIds` are the changed records the event names. */
        private readonly onChange: (objectApiName: string, recordIds: string[]) => void,
        private readonly onError: (error: unknown) => void
    ) {}

    /** Connects and subscribes; resolves once the subscription request is sent. */
    async start(): Promise<void> {
        const organizationId = this.conn.userInfo?.organizationId;
        if (!this.conn.accessToken || !this.conn.instanceUrl || !organizationId)
            throw new Error('Following changes needs a signed-in connection to the org.');
        const client = new PubSubApiClient(
            {
                authType: 'user-supplied',
                accessToken: this.conn.accessToken,
                // The client insists on https (a real org's instance URL is); the local org
                // serves REST over plain http on loopback, its Pub/Sub API over TLS.
                instanceUrl: this.conn.instanceUrl.replace(/^http:/, 'https:'),
                organizationId,
                pubSubEndpoint: this.settings.endpoint,
                rejectUnauthorizedSsl: !this.settings.trustAnyCertificate
            },
            quiet
        );
        await client.connect();
        this.client = client;
        const callback = (info: { lastReplayId?: number | null }, type: string, data?: unknown) =>
            this.received(client, info, type, data);
        if (this.lastReplayId === undefined) client.subscribe(CHANGE_EVENTS_TOPIC, callback, null);
        else client.subscribeFromReplayId(CHANGE_EVENTS_TOPIC, callback, null, this.lastReplayId);
    }

    private received(
        client: PubSubApiClient,
        info: { lastReplayId?: number | null },
        type: string,
        data: unknown
    ): void {
        if (client !== this.client) return;
        // Events and keepalives both carry the stream's latest replay id: resuming after it
        // loses nothing, even when no change came yet.
        if (typeof info.lastReplayId === 'number') this.lastReplayId = info.lastReplayId;
        const ended = type === 'error' || type === 'end';
        if (this.closed) {
            // Closed while the stream was open: now it is over, the client may go.
            if (ended) this.dropClient();
            return;
        }
        if (type === 'event') {
            const event = data as { replayId?: number; payload?: Record<string, unknown> };
            if (typeof event.replayId === 'number') this.lastReplayId = event.replayId;
            this.retryMs = FIRST_RETRY_MS;
            const header = event.payload?.ChangeEventHeader as ChangeEventHeader | undefined;
            const entity = typeof header?.entityName === 'string' ? header.entityName : undefined;
            const recordIds = Array.isArray(header?.recordIds)
                ? header.recordIds.filter((id): id is string => typeof id === 'string')
                : [];
            if (entity) this.onChange(this.bareName(entity), recordIds);
        } else if (type === 'error' && (data as Error | undefined)?.name === 'EventParseError') {
            // One event the client could not decode: the stream goes on.
            this.onError(data);
        } else if (ended) {
            const reason = data instanceof Error ? `: ${data.message}` : '';
            this.onError(
                new Error(
                    `The change event subscription ${type === 'end' ? 'ended' : 'failed'}${reason}; resubscribing`
                )
            );
            this.dropClient();
            this.resubscribe();
        }
    }

    private dropClient(): void {
        this.client?.close();
        this.client = undefined;
    }

    /**
     * A subscription breaks when the session expires or the org restarts: a REST call
     * refreshes the session (jsforce signs in again), then a new client resumes after the
     * last event seen.
     */
    private resubscribe(): void {
        if (this.closed || this.retryTimer) return;
        this.retryTimer = setTimeout(() => {
            this.retryTimer = undefined;
            if (this.closed) return;
            void this.conn
                .limits()
                .then(() => this.start())
                .catch((error: unknown) => {
                    this.onError(error);
                    this.resubscribe();
                });
        }, this.retryMs);
        this.retryMs = Math.min(this.retryMs * 2, MAX_RETRY_MS);
    }

    /** `sline__Live_Stream__c` → `Live_Stream__c` (what the adapter's listeners know). */
    private bareName(entity: string): string {
        const prefix = this.names.namespace ? `${this.names.namespace}__` : '';
        return prefix && entity.startsWith(prefix) ? entity.slice(prefix.length) : entity;
    }

    /**
     * Stops following. The client's own close drops its stream listeners before the stream
     * ends, so the stream's last error would go unhandled: an open stream is left to end
     * with the connection (its events ignored), and the client closed then.
     */
    close(): void {
        this.closed = true;
        if (this.retryTimer) clearTimeout(this.retryTimer);
        this.retryTimer = undefined;
    }
}
