import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import { collectPageErrors, startProductAndBrowser } from './support/browser';
import type { RunningProduct } from './support/product';

describe('the local Lightning shell', () => {
    let product: RunningProduct;
    let browser: Browser;

    before(async () => {
        ({ product, browser } = await startProductAndBrowser());
    });

    after(async () => {
        await browser?.close();
        await product?.stop();
    });

    it('opens the console as a rep inside a Lightning app, with the streams in priority order and no errors', async () => {
        const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
        const errors = collectPageErrors(page);
        await page.goto(product.url);

        await page.locator('.slds-global-header').waitFor();
        assert.equal(await page.locator('.slds-context-bar__app-name').innerText(), 'Sightline');
        await page.getByRole('heading', { name: 'Live Streams', level: 1 }).waitFor();
        // Each stream is a region named by its heading (the name, then the count for screen readers).
        const streams = page.locator('c-stream-board section');
        await streams.first().waitFor();
        assert.deepEqual(
            await streams
                .locator('h2')
                .evaluateAll((headings) => headings.map((h) => h.getAttribute('title') ?? '')),
            ['Target Account', 'Open Opportunity', 'Paid Advertising', 'Pricing Page']
        );
        assert.match(
            await page.locator('[data-id="summary"]').innerText(),
            /visitors? routed to you/
        );
        // SLDS is loaded from the local design system package, not a CDN.
        const sldsLoaded = await page
            .locator('.slds-global-header')
            .evaluate((el) => getComputedStyle(el).display);
        assert.equal(sldsLoaded, 'flex');
        // Synthetic shadow, as in Lightning Experience: a shadow root refuses getElementById
        // (accessibility scans lend it for their own length, e2e/support/axe.ts; the shell never).
        const refused = await page.evaluate(() => {
            try {
                document.querySelector('shell-app')?.shadowRoot?.getElementById('x');
                return 'answered';
            } catch (e) {
                return (e as Error).message;
            }
        });
        assert.match(refused, /Disallowed method "getElementById"/);
        assert.deepEqual(errors, []);
        await page.close();
    });

    it('switches the signed-in user from the user menu; only the admin sees the setup tab', async () => {
        const page = await browser.newPage();
        const errors = collectPageErrors(page);
        await page.goto(product.url);
        await page.getByRole('heading', { name: 'Live Streams', level: 1 }).waitFor();
        assert.equal(
            await page.getByRole('link', { name: 'Sightline Setup' }).count(),
            0,
            'a rep has no setup tab'
        );

        await page.locator('[data-id="user-menu"] button').click();
        await page.getByRole('menuitem', { name: /Priya Raman/ }).click();
        await page.waitForLoadState('load');
        await page.getByRole('link', { name: 'Sightline Setup' }).waitFor();
        await page.locator('[data-id="user-menu"] button').click();
        await page
            .getByRole('menuitem', { name: /Priya Raman · Sales Operations Manager/ })
            .waitFor();
        await page.keyboard.press('Escape');

        // Tabs change the page without a reload, at Lightning Experience's URLs, and back works.
        await page.getByRole('link', { name: 'Sightline Setup' }).click();
        await page.getByRole('heading', { name: 'Sightline Setup', level: 1 }).waitFor();
        assert.equal(new URL(page.url()).pathname, '/lightning/n/Sightline_Setup');
        await page.goBack();
        await page.getByRole('heading', { name: 'Live Streams', level: 1 }).waitFor();
        assert.deepEqual(errors, []);
        await page.close();
    });

    it('opens a record page at its Lightning URL and follows lookups to related records', async () => {
        const page = await browser.newPage();
        const errors = collectPageErrors(page);
        const session = (await (await fetch(`${product.url}/local/session`)).json()) as {
            user: { id: string; name: string };
        };
        await page.goto(`${product.url}/lightning/r/${session.user.id}/view`);
        await page.locator('[data-id="record-title"]', { hasText: session.user.name }).waitFor();
        assert.ok(
            (await page.locator('.slds-form-element__label').allInnerTexts()).includes('Email')
        );
        // The rep's manager is a lookup: following it opens the manager's record.
        await page.getByRole('link', { name: 'Daniel Okafor' }).click();
        await page.locator('[data-id="record-title"]', { hasText: 'Daniel Okafor' }).waitFor();
        assert.match(new URL(page.url()).pathname, /^\/lightning\/r\/005\w{15}\/view$/);
        assert.deepEqual(errors, []);
        await page.close();
    });
});
