import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ManualClock } from './clock';
import { DeliveryMeter } from './deliveryMeter';

describe('delivery meter', () => {
    it('counts deliveries over a rolling 24 hours against the budget share of the allocation', () => {
        const clock = new ManualClock();
        const meter = new DeliveryMeter(clock, 80, 250);
        const sent: string[] = [];
        const transport = meter.metered({ send: (audience) => sent.push(audience) });
        transport.send('rep-1', 'delta', 1, { kind: 'delta', delta: {} as never });
        clock.advance(6 * 60 * 60_000);
        transport.send('rep-2', 'delta', 1, { kind: 'delta', delta: {} as never });
        transport.send('rep-2', 'chat', 1, { kind: 'delta', delta: {} as never });
        assert.deepEqual(sent, ['rep-1', 'rep-2', 'rep-2'], 'passed on');
        assert.deepEqual(meter.usage(), {
            usedToday: 3,
            budget: 20_000,
            allocation: 25_000,
            batchWindowMs: 250
        });
        clock.advance(18 * 60 * 60_000);
        assert.equal(meter.usage().usedToday, 2, 'the first one is more than 24 h old');
        clock.advance(6 * 60 * 60_000);
        assert.equal(meter.usage().usedToday, 0);
    });
});
