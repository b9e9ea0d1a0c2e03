/**
 * The rep console with the keyboard only (Tab, Shift+Tab, arrows, Enter, Space, Escape),
 * as a rep who cannot or does not use a mouse: the real local product in Chromium, the
 * visitors being the test's own beacons. Every wait is for a condition; the busy stream is
 * driven deterministically (a seeded sequence of arrivals, departures and page views).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { SeededRandom } from '../localorg/src/seed/random';
import { launchBrowser } from './support/browser';
import { collect, newVisit, pageView, type FakeVisit } from './support/consoleTraffic';
import { startProduct, type RunningProduct } from './support/product';
import {
    localUsers,
    openConsole,
    until,
    visitorDetail,
    type LocalUser
} from './support/repConsole';

/** A paid campaign puts a visitor in the Paid Advertising stream, which routes to a rep. */
const PAID = { source: 'linkedin', medium: 'paid-social', campaign: 'e2e-keyboard' };

interface Focused {
    tag: string;
    /** data-id of the element or, failing that, of the component it is inside. */
    dataId: string | null;
    /** The visit id of the card focus is on (or inside). */
    visitorId: string | null;
    /** The stream of that card, or of the stream heading focus is on. */
    streamId: string | null;
    text: string;
}

/** Where focus really is, looking through every shadow root on the way. */
function focused(page: Page): Promise<Focused | null> {
    return page.evaluate(`(() => {
        let a = document.activeElement;
        while (a && a.shadowRoot && a.shadowRoot.activeElement) a = a.shadowRoot.activeElement;
        if (!a || a === document.body) return null;
        const host = a.getRootNode().host;
        const cardHost = a.getAttribute('data-id') === 'visitor-card' ? host : null;
        return {
            tag: a.tagName.toLowerCase(),
            dataId: a.getAttribute('data-id') || (host && host.getAttribute('data-id')),
            visitorId: a.getAttribute('data-visitor-id'),
            streamId: (cardHost && cardHost.getAttribute('data-stream-id')) || a.getAttribute('data-heading-for'),
            text: (a.getAttribute('aria-label') || a.getAttribute('title') || a.textContent || '').trim().slice(0, 120)
        };
    })()`);
}

/** Presses `key` until focus satisfies `want` (at most `max` presses); returns the count. */
async function pressUntil(
    page: Page,
    key: string,
    want: (f: Focused | null) => boolean,
    max = 60
): Promise<number> {
    for (let presses = 1; presses <= max; presses++) {
        await page.keyboard.press(key);
        if (want(await focused(page))) return presses;
    }
    throw new Error(
        `${key} × ${max} never reached it; focus is on ${JSON.stringify(await focused(page))}`
    );
}

async function waitForFocus(page: Page, what: string, want: (f: Focused | null) => boolean) {
    return until(what, () => focused(page), want);
}

function paidPageView(product: RunningProduct, path: string, title: string) {
    return pageView(product.siteUrl, path, title);
}

describe('the rep console, keyboard only', () => {
    let product: RunningProduct;
    let browser: Browser;
    let admin: LocalUser;

    before(async () => {
        [product, browser] = await Promise.all([startProduct(), launchBrowser()]);
        admin = (await localUsers(product)).find((u) => u.isAdmin)!;
    });

    after(async () => {
        await browser?.close();
        await product?.stop();
    });

    async function paidVisitor(tag: string): Promise<{ visit: FakeVisit; repId: string }> {
        const visit = newVisit('203.0.113.77', tag);
        await collect(
            product.gatewayUrl,
            visit,
            [paidPageView(product, '/pricing.html', 'Pricing')],
            {
                utm: PAID
            }
        );
        const detail = await until(
            'a routed visitor',
            () => visitorDetail(product, admin.id, visit.sessionId),
            (d) => d.card.routing.routedTo.length > 0
        );
        return { visit, repId: detail.card.routing.routedTo[0]!.id };
    }

    it('opens a card, pounces, chats, closes with Escape and lands back on the card; switches views; shows idle visitors', async () => {
        const { visit, repId } = await paidVisitor('kbd');
        // The visitor stays active (heartbeats, as the tracker sends) until the test idles them.
        let keepAlive = true;
        const heartbeats = setInterval(() => {
            if (keepAlive)
                collect(product.gatewayUrl, visit, [
                    { ts: Date.now(), type: 'heartbeat', active: true }
                ]).catch(() => undefined);
        }, 5000);
        after(() => clearInterval(heartbeats));
        const { context, page } = await openConsole(browser, product, repId);
        const card = page.locator(`[data-id="visitor-card"][data-visitor-id="${visit.sessionId}"]`);
        await card.waitFor();

        // One tab stop per stream: the card is a few Tabs from the top of the page.
        const tabs = await pressUntil(page, 'Tab', (f) => f?.visitorId === visit.sessionId);
        assert.ok(tabs <= 30, `${tabs} Tabs to reach the card`);

        await page.keyboard.press('Enter');
        await page.locator('[data-id="visitor-console"]').waitFor();
        await waitForFocus(page, 'focus on the 360 heading', (f) => f?.dataId === 'title');

        await pressUntil(page, 'Tab', (f) => f?.dataId === 'panel-pounce', 20);
        await page.keyboard.press('Enter');
        await waitForFocus(
            page,
            'focus in the message box after Pounce',
            (f) => f?.dataId === 'composer'
        );

        await page.keyboard.type('Hello from the keyboard');
        await page.keyboard.press('Enter');
        await page
            .locator('[data-id="message"][data-sender="Rep"]', {
                hasText: 'Hello from the keyboard'
            })
            .waitFor();

        // Tab cycles inside the open panel: 40 Tabs never leave it.
        for (let i = 0; i < 40; i++) {
            await page.keyboard.press('Tab');
            const f = await focused(page);
            assert.ok(
                await page.evaluate(`(() => {
                    let a = document.activeElement;
                    const inside = [];
                    while (a) { inside.push(a.tagName); a = a.shadowRoot && a.shadowRoot.activeElement; }
                    return inside.includes('C-VISITOR-CONSOLE');
                })()`),
                `Tab ${i + 1} left the Visitor 360 for ${JSON.stringify(f)}`
            );
        }

        await page.keyboard.press('Escape');
        await page.locator('[data-id="visitor-console"]').waitFor({ state: 'detached' });
        await waitForFocus(page, 'focus back on the card', (f) => f?.visitorId === visit.sessionId);

        // Views: Shift+Tab back to the view switcher, Enter on List view, then on Map view.
        await pressUntil(page, 'Shift+Tab', (f) => f?.text === 'List view', 30);
        await page.keyboard.press('Enter');
        await page
            .locator(`c-visitor-list [data-visitor-id="${visit.sessionId}"]`)
            .first()
            .waitFor();
        await pressUntil(page, 'Tab', (f) => f?.visitorId === visit.sessionId, 30);
        await pressUntil(page, 'Shift+Tab', (f) => f?.text === 'Map view', 30);
        await page.keyboard.press('Enter');
        await page.locator('[data-id="map"]').waitFor(); // (this visitor's address has no place on it)
        await pressUntil(page, 'Tab', (f) => f?.text === 'Live view', 5);
        await page.keyboard.press(' ');
        await card.waitFor();

        // Idle visitors: the visitor goes idle and leaves the board; the gear menu brings them back.
        keepAlive = false;
        clearInterval(heartbeats);
        await collect(product.gatewayUrl, visit, [
            { ts: Date.now(), type: 'activity', state: 'idle' }
        ]);
        await card.waitFor({ state: 'detached' });
        await pressUntil(page, 'Tab', (f) => /^Console settings/.test(f?.text ?? ''), 10);
        await page.keyboard.press('Enter');
        await waitForFocus(page, 'the first menu item', (f) =>
            /Show idle visitors/.test(f?.text ?? '')
        );
        await page.keyboard.press('Enter');
        await card.waitFor();
        assert.equal(await card.locator('[data-id="activity"]').innerText(), 'Idle');
        await context.close();
    });

    it('keeps focus on the board through 30 s of live updates on a busy stream', async () => {
        // A seeded sequence of arrivals, departures (going idle hides a card) and
        // page views, every 250 ms for 30 s (the focused visitor leaving every fifth step), into the Paid Advertising stream the admin sees.
        const seeded = new SeededRandom(20261127);
        const random = () => seeded.next();
        const live: FakeVisit[] = [];
        const lastBeat = new Map<string, number>();
        // Visitors go idle after 30 s without a beacon: the ones still here keep beating, as the
        // tracker would, so only the departures the sequence chooses happen.
        const keepAlive = async () => {
            for (const visit of live) {
                if (Date.now() - (lastBeat.get(visit.sessionId) ?? 0) < 8000) continue;
                lastBeat.set(visit.sessionId, Date.now());
                await collect(product.gatewayUrl, visit, [
                    { ts: Date.now(), type: 'heartbeat', active: true }
                ]);
            }
        };
        const arrive = async () => {
            const visit = newVisit(`203.0.113.${10 + (live.length % 200)}`, 'busy');
            await collect(
                product.gatewayUrl,
                visit,
                [paidPageView(product, '/pricing.html', 'Pricing')],
                {
                    utm: PAID
                }
            );
            live.push(visit);
            lastBeat.set(visit.sessionId, Date.now());
        };
        for (let i = 0; i < 12; i++) await arrive();

        const { context, page } = await openConsole(browser, product, admin.id);
        await until(
            'the busy stream on the board',
            () => page.locator('c-stream-board [data-visitor-id]').count(),
            (n) => n >= 12
        );
        // Into the Paid Advertising stream with the keyboard.
        const paid = await page
            .locator('c-stream-board h2[data-heading-for]', { hasText: 'Paid Advertising' })
            .getAttribute('data-heading-for');
        await pressUntil(
            page,
            'Tab',
            (f) => f?.visitorId !== null && f?.visitorId !== undefined,
            40
        );
        if ((await focused(page))?.streamId !== paid)
            await pressUntil(page, 'ArrowRight', (f) => f?.streamId === paid, 6);
        await page.keyboard.press('ArrowDown');
        await page.keyboard.press('ArrowDown');

        const endAt = Date.now() + 30_000;
        let steps = 0;
        let focusedLeft = 0;
        const actions: string[] = []; // what the last steps did, for a failure's message
        while (Date.now() < endAt) {
            steps += 1;
            const before = await focused(page);
            assert.ok(before, `step ${steps}: focus fell to the page`);
            const roll = random();
            await keepAlive();
            if (steps % 5 === 0 && before.visitorId) {
                // The focused visitor leaves: focus must land on a neighbour in the same stream
                // (or its heading), never on the page.
                const leaving = live.find((v) => v.sessionId === before.visitorId);
                if (leaving) {
                    await collect(product.gatewayUrl, leaving, [
                        { ts: Date.now(), type: 'activity', state: 'idle' }
                    ]);
                    live.splice(live.indexOf(leaving), 1);
                    await page
                        .locator(`c-stream-board [data-visitor-id="${leaving.sessionId}"]`)
                        .first()
                        .waitFor({ state: 'detached' });
                    const after = await waitForFocus(page, 'focus on a neighbour', (f) =>
                        Boolean(f && f.visitorId !== leaving.sessionId)
                    );
                    assert.equal(
                        after!.streamId,
                        paid,
                        `focus stayed in the stream: ${JSON.stringify(after)}`
                    );
                    focusedLeft += 1;
                    if (!after!.visitorId) await page.keyboard.press('Tab'); // from the heading into the stream
                }
            } else if (roll < 0.4 || live.length < 4) {
                await arrive();
                actions.push(`arrival, focus on ${before.visitorId ?? before.text}`);
            } else if (roll < 0.7) {
                const others = live.filter((v) => v.sessionId !== before.visitorId);
                const leaving = others[Math.floor(random() * others.length)]!;
                await collect(product.gatewayUrl, leaving, [
                    { ts: Date.now(), type: 'activity', state: 'idle' }
                ]);
                live.splice(live.indexOf(leaving), 1);
                actions.push(
                    `${leaving.sessionId} left, focus on ${before.visitorId ?? before.text}`
                );
            } else {
                const visit = live[Math.floor(random() * live.length)]!;
                await collect(product.gatewayUrl, visit, [
                    paidPageView(product, `/pricing.html?step=${steps}`, `Pricing ${steps}`)
                ]);
                actions.push(
                    `${visit.sessionId} viewed a page, focus on ${before.visitorId ?? before.text}`
                );
            }
            await page.waitForTimeout(250); // the pace of the driven traffic, not a wait for a result
            const now = await focused(page);
            assert.ok(
                now,
                `after step ${steps} (${actions.slice(-3).join('; ')}): focus fell to the page`
            );
        }
        assert.ok(focusedLeft >= 2, `the focused card left ${focusedLeft} times in ${steps} steps`);
        const said = await page.locator('[data-id="announce-polite"]').textContent();
        assert.match(said ?? '', /visitors? (arrived|left)/);
        await context.close();
    });
});
