import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { collectPageErrors, startProductAndBrowser } from './support/browser';
import { chooseOption } from './support/combobox';
import { collect, newVisit, pageView } from './support/consoleTraffic';
import type { RunningProduct } from './support/product';

/** Reloads the rep's console until the stream headings are what we expect (or the timeout). */
async function waitForConsoleStreams(
    page: Page,
    predicate: (names: string[]) => boolean,
    timeoutMs = 15_000
): Promise<string[]> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
        // Each stream is a region named by its heading (the name, then the count for screen readers).
        const streams = page.locator('c-stream-board section');
        await streams.first().waitFor();
        const names = await streams
            .locator('h2')
            .evaluateAll((headings) => headings.map((h) => h.getAttribute('title') ?? ''));
        if (predicate(names)) return names;
        if (Date.now() > deadline) return names;
        await page.reload();
    }
}

describe('Sightline Setup: an admin changes streams and routing, and reps see it', () => {
    let product: RunningProduct;
    let browser: Browser;

    before(async () => {
        ({ product, browser } = await startProductAndBrowser());
        // Live visitors for the dry run: two on phones, one on a desktop.
        for (const [i, type] of (['mobile', 'desktop', 'mobile'] as const).entries()) {
            const device = {
                type,
                browser: type === 'mobile' ? 'Safari' : 'Chrome',
                os: type === 'mobile' ? 'iOS' : 'macOS'
            };
            await collect(
                product.gatewayUrl,
                newVisit(`203.0.113.${20 + i}`, 'dry'),
                [pageView(product.siteUrl, '/product', 'Product')],
                { device }
            );
        }
    });

    after(async () => {
        await browser?.close();
        await product?.stop();
    });

    it('creates a stream with the builder, dry-runs it, saves, reorders, and a rep’s console follows', async () => {
        const admin = await browser.newContext({ viewport: { width: 1440, height: 1000 } });
        const page = await admin.newPage();
        const errors = collectPageErrors(page);
        await page.goto(product.url);
        await page.locator('[data-id="user-menu"] button').click();
        await page.getByRole('menuitem', { name: /Priya Raman/ }).click();
        await page.getByRole('link', { name: 'Sightline Setup' }).waitFor();
        await page.getByRole('link', { name: 'Sightline Setup' }).click();
        await page.getByRole('heading', { name: 'Sightline Setup', level: 1 }).waitFor();
        await page.getByRole('button', { name: /^Pricing Page/ }).waitFor();

        // A new stream: mobile visitors, built with the criteria builder.
        await page.locator('[data-id="new-stream"] button').click();
        await page
            .locator('[data-id="stream-editor"] lightning-input[data-id="name"] input')
            .fill('Mobile Visitors');
        await page.getByRole('radio', { name: 'Teal' }).click();
        await page.locator('[data-id="add-condition"] button').first().click();
        const condition = page.locator('c-setup-condition').first();
        // An unfinished condition is reported where it is.
        await condition.locator('[data-id="errors"]').waitFor();
        await chooseOption(condition.locator('[data-id="field"]'), 'device.type');
        await chooseOption(condition.locator('[data-id="value-choice"]'), 'mobile');
        await page.locator('[data-id="summary"]', { hasText: 'Criteria are valid.' }).waitFor();

        // The dry run matches current visitors before saving, and explains one.
        const summary = page.locator('[data-id="dry-run-summary"]');
        await summary
            .filter({ hasText: /^[1-9]\d* of \d+ live visitors? would match this stream\.$/ })
            .waitFor();
        await page.locator('[data-id="dry-run"] li[data-matched="true"] button').first().click();
        await page
            .locator('[data-id="trace"]', { hasText: 'Device type equals "mobile"' })
            .waitFor();

        await page.locator('[data-id="stream-editor"] [data-id="save"] button').click();
        const list = page.getByRole('list', { name: 'Streams' });
        await list.getByRole('button', { name: /^Mobile Visitors/ }).waitFor();
        assert.deepEqual(await list.locator('[data-id="title"]').allInnerTexts(), [
            'Target Account',
            'Open Opportunity',
            'Paid Advertising',
            'Pricing Page',
            'Mobile Visitors'
        ]);

        // Keyboard reorder: move it up once, announced, saved as priorities.
        await page.getByRole('button', { name: 'Move stream Mobile Visitors up' }).click();
        await page
            .locator('[data-id="announcement"]', {
                hasText: 'Mobile Visitors moved to position 4 of 5.'
            })
            .waitFor();
        await list.locator('li').nth(3).filter({ hasText: 'Mobile Visitors' }).waitFor();

        // A rep's console shows the new stream in its new place.
        const rep = await browser.newContext({ viewport: { width: 1440, height: 900 } });
        const repPage = await rep.newPage();
        await repPage.goto(product.url);
        const names = await waitForConsoleStreams(repPage, (n) => n[3] === 'Mobile Visitors');
        assert.deepEqual(names, [
            'Target Account',
            'Open Opportunity',
            'Paid Advertising',
            'Mobile Visitors',
            'Pricing Page'
        ]);

        // Deactivating it takes it off the rep's console.
        await list
            .locator('li', { hasText: 'Mobile Visitors' })
            .locator('lightning-input input')
            .click({ force: true });
        const after = await waitForConsoleStreams(repPage, (n) => !n.includes('Mobile Visitors'));
        assert.ok(!after.includes('Mobile Visitors'), `still shown: ${after.join(', ')}`);

        assert.deepEqual(errors, []);
        await admin.close();
        await rep.close();
    });
});
