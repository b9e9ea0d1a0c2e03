/**
 * The console's direct socket end to end, in Chromium against the real local product:
 *
 * - with the gateway's Trusted URL active (the local product's default), the console goes
 *   live over the socket and a beacon reaches the rep's screen without one Platform Event
 *   delivery spent (the org's `/limits`);
 * - with it inactive (`--no-trusted-url`), the page's Content Security Policy makes the
 *   browser refuse the socket, exactly as Lightning would: the browser reports the block
 *   and the console still goes live, through events — on the rep's own filtered channel,
 *   which the gateway created in the org (Tooling API) and the snapshot named.
 *
 * Every wait is for a condition, never for time.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { startProductAndBrowser } from './support/browser';
import {
    collect,
    demoCompanyIp,
    newVisit,
    pageView,
    type FakeVisit
} from './support/consoleTraffic';
import { deliveredEvents } from './support/orgLimits';
import { orgConnection } from './support/orgQuery';
import type { RunningProduct } from './support/product';
import { CONNECTED, cardOf, openConsole, routedToARep } from './support/repConsole';

/** Records the page's CSP violation reports, as a page can see them. */
const WATCH_CSP = `window.__cspViolations = [];
document.addEventListener('securitypolicyviolation', (e) => {
    window.__cspViolations.push({ directive: e.effectiveDirective, blocked: e.blockedURI });
});`;

interface Setup {
    product: RunningProduct;
    browser: Browser;
    repId: string;
    visit: FakeVisit;
}

/** The product, and one visitor routed to a rep (some of 40 demo-company visitors are). */
async function setUp(extraArgs: string[]): Promise<Setup> {
    const { product, browser } = await startProductAndBrowser({ extraArgs });
    const visits = Array.from({ length: 40 }, (_, i) => newVisit(demoCompanyIp(i), 'sock'));
    for (const visit of visits)
        await collect(product.gatewayUrl, visit, [
            pageView(product.siteUrl, '/pricing', 'Pricing')
        ]);
    // A new visit's beacon is answered before the org recognises it: wait for the routing.
    const routed = await routedToARep(
        product,
        visits.map((v) => v.sessionId)
    );
    const visit = visits.find((v) => v.sessionId === routed.visitId)!;
    return { product, browser, repId: routed.repId, visit };
}

/** What the page's empApi asked of the org's streaming endpoint: channels in and out. */
interface Subscriptions {
    subscribed: { id: string; channel: string }[];
    unsubscribed: string[];
}

async function openWatched(setup: Setup): Promise<{ page: Page; streaming: Subscriptions }> {
    const { context, page } = await openConsole(setup.browser, setup.product, setup.repId);
    await context.addInitScript(WATCH_CSP);
    const streaming: Subscriptions = { subscribed: [], unsubscribed: [] };
    page.on('websocket', (socket) =>
        socket.on('framesent', ({ payload }) => {
            let frame: { type?: string; id?: string; channel?: string };
            try {
                frame = JSON.parse(String(payload)) as typeof frame;
            } catch {
                return;
            }
            if (frame.type === 'subscribe' && frame.id && frame.channel)
                streaming.subscribed.push({ id: frame.id, channel: frame.channel });
            if (frame.type === 'unsubscribe' && frame.id) streaming.unsubscribed.push(frame.id);
        })
    );
    await page.reload();
    await page.locator(CONNECTED).waitFor();
    return { page, streaming };
}

/** The channels the page holds a subscription to now. */
function heldChannels(streaming: Subscriptions): string[] {
    return streaming.subscribed
        .filter((s) => !streaming.unsubscribed.includes(s.id))
        .map((s) => s.channel);
}

/** A new page view of the visit, whose title the rep's card must show. */
async function browse(setup: Setup, title: string): Promise<void> {
    await collect(setup.product.gatewayUrl, setup.visit, [
        pageView(setup.product.siteUrl, `/pricing?${title}`, title)
    ]);
}

describe('the console socket, Trusted URL active', () => {
    let setup: Setup;
    before(async () => (setup = await setUp([])));
    after(async () => {
        await setup?.browser.close();
        await setup?.product.stop();
    });

    it('goes live over the socket and brings a beacon to the screen with no event delivery spent', async () => {
        const { page, streaming } = await openWatched(setup);
        await page.locator('[data-id="freshness"][data-via="socket"]').waitFor();
        assert.deepEqual(heldChannels(streaming), [], 'no event subscription beside the socket');
        const card = cardOf(page, setup.visit.sessionId);
        await card.waitFor();
        const before = await deliveredEvents(setup.product);

        await browse(setup, 'Socket pricing');
        await card.locator('[data-id="page"]', { hasText: 'Socket pricing' }).waitFor();
        assert.equal(
            await deliveredEvents(setup.product),
            before,
            'no Visitor_Update__e delivered'
        );
        assert.deepEqual(await page.evaluate('window.__cspViolations'), []);
    });
});

describe('the console socket, Trusted URL inactive', () => {
    let setup: Setup;
    before(async () => (setup = await setUp(['--no-trusted-url'])));
    after(async () => {
        await setup?.browser.close();
        await setup?.product.stop();
    });

    it('is blocked by the browser, and the console goes live through events', async () => {
        const { page, streaming } = await openWatched(setup);
        await page.locator('[data-id="freshness"][data-via="events"]').waitFor();
        const violations =
            await page.evaluate<{ directive: string; blocked: string }[]>('window.__cspViolations');
        const gateway = new URL(setup.product.gatewayUrl);
        assert.ok(
            violations.some(
                (v) => v.directive === 'connect-src' && new URL(v.blocked).host === gateway.host
            ),
            `the browser reports the blocked socket: ${JSON.stringify(violations)}`
        );
        const card = cardOf(page, setup.visit.sessionId);
        await card.waitFor();
        const before = await deliveredEvents(setup.product);
        await browse(setup, 'Events pricing');
        await card.locator('[data-id="page"]', { hasText: 'Events pricing' }).waitFor();
        assert.ok((await deliveredEvents(setup.product)) > before, 'delivered as events');

        // On the rep's own channel, filtered on the rep in the org, and on it only.
        const own = `Sightline_${setup.repId}__chn`;
        assert.deepEqual(heldChannels(streaming), [`/event/${own}`]);
        const conn = await orgConnection(setup.product);
        const channel = await conn.tooling.query<{ Id: string }>(
            `SELECT Id FROM PlatformEventChannel WHERE DeveloperName = 'Sightline_${setup.repId}'`
        );
        assert.equal(channel.totalSize, 1, `the org has ${own}`);
        const members = await conn.tooling.query<{ FilterExpression: string }>(
            `SELECT FilterExpression FROM PlatformEventChannelMember WHERE EventChannel = '${channel.records[0]!.Id}'`
        );
        assert.match(members.records[0]!.FilterExpression, new RegExp(`'${setup.repId}'`));
    });
});
