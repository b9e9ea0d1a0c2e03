/**
 * The local event bus behind the `lightning/empApi` stand-in: a WebSocket endpoint that
 * speaks subscribe / unsubscribe and delivers platform-event messages with replay ids.
 *
 * Each socket belongs to a signed-in user, and an event names who may receive it — as a
 * filtered custom channel does on the platform — so nothing reaches a console that its
 * user may not see.
 */
import { randomUUID } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { WebSocket } from 'ws';
import '@fastify/websocket';
import { z } from 'zod';

export interface BusEvent {
    replayId: number;
    channel: string;
    schema: string;
    payload: Record<string, unknown>;
    uuid: string;
    /** Who may receive it; evaluated per subscriber. */
    audience: (userId: string) => boolean;
}

const ClientMessage = z.discriminatedUnion('type', [
    z.object({
        type: z.literal('subscribe'),
        id: z.string().min(1).max(64),
        channel: z.string().min(1).max(255),
        replayId: z.number().int()
    }),
    z.object({ type: z.literal('unsubscribe'), id: z.string().min(1).max(64) })
]);

/** How many events each channel keeps for replay (the platform keeps 72 hours)… */
const RETAINED_EVENTS = 2000;
/** …and at most this many characters of payload, so large batched deltas cannot pile up in memory. */
const RETAINED_CHARS = 8 * 1024 * 1024;

function payloadChars(payload: Record<string, unknown>): number {
    let chars = 0;
    for (const value of Object.values(payload))
        chars += typeof value === 'string' ? value.length : 16;
    return chars;
}

interface Client {
    userId: string;
    socket: WebSocket;
    subscriptions: Map<string, string>;
}

export class LocalEventBus {
    private readonly clients = new Set<Client>();
    private readonly retained = new Map<string, BusEvent[]>();
    private readonly retainedChars = new Map<string, number>();
    private nextReplayId = 1;

    /** @param channels the channels that exist: `/event/X__e` and `/event/X__chn`. */
    constructor(private readonly channels: Set<string>) {}

    register(app: FastifyInstance, userOf: (request: FastifyRequest) => string): void {
        app.get('/local/event-bus', { websocket: true }, (socket, request) => {
            const client: Client = { userId: userOf(request), socket, subscriptions: new Map() };
            this.clients.add(client);
            socket.on('message', (raw) => this.receive(client, raw.toString()));
            socket.on('close', () => this.clients.delete(client));
        });
    }

    publish(
        channel: string,
        schema: string,
        payload: Record<string, unknown>,
        audience: BusEvent['audience']
    ): BusEvent {
        if (!this.channels.has(channel)) throw new Error(`Unknown channel ${channel}`);
        const event: BusEvent = {
            replayId: this.nextReplayId++,
            channel,
            schema,
            payload,
            uuid: randomUUID(),
            audience
        };
        const log = this.retained.get(channel) ?? [];
        log.push(event);
        let chars = (this.retainedChars.get(channel) ?? 0) + payloadChars(payload);
        let drop = Math.max(0, log.length - RETAINED_EVENTS);
        for (let i = 0; i < drop; i++) chars -= payloadChars(log[i]!.payload);
        while (drop < log.length - 1 && chars > RETAINED_CHARS)
            chars -= payloadChars(log[drop++]!.payload);
        if (drop > 0) log.splice(0, drop);
        this.retained.set(channel, log);
        this.retainedChars.set(channel, chars);
        for (const client of this.clients) {
            for (const [id, subscribed] of client.subscriptions) {
                if (subscribed === channel) this.deliver(client, id, event);
            }
        }
        return event;
    }

    /** Closes every socket, as when the streaming server goes away. */
    disconnectAll(): void {
        for (const client of this.clients) client.socket.close(1012, 'Service restart');
    }

    private receive(client: Client, raw: string): void {
        let message: z.infer<typeof ClientMessage>;
        try {
            message = ClientMessage.parse(JSON.parse(raw));
        } catch {
            client.socket.send(
                JSON.stringify({ type: 'error', message: '400::Malformed message' })
            );
            return;
        }
        if (message.type === 'unsubscribe') {
            client.subscriptions.delete(message.id);
            return;
        }
        if (!this.channels.has(message.channel)) {
            client.socket.send(
                JSON.stringify({
                    type: 'error',
                    id: message.id,
                    message: `403::Unknown channel ${message.channel}`
                })
            );
            return;
        }
        client.subscriptions.set(message.id, message.channel);
        client.socket.send(
            JSON.stringify({
                type: 'subscribed',
                id: message.id,
                channel: message.channel,
                replayId: message.replayId
            })
        );
        // -1: new events only; -2: everything retained; n: everything after n.
        if (message.replayId !== -1) {
            const after = message.replayId === -2 ? 0 : message.replayId;
            for (const event of this.retained.get(message.channel) ?? []) {
                if (event.replayId > after) this.deliver(client, message.id, event);
            }
        }
    }

    private deliver(client: Client, subscriptionId: string, event: BusEvent): void {
        if (!event.audience(client.userId)) return;
        client.socket.send(
            JSON.stringify({
                type: 'event',
                id: subscriptionId,
                channel: event.channel,
                data: {
                    schema: event.schema,
                    payload: event.payload,
                    event: { replayId: event.replayId, EventUuid: event.uuid }
                }
            })
        );
    }
}
