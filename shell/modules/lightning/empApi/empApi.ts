/**
 * Stand-in for `lightning/empApi`, implementing its documented contract over a WebSocket
 * to the local org's streaming endpoint (what CometD is on the platform, on the page's own
 * origin, authenticated by the org's `sid` session cookie): subscribe / unsubscribe /
 * onError / setDebugFlag / isEmpEnabled, messages shaped
 * `{ channel, data: { schema, payload, event: { replayId, EventUuid } } }`.
 * Like the platform's CometD client it reconnects by itself and resumes each subscription
 * from the last replay id it saw. The org broadcasts every event of a channel to every
 * subscriber and counts each delivery; past the daily allocation the error reaches
 * `onError` (`403::Organization total events daily limit exceeded`).
 */
export interface EmpMessage {
    channel: string;
    data: {
        schema: string;
        payload: Record<string, unknown>;
        event: { replayId: number; EventUuid: string };
    };
}

export interface Subscription {
    id: string;
    channel: string;
    replayId: number;
}

type MessageCallback = (message: EmpMessage) => void;
type ErrorCallback = (error: unknown) => void;

interface Pending {
    subscription: Subscription;
    onMessage: MessageCallback;
    confirm?: (subscription: Subscription) => void;
    reject?: (error: unknown) => void;
}

/** Where the local org serves its streaming endpoint (localorg/src/streaming). */
const STREAMING_PATH = '/cometd/62.0';

const subscriptions = new Map<string, Pending>();
const errorListeners: ErrorCallback[] = [];
let socket: WebSocket | undefined;
let socketOpen = false;
let retryDelayMs = 500;
let debug = false;
let nextId = 1;

function socketUrl(): string {
    const { protocol, host } = window.location;
    return `${protocol === 'https:' ? 'wss' : 'ws'}://${host}${STREAMING_PATH}`;
}

function send(message: unknown): void {
    if (socket && socketOpen) socket.send(JSON.stringify(message));
}

function ensureSocket(): void {
    if (socket) return;
    const ws = new WebSocket(socketUrl());
    socket = ws;
    ws.onopen = () => {
        socketOpen = true;
        retryDelayMs = 500;
        for (const { subscription } of subscriptions.values()) {
            send({
                type: 'subscribe',
                id: subscription.id,
                channel: subscription.channel,
                replayId: subscription.replayId
            });
        }
    };
    ws.onmessage = (event: MessageEvent<string>) => handle(JSON.parse(event.data));
    ws.onclose = () => {
        socket = undefined;
        const wasOpen = socketOpen;
        socketOpen = false;
        if (wasOpen) notifyError({ error: 'Connection lost', channel: '/meta/connect' });
        if (subscriptions.size > 0) {
            setTimeout(ensureSocket, retryDelayMs);
            retryDelayMs = Math.min(retryDelayMs * 2, 15_000);
        }
    };
}

function handle(message: {
    type: string;
    id?: string;
    channel?: string;
    data?: EmpMessage['data'];
    message?: string;
}): void {
    if (debug) console.info('[empApi]', message);
    const pending = message.id ? subscriptions.get(message.id) : undefined;
    if (message.type === 'subscribed' && pending) {
        pending.confirm?.(pending.subscription);
        pending.confirm = undefined;
        pending.reject = undefined;
    } else if (message.type === 'event' && pending && message.data && message.channel) {
        pending.subscription.replayId = message.data.event.replayId;
        pending.onMessage({ channel: message.channel, data: message.data });
    } else if (message.type === 'error') {
        if (pending?.reject) {
            pending.reject({ error: message.message, channel: pending.subscription.channel });
            subscriptions.delete(pending.subscription.id);
        }
        notifyError({ error: message.message, channel: pending?.subscription.channel });
    }
}

function notifyError(error: unknown): void {
    for (const listener of errorListeners) listener(error);
}

export function subscribe(
    channel: string,
    replayId: number,
    onMessageCallback: MessageCallback
): Promise<Subscription> {
    const subscription: Subscription = { id: `sub-${nextId++}`, channel, replayId };
    return new Promise((resolve, reject) => {
        subscriptions.set(subscription.id, {
            subscription,
            onMessage: onMessageCallback,
            confirm: resolve,
            reject
        });
        ensureSocket();
        send({ type: 'subscribe', id: subscription.id, channel, replayId });
    });
}

export function unsubscribe(
    subscription: Subscription,
    callback?: (response: { successful: boolean }) => void
): Promise<boolean> {
    const existed = subscriptions.delete(subscription.id);
    send({ type: 'unsubscribe', id: subscription.id });
    callback?.({ successful: existed });
    return Promise.resolve(existed);
}

export function onError(callback: ErrorCallback): void {
    errorListeners.push(callback);
}

export function setDebugFlag(flag: boolean): void {
    debug = flag;
}

export function isEmpEnabled(): Promise<boolean> {
    return Promise.resolve(typeof WebSocket !== 'undefined');
}
