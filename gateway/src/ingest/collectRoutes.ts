/**
 * POST /v1/collect: the beacon endpoint. Every body is hostile until validated:
 * size-capped (LIMITS.beaconBytes → 413), JSON or text/plain (sendBeacon sends
 * text/plain), the envelope zod-validated (→ 400 with the first issue's path and
 * message) and each event on its own (the good ones kept, the bad ones listed in
 * `rejected`; none good → 400 with the list), then the site key (→ 401), the Origin
 * (→ 403), rate limits per IP and per site (→ 429 with Retry-After), and the screening
 * (bots, Do-Not-Track, consent: → 202 `accepted: 0` with `ignored`, nothing kept).
 * Accepted batches are answered 202 with a CollectResponse.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { UserFacingError } from '../actions/userFacingError';
import {
    LIMITS,
    type CollectError,
    type CollectResponse,
    type EventRejection
} from '../contracts/visitorProtocol';
import type { LiveGateway } from '../live/liveGateway';
import { parseBeacon } from './parseBeacon';
import type { BackPressure } from './backPressure';
import type { RateLimiter } from './rateLimiter';
import type { Screening } from './screening';
import { allowJsonPost, corsHeaders } from './cors';
import type { Sites } from './sites';

export { firstIssue } from './parseBeacon';

export interface IngestOptions {
    live: LiveGateway;
    sites: Sites;
    perIp: RateLimiter;
    perSite: RateLimiter;
    screening: Screening;
    backPressure: BackPressure;
}

function fail(
    reply: FastifyReply,
    status: number,
    errorCode: string,
    message: string,
    rejected?: EventRejection[]
) {
    const body: CollectError = { message, errorCode, ...(rejected ? { rejected } : {}) };
    return reply.code(status).send(body);
}

const header = (value: string | string[] | undefined) =>
    typeof value === 'string' ? value : undefined;

export async function collectRoutes(
    app: FastifyInstance,
    { live, sites, perIp, perSite, screening, backPressure }: IngestOptions
): Promise<void> {
    // Beacon bodies are parsed here, as text, whatever they claim to be.
    app.removeAllContentTypeParsers();
    app.addContentTypeParser(
        '*',
        { parseAs: 'string', bodyLimit: LIMITS.beaconBytes },
        (_request, body, done) => done(null, body)
    );

    allowJsonPost(app, '/v1/collect', sites);

    app.post(
        '/v1/collect',
        { bodyLimit: LIMITS.beaconBytes },
        async (request: FastifyRequest, reply) => {
            const origin =
                typeof request.headers.origin === 'string' ? request.headers.origin : undefined;
            // Read once: each read walks X-Forwarded-For past the trusted proxies again.
            const ip = request.ip;
            const byIp = perIp.take(ip);
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
            const parsed = parseBeacon(json);
            if (!parsed.ok) {
                if (parsed.rejected) screening.rejected(parsed.rejected.length);
                return fail(reply, 400, parsed.errorCode, parsed.message, parsed.rejected);
            }
            const { request: beacon, rejected } = parsed;
            const site = sites.get(beacon.siteKey);
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
            if (rejected.length > 0) screening.rejected(rejected.length);
            const ignored = screening.screen(site, beacon, {
                userAgent: header(request.headers['user-agent']),
                dnt: header(request.headers.dnt),
                gpc: header(request.headers['sec-gpc'])
            });
            if (ignored) {
                const answer: CollectResponse = { accepted: 0, ignored };
                return reply.code(202).send(answer);
            }
            const admitted = backPressure.admit(
                live.session(beacon.sessionId) === undefined,
                live.liveVisits
            );
            if (!admitted.ok)
                return fail(
                    reply.header('retry-after', admitted.why === 'busy' ? '2' : '30'),
                    503,
                    'OVERLOADED',
                    admitted.why === 'busy'
                        ? 'The gateway is busy: try again shortly.'
                        : 'The gateway holds as many live visits as it may: try again later.'
                );
            try {
                // A site that skips IP enrichment: the address is not even kept in the visit.
                const kept = await live.collect(beacon, site.skipIpEnrichment ? '' : ip);
                const answer: CollectResponse = rejected.length > 0 ? { ...kept, rejected } : kept;
                return reply.code(202).send(answer);
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
            } finally {
                backPressure.release();
            }
        }
    );
}
