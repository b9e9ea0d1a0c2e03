/**
 * Accessibility, on the real local product in Chromium, started once for all of it:
 *
 * - WCAG 2.0 / 2.1 A and AA, checked with axe-core on every state a rep, an admin and a
 *   website visitor see: the console's three views, the open Visitor 360, the gear menu and
 *   the keyboard help; each Sightline Setup tab with its editor open; the visitor's chat and
 *   meeting booker on the demo website. A scan fails on any serious or critical violation
 *   and on any check axe could not finish, so contrast is measured everywhere.
 * - The rep console with the keyboard only (Tab, Shift+Tab, arrows, Enter, Space, Escape),
 *   as a rep who cannot or does not use a mouse. The visitors are the test's own beacons;
 *   every wait is for a condition; the busy stream is driven deterministically (a seeded
 *   sequence of arrivals, departures and page views).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { SeededRandom } from '../localorg/src/seed/random';
import { launchBrowser } from './support/browser';
import { describeFindings, scanWithAxe } from './support/axe';
import {
    collect,
    demoCompanyIp,
    newVisit,
    pageView,
    type FakeVisit
} from './support/consoleTraffic';
import { focused, focusIsInside, pressUntil, waitForFocus } from './support/keyboard';
import { startProduct, type RunningProduct } from './support/product';
import {
    localUsers,
    openConsole,
    repAction,
    until,
    visitorDetail,
    type LocalUser
} from './support/repConsole';

/** A paid campaign puts a visitor in the Paid Advertising stream, which routes to a rep. */
const PAID = { source: 'linkedin', medium: 'paid-social', campaign: 'e2e-keyboard' };

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

function paidPageView(product: RunningProduct, path: string, title: string) {
    return pageView(product.siteUrl, path, title);
}

describe('accessibility', () => {
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

    describe('axe-core, WCAG 2.1 AA', () => {
        before(async () => {
            // Visitors from demo companies (some with Salesforce records), on two pages.
            for (let i = 0; i < 24; i++) {
                await collect(product.gatewayUrl, newVisit(demoCompanyIp(i), 'axe'), [
                    pageView(
                        product.siteUrl,
                        i % 2 ? '/pricing.html' : '/',
                        i % 2 ? 'Pricing' : 'Home'
                    )
                ]);
            }
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
            await editor.locator('[data-id="strategy"]').selectOption('Named_Reps');
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

    describe('keyboard only', () => {
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
            const card = page.locator(
                `[data-id="visitor-card"][data-visitor-id="${visit.sessionId}"]`
            );
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

            // Tab and Shift+Tab cycle inside the open panel: 40 of each never leave it.
            for (const key of ['Tab', 'Shift+Tab']) {
                for (let i = 0; i < 40; i++) {
                    await page.keyboard.press(key);
                    assert.ok(
                        await focusIsInside(page, 'c-visitor-console'),
                        `${key} ${i + 1} left the Visitor 360 for ${JSON.stringify(await focused(page))}`
                    );
                }
            }

            await page.keyboard.press('Escape');
            await page.locator('[data-id="visitor-console"]').waitFor({ state: 'detached' });
            await waitForFocus(
                page,
                'focus back on the card',
                (f) => f?.visitorId === visit.sessionId
            );

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
            assert.ok(
                focusedLeft >= 2,
                `the focused card left ${focusedLeft} times in ${steps} steps`
            );
            const said = await page.locator('[data-id="announce-polite"]').textContent();
            assert.match(said ?? '', /visitors? (arrived|left)/);
            await context.close();
        });
    });
});
