/**
 * Past the gateway's share of the org's channel cap, reps share filtered channels: with the
 * share set to 2 % (two of the org's 100 channels), every rep's snapshot names one of two
 * `Sightline_Shared_<n>__chn` channels, and every rep still gets their notifications on it —
 * and no channel carries the notifications of a rep it is not for.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { BusEvent, Subscription } from '../../../localorg/src/pubsub/eventBus';
import type { ConsoleSnapshot } from '../contracts/liveContract';
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

describe('event channels past the share of the cap', () => {
    let gw: TestGateway;
    const subscriptions: Subscription[] = [];
    /** Channel → the audiences of the events it delivered. */
    const heard = new Map<string, string[]>();
    /** Rep → the channel their snapshot names. */
    const channelOf = new Map<string, string>();

    before(async () => {
        gw = await startTestGateway({
            publishToOrg: true,
            env: { SIGHTLINE_CHANNEL_SHARE: '2' }
        });
        for (const user of gw.users) {
            const snapshot = (
                await gw.action('getSnapshot', user.id, { page: 0 })
            ).json<ConsoleSnapshot>();
            channelOf.set(user.id, snapshot.channel ?? '');
        }
        for (const topic of new Set(channelOf.values())) {
            heard.set(topic, []);
            subscriptions.push(
                gw.orgServer.events.bus.subscribe(
                    topic,
                    { preset: 'LATEST' },
                    {
                        deliver: (event: BusEvent) =>
                            heard
                                .get(topic)!
                                .push(String(event.payload[gw.org.name('Audience__c')])),
                        end: () => undefined
                    },
                    false
                )
            );
        }
    });

    after(async () => {
        for (const subscription of subscriptions) subscription.close();
        await gw?.close();
    });

    it('shares two filtered channels among the reps, and each rep hears theirs on it', async () => {
        const topics = new Set(channelOf.values());
        assert.ok(gw.users.length > 2, 'more reps than channels');
        assert.ok(topics.size <= 2 && topics.size > 0, [...topics].join(', '));
        for (const topic of topics) assert.match(topic, /^\/event\/Sightline_Shared_[12]__chn$/);

        const notified = new Set<string>();
        const accounts = demoCompany().accounts;
        for (let index = 0; index < accounts.length && notified.size < 3; index++) {
            const who = ids('shared');
            await sendBeacon(gw, beacon(who, [pageview('/pricing')]), {
                'x-forwarded-for': `198.18.${index}.7`
            });
            gw.clock.advance(250);
            await gw.live.settled();
            const rep = gw.live.decision(who.sessionId)?.routing.assignedTo;
            if (rep) notified.add(rep);
        }
        assert.ok(notified.size > 0, 'visitors were routed');
        // The last routing's notification goes out when its window ends.
        gw.clock.advance(250);
        await gw.live.settled();
        // Every notification the gateway published reaches its rep's channel.
        const published = gw.transport.sent.map((n) => n.audience);
        assert.ok(published.length > 0, 'reps were notified');
        for (const rep of new Set(published))
            await waitUntil(`${rep}'s notification on ${channelOf.get(rep)}`, () =>
                heard.get(channelOf.get(rep)!)!.includes(rep)
            );
        for (const [topic, audiences] of heard)
            assert.ok(
                audiences.every((audience) => channelOf.get(audience) === topic),
                `${topic} carried only its reps' notifications: ${audiences.join(', ')}`
            );
    });
});
