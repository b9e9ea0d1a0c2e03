/**
 * The rep console end to end: the real local product (no simulator: the visitors here are
 * the test's own beacons) in Chromium. Every wait is for a condition, never for time.
 */
import { CONNECTED } from './support/repConsole';
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { collectPageErrors, startProductAndBrowser } from './support/browser';
import { collect, demoCompanyIp, newVisit, pageView } from './support/consoleTraffic';
import type { RunningProduct } from './support/product';

interface Snapshot {
    user: { id: string; name: string };
    visitors: { id: string; streamId: string; displayName: string }[];
}

describe('the rep console', () => {
    let product: RunningProduct;
    let browser: Browser;

    before(async () => {
        ({ product, browser } = await startProductAndBrowser());
        // Visitors from the first 40 demo companies: some are routed to the signed-in rep.
        for (let i = 0; i < 40; i++) {
            const visit = newVisit(demoCompanyIp(i), 'con');
            await collect(product.gatewayUrl, visit, [
                pageView(
                    product.siteUrl,
                    i % 2 ? '/pricing' : '/product',
                    i % 2 ? 'Pricing' : 'Product'
                )
            ]);
        }
    });

    after(async () => {
        await browser?.close();
        await product?.stop();
    });

    async function snapshotOf(page: Page): Promise<Snapshot> {
        return page.evaluate(async () => {
            const response = await fetch('/local/apex/SightlineGatewayController/getSnapshot', {
                method: 'POST',
                headers: { 'content-type': 'application/json' },
                body: '{"page":0}'
            });
            return (await response.json()) as Snapshot;
        });
    }

    /**
     * Opens the console and shows idle visitors too: the snapshot lists every routed
     * visitor, and the visitors of this file go idle 30 s after their last beacon.
     */
    async function openConsole(page: Page): Promise<void> {
        await page.locator(CONNECTED).waitFor();
        await page.locator('[data-id="settings"] button').first().click();
        await page.locator('[data-id="toggle-idle"]').click();
    }

    /** Waits until the console shows `n` cards (at least `n` unless `exact`), 30 s at most. */
    async function waitForCards(page: Page, n: number, exact = false): Promise<void> {
        const cards = page.locator('[data-id="visitor-card"]');
        const deadline = Date.now() + 30_000;
        for (;;) {
            const count = await cards.count();
            if (exact ? count === n : count >= n) return;
            if (Date.now() > deadline)
                throw new Error(
                    `expected ${exact ? '' : 'at least '}${n} cards; the console shows ${count}`
                );
            await page.waitForTimeout(100);
        }
    }

    const cardIds = (page: Page) =>
        page
            .locator('[data-id="visitor-card"]')
            .evaluateAll((els) => els.map((e) => e.getAttribute('data-visitor-id')).sort());

    it('shows the rep only their routed visitors, the same ones in the live, list and map views', async () => {
        const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
        const errors = collectPageErrors(page);
        await page.goto(product.url);
        await openConsole(page);
        const snapshot = await snapshotOf(page);
        assert.ok(
            snapshot.visitors.length > 0,
            'the demo routes some of the 40 visitors to the default rep'
        );
        const expected = snapshot.visitors.map((v) => v.id).sort();
        await waitForCards(page, expected.length);
        assert.deepEqual(await cardIds(page), expected);

        await page.getByRole('button', { name: 'List view' }).click();
        await page.locator('c-visitor-list').waitFor();
        assert.deepEqual(await cardIds(page), expected);

        await page.getByRole('button', { name: 'Map view' }).click();
        await page.locator('[data-id="dot"]').first().waitFor();
        const onMap = await page
            .locator('[data-id="dot"]')
            .evaluateAll((els) =>
                els.flatMap((e) => (e.getAttribute('data-visitor-ids') ?? '').split(' ')).sort()
            );
        assert.deepEqual(onMap, expected);

        // The view is remembered for this user.
        await page.reload();
        await page.locator('[data-id="map"]').waitFor();
        assert.deepEqual(errors, []);
        await page.close();
    });

    it('shows a visitor who arrives after the page loaded, live', async () => {
        const page = await browser.newPage();
        await page.goto(product.url);
        await openConsole(page);
        const before = (await snapshotOf(page)).visitors.length;
        // Demo companies further on, until one is routed to this rep.
        for (let i = 40; i < 120; i++) {
            await collect(product.gatewayUrl, newVisit(demoCompanyIp(i), 'late'), [
                pageView(product.siteUrl, '/pricing', 'Pricing')
            ]);
            if ((await snapshotOf(page)).visitors.length > before) break;
        }
        const ids = (await snapshotOf(page)).visitors.map((v) => v.id);
        assert.ok(ids.length > before, 'a later visitor was routed to the rep');
        await waitForCards(page, ids.length);
        await page.close();
    });

    it('switching user changes the streams the console shows', async () => {
        const page = await browser.newPage();
        await page.goto(product.url);
        await openConsole(page);
        const first = await snapshotOf(page);
        await page.locator('[data-id="user-menu"] button').click();
        // The shell reloads the page as the new user: wait for that load, not the current one.
        const reloaded = page.waitForEvent('load');
        await page.getByRole('menuitem', { name: /Emma Lindqvist/ }).click();
        await reloaded;
        await openConsole(page);
        const second = await snapshotOf(page);
        assert.notEqual(second.user.id, first.user.id);
        const expected = second.visitors.map((v) => v.id).sort();
        await waitForCards(page, expected.length, true);
        assert.deepEqual(await cardIds(page), expected);
        await page.close();
    });

    it('opens the Visitor 360 from a card with Enter', async () => {
        const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
        await page.goto(product.url);
        await openConsole(page);
        await page.getByRole('button', { name: 'Live view' }).click();
        await waitForCards(page, 1);
        const card = page.locator('[data-id="visitor-card"]').first();
        const name = await card.locator('[data-id="name"]').innerText();
        await card.focus();
        await page.keyboard.press('Enter');
        await page
            .locator('[data-id="visitor-console"] [data-id="title"]', { hasText: name })
            .waitFor();
        await page.locator('[data-id="timeline"]').waitFor();
        await page.close();
    });
});
