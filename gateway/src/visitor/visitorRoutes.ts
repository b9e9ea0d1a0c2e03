/**
 * The visitor side of chat: the visitor socket (`GET /v1/visitor-socket`), carrying the
 * chat state, messages both ways, typing and delivery acks, and the meeting booker
 * (`GET /v1/booker/slots`, `POST /v1/booker/book`). Same site-key and Origin checks as
 * ingest.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import '@fastify/websocket';
import { z } from 'zod';
import { UserFacingError } from '../actions/userFacingError';
import { answerUserFacingErrors } from '../actions/userFacingErrors';
import {
    BookMeetingRequest,
    VisitorSocketMessage,
    type GatewayToVisitor
} from '../contracts/visitorProtocol';
import type { CrmPort } from '../crm/crmPort';
import { firstIssue } from '../ingest/collectRoutes';
import { allowJsonPost, corsHeaders } from '../ingest/cors';
import { RateLimiter } from '../ingest/rateLimiter';
import type { Sites } from '../ingest/sites';
import type { Clock } from '../live/clock';
import type { LiveGateway } from '../live/liveGateway';
import { Booker } from './booker';

const Id = z.string().regex(/^[A-Za-z0-9_-]{8,64}$/);
const VisitQuery = z.object({ siteKey: z.string().min(1).max(64), visitorId: Id, sessionId: Id });

export interface VisitorRouteOptions {
    live: LiveGateway;
    sites: Sites;
    crm: CrmPort;
    clock: Clock;
}

export async function visitorRoutes(
    app: FastifyInstance,
    { live, sites, crm, clock }: VisitorRouteOptions
): Promise<void> {
    answerUserFacingErrors(app);
    const booker = new Booker(live, crm, () => clock.now());
    const perSocket = new RateLimiter({ perSecond: 5, capacity: 20 }, clock);

    /** Checks site key, Origin and that the visit belongs to this visitor; answers the failure itself. */
    const checkVisit = (request: FastifyRequest, reply: FastifyReply, input: unknown) => {
        const origin =
            typeof request.headers.origin === 'string' ? request.headers.origin : undefined;
        const query = VisitQuery.safeParse(input);
        if (!query.success)
            return void reply
                .code(400)
                .send({ message: firstIssue(query.error), errorCode: 'INVALID_REQUEST' });
        const site = sites.get(query.data.siteKey);
        if (!site)
            return void reply
                .code(401)
                .send({ message: 'Unknown site key.', errorCode: 'UNKNOWN_SITE' });
        if (!sites.allows(site, origin))
            return void reply.code(403).send({
                message: 'This origin may not use this site.',
                errorCode: 'ORIGIN_NOT_ALLOWED'
            });
        const session = live.session(query.data.sessionId);
        if (session && session.visitorKey !== query.data.visitorId)
            return void reply.code(403).send({
                message: 'This session belongs to another visitor.',
                errorCode: 'FORBIDDEN'
            });
        corsHeaders(reply, origin);
        return query.data;
    };

    app.get(
        '/v1/visitor-socket',
        {
            websocket: true,
            preValidation: async (request, reply) => {
                checkVisit(request, reply, request.query);
            }
        },
        (socket, request) => {
            const { sessionId } = VisitQuery.parse(request.query);
            const send = (message: GatewayToVisitor) => {
                if (socket.readyState === socket.OPEN) socket.send(JSON.stringify(message));
            };
            const remove = live.visitorSockets.add(sessionId, { send });
            socket.on('close', remove);
            const session = live.session(sessionId);
            send({
                type: 'chat',
                chat: session ? live.chat.visitorChat(session) : { state: 'idle' }
            });
            live.chat
                .visitorTranscript(sessionId)
                .then((messages) =>
                    messages.forEach((m) =>
                        send({
                            type: 'message',
                            id: m.id,
                            ...(m.clientMessageId ? { clientMessageId: m.clientMessageId } : {}),
                            sender: m.sender,
                            senderName: m.senderName,
                            body: m.body,
                            sentAt: m.sentAt
                        })
                    )
                )
                .catch((error: unknown) => request.log.error(error));
            socket.on('message', (raw) => {
                if (!perSocket.take(sessionId).ok)
                    return send({ type: 'error', message: 'Slow down: too many messages.' });
                let parsed;
                try {
                    parsed = VisitorSocketMessage.safeParse(JSON.parse(raw.toString()));
                } catch {
                    return send({ type: 'error', message: 'Malformed message: not JSON.' });
                }
                if (!parsed.success)
                    return send({
                        type: 'error',
                        message: `Malformed message: ${firstIssue(parsed.error)}`
                    });
                const message = parsed.data;
                if (message.type === 'typing')
                    return live.chat.visitorTyping(sessionId, message.typing);
                live.track(() =>
                    live.chat.visitorMessage(sessionId, message.clientMessageId, message.body)
                )
                    .then((answers) => answers.forEach(send))
                    .catch((error: unknown) => {
                        if (error instanceof UserFacingError)
                            return send({ type: 'error', message: error.message });
                        request.log.error(error);
                        send({ type: 'error', message: 'The message could not be delivered.' });
                    });
            });
        }
    );

    app.get('/v1/booker/slots', async (request, reply) => {
        const visit = checkVisit(request, reply, request.query);
        if (!visit) return reply;
        return booker.slots(visit.sessionId);
    });

    app.post('/v1/booker/book', { bodyLimit: 16 * 1024 }, async (request, reply) => {
        const parsed = BookMeetingRequest.safeParse(request.body);
        if (!parsed.success)
            return reply
                .code(400)
                .send({ message: firstIssue(parsed.error), errorCode: 'INVALID_REQUEST' });
        const visit = checkVisit(request, reply, parsed.data);
        if (!visit) return reply;
        return reply.code(201).send(await booker.book(visit.sessionId, parsed.data));
    });

    allowJsonPost(app, '/v1/booker/book', sites);
}
