/**
 * The built tracker (`.build/tracker/`) under /tracker/, for websites on any origin to
 * embed (`<script src="https://GATEWAY/tracker/sightline.js">`).
 */
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { GatewayConfig } from '../config';

export async function trackerRoutes(
    app: FastifyInstance,
    config: Pick<GatewayConfig, 'shellDir'>
): Promise<void> {
    const trackerDir = join(dirname(config.shellDir), 'tracker');
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
            reply.code(404).send({
                message: 'The tracker is not built: run `npm run build`.',
                errorCode: 'NOT_FOUND'
            })
        );
    }
}
