/**
 * WCAG 2.0 / 2.1 A and AA, checked with axe-core on every state a rep, an admin and a
 * website visitor see: the console's three views, the open Visitor 360, the gear menu and
 * the keyboard help; each Sightline Setup tab with its editor open; the visitor's chat and
 * meeting booker on the demo website. A scan fails on any serious or critical violation and
 * on any check axe could not finish, so contrast is measured everywhere.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser } from './support/browser';
import { chooseOption } from './support/combobox';
import { describeFindings, scanWithAxe } from './support/axe';
import { collect, demoCompanyIp, newVisit, pageView } from './support/consoleTraffic';
import { startProduct, type RunningProduct } from './support/product';
import { localUsers, openConsole, repAction, type LocalUser } from './support/repConsole';

async function assertAccessible(page: Page, state: string, include?: string[][]): Promise<void> {
    const report = await scanWithAxe(page, include);
    assert.equal(
        report.violations.length,
        0,
        `${state}: serious or critical violations\n${describeFindings(report.violations)}`
    );
    assert.equal(
        report.incomplete.length,
        0,
        `${state}: checks axe could not finish\n${describeFindings(report.incomplete)}`
    );
}

describe('accessibility (axe-core, WCAG 2.1 AA)', () => {
    let product: RunningProduct;
    let browser: Browser;
    let admin: LocalUser;

    before(async () => {
        [product, browser] = await Promise.all([startProduct(), launchBrowser()]);
        admin = (await localUsers(product)).find((u) => u.isAdmin)!;
        // Visitors from demo companies (some with Salesforce records), on two pages.
        for (let i = 0; i < 24; i++) {
            await collect(product.gatewayUrl, newVisit(demoCompanyIp(i), 'axe'), [
                pageView(product.siteUrl, i % 2 ? '/pricing.html' : '/', i % 2 ? 'Pricing' : 'Home')
            ]);
        }
    });

    after(async () => {
        await browser?.close();
        await product?.stop();
    });

    it('the console: live, list and map views, the open Visitor 360, the gear menu and the help', async () => {
        const { context, page } = await openConsole(browser, product, admin.id);

        // The visitors go idle after 30 s without a beacon: show them, so every view has some.
        await page.locator('[data-id="settings"] button').first().click();
        await page.getByRole('menuitemcheckbox', { name: 'Show idle visitors' }).waitFor();
        // The open menu covers the text under it, which the other scans measure.
        await assertAccessible(page, 'gear menu', [
            ['shell-app', 'c-sightline-console', '[data-id="settings"]']
        ]);
        await page.getByRole('menuitemcheckbox', { name: 'Show idle visitors' }).click();
        await page.locator('[data-id="visitor-card"]').first().waitFor();

        await page.getByRole('button', { name: 'List view' }).click();
        await page.locator('c-visitor-list [data-id="visitor-card"]').first().waitFor();
        await assertAccessible(page, 'list view');

        await page.getByRole('button', { name: 'Map view' }).click();
        await page.locator('[data-id="dot"]').first().waitFor();
        await assertAccessible(page, 'map view');

        await page.getByRole('button', { name: 'Live view' }).click();
        await page.locator('c-stream-board [data-id="visitor-card"]').first().waitFor();
        await assertAccessible(page, 'live view');

        await page.getByRole('button', { name: 'Keyboard shortcuts' }).click();
        await page.locator('[data-id="help"]').waitFor();
        await assertAccessible(page, 'keyboard help');
        await page.getByRole('button', { name: 'Keyboard shortcuts' }).click();

        await page.locator('c-stream-board [data-id="visitor-card"]').first().click();
        await page.locator('[data-id="timeline"]').waitFor();
        // A modal dialog: the page behind it is covered, so the scan is of the dialog.
        await assertAccessible(page, 'Visitor 360', [
            ['shell-app', 'c-sightline-console', 'c-visitor-console']
        ]);
        await context.close();
    });

    it('Sightline Setup: each tab, with its editor open', async () => {
        // Tall enough that the editor and its dry run fit on screen: axe reads colours from
        // what is painted, and text cut off at the window's edge cannot be measured.
        const { context, page } = await openConsole(browser, product, admin.id, {
            width: 1440,
            height: 2400
        });
        await page.getByRole('link', { name: 'Sightline Setup' }).click();
        await page.getByRole('heading', { name: 'Sightline Setup', level: 1 }).waitFor();

        await page.getByRole('button', { name: /^Pricing Page/ }).click();
        await page.locator('[data-id="stream-editor"]').waitFor();
        await page.locator('[data-id="dry-run-summary"]').waitFor();
        await assertAccessible(page, 'Streams tab, stream editor');

        await page.getByRole('tab', { name: 'Routing rules' }).click();
        const rules = page.getByRole('list', { name: 'Routing rules' });
        await rules.getByRole('button', { name: /^Everyone else/ }).click();
        const editor = page.locator('[data-id="rule-editor"]');
        await editor.waitFor();
        // Named reps with one rep chosen (an empty listbox is a state axe leaves for review).
        await chooseOption(editor.locator('[data-id="strategy"]'), 'Named_Reps');
        const reps = editor.locator('[data-id="target-users"]');
        await reps.getByRole('option').first().click();
        await reps.getByRole('button', { name: /Move selection to Routed to/ }).click();
        await assertAccessible(page, 'Routing rules tab, rule editor');

        await page.getByRole('tab', { name: 'Health' }).click();
        await page.locator('c-setup-health').waitFor();
        await page.locator('c-setup-health h2').first().waitFor();
        await assertAccessible(page, 'Health tab');
        await context.close();
    });

    it('the visitor’s chat and meeting booker on the demo website', async () => {
        const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
        const page = await context.newPage();
        await page.goto(`${product.siteUrl}/pricing.html`);
        await page.getByRole('button', { name: 'Chat with us' }).click();
        const panel = page.getByRole('dialog', { name: 'Talk to our team' });
        await panel.getByRole('button', { name: 'Talk to sales' }).waitFor();
        await assertAccessible(page, 'chat panel');

        // With every rep away, asking to talk offers the meeting booker.
        const reps = (await localUsers(product)).filter((u) => !u.isAdmin);
        for (const rep of reps)
            await repAction(product, rep.id, 'setAvailability', { status: 'Away' });
        try {
            await panel.getByRole('button', { name: 'Talk to sales' }).click();
            const booker = page.getByRole('dialog', { name: 'Book a meeting' });
            await booker.getByRole('group', { name: 'Available times' }).waitFor();
            await assertAccessible(page, 'meeting booker');
        } finally {
            for (const rep of reps)
                await repAction(product, rep.id, 'setAvailability', { status: 'Available' });
        }
        await context.close();
    });
});
