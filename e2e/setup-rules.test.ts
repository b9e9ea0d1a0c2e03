/**
 * Routing rules end to end: an admin builds a rule in Sightline Setup (criteria builder,
 * strategy and rep, fallback, chat timeout), is refused while the criteria are invalid,
 * moves it up by drag and by keyboard, and a visitor who matches it is routed to that rep:
 * the rep's console shows the visitor and the pin names the rule. The visitor is the
 * test's own beacons (no simulator); every wait is for a condition.
 */
import { CONNECTED } from './support/repConsole';
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { collectPageErrors, startProductAndBrowser } from './support/browser';
import { chooseOption, isComboboxDisabled, selectedValue } from './support/combobox';
import { collect, newVisit, pageView } from './support/consoleTraffic';
import type { RunningProduct } from './support/product';

const RULE = 'Spring launch → Lucas Moreau';

async function signInAs(page: Page, url: string, name: RegExp): Promise<void> {
    await page.goto(url);
    await page.locator('[data-id="user-menu"] button').click();
    await page.getByRole('menuitem', { name }).click();
    await page.waitForLoadState('load');
}

describe('Sightline Setup: an admin adds a routing rule and visitors follow it', () => {
    let product: RunningProduct;
    let browser: Browser;

    before(async () => {
        ({ product, browser } = await startProductAndBrowser());
    });

    after(async () => {
        await browser?.close();
        await product?.stop();
    });

    it('builds a rule, refuses it while invalid, reorders it by drag and keyboard, and routes a matching visitor to the named rep', async () => {
        const admin = await browser.newContext({ viewport: { width: 1440, height: 1000 } });
        const page = await admin.newPage();
        const errors = collectPageErrors(page);
        await signInAs(page, product.url, /Priya Raman/);
        await page.getByRole('link', { name: 'Sightline Setup' }).click();
        await page.getByRole('tab', { name: 'Routing rules' }).click();
        const list = page.getByRole('list', { name: 'Routing rules' });
        await list.getByRole('button', { name: /^Everyone else/ }).waitFor();

        await page.locator('[data-id="new-rule"] button').click();
        const editor = page.locator('[data-id="rule-editor"]');
        await editor.locator('lightning-input[data-id="name"] input').fill(RULE);

        // A condition with no field yet: the builder says so at the condition, and saving is refused.
        await editor.locator('[data-id="add-condition"] button').first().click();
        const condition = editor.locator('c-setup-condition').first();
        await condition.locator('[data-id="errors"]').waitFor();
        assert.equal(await isComboboxDisabled(condition.locator('[data-id="operator"]')), true);
        await editor.locator('[data-id="save"] button').click();
        const refusal = editor.locator('[data-id="save-error"]');
        await refusal
            .filter({ hasText: /^The rule was not saved\. The criteria are not valid: / })
            .waitFor();

        // Field → operator → value, through the builder's own controls.
        await chooseOption(condition.locator('[data-id="field"]'), 'utm.campaign');
        const operator = condition.locator('[data-id="operator"]');
        assert.equal(
            await isComboboxDisabled(operator),
            false,
            'choosing a field enables the operator'
        );
        assert.equal(await selectedValue(operator), 'equals');
        await chooseOption(operator, 'startsWith');
        const value = condition.locator('[data-id="value-text"]');
        await value.fill('spring-');
        await value.press('Tab');
        await editor.locator('[data-id="summary"]', { hasText: 'Criteria are valid.' }).waitFor();
        await refusal.waitFor({ state: 'detached' });

        // Strategy and target: Named reps, one rep; fallback group; chat timeout.
        await chooseOption(editor.locator('[data-id="strategy"]'), 'Named_Reps');
        const reps = editor.locator('[data-id="target-users"]');
        await reps.getByRole('option', { name: /Lucas Moreau/ }).click();
        await reps.getByRole('button', { name: /Move selection to Routed to/ }).click();
        await chooseOption(editor.locator('[data-id="unavailable-action"]'), 'Fallback_Group');
        await chooseOption(editor.locator('[data-id="fallback-group"]'), {
            label: 'Account Executives (6 reps)'
        });
        const timeout = editor.locator('lightning-input[data-id="timeout"] input');
        await timeout.fill('45');
        await timeout.press('Tab');
        await editor.locator('[data-id="save"] button').click();

        await list.getByRole('button', { name: new RegExp(`^${RULE}`) }).waitFor();
        await editor
            .locator('[data-id="editor-heading"]', { hasText: `Edit rule: ${RULE}` })
            .waitFor();
        const titles = () => list.locator('[data-id="title"]').allInnerTexts();
        assert.equal((await titles()).at(-1), RULE);

        // Drag it onto "Everyone else" (position 5), then one step up with the keyboard (position 4),
        // above the paid-or-pricing rule that would otherwise take a visitor from a paid ad.
        const row = (title: string) =>
            list.locator('li', { has: page.locator('[data-id="title"]', { hasText: title }) });
        await row(RULE).dragTo(row('Everyone else'));
        const announcement = page.locator('[data-id="rule-list"] [data-id="announcement"]');
        await announcement.filter({ hasText: `${RULE} moved to position 5 of 6.` }).waitFor();
        await row(RULE)
            .getByRole('button', { name: `Move rule ${RULE} up` })
            .focus();
        await page.keyboard.press('Enter');
        await announcement.filter({ hasText: `${RULE} moved to position 4 of 6.` }).waitFor();
        await list.locator('li').nth(3).filter({ hasText: RULE }).waitFor();
        assert.deepEqual(await titles(), [
            'Target accounts → account owner',
            'Target accounts → account team',
            'Open opportunity → opportunity owner',
            RULE,
            'Paid or pricing → Inbound SDRs round robin',
            'Everyone else → first available SDR'
        ]);
        // Saving the rule's editor, still open from before the moves, keeps it where it was moved.
        await timeout.fill('60');
        await timeout.press('Tab');
        // (after the update, the page reloads the configuration)
        const reloaded = page.waitForResponse((response) =>
            response.url().endsWith('/getRoutingConfig')
        );
        await editor.locator('[data-id="save"] button').click();
        await reloaded;
        // Order and timeout are stored: a fresh load of the page shows them.
        await page.reload();
        await page.getByRole('tab', { name: 'Routing rules' }).click();
        await list.locator('li').nth(3).filter({ hasText: RULE }).waitFor();
        await list.getByRole('button', { name: new RegExp(`^${RULE}`) }).click();
        assert.equal(await timeout.inputValue(), '60');

        // The named rep's console: a visitor from a paid ad of the spring campaign (so in the Paid
        // Advertising stream, and matched by the pricing rule too, which now comes later) is theirs.
        const rep = await browser.newContext({ viewport: { width: 1440, height: 900 } });
        const repPage = await rep.newPage();
        await signInAs(repPage, product.url, /Lucas Moreau/);
        await repPage.locator(CONNECTED).waitFor();
        const visit = newVisit('203.0.113.40', 'rule');
        await collect(
            product.gatewayUrl,
            visit,
            [pageView(product.siteUrl, '/pricing', 'Pricing')],
            {
                utm: { source: 'google', medium: 'cpc', campaign: 'spring-launch' }
            }
        );

        const card = repPage.locator(
            `[data-id="visitor-card"][data-visitor-id="${visit.sessionId}"]`
        );
        await card.waitFor();
        await card.locator('[data-id="pin"]').hover();
        const reason = await card.locator('[data-id="reason"]').textContent();
        assert.match(reason ?? '', new RegExp(`^Matched rule "${RULE}"`));
        assert.equal(await card.locator('[data-id="routed-to"]').textContent(), 'Lucas Moreau');

        assert.deepEqual(errors, []);
        await admin.close();
        await rep.close();
    });
});
