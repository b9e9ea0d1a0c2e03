/**
 * The accessibility scan itself (e2e/support/axe.ts), on small pages in Chromium, without
 * the product: that it fails on what it is meant to catch, and that what it lends a
 * synthetic shadow root for its own length is taken back after.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser } from './support/browser';
import { scanWithAxe } from './support/axe';

const PAGE = (
    main: string,
    after = ''
) => `<!doctype html><html lang="en"><head><title>Scan</title></head>
<body><header>Site</header><main><h1>Page</h1>${main}</main>${after}</body></html>`;

/**
 * A shadow root that refuses `getElementById` as @lwc/synthetic-shadow's does (an accessor
 * on the shadow root's prototype answering a function that throws "Disallowed method"),
 * holding a labelled input.
 */
const REFUSING_SHADOW = `(() => {
    Object.defineProperty(ShadowRoot.prototype, 'getElementById', {
        configurable: true,
        enumerable: true,
        get() {
            return () => { throw new Error('Disallowed method "getElementById" on ShadowRoot.'); };
        }
    });
    const host = document.createElement('div');
    document.querySelector('main').appendChild(host);
    host.attachShadow({ mode: 'open' }).innerHTML =
        '<label for="name-7">Name</label><input id="name-7" type="text">';
})()`;

describe('the accessibility scan', () => {
    let browser: Browser;
    let page: Page;

    before(async () => {
        browser = await launchBrowser();
        page = await browser.newPage();
    });

    after(async () => {
        await browser?.close();
    });

    it('passes a page with one banner and roles its elements may take', async () => {
        await page.setContent(PAGE('<ul><li>One visitor</li></ul>'));
        const report = await scanWithAxe(page);
        assert.deepEqual([report.violations, report.incomplete], [[], []]);
    });

    it('fails on a role an element may not take and on a second banner, whatever axe rates them', async () => {
        await page.setContent(
            PAGE(
                '<div role="list"><section role="listitem" aria-label="Stream">A stream</section></div>',
                '<div role="dialog" aria-label="Chat"><header>Talk to our team</header></div>'
            )
        );
        const rules = (await scanWithAxe(page)).violations.map((v) => v.rule);
        assert.ok(rules.includes('aria-allowed-role'), rules.join(', '));
        assert.ok(rules.includes('landmark-no-duplicate-banner'), rules.join(', '));
    });

    it('measures contrast inside a shadow root that refuses getElementById, and leaves it refusing', async () => {
        await page.setContent(PAGE(''));
        await page.evaluate(REFUSING_SHADOW);
        // axe alone cannot resolve the label's `for` there, so contrast goes unmeasured…
        await scanWithAxe(page); // (puts axe in the page)
        const alone = await page.evaluate(`axe
            .run(document, { runOnly: { type: 'rule', values: ['color-contrast', 'label'] } })
            .then((r) => r.incomplete.map((i) => i.id))`);
        assert.ok((alone as string[]).length > 0, 'axe alone measured everything');
        // …the scan measures it.
        const report = await scanWithAxe(page);
        assert.deepEqual(report.incomplete, []);
        const refused = await page.evaluate(`(() => {
            try {
                document.querySelector('main > div').shadowRoot.getElementById('name-7');
                return 'answered';
            } catch (e) {
                return e.message;
            }
        })()`);
        assert.match(String(refused), /Disallowed method "getElementById"/);
    });
});
