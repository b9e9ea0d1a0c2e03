/**
 * The rep console end to end, what only a native console does for a rep: pounce readiness
 * computed live (a visitor turns "Ready to pounce" as they scroll, with the four answers in
 * the Visitor 360, and the gear menu filters to them), availability set from the header
 * (routing follows), and the header worded for who is looking. The real local product (no
 * simulator); visitors are beacons per the tracker protocol. Every wait is for a condition.
 *
 * With SIGHTLINE_SCREENSHOTS=1 it also writes the docs' screenshots (docs/images/).
 */
import assert from 'node:assert/strict';
import { join, resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { collectPageErrors, launchBrowser } from './support/browser';
import {
    collect,
    demoCompanyIp,
    newVisit,
    pageView,
    type FakeVisit
} from './support/consoleTraffic';
import { startProduct, type RunningProduct } from './support/product';
import {
    cardOf,
    localUsers,
    openConsole,
    snapshotFor,
    until,
    visitorDetail,
    type LocalUser
} from './support/repConsole';

const images = resolve(import.meta.dirname, '../docs/images');
const shoot = async (page: Page, name: string) => {
    if (process.env.SIGHTLINE_SCREENSHOTS === '1')
        await page.screenshot({ path: join(images, name) });
};

describe('the rep console: pounce readiness, availability, and a header for who is looking', () => {
    let product: RunningProduct;
    let browser: Browser;
    let users: LocalUser[];
    let adminId: string;

    before(async () => {
        [product, browser] = await Promise.all([startProduct(), launchBrowser()]);
        users = await localUsers(product);
        adminId = users.find((u) => u.isAdmin)!.id;
    });

    after(async () => {
        await browser?.close();
        await product?.stop();
    });

    /** A pricing-page visitor (Pricing Page stream, routed round robin to an SDR) and its rep. */
    async function pricingVisitor(ip: string): Promise<{ visit: FakeVisit; repId: string }> {
        const visit = newVisit(ip, 'ready');
        await collect(product.gatewayUrl, visit, [
            pageView(product.siteUrl, '/pricing', 'Pricing')
        ]);
        const detail = await until(
            'the visitor routed to a rep',
            () => visitorDetail(product, adminId, visit.sessionId),
            (d) => d.card.routing.routedTo.length > 0
        );
        return { visit, repId: detail.card.routing.routedTo[0]!.id };
    }

    it('a visitor turns Ready to pounce as they scroll past 15%; the 360 answers the four questions; the filter keeps only them', async () => {
        const first = await pricingVisitor('81.2.69.160');
        // A second visitor for the same rep, who will not scroll.
        let second: FakeVisit | undefined;
        for (let i = 0; i < 30 && !second; i++) {
            const other = await pricingVisitor(`81.2.69.${170 + i}`);
            if (other.repId === first.repId) second = other.visit;
        }
        assert.ok(second, 'a second visitor routed to the same rep');
        const { context, page } = await openConsole(browser, product, first.repId);
        const errors = collectPageErrors(page);
        const card = cardOf(page, first.visit.sessionId);
        await card.waitFor();
        assert.equal(await card.locator('[data-id="ready-badge"]').count(), 0);

        await collect(product.gatewayUrl, first.visit, [
            {
                ts: Date.now(),
                type: 'scroll',
                url: new URL('/pricing', product.siteUrl).href,
                depth: 0.4
            }
        ]);
        await card.locator('[data-id="ready-badge"]').waitFor();
        assert.equal(
            await cardOf(page, second.sessionId).locator('[data-id="ready-badge"]').count(),
            0
        );
        await shoot(page, 'console-pounce-ready-1440x900.png');

        await card.click();
        const checklist = page.locator('[data-id="pounce-readiness"]');
        await checklist.locator('[data-id="verdict"]', { hasText: 'Ready to pounce' }).waitFor();
        const answers = await checklist.locator('[data-id="answer"]').allTextContents();
        assert.deepEqual(answers, [
            'Yes: active now on /pricing',
            'Yes: no rep is engaging',
            'Yes: Pricing Page',
            'Yes: scrolled 40% of /pricing'
        ]);
        await shoot(page, 'console-pounce-360-1440x900.png');
        await page.locator('[data-id="close"]').click();

        await page.locator('[data-id="settings"] button').click();
        await page
            .getByRole('menuitemcheckbox', { name: 'Only visitors ready to pounce' })
            .or(page.getByRole('menuitem', { name: 'Only visitors ready to pounce' }))
            .click();
        await cardOf(page, second.sessionId).waitFor({ state: 'detached' });
        assert.ok(await card.isVisible());
        assert.match(
            (await page.locator('[data-id="summary"]').textContent()) ?? '',
            /not ready hidden/
        );
        assert.deepEqual(errors, []);
        await context.close();
    });

    it('a rep sets Away and Available from the header; routing and the header follow', async () => {
        const sdr =
            users.find((u) =>
                /Sales Development/.test((u as LocalUser & { title?: string }).title ?? '')
            ) ?? users.find((u) => !u.isAdmin)!;
        const { context, page } = await openConsole(browser, product, sdr.id);
        const control = page.locator('[data-id="availability"]');
        await control.waitFor();
        const before = (await snapshotFor(product, sdr.id)).user.availability!;
        assert.equal(await control.getAttribute('data-status'), before.status);

        await control.locator('button').first().click();
        await page
            .getByRole('menuitemcheckbox', { name: 'Away' })
            .or(page.getByRole('menuitem', { name: 'Away' }))
            .click();
        await page.locator('[data-id="availability"][data-status="away"]').waitFor();
        await until(
            'the gateway to hold the rep away',
            () => snapshotFor(product, sdr.id),
            (s) => s.user.availability?.status === 'away'
        );
        await shoot(page, 'console-availability-1440x900.png');

        await control.locator('button').first().click();
        await page
            .getByRole('menuitemcheckbox', { name: 'Available' })
            .or(page.getByRole('menuitem', { name: 'Available' }))
            .click();
        await page.locator('[data-id="availability"][data-status="available"]').waitFor();
        await until(
            'the gateway to hold the rep available',
            () => snapshotFor(product, sdr.id),
            (s) => s.user.availability?.status === 'available'
        );

        await context.close();
    });

    it('an Account record page shows who from the account is on the website now: a buying committee', async () => {
        const visits = [
            newVisit(demoCompanyIp(7, 21), 'acct'),
            newVisit(demoCompanyIp(7, 22), 'acct')
        ];
        for (const visit of visits)
            await collect(product.gatewayUrl, visit, [
                pageView(product.siteUrl, '/pricing', 'Pricing')
            ]);
        const detail = await until(
            'the visitor matched to the account',
            () => visitorDetail(product, adminId, visits[0]!.sessionId),
            (d) => d.card.salesforce.account !== undefined
        );
        const account = detail.card.salesforce.account!;
        const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
        await context.addCookies([{ name: 'sightline_user', value: adminId, url: product.url }]);
        const page = await context.newPage();
        const errors = collectPageErrors(page);
        await page.goto(`${product.url}/lightning/r/Account/${account.id}/view`);
        const now = page.locator('[data-id="website-visitors-now"]');
        await now
            .locator('[data-id="committee"]', { hasText: `2 from ${account.name} on the site` })
            .waitFor();
        assert.equal(await now.locator('[data-id="visitor-card"]').count(), 2);
        await shoot(page, 'record-page-website-now-1440x900.png');
        assert.deepEqual(errors, []);
        await context.close();
    });

    it('the admin\'s header says "in all streams", and every view shows what it counts', async () => {
        const { context, page } = await openConsole(browser, product, adminId);
        const summary = page.locator('[data-id="summary"]');
        await summary.filter({ hasText: /in all streams/ }).waitFor();
        const counted = Number(/^(\d+) visitor/.exec((await summary.textContent()) ?? '')?.[1]);
        const live = await page.locator('[data-id="visitor-card"]').count();
        assert.equal(live, counted, 'Live shows what the header counts');
        assert.equal(
            await control(page),
            0,
            'an admin who is not a rep has no availability control'
        );
        await context.close();
    });
});

const control = (page: Page) => page.locator('[data-id="availability"]').count();
