import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Connection } from 'jsforce';
import type { BusEvent, EventBus } from '../../../localorg/src/pubsub/eventBus';
import { jwtConnection, startTestOrg, type TestOrg } from '../../../localorg/src/testing/testOrg';
import { OrgNames } from '../crm/salesforce/orgNames';
import { ToolingChannels } from '../crm/salesforce/toolingChannels';
import { EventChannels, planChannels, type ChannelAdmin } from './eventChannels';

const ALICE = '005000000000001AAA';
const BOB = '005000000000002AAA';
const CAROL = '005000000000003AAA';

describe('planChannels', () => {
    it('gives each audience its own channel while they fit, filtered on the audience', () => {
        assert.deepEqual(planChannels([BOB, ALICE, BOB], 5, 'Audience__c'), [
            {
                fullName: `Sightline_${ALICE}__chn`,
                audiences: [ALICE],
                filterExpression: `Audience__c = '${ALICE}'`
            },
            {
                fullName: `Sightline_${BOB}__chn`,
                audiences: [BOB],
                filterExpression: `Audience__c = '${BOB}'`
            }
        ]);
    });

    it('past the limit, audiences share that many channels filtered by IN, each in a stable bucket', () => {
        const many = Array.from({ length: 40 }, (_, i) => `005${String(i).padStart(15, '0')}`);
        const plan = planChannels(many, 4, 'ns__Audience__c');
        assert.ok(plan.length <= 4);
        assert.deepEqual(plan.flatMap((p) => p.audiences).sort(), many);
        for (const channel of plan) {
            assert.match(channel.fullName, /^Sightline_Shared_[1-4]__chn$/);
            assert.equal(
                channel.filterExpression,
                `ns__Audience__c IN (${channel.audiences.map((a) => `'${a}'`).join(', ')})`
            );
        }
        // Another audience arriving moves nobody else.
        const bucketOf = (p: typeof plan, audience: string) =>
            p.find((c) => c.audiences.includes(audience))?.fullName;
        const more = planChannels([...many, '005999999999999999'], 4, 'ns__Audience__c');
        for (const audience of many)
            assert.equal(bucketOf(more, audience), bucketOf(plan, audience));
    });

    it('plans nothing when the gateway may create no channel, and never a name from odd input', () => {
        assert.deepEqual(planChannels([ALICE], 0, 'Audience__c'), []);
        assert.deepEqual(planChannels(["x' OR Audience__c != '"], 5, 'Audience__c'), []);
    });
});

describe('event channels in the org, through the Tooling API', () => {
    let org: TestOrg;
    let conn: Connection;
    let bus: EventBus;
    before(async () => {
        org = await startTestOrg();
        conn = await jwtConnection(org);
        bus = org.events.bus;
    });
    after(() => org.close());

    const received = (topic: string) => {
        const events: BusEvent[] = [];
        const subscription = bus.subscribe(
            topic,
            { preset: 'LATEST' },
            { deliver: (event) => events.push(event), end: () => undefined },
            false
        );
        return { events, close: () => subscription.close() };
    };
    const notify = (audience: string) =>
        bus.publish('Visitor_Update__e', [
            {
                payload: {
                    Audience__c: audience,
                    Epoch__c: 'e',
                    Sequence__c: 1,
                    Kind__c: 'delta',
                    CreatedDate: Date.now(),
                    CreatedById: ALICE
                }
            }
        ]);

    it("creates a channel per audience; each delivers only its audience's notifications", async () => {
        const channels = new EventChannels(new ToolingChannels(conn, new OrgNames()), {
            sharePercent: 50
        });
        await channels.sync([ALICE, BOB]);
        assert.equal(channels.incomplete, false);
        assert.equal(channels.topicOf(ALICE), `/event/Sightline_${ALICE}__chn`);
        assert.equal(
            channels.topicOf(CAROL),
            '/event/Visitor_Update__e',
            'no channel: the raw one'
        );
        const alice = received(channels.topicOf(ALICE));
        const raw = received(channels.rawTopic);
        const remaining = () => bus.allocations.limits().DailyDeliveredPlatformEvents.Remaining;
        const before = remaining();
        notify(BOB);
        notify(ALICE);
        assert.deepEqual(
            alice.events.map((e) => e.payload.Audience__c),
            [ALICE]
        );
        assert.equal(raw.events.length, 2);
        // Counted per subscriber per channel: Alice's console once, the raw subscriber twice.
        assert.equal(before - remaining(), 3);
        alice.close();
        raw.close();
    });

    it('after a restart, keeps what exists and retires the channels of audiences that are gone', async () => {
        const listed = async () =>
            (await new ToolingChannels(conn, new OrgNames()).list()).channels;
        const aliceId = (await listed()).find((c) => c.fullName.includes(ALICE))?.id;
        const restarted = new EventChannels(new ToolingChannels(conn, new OrgNames()), {
            sharePercent: 50
        });
        await restarted.sync([ALICE]);
        const now = await listed();
        assert.equal(
            now.find((c) => c.fullName.includes(ALICE))?.id,
            aliceId,
            'kept, not recreated'
        );
        assert.ok(!now.some((c) => c.fullName.includes(BOB)), "Bob's channel is retired");
        assert.throws(() => bus.channel(`/event/Sightline_${BOB}__chn`), /does not exist/);
        assert.ok(
            now.some((c) => c.fullName === 'Sightline_Updates__chn'),
            "the package's own channel is never the gateway's to retire"
        );
    });

    it('past its share of the cap, audiences share filtered channels and still get only theirs', async () => {
        // 1 % of 100: one channel for the three of them.
        const shared = new EventChannels(new ToolingChannels(conn, new OrgNames()), {
            sharePercent: 1
        });
        await shared.sync([ALICE, BOB, CAROL]);
        const topic = shared.topicOf(ALICE);
        assert.equal(topic, '/event/Sightline_Shared_1__chn');
        assert.equal(shared.topicOf(CAROL), topic);
        const listener = received(topic);
        notify(CAROL);
        notify('005000000000009AAA');
        assert.deepEqual(
            listener.events.map((e) => e.payload.Audience__c),
            [CAROL]
        );
        listener.close();
        assert.throws(() => bus.channel(`/event/Sightline_${ALICE}__chn`), /does not exist/);
        await shared.sync([]);
        const left = (await new ToolingChannels(conn, new OrgNames()).list()).channels;
        assert.deepEqual(
            left.map((c) => c.fullName).filter((name) => name.startsWith('Sightline_')),
            ['Sightline_Updates__chn']
        );
    });

    it('a channel the org refuses leaves its audience on the raw channel, with the error told', async () => {
        const tooling = new ToolingChannels(conn, new OrgNames());
        const errors: unknown[] = [];
        const refusing: ChannelAdmin = {
            eventName: tooling.eventName,
            audienceField: tooling.audienceField,
            list: () => tooling.list(),
            createChannel: async () => {
                throw Object.assign(new Error('Insufficient privileges'), {
                    errorCode: 'INSUFFICIENT_ACCESS'
                });
            },
            createMember: (name, filter) => tooling.createMember(name, filter),
            deleteMember: (id) => tooling.deleteMember(id),
            deleteChannel: (id) => tooling.deleteChannel(id)
        };
        const channels = new EventChannels(refusing, {
            sharePercent: 50,
            onError: (e) => errors.push(e)
        });
        await channels.sync([ALICE]);
        assert.equal(channels.topicOf(ALICE), channels.rawTopic);
        assert.equal(errors.length, 1);
        assert.equal(channels.incomplete, true, 'to be tried again');
    });
});

describe('event channels in a namespaced org', () => {
    let org: TestOrg;
    after(() => org?.close());

    it("filters the package's prefixed event on its prefixed field, on a channel of the org's own", async () => {
        org = await startTestOrg({ namespace: 'sline' });
        const conn = await jwtConnection(org);
        const channels = new EventChannels(new ToolingChannels(conn, new OrgNames('sline')), {
            sharePercent: 50
        });
        await channels.sync([ALICE]);
        assert.equal(channels.rawTopic, '/event/sline__Visitor_Update__e');
        assert.equal(channels.topicOf(ALICE), `/event/Sightline_${ALICE}__chn`);
        const heard: unknown[] = [];
        const subscription = org.events.bus.subscribe(
            channels.topicOf(ALICE),
            { preset: 'LATEST' },
            {
                deliver: (event) => heard.push(event.payload.sline__Audience__c),
                end: () => undefined
            },
            false
        );
        for (const audience of [BOB, ALICE])
            org.events.bus.publish('sline__Visitor_Update__e', [
                {
                    payload: {
                        sline__Audience__c: audience,
                        sline__Epoch__c: 'e',
                        sline__Sequence__c: 1,
                        sline__Kind__c: 'delta',
                        CreatedDate: Date.now(),
                        CreatedById: ALICE
                    }
                }
            ]);
        subscription.close();
        assert.deepEqual(heard, [ALICE]);
        // The packaged channel carries the prefix and stays.
        const names = (await new ToolingChannels(conn, new OrgNames('sline')).list()).channels.map(
            (c) => c.fullName
        );
        assert.ok(names.includes('sline__Sightline_Updates__chn'), names.join(', '));
    });
});
