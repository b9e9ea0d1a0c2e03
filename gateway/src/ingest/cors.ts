/**
 * CORS for the routes websites call cross-origin (beacons, the meeting booker): the
 * origin is echoed only when a registered site allows it, never `*`.
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { Sites } from './sites';

export function corsHeaders(reply: FastifyReply, origin: string | undefined): void {
    if (!origin) return;
    reply.header('access-control-allow-origin', origin);
    reply.header('vary', 'Origin');
}

/**
 * Answers the browser's preflight of a JSON POST to `path`. A preflight carries no site
 * key, so any site that allows the origin will do; the POST itself checks its own site.
 */
export function allowJsonPost(app: FastifyInstance, path: string, sites: Sites): void {
    app.options(path, async (request, reply) => {
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
}
