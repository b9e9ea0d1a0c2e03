/**
 * The built tracker (`.build/tracker/`) under /tracker/, for websites on any origin to
 * embed (`<script src="https://GATEWAY/tracker/sightline.js">`). In local mode the demo
 * website is on an origin of its own (demoSite.ts); the gateway's old /site/ address
 * redirects there.
 */
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { GatewayConfig } from '../config';

export async function trackerRoutes(
    app: FastifyInstance,
    config: Pick<GatewayConfig, 'shellDir' | 'sitePort'>
): Promise<void> {
    const trackerDir = join(dirname(config.shellDir), 'tracker');
    if (existsSync(trackerDir)) {
        await app.register(fastifyStatic, {
            root: trackerDir,
            prefix: '/tracker/',
            decorateReply: false,
            maxAge: 0,
            // A website on any origin may load the tracker (and its lazily loaded chat chunk).
            setHeaders: (res) => {
                res.setHeader('access-control-allow-origin', '*');
            }
        });
    } else {
        app.get('/tracker/*', async (_request, reply) =>
            reply.code(404).send({
                message: 'The tracker is not built: run `npm run build`.',
                errorCode: 'NOT_FOUND'
            })
        );
    }

    // The demo website used to be here. Its port is known unless it is "any free port" (0).
    const toSite = async (request: FastifyRequest, reply: FastifyReply) => {
        if (config.sitePort === 0)
            return reply.code(404).send({
                message: 'The demo website has its own origin: see the URL `npm start` printed.',
                errorCode: 'NOT_FOUND'
            });
        const rest = request.url.replace(/^\/site\/?/, '');
        return reply.redirect(`http://${request.hostname}:${config.sitePort}/${rest}`);
    };
    app.get('/site', toSite);
    app.get('/site/*', toSite);
}
