/**
 * The visitor socket: connects on demand, reconnects with backoff, and holds messages
 * written while it is down until it is back (the gateway de-duplicates by clientMessageId).
 */
import type { ChatHost, GatewayToVisitor, VisitorSocketMessageInput } from '../types';

export interface VisitorSocket {
    connect(): void;
    /** Sends now, or once connected when `hold` is set; false when not sent now. */
    send(message: VisitorSocketMessageInput, hold?: boolean): boolean;
}

export function visitorSocket(
    host: ChatHost,
    receive: (frame: GatewayToVisitor) => void
): VisitorSocket {
    let socket: WebSocket | undefined;
    let wanted = false;
    let reconnectDelay = 1000;
    const held: VisitorSocketMessageInput[] = [];

    const isOpen = () => socket?.readyState === WebSocket.OPEN;
    const flush = () => {
        while (held.length > 0 && isOpen()) socket!.send(JSON.stringify(held.shift()));
    };

    function connect(): void {
        wanted = true;
        if (socket && socket.readyState <= WebSocket.OPEN) return;
        const { visitorId, sessionId } = host.ids();
        const url = new URL('/v1/visitor-socket', host.gateway);
        url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
        url.search = new URLSearchParams({
            siteKey: host.siteKey,
            visitorId,
            sessionId
        }).toString();
        const ws = new WebSocket(url.href);
        socket = ws;
        ws.onopen = () => {
            reconnectDelay = 1000;
            flush();
        };
        ws.onmessage = (event) => {
            try {
                receive(JSON.parse(String(event.data)) as GatewayToVisitor);
            } catch {
                /* a malformed frame is ignored */
            }
        };
        ws.onclose = () => {
            if (socket === ws) socket = undefined;
            if (wanted) {
                setTimeout(connect, reconnectDelay);
                reconnectDelay = Math.min(30_000, reconnectDelay * 2);
            }
        };
    }

    return {
        connect,
        send(message, hold = false) {
            if (isOpen()) {
                socket!.send(JSON.stringify(message));
                return true;
            }
            if (hold) {
                held.push(message);
                connect();
            }
            return false;
        }
    };
}
