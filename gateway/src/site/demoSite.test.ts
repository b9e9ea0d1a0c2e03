import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import Fastify, { type FastifyInstance } from 'fastify';
import { PortInUseError } from '../listen';
import { buildDemoSite, GATEWAY_PLACEHOLDER, SITE_DIR, startDemoSite } from './demoSite';
import { demoSiteRedirect } from '../local/localMode';
import { trackerRoutes } from './trackerRoutes';

const GATEWAY = 'http://127.0.0.1:4300';

describe('the demo website, on an origin of its own', () => {
    let site: FastifyInstance;
    before(async () => {
        site = await buildDemoSite({ gatewayUrl: `${GATEWAY}/` });
    });
    after(() => site.close());

    const get = (url: string) => site.inject({ method: 'GET', url });

    it('serves every page at its root path, embedding the tracker from the gateway', async () => {
        const pages = [
            '/',
            '/index.html',
            '/product.html',
            '/pricing.html',
            '/customers.html',
            '/demo.html',
            '/blog/',
            '/blog/index.html',
            ...readdirSync(join(SITE_DIR, 'blog')).map((file) => `/blog/${file}`)
        ];
        for (const page of pages) {
            const response = await get(page);
            assert.equal(response.statusCode, 200, page);
            assert.match(String(response.headers['content-type']), /^text\/html/, page);
            assert.match(
                response.body,
                /<script defer src="http:\/\/127\.0\.0\.1:4300\/tracker\/sightline\.js" data-site-key="demo-site-key"><\/script>/,
                page
            );
            assert.ok(!response.body.includes(GATEWAY_PLACEHOLDER), page);
        }
        assert.match(
            (await get('/pricing.html?billing=annual')).body,
            /<title>Pricing — Lumen Data<\/title>/
        );
    });

    it('serves the stylesheet, sends /blog to /blog/, and answers 404 for anything else', async () => {
        const css = await get('/styles.css');
        assert.equal(css.statusCode, 200);
        assert.match(String(css.headers['content-type']), /^text\/css/);

        const blog = await get('/blog');
        assert.equal(blog.statusCode, 302);
        assert.equal(blog.headers.location, '/blog/');
        assert.equal((await get('//blog')).headers.location, '/blog/', 'never to another host');

        for (const url of [
            '/nope.html',
            '/site/pricing.html',
            '/../package.json',
            '/%2e%2e/package.json',
            '/..%2fpackage.json',
            '/.git/config',
            '/.hidden.html'
        ])
            assert.equal((await get(url)).statusCode, 404, url);
        assert.match((await get('/nope.html')).body, /This page does not exist/);
    });

    it('explains a busy port and the option that moves it', async () => {
        const blocker = createServer();
        await new Promise<void>((done) => blocker.listen(0, '127.0.0.1', done));
        const port = (blocker.address() as { port: number }).port;
        try {
            await assert.rejects(
                startDemoSite({ gatewayUrl: GATEWAY, port, host: '127.0.0.1' }),
                (error: unknown) => {
                    assert.ok(error instanceof PortInUseError);
                    assert.equal(
                        error.message,
                        `Port ${port} (the demo website) is already in use. Stop the other process, or pick another port: npm start -- --site-port ${port + 1}`
                    );
                    return true;
                }
            );
        } finally {
            blocker.close();
        }
        const running = await startDemoSite({ gatewayUrl: GATEWAY, port: 0, host: '127.0.0.1' });
        try {
            assert.match(running.url, /^http:\/\/127\.0\.0\.1:\d+$/);
            assert.equal((await fetch(`${running.url}/pricing.html`)).status, 200);
        } finally {
            await running.close();
        }
    });
});

describe('the gateway’s tracker routes, and local mode’s old demo website address', () => {
    const shellDir = (() => {
        const build = mkdtempSync(join(tmpdir(), 'sightline-build-'));
        mkdirSync(join(build, 'tracker'));
        writeFileSync(join(build, 'tracker/sightline.js'), '/* tracker */');
        return join(build, 'shell');
    })();

    async function gateway(sitePort: number) {
        const app = Fastify();
        await trackerRoutes(app, { shellDir });
        demoSiteRedirect(app, { sitePort });
        return app;
    }

    it('serves the tracker to websites on any origin', async () => {
        const app = await gateway(4301);
        const response = await app.inject({ method: 'GET', url: '/tracker/sightline.js' });
        assert.equal(response.statusCode, 200);
        assert.match(String(response.headers['content-type']), /javascript/);
        assert.equal(response.headers['access-control-allow-origin'], '*');
        await app.close();
    });

    it('no longer serves the demo website: /site/ redirects to its own origin', async () => {
        const app = await gateway(4301);
        for (const [url, location] of [
            ['/site', 'http://127.0.0.1:4301/'],
            ['/site/', 'http://127.0.0.1:4301/'],
            [
                '/site/pricing.html?billing=annual',
                'http://127.0.0.1:4301/pricing.html?billing=annual'
            ],
            ['/site/blog/index.html', 'http://127.0.0.1:4301/blog/index.html']
        ]) {
            const response = await app.inject({
                method: 'GET',
                url: url!,
                headers: { host: '127.0.0.1:4300' }
            });
            assert.equal(response.statusCode, 302, url);
            assert.equal(response.headers.location, location, url);
        }
        await app.close();
        // On "any free port" (tests), the gateway cannot know where the website is.
        const anyPort = await gateway(0);
        assert.equal(
            (await anyPort.inject({ method: 'GET', url: '/site/pricing.html' })).statusCode,
            404
        );
        await anyPort.close();
    });
});
