/**
 * The streaming endpoint behind the shell's `lightning/empApi` stand-in: what CometD is to
 * empApi on the platform, over one WebSocket per browser. It subscribes on the same event
 * bus as the Pub/Sub API, so it broadcasts and counts alike:
 * - every subscriber of a channel receives every event on it (no per-user audience);
 * - replay `-1` (new events), `-2` (everything retained) or after a replay id; an id
 *   outside the 72-hour window is refused with the platform's `400::The replayId …` error;
 * - every delivery counts against the org's daily allocation; once it is spent the socket
 *   gets `403::Organization total events daily limit exceeded` and is disconnected.
 * Messages carry the event as CometD does: JSON values (ISO date-times) and, for change
 * events, field names rather than the Pub/Sub API's bitmaps.
 *
 * Protocol (JSON text frames):
 *   → { type: 'subscribe', id, channel, replayId }   ← { type: 'subscribed', id, channel, replayId }
 *   → { type: 'unsubscribe', id }                    ← { type: 'event', id, channel, data: { schema, payload, event: { replayId, EventUuid } } }
 *                                                    ← { type: 'error', id?, message }
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import websocket from '@fastify/websocket';
import type { WebSocket } from 'ws';
import { z } from 'zod';
import {
    EventBusError,
    type BusEvent,
    type EventBus,
    type ReplayFrom,
    type Subscription
} from '../pubsub/eventBus';
import { toJsonPayload } from './jsonPayload';

export const STREAMING_PATH = '/cometd/62.0';

export const DELIVERY_LIMIT_MESSAGE = '403::Organization total events daily limit exceeded';

const ClientMessage = z.discriminatedUnion('type', [
    z.object({
        type: z.literal('subscribe'),
        id: z.string().min(1).max(64),
        channel: z.string().min(1).max(255),
        replayId: z.number().int().min(-2)
    }),
    z.object({ type: z.literal('unsubscribe'), id: z.string().min(1).max(64) })
]);

export interface StreamingOptions {
    bus: EventBus;
    /** The signed-in user of the request (the org's session), or undefined. */
    authenticate(request: FastifyRequest): string | undefined;
    path?: string;
}

function replayFrom(replayId: number): ReplayFrom {
    if (replayId === -1) return { preset: 'LATEST' };
    if (replayId === -2) return { preset: 'EARLIEST' };
    return { preset: 'CUSTOM', replayId };
}

function errorMessage(error: EventBusError, channel: string, replayId: number): string {
    switch (error.code) {
        case 'UNKNOWN_CHANNEL':
            return '403::Unknown channel';
        case 'REPLAY_ID_INVALID':
            return `400::The replayId {${replayId}} you provided was invalid.  Please provide a valid ID, -2 to replay all events, or -1 to replay only new events.`;
        case 'DELIVERY_LIMIT_EXCEEDED':
            return DELIVERY_LIMIT_MESSAGE;
        default:
            return `400::${error.message} (${channel})`;
    }
}

/** Serves the endpoint on a Fastify app (registers `@fastify/websocket` when absent). */
export async function registerStreamingEndpoint(
    app: FastifyInstance,
    options: StreamingOptions
): Promise<void> {
    const { bus } = options;
    await app.register(async (scope) => {
        if (!scope.hasDecorator('websocketServer')) await scope.register(websocket);
        scope.get(
            options.path ?? STREAMING_PATH,
            { websocket: true },
            (socket: WebSocket, request) => {
                if (!options.authenticate(request)) {
                    socket.send(
                        JSON.stringify({ type: 'error', message: '401::Authentication invalid' })
                    );
                    socket.close(4401, 'Authentication invalid');
                    return;
                }
                const subscriptions = new Map<string, Subscription>();
                const send = (message: unknown) => {
                    if (socket.readyState === socket.OPEN) socket.send(JSON.stringify(message));
                };
                const disconnect = (message: string) => {
                    send({ type: 'error', message });
                    for (const s of subscriptions.values()) s.close();
                    subscriptions.clear();
                    socket.close(4403, 'Disconnected');
                };
                socket.on('close', () => {
                    for (const s of subscriptions.values()) s.close();
                    subscriptions.clear();
                });
                socket.on('message', (raw) => {
                    let message: z.infer<typeof ClientMessage>;
                    try {
                        message = ClientMessage.parse(JSON.parse(raw.toString()));
                    } catch {
                        send({ type: 'error', message: '400::Malformed message' });
                        return;
                    }
                    if (message.type === 'unsubscribe') {
                        subscriptions.get(message.id)?.close();
                        subscriptions.delete(message.id);
                        return;
                    }
                    subscriptions.get(message.id)?.close();
                    const { id, channel, replayId } = message;
                    const pending: BusEvent[] = [];
                    let confirmed = false;
                    const deliver = (event: BusEvent) => {
                        if (!confirmed) pending.push(event);
                        else send({ type: 'event', id, channel, data: toCometdData(bus, event) });
                    };
                    try {
                        const subscription = bus.subscribe(
                            channel,
                            replayFrom(replayId),
                            {
                                deliver,
                                end: (error) => disconnect(errorMessage(error, channel, replayId))
                            },
                            false
                        );
                        subscriptions.set(id, subscription);
                    } catch (error) {
                        if (!(error instanceof EventBusError)) throw error;
                        const text = errorMessage(error, channel, replayId);
                        if (error.code === 'DELIVERY_LIMIT_EXCEEDED') disconnect(text);
                        else send({ type: 'error', id, message: text });
                        return;
                    }
                    send({ type: 'subscribed', id, channel, replayId });
                    confirmed = true;
                    for (const event of pending) deliver(event);
                });
            }
        );
    });
}

function toCometdData(bus: EventBus, event: BusEvent): unknown {
    return {
        schema: event.schemaId,
        payload: toJsonPayload(bus.schemaById(event.schemaId)!, event.payload),
        event: { replayId: event.replayId, EventUuid: event.uuid }
    };
}
