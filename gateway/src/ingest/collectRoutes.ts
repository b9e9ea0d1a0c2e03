/**
 * POST /v1/collect: the beacon endpoint. Every body is hostile until validated:
 * size-capped (LIMITS.beaconBytes → 413), JSON or text/plain (sendBeacon sends
 * text/plain), zod-validated (→ 400 with the first issue's path and message), then the
 * site key (→ 401), the Origin (→ 403) and rate limits per IP and per site (→ 429 with
 * Retry-After). Accepted batches are answered 202 with a CollectResponse.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { z } from 'zod';
import { UserFacingError } from '../actions/userFacingError';
import { CollectRequest, LIMITS } from '../contracts/visitorProtocol';
import type { LiveGateway } from '../live/liveGateway';
import type { RateLimiter } from './rateLimiter';
import type { Sites } from './sites';

export interface IngestOptions {
    live: LiveGateway;
    sites: Sites;
    perIp: RateLimiter;
    perSite: RateLimiter;
}

export function firstIssue(error: z.ZodError): string {
    const issue = error.issues[0];
    if (!issue) return 'invalid request';
    const path = issue.path.map(String).join('.');
    return path ? `${path}: ${issue.message}` : issue.message;
}

function fail(reply: FastifyReply, status: number, errorCode: string, message: string) {
    return reply.code(status).send({ message, errorCode });
}

export function corsHeaders(reply: FastifyReply, origin: string | undefined): void {
    if (!origin) return;
    reply.header('access-control-allow-origin', origin);
    reply.header('vary', 'Origin');
}

export async function collectRoutes(
    app: FastifyInstance,
    { live, sites, perIp, perSite }: IngestOptions
): Promise<void> {
    // Beacon bodies are parsed here, as text, whatever they claim to be.
    app.removeAllContentTypeParsers();
    app.addContentTypeParser(
        '*',
        { parseAs: 'string', bodyLimit: LIMITS.beaconBytes },
        (_request, body, done) => done(null, body)
    );

    app.options('/v1/collect', async (request, reply) => {
        const origin = request.headers.origin;
        if (!origin || !sites.anyAllows(origin)) return reply.code(403).send();
        corsHeaders(reply, origin);
        return reply
            .code(204)
            .header('access-control-allow-methods', 'POST, OPTIONS')
            .header('access-control-allow-headers', 'content-type')
            .header('access-control-max-age', '600')
            .send();
    });

    app.post(
        '/v1/collect',
        { bodyLimit: LIMITS.beaconBytes },
        async (request: FastifyRequest, reply) => {
            const origin =
                typeof request.headers.origin === 'string' ? request.headers.origin : undefined;
            const byIp = perIp.take(request.ip);
            if (!byIp.ok)
                return fail(
                    reply.header('retry-after', String(byIp.retryAfterSeconds)),
                    429,
                    'RATE_LIMITED',
                    'Too many requests from this address.'
                );

            let json: unknown;
            try {
                json = JSON.parse(typeof request.body === 'string' ? request.body : '');
            } catch {
                return fail(reply, 400, 'MALFORMED_JSON', 'The body is not valid JSON.');
            }
            const parsed = CollectRequest.safeParse(json);
            if (!parsed.success)
                return fail(reply, 400, 'INVALID_BEACON', firstIssue(parsed.error));
            const site = sites.get(parsed.data.siteKey);
            if (!site) return fail(reply, 401, 'UNKNOWN_SITE', 'Unknown site key.');
            if (!sites.allows(site, origin))
                return fail(
                    reply,
                    403,
                    'ORIGIN_NOT_ALLOWED',
                    'This origin may not send beacons for this site.'
                );
            corsHeaders(reply, origin);
            const bySite = perSite.take(site.siteKey);
            if (!bySite.ok)
                return fail(
                    reply.header('retry-after', String(bySite.retryAfterSeconds)),
                    429,
                    'RATE_LIMITED',
                    'Too many requests for this site.'
                );
            try {
                return reply.code(202).send(await live.collect(parsed.data, request.ip));
            } catch (error) {
                if (error instanceof UserFacingError) {
                    if (error.status === 503) reply.header('retry-after', '2');
                    return fail(
                        reply,
                        error.status,
                        error.status === 503 ? 'UNAVAILABLE' : 'REJECTED',
                        error.message
                    );
                }
                throw error;
            }
        }
    );
}
