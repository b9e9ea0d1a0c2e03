/**
 * `GET /api/v1/live` (WebSocket): the console's direct socket.
 *
 * 1. The console opens it and sends `{ type: 'auth', token }` within `authTimeoutMs`; the
 *    token (liveToken.ts) is redeemed once, and the user it names must still be active
 *    and hold Sightline access in the org — else the socket closes with 4401/4403/4408 and
 *    a reason. Nothing is sent before that.
 * 2. `{ type: 'ready', epoch, heartbeatMs }`. The console answers `{ type: 'resume', epoch,
 *    since }` (and again after every new snapshot); from there the gateway pushes this
 *    user's change pages whenever they move (consoleSockets.ts), instead of Platform Events.
 * 3. Every `heartbeatMs`: a `heartbeat` message (the browser cannot see protocol pings, so
 *    this is what its silence timer watches), a protocol ping (a socket that did not answer
 *    the previous one is dropped), and the user's access asked again (the access cache
 *    keeps answers 30 s, or until the org reports a permission change, which re-checks
 *    every socket at once). A revoked user's sockets close with 4403.
 */
import '@fastify/websocket';
import type { FastifyInstance } from 'fastify';
import type { WebSocket } from 'ws';
import {
    SOCKET_CLOSE,
    type ConsoleSocketAuth,
    type ConsoleSocketMessage,
    type ConsoleSocketResume
} from '../../contracts/liveContract';
import type { CrmPort } from '../../crm/crmPort';
import { PERMISSION_OBJECTS, type UserAccessCache } from '../../identity/userAccessCache';
import type { Clock } from '../clock';
import type { ConsoleConnection, ConsoleSockets } from './consoleSockets';
import type { LiveTokens } from './liveToken';

export const LIVE_SOCKET_PATH = '/api/v1/live';
export const HEARTBEAT_MS = 15_000;
const AUTH_TIMEOUT_MS = 10_000;
/** A close reason is at most 123 bytes. */
const reason = (text: string) => text.slice(0, 120);

export interface ConsoleSocketRouteOptions {
    tokens: LiveTokens;
    sockets: ConsoleSockets;
    access: UserAccessCache;
    crm: Pick<CrmPort, 'onChange'>;
    clock: Clock;
    epoch: () => string;
    heartbeatMs?: number;
    authTimeoutMs?: number;
}

interface OpenSocket extends ConsoleConnection {
    /** Answered the last protocol ping. */
    alive: boolean;
    socket: WebSocket;
}

export async function consoleSocketRoutes(
    app: FastifyInstance,
    options: ConsoleSocketRouteOptions
): Promise<void> {
    const { tokens, sockets, access, clock } = options;
    const heartbeatMs = options.heartbeatMs ?? HEARTBEAT_MS;
    const authTimeoutMs = options.authTimeoutMs ?? AUTH_TIMEOUT_MS;
    const open = new Set<OpenSocket>();

    /** Closes the user's socket unless the org still lets the user use Sightline. */
    const recheck = async (connection: OpenSocket) => {
        const verdict = await access.get(connection.userId).catch(() => 'unknown' as const);
        // The org not answering is not a revocation: keep the socket, ask again next beat.
        if (verdict === 'unknown') return;
        if (!verdict?.active || !(verdict.sightline || verdict.admin))
            connection.close(SOCKET_CLOSE.revoked, 'Sightline access was removed.');
    };

    const beat = clock.setInterval(() => {
        const heartbeat = JSON.stringify({
            type: 'heartbeat',
            at: clock.now()
        } satisfies ConsoleSocketMessage);
        for (const connection of open) {
            if (!connection.alive) {
                connection.socket.terminate();
                continue;
            }
            connection.alive = false;
            connection.socket.ping();
            connection.send(heartbeat);
            void recheck(connection);
        }
    }, heartbeatMs);
    const unsubscribe = options.crm.onChange((object) => {
        if (PERMISSION_OBJECTS.has(object)) for (const connection of open) void recheck(connection);
    });
    app.addHook('onClose', async () => {
        beat.cancel();
        unsubscribe();
        sockets.closeAll(SOCKET_CLOSE.goingAway, 'The gateway is shutting down.');
    });

    app.get(LIVE_SOCKET_PATH, { websocket: true }, (socket) => {
        let authenticated = false;
        const refuse = (code: number, text: string) => {
            if (socket.readyState === socket.OPEN) socket.close(code, reason(text));
        };
        const timeout = clock.setTimeout(
            () => refuse(SOCKET_CLOSE.authTimeout, 'No live token was sent.'),
            authTimeoutMs
        );
        socket.on('close', () => timeout.cancel());
        let connection: OpenSocket | undefined;
        socket.on('message', (raw) => {
            if (authenticated) {
                // After its token the console only says where its snapshot is.
                const resume = resumeOf(raw.toString());
                if (connection && resume) sockets.resume(connection, resume.epoch, resume.since);
                return;
            }
            authenticated = true;
            timeout.cancel();
            void tokens
                .redeem(authTokenOf(raw.toString()))
                .then(async (verdict) => {
                    if (!verdict.ok) return refuse(SOCKET_CLOSE.unauthorized, verdict.message);
                    const user = await access.get(verdict.userId);
                    if (!user?.active || !(user.sightline || user.admin))
                        return refuse(SOCKET_CLOSE.revoked, 'Sightline access was removed.');
                    if (socket.readyState !== socket.OPEN) return;
                    const accepted: OpenSocket = {
                        userId: user.id,
                        alive: true,
                        socket,
                        isOpen: () => socket.readyState === socket.OPEN,
                        send: (json) => {
                            if (socket.readyState !== socket.OPEN) return false;
                            socket.send(json);
                            return true;
                        },
                        close: refuse
                    };
                    connection = accepted;
                    socket.on('pong', () => (accepted.alive = true));
                    const remove = sockets.add(accepted);
                    open.add(accepted);
                    socket.on('close', () => {
                        remove();
                        open.delete(accepted);
                    });
                    accepted.send(
                        JSON.stringify({
                            type: 'ready',
                            epoch: options.epoch(),
                            heartbeatMs
                        } satisfies ConsoleSocketMessage)
                    );
                })
                .catch(() =>
                    // The shared state (spending the token) or the org (the user's access) did
                    // not answer: nothing is proven, so nothing opens.
                    refuse(
                        SOCKET_CLOSE.unauthorized,
                        'The gateway could not check your token and access right now.'
                    )
                );
        });
    });
}

function authTokenOf(text: string): string | undefined {
    try {
        const message = JSON.parse(text) as Partial<ConsoleSocketAuth> | null;
        return message?.type === 'auth' && typeof message.token === 'string'
            ? message.token
            : undefined;
    } catch {
        return undefined;
    }
}

function resumeOf(text: string): ConsoleSocketResume | undefined {
    try {
        const message = JSON.parse(text) as Partial<ConsoleSocketResume> | null;
        return message?.type === 'resume' &&
            typeof message.epoch === 'string' &&
            Number.isSafeInteger(message.since) &&
            (message.since ?? -1) >= 0
            ? (message as ConsoleSocketResume)
            : undefined;
    } catch {
        return undefined;
    }
}
