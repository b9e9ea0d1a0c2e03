import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { WebSocket } from 'ws';
import {
    SOCKET_CLOSE,
    type ConsoleSocketMessage,
    type LiveTokenGrant
} from '../../contracts/liveContract';
import {
    beacon,
    ids,
    pageview,
    sendBeacon,
    startTestGateway,
    type TestGateway
} from '../../testing/liveTestApp';
import { USER_ACCESS_TTL_MS } from '../../identity/userAccessCache';
import { HEARTBEAT_MS, LIVE_SOCKET_PATH } from './consoleSocketRoutes';

interface OpenedSocket {
    ws: WebSocket;
    received: ConsoleSocketMessage[];
    until(match: (m: ConsoleSocketMessage) => boolean): Promise<ConsoleSocketMessage>;
    closed: Promise<{ code: number; reason: string }>;
}

describe('the console socket (/api/v1/live)', () => {
    let gw: TestGateway;
    before(async () => (gw = await startTestGateway()));
    after(async () => gw.close());

    async function mint(userId: string): Promise<LiveTokenGrant> {
        const response = await gw.action('mintLiveToken', userId);
        assert.equal(response.statusCode, 200, response.body);
        return response.json<LiveTokenGrant>();
    }

    /** Opens the socket and sends `first` (the token message); resolves on conditions only. */
    async function open(first?: string): Promise<OpenedSocket> {
        const received: ConsoleSocketMessage[] = [];
        const waiters: {
            match: (m: ConsoleSocketMessage) => boolean;
            resolve: (m: ConsoleSocketMessage) => void;
        }[] = [];
        let resolveClosed: (value: { code: number; reason: string }) => void = () => {};
        const closed = new Promise<{ code: number; reason: string }>((r) => (resolveClosed = r));
        const ws: WebSocket = await gw.app.injectWS(
            LIVE_SOCKET_PATH,
            {},
            {
                onInit: (socket: WebSocket) => {
                    // A browser answers protocol pings itself; the injected client is built
                    // without ws's client defaults, so it is told to.
                    socket.on('ping', (data) => socket.pong(data));
                    socket.on('message', (raw) => {
                        const message = JSON.parse(raw.toString()) as ConsoleSocketMessage;
                        received.push(message);
                        for (const waiter of [...waiters])
                            if (waiter.match(message)) {
                                waiters.splice(waiters.indexOf(waiter), 1);
                                waiter.resolve(message);
                            }
                    });
                    socket.on('close', (code, reason) =>
                        resolveClosed({ code, reason: reason.toString() })
                    );
                }
            }
        );
        if (first !== undefined) ws.send(first);
        return {
            ws,
            received,
            closed,
            until: (match) => {
                const seen = received.find(match);
                return seen
                    ? Promise.resolve(seen)
                    : new Promise((resolve) => waiters.push({ match, resolve }));
            }
        };
    }
    const auth = (token: string) => JSON.stringify({ type: 'auth', token });

    /** A beacon, then the clock moved by `windowMs` (default: the governor's batch window). */
    async function collect(
        who: ReturnType<typeof ids>,
        path: string,
        ts: number,
        windowMs = gw.live.publisher.freshness.windowMs
    ) {
        const response = await sendBeacon(gw, beacon(who, [pageview(path, ts)]));
        assert.equal(response.statusCode, 202, response.body);
        gw.clock.advance(windowMs);
        await gw.live.settled();
    }

    it('mints a token only through a signed Apex call, with the socket’s address', async () => {
        const unsigned = await gw.app.inject({
            method: 'POST',
            url: '/api/v1/actions/mintLiveToken',
            headers: {
                authorization: `Bearer ${gw.config.apiKey}`,
                'content-type': 'application/json',
                'x-sightline-user': gw.user('Emma').id
            },
            payload: '{}'
        });
        assert.equal(unsigned.statusCode, 401);
        const grant = await mint(gw.user('Emma').id);
        assert.equal(grant.url, `ws://localhost:80${LIVE_SOCKET_PATH}?user=${gw.user('Emma').id}`);
        assert.equal(grant.epoch, gw.live.publisher.epoch);
        assert.equal(grant.expiresAt, gw.clock.now() + 60_000);
    });

    it('pushes the rep’s change pages from where the console resumed, spending no event delivery', async () => {
        // Every rep's console is open on events: the notifications they cost make the
        // governor pace events for this org.
        for (const user of gw.users) gw.live.publisher.snapshot(user.id);
        const who = ids('sock');
        await collect(who, '/pricing', 1);
        const rep = gw.live.decision(who.sessionId)!.routing.assignedTo!;
        assert.ok(rep, 'the pricing visitor is routed to a rep');
        const socket = await open(auth((await mint(rep)).token));
        const ready = await socket.until((m) => m.type === 'ready');
        assert.deepEqual(ready, {
            type: 'ready',
            epoch: gw.live.publisher.epoch,
            heartbeatMs: HEARTBEAT_MS
        });
        const snapshot = gw.live.publisher.snapshot(rep, 0)!;
        socket.ws.send(
            JSON.stringify({
                type: 'resume',
                epoch: gw.live.publisher.epoch,
                since: snapshot.sequence
            })
        );
        const notificationsBefore = gw.transport.to(rep).length;

        // The governor paces events for this org; a socket spends none, so it is not paced.
        assert.ok(gw.live.publisher.freshness.windowMs > 250, 'the governor is pacing events');
        await collect(who, '/pricing/enterprise', 2, 250);
        const pushed = await socket.until(
            (m) =>
                m.type === 'changes' &&
                m.page.kind === 'changes' &&
                m.page.upserts.some((c) => c.id === who.sessionId)
        );
        assert.ok(pushed.type === 'changes' && pushed.page.kind === 'changes');
        assert.equal(pushed.page.since, snapshot.sequence, 'the page continues the snapshot');
        assert.deepEqual(pushed.page.freshness, { mode: 'live', windowMs: 250 });
        assert.equal(
            gw.transport.to(rep).length,
            notificationsBefore,
            'no Visitor_Update__e for this rep'
        );

        // Typing goes over the socket at once, never through events.
        const conversationId = 'conv-sock';
        gw.live.publisher.chat(rep, {
            conversationId,
            typing: { typing: true, senderName: 'Visitor' }
        });
        const typing = await socket.until(
            (m) =>
                m.type === 'changes' &&
                m.page.kind === 'changes' &&
                m.page.chat.some((c) => c.conversationId === conversationId && c.typing?.typing)
        );
        assert.ok(typing.type === 'changes' && typing.page.kind === 'changes');
        assert.equal(gw.transport.to(rep).length, notificationsBefore);

        socket.ws.close();
        await socket.closed;
        await collect(who, '/pricing/team', 3);
        assert.ok(gw.transport.to(rep).length > notificationsBefore, 'socket closed: events again');
    });

    it('answers a resume from another epoch with a resnapshot page, and a rep’s pages hold only their visitors', async () => {
        const emma = gw.user('Emma').id;
        const socket = await open(auth((await mint(emma)).token));
        await socket.until((m) => m.type === 'ready');
        socket.ws.send(JSON.stringify({ type: 'resume', epoch: 'e-old', since: 0 }));
        const answer = await socket.until((m) => m.type === 'changes');
        assert.deepEqual(answer.type === 'changes' && answer.page, {
            kind: 'resnapshot',
            epoch: gw.live.publisher.epoch,
            reason: 'epoch'
        });

        const since = gw.live.publisher.snapshot(emma, 0)!.sequence;
        socket.ws.send(JSON.stringify({ type: 'resume', epoch: gw.live.publisher.epoch, since }));
        const others = ids('other');
        await collect(others, '/pricing', 4);
        const routedTo = gw.live.decision(others.sessionId)!.routing;
        const mayEmmaSee = routedTo.assignedTo === emma || routedTo.offeredTo.includes(emma);
        for (const m of socket.received)
            if (m.type === 'changes' && m.page.kind === 'changes' && !mayEmmaSee)
                assert.ok(!m.page.upserts.some((c) => c.id === others.sessionId));
        socket.ws.close();
        await socket.closed;
    });

    it('refuses a reused, forged or missing token and closes a silent socket', async () => {
        const { token } = await mint(gw.user('Emma').id);
        const first = await open(auth(token));
        await first.until((m) => m.type === 'ready');
        const reused = await (await open(auth(token))).closed;
        assert.equal(reused.code, SOCKET_CLOSE.unauthorized);
        assert.match(reused.reason, /already used/);

        const forged = await (await open(auth(`${token.slice(0, -4)}AAAA`))).closed;
        assert.equal(forged.code, SOCKET_CLOSE.unauthorized);
        const notAuth = await (await open('{"type":"hello"}')).closed;
        assert.equal(notAuth.code, SOCKET_CLOSE.unauthorized);

        const silent = await open();
        gw.clock.advance(10_000);
        assert.equal((await silent.closed).code, SOCKET_CLOSE.authTimeout);
        first.ws.close();
    });

    it('refuses an expired token', async () => {
        const { token } = await mint(gw.user('Emma').id);
        gw.clock.advance(60_001);
        const expired = await (await open(auth(token))).closed;
        assert.equal(expired.code, SOCKET_CLOSE.unauthorized);
        assert.match(expired.reason, /expired/);
    });

    it('beats, and cuts off a rep whose Sightline access is removed', async () => {
        const maya = gw.user('Maya').id;
        const socket = await open(auth((await mint(maya)).token));
        await socket.until((m) => m.type === 'ready');
        let closed: { code: number; reason: string } | undefined;
        void socket.closed.then((c) => (closed = c));
        const count = (type: ConsoleSocketMessage['type']) =>
            socket.received.filter((m) => m.type === type).length;
        /**
         * One heartbeat, then a resume round trip: its answer proves the server has read the
         * pong the client sent before it, so the next beat does not cut the socket off as dead.
         */
        const beat = async () => {
            const beats = count('heartbeat');
            gw.clock.advance(HEARTBEAT_MS);
            await Promise.race([socket.closed, socket.until(() => count('heartbeat') > beats)]);
            if (closed) return;
            const answers = count('changes');
            socket.ws.send(JSON.stringify({ type: 'resume', epoch: 'e-old', since: 0 }));
            await Promise.race([socket.closed, socket.until(() => count('changes') > answers)]);
        };
        await beat();
        assert.equal(closed, undefined, 'a rep with access keeps the socket');

        // Permission assignments have no change events: a beat after the gateway's cached
        // answer expires asks the org again.
        await gw.changeInOrg((org) => {
            for (const a of org.find('PermissionSetAssignment', { AssigneeId: maya }))
                org.delete('PermissionSetAssignment', a.Id as string);
        });
        for (let waited = 0; !closed && waited <= USER_ACCESS_TTL_MS; waited += HEARTBEAT_MS)
            await beat();
        const { code } = await socket.closed;
        assert.equal(code, SOCKET_CLOSE.revoked);
        const again = await gw.action('mintLiveToken', maya);
        assert.equal(again.statusCode, 403, 'and cannot mint another token');
    });
});
