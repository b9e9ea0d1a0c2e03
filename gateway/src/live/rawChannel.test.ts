/**
 * From the attacker's side (docs/SECURITY.md), with the platform's own client: a rep signs
 * in to the org with their own credentials and subscribes to the raw `Visitor_Update__e`
 * channel and to every other rep's filtered channel (`/event/Sightline_<user>__chn`, names
 * anyone can guess from a user id) over the Pub/Sub API (`salesforce-pubsub-api-client`),
 * as any user with Read on the event may, while the gateway publishes to the org as in
 * production and visitors routed to other reps arrive from accounts with open
 * opportunities, identify themselves and are answered in chat. Channels filter delivery,
 * not authorization, so the rep receives other reps' notifications: they must say nothing
 * but "something changed for user X".
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import PubSubApiClient from 'salesforce-pubsub-api-client';
import { LOCAL_ORG_ID } from '../../../localorg/src/server';
import { jwtConnection } from '../../../localorg/src/testing/testOrg';
import type { ClaimResult } from '../contracts/liveContract';
import { demoCompany } from '../demo/demoCompany';
import {
    beacon,
    ids,
    pageview,
    sendBeacon,
    startTestGateway,
    waitUntil,
    type TestGateway
} from '../testing/liveTestApp';

const quiet = { debug() {}, info() {}, warn() {}, error() {} };
/** What the platform adds to every event; the rest is the event's own fields. */
const PLATFORM_FIELDS = new Set(['CreatedDate', 'CreatedById']);
const NOTIFICATION_FIELDS = new Set(['Audience__c', 'Epoch__c', 'Sequence__c', 'Kind__c']);

describe('the raw event channel over the Pub/Sub API, as a rep subscribes to it', () => {
    let gw: TestGateway;
    let client: PubSubApiClient;
    const received: Record<string, unknown>[] = [];
    /** Filtered channel → the audiences heard on it. */
    const heardOn = new Map<string, string[]>();

    before(async () => {
        gw = await startTestGateway({ publishToOrg: true });
        const attacker = gw.user('Emma');
        const username = String(gw.org.get('User', attacker.id)!.Username);
        // The rep's own session: JWT bearer as the rep, no integration user involved.
        const conn = await jwtConnection(gw.orgServer, username);
        client = new PubSubApiClient(
            {
                authType: 'user-supplied',
                accessToken: conn.accessToken!,
                // The client insists on https; the local org's Pub/Sub endpoint is TLS.
                instanceUrl: gw.orgServer.url().replace(/^http:/, 'https:'),
                organizationId: LOCAL_ORG_ID,
                pubSubEndpoint: gw.orgServer.pubSubEndpoint,
                rejectUnauthorizedSsl: false
            },
            quiet
        );
        await client.connect();
        const subscribers = gw.orgServer.events.bus.subscriberCount();
        // Every other rep's own channel, as the snapshot names it for them.
        const filtered = gw.users
            .filter((u) => u.id !== attacker.id)
            .map((u) => `/event/Sightline_${u.id}__chn`)
            .filter((topic) => {
                try {
                    gw.orgServer.events.bus.channel(topic);
                    return true;
                } catch {
                    return false;
                }
            });
        assert.ok(filtered.length > 1, 'the gateway made the other reps their channels');
        const topics = [`/event/${gw.org.name('Visitor_Update__e')}`, ...filtered];
        for (const topic of topics)
            client.subscribe(topic, (_i, type, data) => {
                if (type !== 'event') return;
                const payload = (data as { payload: Record<string, unknown> }).payload;
                received.push(payload);
                if (topic.endsWith('__chn'))
                    heardOn.set(topic, [
                        ...(heardOn.get(topic) ?? []),
                        String(payload[gw.org.name('Audience__c')])
                    ]);
            });
        await waitUntil(
            'the subscriptions',
            () => gw.orgServer.events.bus.subscriberCount() >= subscribers + topics.length
        );
    });

    after(async () => {
        // As the Pub/Sub tests do: the server first, then the client, which then ends quietly.
        await gw?.close();
        client?.close();
    });

    it("learns no visitor, company, email, amount or message of other reps' visitors", async () => {
        const attacker = gw.user('Emma').id;
        const accounts = demoCompany().accounts;
        const secrets: string[] = [];
        const audiences = new Set<string>();
        for (let index = 0, n = 0; n < 4 && index < accounts.length; index++) {
            const account = accounts[index]!;
            if (!account.hasOpenOpportunity) continue;
            const who = ids('spy');
            const email = `confidential.person${n}@victim-unit.example`;
            const post = (events: Parameters<typeof beacon>[1]) =>
                sendBeacon(gw, beacon(who, events), { 'x-forwarded-for': `198.18.${index}.9` });
            await post([pageview('/pricing')]);
            await post([
                {
                    type: 'identify',
                    ts: 2,
                    email,
                    firstName: `Person${n}`,
                    lastName: 'Confidential',
                    source: 'form'
                }
            ]);
            gw.clock.advance(250);
            await gw.live.settled();
            const rep = gw.live.decision(who.sessionId)?.routing.assignedTo;
            if (!rep || rep === attacker) continue;
            const claim = (
                await gw.action('pounce', rep, { visitorId: who.sessionId })
            ).json<ClaimResult>();
            assert.ok(claim.ok, 'the routed rep pounces');
            const message = `Our budget is 4${n}0,000: call me on 555-01${n}`;
            await gw.action('sendMessage', rep, {
                conversationId: claim.conversationId,
                body: message,
                clientMessageId: `spy-message-${n}`
            });
            gw.clock.advance(250);
            const opportunity = gw.org.find('Opportunity', {}).find((o) => {
                const owner = gw.org.get('Account', String(o.AccountId));
                return owner?.Name === account.name && o.IsClosed === false;
            });
            secrets.push(
                email,
                `Person${n}`,
                account.name,
                account.domain,
                message,
                who.sessionId,
                who.visitorId,
                String(opportunity?.Name ?? account.name)
            );
            audiences.add(rep);
            n++;
        }
        assert.ok(audiences.size > 0, "visitors were routed to other reps than the attacker's");
        await waitUntil("the other reps' notifications on the channel", () =>
            [...audiences].every((rep) =>
                received.some((p) => p[gw.org.name('Audience__c')] === rep)
            )
        );

        // The channel is no authorization boundary: the attacker does get other reps' events…
        assert.ok(received.some((p) => p[gw.org.name('Audience__c')] !== attacker));
        // … and each says only who it is for, the epoch, a sequence number and a kind.
        for (const payload of received) {
            const own = Object.keys(payload)
                .filter((key) => !PLATFORM_FIELDS.has(key))
                .map((key) => (gw.org.namespace ? key.replace(`${gw.org.namespace}__`, '') : key));
            assert.ok(
                own.every((key) => NOTIFICATION_FIELDS.has(key)),
                `only notification fields: ${own.join(', ')}`
            );
        }
        const everything = JSON.stringify(received);
        for (const secret of secrets)
            assert.ok(!everything.includes(secret), `the channel never carries ${secret}`);
        // Each filtered channel carried its own rep's notifications, and only those.
        for (const rep of audiences)
            await waitUntil(
                `${rep}'s own channel`,
                () => (heardOn.get(`/event/Sightline_${rep}__chn`) ?? []).length > 0
            );
        for (const [topic, heard] of heardOn)
            assert.ok(
                heard.every((audience) => topic === `/event/Sightline_${audience}__chn`),
                `${topic} carried ${heard.join(', ')}`
            );
    });
});
