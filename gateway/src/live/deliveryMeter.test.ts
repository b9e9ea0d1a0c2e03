import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ManualClock } from './clock';
import { RollingCounter } from './deliveryMeter';

describe('rolling counter', () => {
    it('counts over a rolling 24 hours, to the minute', () => {
        const clock = new ManualClock();
        const day = new RollingCounter(clock, 24 * 60 * 60_000);
        day.add();
        clock.advance(6 * 60 * 60_000);
        day.add(2);
        assert.equal(day.total(), 3);
        assert.equal(day.total(60 * 60_000), 2, 'the last hour only');
        clock.advance(18 * 60 * 60_000);
        assert.equal(day.total(), 2, 'the first one is more than 24 h old');
        clock.advance(6 * 60 * 60_000);
        assert.equal(day.total(), 0);
    });
});
