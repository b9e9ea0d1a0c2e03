/**
 * Local mode only: serves the demo website (`site/`, static) under /site/ and the built
 * tracker (`.build/tracker/`) under /tracker/, so `npm start` shows a website carrying the
 * tracker on the same origin as the gateway.
 */
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { GatewayConfig } from '../config';

export const SITE_DIR = resolve(import.meta.dirname, '../../../site');

export async function siteRoutes(
    app: FastifyInstance,
    config: Pick<GatewayConfig, 'shellDir'>,
    siteDir = SITE_DIR
): Promise<void> {
    const trackerDir = join(dirname(config.shellDir), 'tracker');
    await app.register(fastifyStatic, {
        root: siteDir,
        prefix: '/site/',
        decorateReply: false,
        maxAge: 0
    });
    app.get('/site', async (_request, reply) => reply.redirect('/site/'));
    if (existsSync(trackerDir)) {
        await app.register(fastifyStatic, {
            root: trackerDir,
            prefix: '/tracker/',
            decorateReply: false,
            maxAge: 0,
            // A website on any origin may load the tracker (and its lazily loaded chat chunk).
            setHeaders: (res) => res.setHeader('access-control-allow-origin', '*')
        });
    } else {
        app.get('/tracker/*', async (_request, reply) =>
            reply
                .code(404)
                .send({
                    message: 'The tracker is not built: run `npm run build`.',
                    errorCode: 'NOT_FOUND'
                })
        );
    }
}
