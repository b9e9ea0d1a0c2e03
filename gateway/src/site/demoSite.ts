/**
 * Local mode only: Lumen Data's demo website (`site/`) on an origin of its own, as a
 * customer's website is. Pages are at root paths (`/pricing.html`, `/blog/…`), so the
 * demo streams and score patterns (`/pricing*`, `/demo*`) see the paths a real site has.
 * Each page embeds the tracker from the gateway's origin: the `{{SIGHTLINE_GATEWAY}}`
 * placeholder in its script tag is replaced with the gateway's URL when the page is
 * served, so beacons, the chat socket and the booker go cross-origin, as in real life.
 */
import fastifyStatic from '@fastify/static';
import Fastify, { type FastifyInstance, type FastifyReply } from 'fastify';
import { readFile, stat } from 'node:fs/promises';
import { join, resolve, sep } from 'node:path';
import { listen } from '../listen';

export const SITE_DIR = resolve(import.meta.dirname, '../../../site');
/** Where a page's script tag names the gateway: `src="{{SIGHTLINE_GATEWAY}}/tracker/sightline.js"`. */
export const GATEWAY_PLACEHOLDER = '{{SIGHTLINE_GATEWAY}}';

export interface DemoSiteOptions {
    /** The gateway's origin, e.g. http://127.0.0.1:4300: where the pages load the tracker from. */
    gatewayUrl: string;
    siteDir?: string;
}

export async function buildDemoSite({
    gatewayUrl,
    siteDir = SITE_DIR
}: DemoSiteOptions): Promise<FastifyInstance> {
    const root = resolve(siteDir);
    const gateway = gatewayUrl.replace(/\/$/, '');
    const app = Fastify({ logger: false });
    // Only for reply.sendFile (the stylesheet): content types, ETags, ranges, no dotfiles.
    await app.register(fastifyStatic, { root, serve: false, maxAge: 0 });

    const notFound = (reply: FastifyReply) =>
        reply
            .code(404)
            .type('text/html; charset=utf-8')
            .send(
                '<!doctype html><meta charset="utf-8"><title>Not found — Lumen Data</title><p>This page does not exist. <a href="/">Lumen Data home</a></p>'
            );

    app.get<{ Params: { '*': string } }>('/*', async (request, reply) => {
        const path = `/${request.params['*']}`; // decoded by the router (a malformed escape is a 400)
        const relative = (path.endsWith('/') ? `${path}index.html` : path).replace(/^\/+/, '');
        const file = join(root, relative);
        if (
            !file.startsWith(root + sep) ||
            relative.split('/').some((part) => part.startsWith('.'))
        )
            return notFound(reply);
        const found = await stat(file).catch(() => undefined);
        // `/blog` → `/blog/`, so the pages' relative links resolve.
        if (found?.isDirectory()) return reply.redirect(`/${relative}/`);
        if (!found?.isFile()) return notFound(reply);
        if (!file.endsWith('.html')) return reply.sendFile(relative);
        const html = await readFile(file, 'utf8');
        return reply
            .type('text/html; charset=utf-8')
            .header('cache-control', 'no-cache')
            .send(html.replaceAll(GATEWAY_PLACEHOLDER, gateway));
    });
    return app;
}

export interface RunningDemoSite {
    url: string;
    close(): Promise<void>;
}

/** Serves the demo website on its own port (0: any free port); a busy port is a PortInUseError. */
export async function startDemoSite(
    options: DemoSiteOptions & { port: number; host: string }
): Promise<RunningDemoSite> {
    const app = await buildDemoSite(options);
    try {
        return {
            url: await listen(app, options, { server: 'the demo website', option: '--site-port' }),
            close: () => app.close()
        };
    } catch (error) {
        await app.close();
        throw error;
    }
}
