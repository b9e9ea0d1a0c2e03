/**
 * The website tracker in Chromium against the real local product: the demo website on an
 * origin of its own, the tracker loaded from the gateway's origin, beacons, the chat socket
 * and the booker cross-origin to the gateway, and what the gateway recorded read back
 * through the rep action `getVisitorDetail`, signed in as the admin. The tracker's timings
 * are shortened through its script-tag options (injected into the served pages), and every
 * wait is for a condition, never for luck.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, BrowserContext, Page, Request } from 'playwright-core';
import type {
    ClaimResult,
    ConsoleSnapshot,
    VisitorDetail
} from '../gateway/src/contracts/liveContract';
import { collectPageErrors, launchBrowser, startProductAndBrowser } from './support/browser';
import type { RunningProduct } from './support/product';
import { demoAccountIp, WORLD_IPS } from '../scripts/simulate/ipRanges';

describe('the website tracker', () => {
    let product: RunningProduct;
    let browser: Browser;
    let adminId: string;

    before(async () => {
        ({ product, browser } = await startProductAndBrowser());
        const session = (await (await fetch(`${product.url}/local/session`)).json()) as {
            users: { id: string; isAdmin: boolean }[];
        };
        adminId = session.users.find((u) => u.isAdmin)!.id;
    });

    after(async () => {
        await browser?.close();
        await product?.stop();
    });

    /**
     * A new visitor (own storage). `data`: extra tracker options, set on the pages' script
     * tag as the document turns interactive, just before the deferred tracker reads them
     * (the pages themselves stay as served: Chromium's local-network checks would refuse
     * the gateway's script and socket to a page the test fulfilled itself). `ip`: where the
     * visitor is, in X-Forwarded-For (trusted from loopback in local mode), added to the
     * beacons on their way: as a page header it would make them preflighted.
     */
    async function visitor({
        data = { flush: '0.2' },
        initScript,
        ip
    }: { data?: Record<string, string>; initScript?: string; ip?: string } = {}): Promise<{
        context: BrowserContext;
        collects: Request[];
    }> {
        const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
        await context.addInitScript({
            content: `document.addEventListener('readystatechange', function () {
                var tag = document.readyState === 'interactive' && document.querySelector('script[data-site-key]');
                if (tag) Object.assign(tag.dataset, ${JSON.stringify(data)});
            });`
        });
        if (initScript) await context.addInitScript({ content: initScript });
        // The beacon's URL carries its visit (`?sessionId=…`, for a balancer to stick by).
        const collectUrl = `${product.gatewayUrl}/v1/collect`;
        const isCollect = (href: string) => href.split('?')[0] === collectUrl;
        if (ip)
            await context.route(
                (url) => isCollect(url.href),
                (route) =>
                    route.continue({
                        headers: { ...route.request().headers(), 'x-forwarded-for': ip }
                    })
            );
        const collects: Request[] = [];
        context.on('request', (request) => {
            if (isCollect(request.url())) collects.push(request);
        });
        return { context, collects };
    }

    async function sessionOf(page: Page): Promise<string> {
        const stored = await page.waitForFunction(() => localStorage.getItem('sightline:sid'));
        return (JSON.parse((await stored.jsonValue()) as string) as { id: string }).id;
    }

    /** A rep action, as the console calls it through the local Apex stand-in. */
    function action(
        name: string,
        userId: string,
        params: Record<string, unknown>
    ): Promise<Response> {
        return fetch(`${product.url}/local/apex/SightlineGatewayController/${name}`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', cookie: `sightline_user=${userId}` },
            body: JSON.stringify(params)
        });
    }

    async function detail(sessionId: string): Promise<VisitorDetail | undefined> {
        const response = await action('getVisitorDetail', adminId, { visitorId: sessionId });
        // The controller answers the gateway's 404 as Apex does: an AuraHandledException
        // carrying the gateway's message.
        if (response.status === 400) {
            const error = (await response.clone().json()) as { message?: string };
            if (error.message === 'This visitor is no longer on the site.') return undefined;
        }
        assert.equal(response.status, 200, await response.clone().text());
        return (await response.json()) as VisitorDetail;
    }

    /** Polls the gateway until the visitor's detail satisfies the check. */
    async function until(
        sessionId: string,
        what: string,
        check: (d: VisitorDetail) => boolean,
        timeoutMs = 10_000
    ): Promise<VisitorDetail> {
        const deadline = Date.now() + timeoutMs;
        let last: VisitorDetail | undefined;
        while (Date.now() < deadline) {
            last = await detail(sessionId);
            if (last && check(last)) return last;
            await new Promise((r) => setTimeout(r, 100));
        }
        assert.fail(
            `Timed out waiting for ${what}; last detail: ${JSON.stringify(last, null, 1)?.slice(0, 1500)}`
        );
    }

    it('sends page views, single-page navigations, the landing UTM, referrer and device, without page errors', async () => {
        const { context, collects } = await visitor();
        const page = await context.newPage();
        const errors = collectPageErrors(page);
        const landing = '/pricing.html?utm_source=google&utm_medium=cpc&utm_campaign=e2e-pricing';
        await page.goto(product.siteUrl + landing);
        const sessionId = await sessionOf(page);
        await until(sessionId, 'the landing page view', (d) => d.pages.length === 1);
        // Cross-origin, as on a customer's website: the tracker and its beacons are the
        // gateway's, sent as text/plain (CORS-safelisted: no preflight).
        const gateway = new URL(product.gatewayUrl).origin;
        assert.equal(
            await page.evaluate(
                () =>
                    new URL(document.querySelector<HTMLScriptElement>('script[data-site-key]')!.src)
                        .origin
            ),
            gateway
        );
        assert.equal(new URL(collects[0]!.url()).origin, gateway);
        assert.equal(await collects[0]!.headerValue('origin'), new URL(product.siteUrl).origin);
        assert.match((await collects[0]!.headerValue('content-type')) ?? '', /^text\/plain/);

        await page.getByRole('button', { name: /Annual/ }).click(); // the page's own pushState
        await page.evaluate(() => history.pushState({}, '', '/customers.html'));
        await page.evaluate(() => history.back());
        const d = await until(sessionId, 'four page views', (x) => x.pages.length >= 4);
        assert.deepEqual(
            d.pages.map((p) => new URL(p.url).pathname + new URL(p.url).search),
            [landing, `${landing}&billing=annual`, '/customers.html', `${landing}&billing=annual`]
        );
        assert.equal(d.pages[0]!.title, 'Pricing — Lumen Data');
        assert.deepEqual(d.utm, { source: 'google', medium: 'cpc', campaign: 'e2e-pricing' });
        assert.deepEqual(d.device, { type: 'desktop', browser: 'Chrome', os: 'Linux' });
        // The chat chunk loads lazily after the page, and everything stayed quiet.
        await page.getByRole('button', { name: 'Chat with us' }).waitFor();
        assert.deepEqual(errors, []);
        await context.close();
    });

    it('records the deepest scroll of a page, sent when the visitor leaves', async () => {
        // A long flush interval: only the unload flush can deliver this page's events.
        const { context, collects } = await visitor({ data: { flush: '600' } });
        const page = await context.newPage();
        await page.goto(`${product.siteUrl}/blog/data-contracts.html`);
        const sessionId = await sessionOf(page);
        await page.evaluate(() =>
            window.scrollTo(0, document.documentElement.scrollHeight / 2 - innerHeight / 2)
        );
        await page.evaluate(() => new Promise(requestAnimationFrame));
        await page.evaluate(() => window.scrollTo(0, 0));
        assert.equal(collects.length, 0, 'nothing sent before leaving');
        await page.getByRole('link', { name: 'Pricing' }).first().click();
        await page.waitForURL(/pricing\.html/);
        const d = await until(sessionId, 'the blog post with its scroll depth', (x) =>
            x.pages.some((p) => p.path.includes('data-contracts') && p.scrollDepth > 0)
        );
        const post = d.pages.find((p) => p.path.includes('data-contracts'))!;
        assert.ok(
            post.scrollDepth >= 0.45 && post.scrollDepth <= 0.75,
            `deepest point ${post.scrollDepth}, not where the visitor ended`
        );
        assert.equal(post.readingSignal, true);
        await context.close();
    });

    it('without fetch, delivers the page when the visitor leaves with a text/plain beacon', async () => {
        // No fetch at all: flushes fail (and are retried), and leaving falls back to sendBeacon,
        // whose calls the page notes down for the next page (the beacon leaves no request
        // event behind in the test's browser).
        const { context } = await visitor({
            data: { flush: '600' },
            initScript: `Object.defineProperty(window, 'fetch', { configurable: true, value: undefined });
                var send = navigator.sendBeacon.bind(navigator);
                navigator.sendBeacon = function (url, body) {
                    sessionStorage.setItem('e2e:beacon', JSON.stringify({ url: url, type: body.type }));
                    return send(url, body);
                };`
        });
        const page = await context.newPage();
        await page.goto(`${product.siteUrl}/customers.html`);
        const sessionId = await sessionOf(page);
        await page.getByRole('link', { name: 'Pricing' }).first().click();
        await page.waitForURL(/pricing\.html/);
        await until(sessionId, 'the page sent by the beacon', (d) =>
            d.pages.some((p) => p.path === '/customers.html')
        );
        const beacon = JSON.parse(
            (await page.evaluate(() => sessionStorage.getItem('e2e:beacon'))) ?? 'null'
        ) as { url: string; type: string };
        assert.equal(beacon.url, `${product.gatewayUrl}/v1/collect?sessionId=${sessionId}`);
        assert.equal(beacon.type, 'text/plain;charset=utf-8');
        await context.close();
    });

    it('a reader of the pricing page from an unknown company is in the Pricing Page stream, scored by the high-intent page', async () => {
        const snapshot = (await (
            await action('getSnapshot', adminId, { page: 0 })
        ).json()) as ConsoleSnapshot;
        const pricing = snapshot.streams.find((s) => s.name === 'Pricing Page')!;
        // An address geoip-lite places in Germany, outside the demo company's blocks: no account, no campaign.
        const { context } = await visitor({ ip: WORLD_IPS.DE!.ips[0] });
        const page = await context.newPage();
        await page.goto(`${product.siteUrl}/pricing.html`);
        const sessionId = await sessionOf(page);
        const d = await until(
            sessionId,
            'the visitor in the Pricing Page stream',
            (x) => x.card.streamId === pricing.id
        );
        assert.equal(d.card.salesforce.account, undefined);
        assert.equal(d.utm, undefined);
        assert.equal(d.pages[0]!.path, '/pricing.html');
        assert.ok(
            d.scoreReasons.some(
                (r) => r.label.includes('high-intent page (/pricing.html)') && r.points === 20
            ),
            JSON.stringify(d.scoreReasons)
        );
        assert.notEqual(d.card.score.band, 'Cold');
        await context.close();
    });

    it('goes idle after the configured time without input or focus, and active again when the visitor comes back', async () => {
        // Active lasts `idleAfter` after each sign of life: long enough to be seen even while a
        // new visit is still being recognised (its first beacon is answered before the org).
        const { context } = await visitor({ data: { flush: '0.2', idleAfter: '4' } });
        const page = await context.newPage();
        await page.goto(`${product.siteUrl}/product.html`);
        const sessionId = await sessionOf(page);
        await until(sessionId, 'the decided visitor', () => true);
        await page.mouse.move(20, 20);
        await until(sessionId, 'an active visitor', (d) => d.card.active);
        // The visitor switches to another window.
        // (Strings, not functions: the test's TypeScript transform would decorate them.)
        await page.evaluate(
            `Object.defineProperty(document, 'hasFocus', { configurable: true, value: function () { return false; } }); window.dispatchEvent(new Event('blur'));`
        );
        await until(sessionId, 'an idle visitor', (d) => !d.card.active);
        await page.evaluate(
            `Object.defineProperty(document, 'hasFocus', { configurable: true, value: function () { return true; } }); window.dispatchEvent(new Event('focus'));`
        );
        await until(sessionId, 'an active visitor again', (d) => d.card.active);
        await context.close();
    });

    it('a visible, focused tab with no input goes idle too, and input brings it back', async () => {
        const { context } = await visitor({ data: { flush: '0.2', idleAfter: '1' } });
        const page = await context.newPage();
        await page.evaluate(
            `Object.defineProperty(document, 'hasFocus', { configurable: true, value: function () { return true; } });`
        );
        await page.goto(`${product.siteUrl}/product.html`);
        await page.evaluate(
            `Object.defineProperty(document, 'hasFocus', { configurable: true, value: function () { return true; } }); window.dispatchEvent(new Event('focus'));`
        );
        const sessionId = await sessionOf(page);
        assert.equal(await page.evaluate(`document.visibilityState`), 'visible');
        await until(sessionId, 'an idle visitor on a focused, visible tab', (d) => !d.card.active);
        await page.mouse.move(40, 40);
        await page.mouse.move(80, 80);
        await until(sessionId, 'an active visitor after input', (d) => d.card.active);
        await context.close();
    });

    it('counts the tabs a visitor has open on the site', async () => {
        const { context } = await visitor();
        const first = await context.newPage();
        await first.goto(`${product.siteUrl}/index.html`);
        const sessionId = await sessionOf(first);
        await until(sessionId, 'one tab', (d) => d.tabsOpen === 1 && d.pages.length === 1);
        const second = await context.newPage();
        await second.goto(`${product.siteUrl}/product.html`);
        assert.equal(await sessionOf(second), sessionId, 'one visit across tabs');
        await until(sessionId, 'two tabs', (d) => d.tabsOpen === 2);
        await second.close({ runBeforeUnload: true });
        await until(sessionId, 'one tab again', (d) => d.tabsOpen === 1);
        await context.close();
    });

    it('identifies the visitor when the demo request form is submitted', async () => {
        const { context } = await visitor();
        const page = await context.newPage();
        await page.goto(`${product.siteUrl}/demo.html`);
        const sessionId = await sessionOf(page);
        await page.getByLabel('First name').fill('Ingrid');
        await page.getByLabel('Last name').fill('Andersson');
        await page.getByLabel('Work email').fill('ingrid.andersson@e2e-tracker.example');
        await page.getByLabel('Company').fill('E2E Tracker AB');
        await page.getByRole('button', { name: 'Request my demo' }).click();
        await page.getByRole('heading', { name: 'Thank you!' }).waitFor();
        const d = await until(
            sessionId,
            'the identified visitor',
            (x) => x.card.email === 'ingrid.andersson@e2e-tracker.example'
        );
        assert.match(d.card.displayName, /Ingrid Andersson/);
        await context.close();
    });

    it('with consent required, sends and stores nothing until the site consents', async () => {
        const { context, collects } = await visitor({
            data: { flush: '0.2', consent: 'required' }
        });
        const page = await context.newPage();
        const chunks: string[] = [];
        page.on('request', (r) => r.url().includes('sightline-chat') && chunks.push(r.url()));
        await page.goto(`${product.siteUrl}/index.html`);
        await page.waitForFunction(
            () =>
                (window as unknown as { sightline?: { loaded?: boolean } }).sightline?.loaded ===
                true
        );
        await page.evaluate(() => window.scrollTo(0, 600));
        // Without consent the tracker starts no timer and adds no listener: nothing can follow.
        assert.equal(collects.length, 0);
        assert.deepEqual(
            await page.evaluate(() =>
                [...Object.keys(localStorage), ...Object.keys(sessionStorage)].filter((k) =>
                    k.startsWith('sightline')
                )
            ),
            []
        );
        assert.deepEqual(chunks, []);

        const sent = page.waitForRequest((r) => new URL(r.url()).pathname === '/v1/collect');
        await page.evaluate(() =>
            (window as unknown as { sightline: (c: string, v: boolean) => void }).sightline(
                'consent',
                true
            )
        );
        await sent;
        const sessionId = await sessionOf(page);
        await until(sessionId, 'the consented visit', (d) => d.pages.length === 1);
        await context.close();
    });

    it('a headless browser as it is (HeadlessChrome, navigator.webdriver) is a bot: answered, never a visitor, counted', async () => {
        const headless = await launchBrowser({ asIs: true });
        try {
            const context = await headless.newContext();
            const page = await context.newPage();
            const answered = page.waitForResponse(
                (r) => new URL(r.url()).pathname === '/v1/collect'
            );
            await page.goto(`${product.siteUrl}/pricing.html`);
            const response = await answered;
            assert.equal(response.status(), 202);
            assert.deepEqual(await response.json(), { accepted: 0, ignored: 'bot' });
            const sessionId = await sessionOf(page);
            assert.equal(await detail(sessionId), undefined, 'not a visitor to any rep');
            const health = (await (await action('getHealth', adminId, {})).json()) as {
                keptOut: { botBeacons: number };
            };
            assert.ok(health.keptOut.botBeacons >= 1);
            await context.close();
        } finally {
            await headless.close();
        }
    });

    it('honours Do-Not-Track: nothing sent, stored or loaded', async () => {
        const { context, collects } = await visitor({
            initScript: `Object.defineProperty(Navigator.prototype, 'doNotTrack', { get: function () { return '1'; } });`
        });
        const page = await context.newPage();
        const errors = collectPageErrors(page);
        await page.goto(`${product.siteUrl}/demo.html`);
        await page.waitForFunction(
            () =>
                (window as unknown as { sightline?: { loaded?: boolean } }).sightline?.loaded ===
                true
        );
        // The site's own calls are harmless no-ops.
        await page.evaluate(() =>
            (window as unknown as { sightline: (c: string, v: unknown) => void }).sightline(
                'identify',
                { email: 'dnt@example.com' }
            )
        );
        await page.getByLabel('Work email').fill('dnt@example.com');
        assert.equal(collects.length, 0);
        assert.deepEqual(
            await page.evaluate(() =>
                Object.keys(localStorage).filter((k) => k.startsWith('sightline'))
            ),
            []
        );
        assert.deepEqual(errors, []);
        await context.close();
    });

    it('chat: the visitor asks, sees the countdown, the routed rep accepts, messages go both ways and survive a reload', async () => {
        const { context } = await visitor();
        const page = await context.newPage();
        const errors = collectPageErrors(page);
        // From a paid campaign: the visitor is in a stream, so the reps it is offered to see it.
        await page.goto(
            `${product.siteUrl}/pricing.html?utm_source=linkedin&utm_medium=paid-social&utm_campaign=e2e-chat`
        );
        const sessionId = await sessionOf(page);
        await until(sessionId, 'the visit', (d) => d.pages.length === 1);

        const launcher = page.getByRole('button', { name: 'Chat with us' });
        await launcher.click();
        assert.equal(await launcher.getAttribute('aria-expanded'), 'true');
        const panel = page.getByRole('dialog', { name: 'Talk to our team' });
        await panel.getByLabel('Your question').fill('Do you support SSO on the Team plan?');
        await panel.getByRole('button', { name: 'Talk to sales' }).click();
        const timer = page.getByRole('timer');
        await timer.waitFor();
        // "m:ss", as on the rep's card.
        const [minutes, secs] = (await timer.innerText()).trim().split(':').map(Number);
        const seconds = minutes! * 60 + secs!;
        assert.ok(seconds > 0 && seconds <= 30, `countdown shows ${seconds}`);

        const requested = await until(
            sessionId,
            'the chat request',
            (d) => d.card.chat.state === 'requested' && d.card.routing.routedTo.length > 0
        );
        assert.equal(
            requested.card.chat.state === 'requested' &&
                Math.round((Date.parse(requested.card.chat.deadline) - Date.now()) / 1000) <= 30,
            true
        );
        const rep = requested.card.routing.routedTo[0]!;
        const claim = (await (
            await action('acceptChat', rep.id, { visitorId: sessionId })
        ).json()) as ClaimResult;
        assert.equal(claim.ok, true, JSON.stringify(claim));
        const conversationId = claim.ok ? claim.conversationId : '';

        await page.getByRole('dialog', { name: rep.name }).waitFor();
        const log = page.getByRole('log', { name: 'Conversation' });
        await log.getByText('Do you support SSO on the Team plan?').waitFor();
        assert.equal(
            (
                await action('sendMessage', rep.id, {
                    conversationId,
                    body: 'Yes, SSO comes with every plan.',
                    clientMessageId: 'e2e-rep-msg-1'
                })
            ).status,
            200
        );
        await log.getByText('Yes, SSO comes with every plan.').waitFor();

        const input = page.getByRole('textbox', { name: 'Message' });
        await input.fill('Great, thanks!');
        await input.press('Enter');
        await log
            .locator('li', { hasText: 'Great, thanks!' })
            .getByText(/Delivered/)
            .waitFor();
        const d = await until(sessionId, 'the visitor message at the rep', (x) =>
            Boolean(x.conversation?.messages.some((m) => m.body === 'Great, thanks!'))
        );
        assert.equal(d.conversation?.id, conversationId);

        await page.reload();
        await page
            .getByRole('log', { name: 'Conversation' })
            .getByText('Yes, SSO comes with every plan.')
            .waitFor();
        await page.getByRole('log', { name: 'Conversation' }).getByText('Great, thanks!').waitFor();
        assert.deepEqual(errors, []);
        await context.close();
    });

    it('meeting booker: with nobody available, a visitor from a known account books a slot with its owner instead', async () => {
        const session = (await (await fetch(`${product.url}/local/session`)).json()) as {
            users: { id: string; isAdmin: boolean }[];
        };
        const reps = session.users.filter((u) => !u.isAdmin);
        const setAll = async (status: string) => {
            for (const rep of reps) await action('setAvailability', rep.id, { status });
        };
        await setAll('Away');
        try {
            // From the demo company block of the first seeded account.
            const { context } = await visitor({ ip: demoAccountIp(0, 77) });
            const page = await context.newPage();
            const errors = collectPageErrors(page);
            await page.goto(`${product.siteUrl}/pricing.html`);
            const sessionId = await sessionOf(page);
            const owner = (
                await until(sessionId, 'the visit from the account', (d) =>
                    Boolean(d.card.salesforce.account?.owner)
                )
            ).card.salesforce.account!.owner!;
            await page.getByRole('button', { name: 'Chat with us' }).click();
            await page.getByRole('button', { name: 'Talk to sales' }).click();

            const booker = page.getByRole('dialog', { name: 'Book a meeting' });
            await booker.getByRole('heading', { name: 'Nobody could pick up just now' }).waitFor();
            const slot = booker
                .getByRole('group', { name: 'Available times' })
                .locator('button.slot')
                .first();
            await slot.waitFor();
            const start = await slot.getAttribute('data-start');
            await slot.click();
            assert.equal(await slot.getAttribute('aria-pressed'), 'true');
            await booker.getByLabel('Name').fill('Tomás Silva');
            await booker.getByLabel('Work email').fill('tomas.silva@e2e-booker.example');
            await booker.getByLabel('Company').fill('E2E Booker SA');
            await booker.getByRole('button', { name: 'Book meeting' }).click();
            await booker.getByRole('heading', { name: 'You are booked' }).waitFor();
            assert.match(await booker.innerText(), new RegExp(`with ${owner.name}`));
            assert.ok(start && !Number.isNaN(Date.parse(start)));
            assert.deepEqual(errors, []);
            await context.close();
        } finally {
            await setAll('Available');
        }
    });
});
