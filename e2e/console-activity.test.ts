/**
 * Conversations on the CRM timeline, end to end: a known Lead visits, the routed rep pounces
 * from the Visitor 360, they chat, the rep ends the conversation, and a completed Task with
 * the transcript, the stream and the pages seen is on the Lead (checked in the local org by
 * SOQL, as an integration user would). The real local product (no simulator); the visitor
 * is beacons per the tracker protocol. Every wait is for a condition.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import type { Connection } from 'jsforce';
import { collectPageErrors, startProductAndBrowser } from './support/browser';
import { collect, newVisit, pageView } from './support/consoleTraffic';
import { orgConnection } from './support/orgQuery';
import type { RunningProduct } from './support/product';
import {
    localUsers,
    openConsole,
    repAction,
    routedVisitor,
    until,
    visitorDetail
} from './support/repConsole';

interface TaskRow {
    Subject: string;
    Status: string;
    IsClosed: boolean;
    TaskSubtype: string;
    OwnerId: string;
    WhatId: string | null;
    ActivityDate: string;
    Description: string;
}

describe('the rep console: conversations on the timeline', () => {
    let product: RunningProduct;
    let browser: Browser;
    let org: Connection;
    let adminId: string;

    before(async () => {
        ({ product, browser } = await startProductAndBrowser());
        org = await orgConnection(product);
        adminId = (await localUsers(product)).find((u) => u.isAdmin)!.id;
    });

    after(async () => {
        await browser?.close();
        await product?.stop();
    });

    it('a rep chats with a known Lead and ends: a completed Task with the transcript, stream and pages is on the Lead', async () => {
        const email = 'noor.haddad@timeline-e2e.example';
        const leadId = (
            (await org.sobject('Lead').create({
                FirstName: 'Noor',
                LastName: 'Haddad',
                Company: 'Timeline E2E',
                Email: email
            })) as { id: string }
        ).id;
        const visit = newVisit('203.0.113.71', 'activity');
        await collect(product.gatewayUrl, visit, [
            pageView(product.siteUrl, '/', 'Home'),
            pageView(product.siteUrl, '/pricing.html', 'Pricing'),
            { ts: Date.now(), type: 'identify', email, source: 'form' }
        ]);
        const { rep, streamName } = await routedVisitor(
            product,
            adminId,
            visit.sessionId,
            'the Lead recognised and the visitor routed',
            (d) => d.card.salesforce.lead?.id === leadId
        );

        const { context, page } = await openConsole(browser, product, rep.id);
        const errors = collectPageErrors(page);
        await page
            .locator(`[data-id="visitor-card"][data-visitor-id="${visit.sessionId}"]`)
            .click();
        const panel = page.locator('[data-id="visitor-console"]');
        await panel.locator('[data-id="panel-pounce"] button').click();
        const composer = panel.locator('[data-id="composer"]');
        await composer.fill('Hi Noor, anything I can help with on pricing?');
        await panel.locator('[data-id="send"]').click();
        await panel
            .locator('[data-id="message"]', { hasText: 'anything I can help with' })
            .waitFor();
        const conversationId = (await visitorDetail(product, adminId, visit.sessionId))
            .conversation!.id;
        const before = await org.query<{ Id: string }>(
            `SELECT Id FROM Task WHERE WhoId = '${leadId}'`
        );
        assert.equal(before.totalSize, 0, 'nothing is logged while the conversation runs');

        await panel.locator('[data-id="end"] button').click();
        await panel.locator('[data-id="end"]').waitFor({ state: 'detached' });
        const tasks = await until(
            'the Task on the Lead',
            async () =>
                (
                    await org.query<TaskRow>(
                        `SELECT Subject, Status, IsClosed, TaskSubtype, OwnerId, WhatId, ActivityDate, Description FROM Task WHERE WhoId = '${leadId}'`
                    )
                ).records,
            (rows) => rows.length > 0
        );
        assert.equal(tasks.length, 1);
        const task = tasks[0]!;
        assert.deepEqual(
            {
                Subject: task.Subject,
                Status: task.Status,
                IsClosed: task.IsClosed,
                TaskSubtype: task.TaskSubtype,
                OwnerId: task.OwnerId,
                WhatId: task.WhatId,
                ActivityDate: task.ActivityDate
            },
            {
                Subject: 'Website conversation with Noor Haddad',
                Status: 'Completed',
                IsClosed: true,
                TaskSubtype: 'Task',
                OwnerId: rep.id,
                WhatId: null,
                ActivityDate: new Date().toISOString().slice(0, 10)
            }
        );
        assert.match(task.Description, /^Website conversation with Noor Haddad \(pounce\)/);
        assert.match(task.Description, new RegExp(`Stream: ${streamName}`));
        assert.match(
            task.Description,
            /- Home — http[^\n]+\/\n- Pricing — http[^\n]+\/pricing\.html/
        );
        assert.match(
            task.Description,
            new RegExp(`${rep.name}: Hi Noor, anything I can help with on pricing\\?`)
        );

        // Ending again (a second click, a retry) logs nothing more.
        await repAction(product, rep.id, 'endConversation', { conversationId });
        assert.equal(
            (await org.query(`SELECT Id FROM Task WHERE WhoId = '${leadId}'`)).totalSize,
            1
        );
        assert.deepEqual(errors, []);
        await context.close();
    });
});
