/**
 * From the attacker's side (docs/SECURITY.md): a rep subscribes to the raw
 * `Visitor_Update__e` channel — over the streaming endpoint `lightning/empApi` uses, from
 * the rep's own signed-in session, as any script on the rep's page could — while visitors
 * routed to other reps arrive, fill in a form and ask to chat. The platform delivers every
 * event to every subscriber, so what the events say is what the rep learns: nothing but
 * "something changed for user X". And `getChanges` through Apex answers the signed user's
 * own changes only.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import WebSocket from 'ws';
import type { ChangePage } from '../gateway/src/contracts/liveContract';
import { collect, demoCompanyIp, newVisit, pageView } from './support/consoleTraffic';
import { startProduct, type RunningProduct } from './support/product';
import { localUsers, repAction, until, type LocalUser } from './support/repConsole';

interface RawEvent {
    channel: string;
    data: { payload: Record<string, unknown> };
}

/** What the platform adds to every event; the rest is the event's own fields. */
const PLATFORM_FIELDS = new Set(['CreatedDate', 'CreatedById']);
const NOTIFICATION_FIELDS = new Set(['Audience__c', 'Epoch__c', 'Sequence__c', 'Kind__c']);

describe('the raw event channel, as a subscriber sees it', () => {
    let product: RunningProduct;
    let spy: WebSocket;
    let attacker: LocalUser;
    const received: RawEvent[] = [];

    before(async () => {
        product = await startProduct();
        const users = await localUsers(product);
        attacker = users.find((u) => !u.isAdmin)!;
        spy = new WebSocket(`${product.url.replace(/^http/, 'ws')}/cometd/62.0`, {
            headers: { cookie: `sightline_user=${attacker.id}` }
        });
        await new Promise<void>((resolve, reject) => {
            spy.once('open', () => resolve());
            spy.once('error', reject);
        });
        const subscribed = new Promise<void>((resolve) =>
            spy.on('message', (data: Buffer) => {
                const message = JSON.parse(data.toString()) as { type: string } & RawEvent;
                if (message.type === 'subscribed') resolve();
                if (message.type === 'event') received.push(message);
            })
        );
        spy.send(
            JSON.stringify({
                type: 'subscribe',
                id: 'spy',
                channel: '/event/Visitor_Update__e',
                replayId: -1
            })
        );
        await subscribed;
    });

    after(async () => {
        spy?.close();
        await product?.stop();
    });

    it("learns no visitor, company, email, page, amount or message of other reps' visitors", async () => {
        const secrets: string[] = [];
        for (let i = 0; i < 12; i++) {
            const visit = newVisit(demoCompanyIp(i, 20 + i), 'spy');
            const email = `confidential.person${i}@victim-e2e.example`;
            const message = `Our budget is 4${i}0,000: call me on 555-01${i}`;
            secrets.push(email, `Person${i}`, `Victim Company ${i}`, message, visit.sessionId);
            await collect(product.gatewayUrl, visit, [
                pageView(product.siteUrl, '/pricing', 'Pricing'),
                {
                    ts: Date.now(),
                    type: 'identify',
                    email,
                    firstName: `Person${i}`,
                    lastName: 'Confidential',
                    company: `Victim Company ${i}`,
                    source: 'form'
                },
                { ts: Date.now(), type: 'chat-request', message }
            ]);
        }
        const others = () =>
            new Set(
                received
                    .map((e) => e.data.payload.Audience__c)
                    .filter((audience) => audience !== attacker.id)
            );
        await until(
            'notifications for other reps',
            async () => others().size,
            (n) => n >= 2,
            30_000
        );

        for (const event of received) {
            const fields = Object.keys(event.data.payload).filter((f) => !PLATFORM_FIELDS.has(f));
            assert.deepEqual(
                fields.filter((f) => !NOTIFICATION_FIELDS.has(f)),
                [],
                `an event carries ${fields.join(', ')}`
            );
        }
        const everything = JSON.stringify(received);
        for (const secret of secrets)
            assert.ok(!everything.includes(secret), `the channel carried "${secret}"`);
        // The companies behind the demo addresses, and any amount, are record data too.
        assert.doesNotMatch(everything, /Account|Opportunit|amount|pricing|@/i);

        // The data exists, and reaches its own audience through Apex: one of the reps the
        // attacker was told about fetches their own visitors with what they said.
        const victim = [...others()][0] as string;
        const victimPage = await repAction<ChangePage>(product, victim, 'getChanges', {
            epoch: received[0]!.data.payload.Epoch__c,
            since: 0
        });
        assert.equal(victimPage.kind, 'changes');
        assert.ok(victimPage.kind === 'changes' && victimPage.upserts.length > 0);
    });

    it("getChanges answers the signed user's own changes: the attacker gets only visitors routed to them", async () => {
        const epoch = String(received[0]!.data.payload.Epoch__c);
        const page = await repAction<ChangePage>(product, attacker.id, 'getChanges', {
            epoch,
            since: 0
        });
        assert.equal(page.kind, 'changes');
        if (page.kind !== 'changes') return;
        for (const card of page.upserts)
            assert.ok(
                card.routing.routedTo.some((r) => r.id === attacker.id),
                `${attacker.name} was sent ${card.displayName}, routed to ${card.routing.routedTo.map((r) => r.name).join(', ')}`
            );
    });
});
