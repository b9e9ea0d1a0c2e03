/**
 * The rep console end to end, claims and Leads: two reps in their own browser contexts race
 * to pounce the same visitor, and a rep creates a Lead from the Visitor 360 (checked in the
 * local org through the UI API), then meets the same email again. The real local product
 * (no simulator); visitors are beacons per the tracker protocol. Every wait is for a condition.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import { collectPageErrors, startProductAndBrowser } from './support/browser';
import { collect, demoCompanyIp, newVisit } from './support/consoleTraffic';
import type { RunningProduct } from './support/product';
import {
    cardOf,
    localUsers,
    openConsole,
    routedVisitor,
    sitePage,
    snapshotFor,
    uiApiRecord,
    until,
    visitorDetail,
    type LocalUser
} from './support/repConsole';

const PAID = { source: 'google', medium: 'cpc', campaign: 'e2e-leads' };
const pricing = (product: RunningProduct) => ({
    ts: Date.now(),
    type: 'pageview' as const,
    url: sitePage(product, '/pricing.html'),
    title: 'Pricing'
});

describe('the rep console: racing to pounce, and Create Lead', () => {
    let product: RunningProduct;
    let browser: Browser;
    let users: LocalUser[];
    let adminId: string;

    before(async () => {
        ({ product, browser } = await startProductAndBrowser());
        users = await localUsers(product);
        adminId = users.find((u) => u.isAdmin)!.id;
    });

    after(async () => {
        await browser?.close();
        await product?.stop();
    });

    it('two reps pounce the same visitor at once: exactly one wins, the other sees who is engaging', async () => {
        // Visitors from demo accounts, until one is on two reps' consoles (its rep and their manager, or an account team).
        const reps = users.filter((u) => !u.isAdmin);
        let shared: { visitId: string; reps: LocalUser[] } | undefined;
        for (let i = 0; i < 60 && !shared; i++) {
            const visit = newVisit(demoCompanyIp(i), 'race');
            await collect(product.gatewayUrl, visit, [pricing(product)]);
            await until(
                'the decided visit',
                () => visitorDetail(product, adminId, visit.sessionId),
                (d) => d.card.routing.experience !== undefined
            );
            const seeing = [];
            for (const rep of reps)
                if (
                    (await snapshotFor(product, rep.id)).visitors.some(
                        (v) => v.id === visit.sessionId
                    )
                )
                    seeing.push(rep);
            if (seeing.length >= 2) shared = { visitId: visit.sessionId, reps: seeing.slice(0, 2) };
        }
        assert.ok(shared, 'a demo visitor shown to two reps');
        const [a, b] = await Promise.all(
            shared.reps.map((rep) => openConsole(browser, product, rep.id))
        );
        const errors = [...collectPageErrors(a!.page), ...collectPageErrors(b!.page)];
        const pounceA = cardOf(a!.page, shared.visitId).locator('[data-id="pounce"]');
        const pounceB = cardOf(b!.page, shared.visitId).locator('[data-id="pounce"]');
        await Promise.all([pounceA.waitFor(), pounceB.waitFor()]);

        await Promise.all([pounceA.click(), pounceB.click()]);
        const engaged = await until(
            'the claim',
            () => visitorDetail(product, adminId, shared.visitId),
            (d) => Boolean(d.card.engagedBy)
        );
        const winner = engaged.card.engagedBy!;
        const [won, lost] = winner.id === shared.reps[0]!.id ? [a!, b!] : [b!, a!];
        assert.ok(
            shared.reps.some((r) => r.id === winner.id),
            `the winner ${winner.name} is one of the two`
        );

        // The winner is in the visitor's Visitor 360; their card says so.
        await won.page
            .locator('[data-id="visitor-console"] [data-id="panel-pounce"]')
            .or(won.page.locator('[data-id="visitor-console"] [data-id="end"]'))
            .first()
            .waitFor();
        await cardOf(won.page, shared.visitId)
            .locator('[data-id="engaged"]', { hasText: 'You are engaging' })
            .waitFor();
        // The other is told who won, and cannot pounce.
        await lost.page
            .locator('[data-id="toast"]', { hasText: `${winner.name} is engaging` })
            .waitFor();
        const lostCard = cardOf(lost.page, shared.visitId);
        await lostCard
            .locator('[data-id="engaged"]', { hasText: `${winner.name} is engaging` })
            .waitFor();
        assert.equal(await lostCard.locator('[data-id="pounce"]:enabled').count(), 0);
        assert.equal(await lost.page.locator('[data-id="visitor-console"]').count(), 0);
        assert.deepEqual(errors, []);
        await a!.context.close();
        await b!.context.close();
    });

    it('Create Lead makes one Lead owned by the rep with the visitor’s data; the same email later meets the org’s duplicate rule, and the match is linked, not created again', async () => {
        const email = 'ingrid.andersson@lead-e2e.example';
        const visit = newVisit('203.0.113.61', 'lead');
        await collect(
            product.gatewayUrl,
            visit,
            [
                pricing(product),
                {
                    ts: Date.now(),
                    type: 'identify',
                    email,
                    firstName: 'Ingrid',
                    lastName: 'Andersson',
                    company: 'Lead E2E AB',
                    source: 'form'
                }
            ],
            { utm: PAID }
        );
        const { detail, rep, streamName } = await routedVisitor(
            product,
            adminId,
            visit.sessionId,
            'the identified, routed visitor',
            (d) => d.card.email === email
        );

        const { context, page } = await openConsole(browser, product, rep.id);
        const errors = collectPageErrors(page);
        await cardOf(page, visit.sessionId).click();
        const panel = page.locator('[data-id="visitor-console"]');
        await panel.locator('[data-id="title"]', { hasText: 'Ingrid Andersson' }).waitFor();
        await panel.locator('[data-id="create-lead"] button').click();
        const form = panel.locator('[data-id="lead-form"]');
        assert.equal(await form.getByLabel('First Name').inputValue(), 'Ingrid');
        assert.equal(await form.getByLabel('Last Name').inputValue(), 'Andersson');
        assert.equal(await form.getByLabel('Email').inputValue(), email);
        // Pre-filled with the company the gateway knows (from the email's domain); the rep writes the real name.
        assert.equal(
            await form.getByLabel('Company').inputValue(),
            detail.card.company?.name ?? ''
        );
        await form.getByLabel('Company').fill('Lead E2E AB');
        await form.locator('[data-id="save-lead"]').click();
        const toast = page.locator('[data-id="toast"]', {
            hasText: 'Lead Ingrid Andersson created'
        });
        await toast.waitFor();
        const leadId = (
            await until(
                'the Lead linked to the visitor',
                () => visitorDetail(product, adminId, visit.sessionId),
                (d) => Boolean(d.linkedLeadId)
            )
        ).linkedLeadId!;
        assert.match(
            (await toast.getByRole('link').getAttribute('href')) ?? '',
            new RegExp(`^/lightning/r/(Lead/)?${leadId}/view$`)
        );
        await panel
            .locator('[data-id="records"] a', {
                hasText: /Lead created from this visitor|Ingrid Andersson/
            })
            .first()
            .waitFor();
        assert.equal(
            await panel.locator('[data-id="create-lead"]').count(),
            0,
            'Create Lead is no longer offered'
        );

        const lead = await uiApiRecord(product, rep.id, leadId, [
            'Lead.OwnerId',
            'Lead.FirstName',
            'Lead.LastName',
            'Lead.Email',
            'Lead.Company',
            'Lead.Visitor_Key__c',
            'Lead.Source_Stream__c',
            'Lead.First_Page__c',
            'Lead.UTM_Source__c',
            'Lead.UTM_Medium__c',
            'Lead.UTM_Campaign__c'
        ]);
        assert.deepEqual(lead, {
            OwnerId: rep.id,
            FirstName: 'Ingrid',
            LastName: 'Andersson',
            Email: email,
            Company: 'Lead E2E AB',
            Visitor_Key__c: visit.visitorId,
            Source_Stream__c: streamName,
            First_Page__c: sitePage(product, '/pricing.html'),
            UTM_Source__c: PAID.source,
            UTM_Medium__c: PAID.medium,
            UTM_Campaign__c: PAID.campaign
        });
        assert.deepEqual(errors, []);
        await context.close();

        // Another visit, not identified on the site; in the conversation the rep learns the same email.
        const again = newVisit('203.0.113.62', 'lead');
        await collect(product.gatewayUrl, again, [pricing(product)], { utm: PAID });
        const second = await until(
            'the second visitor, routed',
            () => visitorDetail(product, adminId, again.sessionId),
            (d) => d.card.routing.routedTo.length > 0
        );
        const secondRep = second.card.routing.routedTo[0]!;
        const other = await openConsole(browser, product, secondRep.id);
        await cardOf(other.page, again.sessionId).click();
        const otherPanel = other.page.locator('[data-id="visitor-console"]');
        await otherPanel.locator('[data-id="create-lead"] button').click();
        const otherForm = otherPanel.locator('[data-id="lead-form"]');
        await otherForm.getByLabel('Last Name').fill('Andersson');
        await otherForm.getByLabel('Company').fill('Lead E2E AB');
        await otherForm.getByLabel('Email').fill(email);
        await otherForm.locator('[data-id="save-lead"]').click();
        // The org's duplicate rule finds the Lead by its email, and names it.
        await otherForm
            .locator('[data-id="duplicates"]', { hasText: 'duplicate record' })
            .waitFor();
        const match = otherForm.locator('[data-id="match"]');
        assert.equal(await match.count(), 1);
        assert.equal(
            await match.locator('[data-id="open-match"]').getAttribute('href'),
            `/lightning/r/Lead/${leadId}/view`
        );
        assert.match((await match.innerText()).replace(/\s+/g, ' '), /Lead E2E AB · ingrid/);
        await match.locator('[data-id="link-match"]').click();
        await other.page
            .locator('[data-id="toast"]', {
                hasText: 'Linked to the existing Lead Ingrid Andersson'
            })
            .waitFor();
        const linked = await until(
            'the second visitor linked',
            () => visitorDetail(product, adminId, again.sessionId),
            (d) => Boolean(d.linkedLeadId)
        );
        assert.equal(linked.linkedLeadId, leadId, 'the same Lead, not a second one');
        await other.context.close();
    });
});
