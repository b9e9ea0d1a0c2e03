/**
 * The rep console end to end, idle visitors and chat requests: the real local product (no
 * simulator) in Chromium, a visitor on the demo website with the real tracker (or its
 * beacons) and the routed rep's console. The rule's chat timeout is shortened through the
 * UI API as the admin, as Sightline Setup would save it. Every wait is for a condition.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { collectPageErrors, startProductAndBrowser } from './support/browser';
import { collect, newVisit } from './support/consoleTraffic';
import type { RunningProduct } from './support/product';
import {
    cardOf,
    localUsers,
    openConsole,
    repAction,
    sitePage,
    uiApiRecord,
    until,
    visitorDetail
} from './support/repConsole';

/** A paid campaign puts a visitor in the Paid Advertising stream, which routes to a rep. */
const PAID = { source: 'linkedin', medium: 'paid-social', campaign: 'e2e-console' };
const CHAT_TIMEOUT_SECONDS = 6;

describe('the rep console: idle visitors and chat requests', () => {
    let product: RunningProduct;
    let browser: Browser;
    let adminId: string;

    before(async () => {
        ({ product, browser } = await startProductAndBrowser());
        adminId = (await localUsers(product)).find((u) => u.isAdmin)!.id;
    });

    after(async () => {
        await browser?.close();
        await product?.stop();
    });

    it('hides an idle visitor until the gear menu’s Show idle visitors is checked', async () => {
        const visit = newVisit('203.0.113.41', 'idle');
        await collect(
            product.gatewayUrl,
            visit,
            [
                {
                    ts: Date.now(),
                    type: 'pageview',
                    url: sitePage(product, '/pricing.html'),
                    title: 'Pricing'
                }
            ],
            { utm: PAID }
        );
        // The tracker says the visitor went idle (its own timer; the gateway's is 30 s).
        await collect(product.gatewayUrl, visit, [
            { ts: Date.now(), type: 'activity', state: 'idle' }
        ]);
        const detail = await until(
            'an idle, routed visitor',
            () => visitorDetail(product, adminId, visit.sessionId),
            (d) => !d.card.active && d.card.routing.routedTo.length > 0
        );
        const rep = detail.card.routing.routedTo[0]!;

        const { context, page } = await openConsole(browser, product, rep.id);
        const errors = collectPageErrors(page);
        await page
            .locator('[data-id="summary"]', { hasText: '0 visitors routed to you · 1 idle hidden' })
            .waitFor();
        assert.equal(await cardOf(page, visit.sessionId).count(), 0, 'the idle visitor is hidden');

        await page.locator('[data-id="settings"] button').first().click();
        await page.locator('[data-id="toggle-idle"]').click();
        const card = cardOf(page, visit.sessionId);
        await card.waitFor();
        assert.equal(await card.locator('[data-id="activity"]').innerText(), 'Idle');
        assert.equal(
            await page.locator('[data-id="summary"]').innerText(),
            '1 visitor routed to you'
        );

        // Off again on the next load.
        await page.reload();
        await page.locator('[data-id="summary"]', { hasText: '1 idle hidden' }).waitFor();
        assert.equal(await cardOf(page, visit.sessionId).count(), 0);
        assert.deepEqual(errors, []);
        await context.close();
    });

    it('a chat request counts down on the routed rep’s card and, with nobody accepting, sends the visitor to the meeting booker', async () => {
        const visitor = await browser.newContext({ viewport: { width: 1280, height: 800 } });
        const site = await visitor.newPage();
        const siteErrors = collectPageErrors(site);
        await site.goto(
            sitePage(
                product,
                `/pricing.html?utm_source=${PAID.source}&utm_medium=${PAID.medium}&utm_campaign=${PAID.campaign}`
            )
        );
        const stored = await site.waitForFunction(() => localStorage.getItem('sightline:sid'));
        const sessionId = (JSON.parse((await stored.jsonValue()) as string) as { id: string }).id;
        const detail = await until(
            'the routed visit',
            () => visitorDetail(product, adminId, sessionId),
            (d) => d.card.routing.routedTo.length > 0 && Boolean(d.card.routing.ruleName)
        );
        const rep = detail.card.routing.routedTo[0]!;

        // The admin shortens the matched rule's chat timeout; the gateway recompiles its rules.
        const config = await repAction<{ rules: { id: string; name: string }[] }>(
            product,
            adminId,
            'getRoutingConfig'
        );
        const rule = config.rules.find((r) => r.name === detail.card.routing.ruleName)!;
        assert.ok(rule, `rule ${detail.card.routing.ruleName}`);
        await uiApiRecord(product, adminId, rule.id, {
            Chat_Timeout_Seconds__c: CHAT_TIMEOUT_SECONDS
        });
        // The change reaches the gateway by Change Data Capture: Health says when it is applied.
        const savedAt = Date.now();
        await until(
            'the rule change applied to routing',
            () => repAction<{ routingAppliedAt: string | null }>(product, adminId, 'getHealth'),
            (health) => Date.parse(health.routingAppliedAt ?? '') >= savedAt
        );

        const { context, page } = await openConsole(browser, product, rep.id);
        const errors = collectPageErrors(page);
        const card = cardOf(page, sessionId);
        await card.waitFor();

        await site.getByRole('button', { name: 'Chat with us' }).click();
        await site
            .getByRole('dialog', { name: 'Talk to our team' })
            .getByLabel('Your question')
            .fill('Can we see a demo this week?');
        await site.getByRole('button', { name: 'Talk to sales' }).click();
        const visitorTimer = await secondsOn(site.getByRole('timer'));
        assert.ok(
            visitorTimer > 0 && visitorTimer <= CHAT_TIMEOUT_SECONDS,
            `the visitor's countdown shows ${visitorTimer}`
        );

        const countdown = card.locator('[data-id="countdown"]');
        await countdown.waitFor();
        const first = await secondsOn(countdown);
        assert.ok(
            first > 0 && first <= CHAT_TIMEOUT_SECONDS,
            `the card's countdown shows ${first}`
        );
        await card.locator('[data-id="accept"]', { hasText: 'Start a conversation' }).waitFor();
        await until(
            'the countdown to go down',
            () => secondsOn(countdown),
            (s) => s < first
        );

        await card
            .locator('[data-id="booker"]', { hasText: 'Went to the meeting booker' })
            .waitFor();
        assert.equal(await card.locator('[data-id="accept"]').count(), 0);
        await site.getByRole('dialog', { name: 'Book a meeting' }).waitFor();
        assert.equal(
            (await visitorDetail(product, adminId, sessionId)).conversation?.status,
            'Missed'
        );
        assert.deepEqual(errors, []);
        assert.deepEqual(siteErrors, []);
        await context.close();
        await visitor.close();
    });
});

/** A countdown, "m:ss" on the card and on the visitor's page alike, in seconds. */
async function secondsOn(countdown: ReturnType<Page['locator']>): Promise<number> {
    const [minutes, seconds] = (await countdown.innerText()).trim().split(':').map(Number);
    return minutes! * 60 + seconds!;
}
