import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { EventBus, EventBusError, RETENTION_MS, type BusEvent, type Subscriber } from './eventBus';
import type { EntitySource } from './eventSchemas';

const field = (apiName: string, type: string) => [apiName, { apiName, type }] as const;
const ENTITIES: EntitySource[] = [
    {
        apiName: 'Visitor_Update__e',
        kind: 'platformEvent',
        fields: new Map([
            field('Audience__c', 'Text'),
            field('Kind__c', 'Text'),
            field('Sequence__c', 'Number')
        ])
    },
    {
        apiName: 'Live_Stream__c',
        kind: 'object',
        fields: new Map([field('Id', 'Id'), field('Name', 'Text'), field('Priority__c', 'Number')])
    }
];

function recorder(): Subscriber & { events: BusEvent[]; errors: EventBusError[] } {
    const events: BusEvent[] = [];
    const errors: EventBusError[] = [];
    return { events, errors, deliver: (e) => events.push(e), end: (e) => errors.push(e) };
}

function busAt(clock: { t: number }, daily = 1000): EventBus {
    return new EventBus({
        entities: ENTITIES,
        now: () => clock.t,
        allocations: { dailyDeliveredEvents: daily }
    });
}

const update = (audience: string, kind = 'delta') => ({
    payload: { Audience__c: audience, Kind__c: kind, Sequence__c: 1 }
});

describe('the event bus', () => {
    it('broadcasts an event to every subscriber of the channel, whoever it names', () => {
        const bus = busAt({ t: 0 });
        const alice = recorder();
        const bob = recorder();
        bus.subscribe('/event/Visitor_Update__e', { preset: 'LATEST' }, alice, false);
        bus.subscribe('/event/Visitor_Update__e', { preset: 'LATEST' }, bob, false);
        bus.publish('Visitor_Update__e', [update('005ALICE')]);
        assert.equal(alice.events.length, 1);
        assert.equal(bob.events.length, 1, 'the platform has no per-user audience');
        assert.equal(bus.allocations.limits().DailyDeliveredPlatformEvents.Remaining, 998);
    });

    it('delivers on a custom channel only what its member filter passes, members applying at runtime', () => {
        const bus = busAt({ t: 0 });
        bus.createChannel('Rep_A__chn', 'event');
        const sub = recorder();
        bus.subscribe('/event/Rep_A__chn', { preset: 'LATEST' }, sub, false);
        bus.publish('Visitor_Update__e', [update('005A')]);
        assert.equal(sub.events.length, 0, 'no member yet');
        bus.addMember('Rep_A__chn', 'Visitor_Update__e', "Audience__c = '005a'");
        bus.publish('Visitor_Update__e', [update('005A'), update('005B'), update('005a')]);
        assert.deepEqual(
            sub.events.map((e) => e.payload.Audience__c),
            ['005A', '005a']
        );
    });

    it('refuses a bad filter, a duplicate and the 101st channel', () => {
        const bus = busAt({ t: 0 });
        bus.createChannel('C0__chn', 'event');
        assert.throws(() => bus.addMember('C0__chn', 'Visitor_Update__e', 'Nope__c = 1'), {
            code: 'INVALID_INPUT'
        });
        assert.throws(() => bus.createChannel('C0__chn', 'event'), { code: 'DUPLICATE_VALUE' });
        for (let i = 1; i < 100; i++) bus.createChannel(`C${i}__chn`, 'event');
        assert.throws(() => bus.createChannel('C100__chn', 'event'), { code: 'LIMIT_EXCEEDED' });
    });

    it('replays from EARLIEST and after an id, and refuses ids outside the 72-hour window', () => {
        const clock = { t: 0 };
        const bus = busAt(clock);
        bus.publish('Visitor_Update__e', [update('a')]);
        clock.t = RETENTION_MS / 2;
        const [, second] = bus.publish('Visitor_Update__e', [update('b'), update('c')]);
        assert.ok(second?.ok);
        const all = recorder();
        bus.subscribe('/event/Visitor_Update__e', { preset: 'EARLIEST' }, all, false);
        assert.equal(all.events.length, 3);
        const after = recorder();
        bus.subscribe('/event/Visitor_Update__e', { preset: 'CUSTOM', replayId: 1 }, after, false);
        assert.deepEqual(
            after.events.map((e) => e.payload.Audience__c),
            ['b', 'c']
        );

        clock.t = RETENTION_MS + 1;
        assert.throws(
            () =>
                bus.subscribe(
                    '/event/Visitor_Update__e',
                    { preset: 'CUSTOM', replayId: 0 },
                    recorder(),
                    false
                ),
            { code: 'REPLAY_ID_INVALID' }
        );
        assert.throws(
            () =>
                bus.subscribe(
                    '/event/Visitor_Update__e',
                    { preset: 'CUSTOM', replayId: 99 },
                    recorder(),
                    false
                ),
            { code: 'REPLAY_ID_INVALID' },
            'never issued'
        );
        const early = recorder();
        bus.subscribe('/event/Visitor_Update__e', { preset: 'EARLIEST' }, early, false);
        assert.equal(early.events.length, 2, 'the first event has aged out');
    });

    it('gives flow-controlled subscribers only what they request', () => {
        const bus = busAt({ t: 0 });
        const sub = recorder();
        const subscription = bus.subscribe(
            '/event/Visitor_Update__e',
            { preset: 'LATEST' },
            sub,
            true
        );
        bus.publish('Visitor_Update__e', [update('a'), update('b'), update('c')]);
        assert.equal(sub.events.length, 0);
        subscription.request(2);
        assert.equal(sub.events.length, 2);
        subscription.request(5);
        assert.equal(sub.events.length, 3);
        assert.equal(subscription.pendingRequested, 4);
    });

    it('counts deliveries per subscriber and ends subscribers once the day is spent', () => {
        const clock = { t: 0 };
        const bus = busAt(clock, 3);
        const a = recorder();
        const b = recorder();
        bus.subscribe('/event/Visitor_Update__e', { preset: 'LATEST' }, a, false);
        bus.subscribe('/event/Visitor_Update__e', { preset: 'LATEST' }, b, false);
        bus.publish('Visitor_Update__e', [update('x'), update('y')]);
        assert.equal(a.events.length + b.events.length, 3);
        assert.equal(a.errors.length + b.errors.length, 1);
        assert.equal(b.errors[0]?.code, 'DELIVERY_LIMIT_EXCEEDED');
        assert.throws(
            () =>
                bus.subscribe('/event/Visitor_Update__e', { preset: 'LATEST' }, recorder(), false),
            {
                code: 'DELIVERY_LIMIT_EXCEEDED'
            }
        );
        clock.t = 24 * 3_600_000 + 60_000;
        assert.equal(
            bus.allocations.limits().DailyDeliveredPlatformEvents.Remaining,
            3,
            'the rolling day moved on'
        );
    });

    it('fails publishes past the hourly allocation with LIMIT_EXCEEDED, without queuing them', () => {
        const bus = new EventBus({
            entities: ENTITIES,
            now: () => 0,
            allocations: { hourlyPublishedEvents: 2 }
        });
        const sub = recorder();
        bus.subscribe('/event/Visitor_Update__e', { preset: 'LATEST' }, sub, false);
        const results = bus.publish('Visitor_Update__e', [update('a'), update('b'), update('c')]);
        assert.deepEqual(
            results.map((r) => r.ok),
            [false, false, false]
        );
        assert.equal(results[0]?.ok === false && results[0].errorCode, 'LIMIT_EXCEEDED');
        assert.equal(sub.events.length, 0);
        assert.equal(bus.publish('Visitor_Update__e', [update('a')])[0]?.ok, true);
    });

    it('carries change events only for objects selected on ChangeEvents', () => {
        const bus = busAt({ t: 0 });
        assert.throws(() => bus.channel('/data/Live_Stream__ChangeEvent'), {
            code: 'UNKNOWN_CHANNEL'
        });
        bus.addMember('ChangeEvents', 'Live_Stream__ChangeEvent');
        const one = recorder();
        const all = recorder();
        bus.subscribe('/data/Live_Stream__ChangeEvent', { preset: 'LATEST' }, one, false);
        bus.subscribe('/data/ChangeEvents', { preset: 'LATEST' }, all, false);
        assert.equal(bus.channel('/data/Live_Stream__ChangeEvent').canPublish, false);
        assert.throws(() => bus.channel('/event/Nope__e'), { code: 'UNKNOWN_CHANNEL' });
    });
});
