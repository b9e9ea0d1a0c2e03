import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { NonceCache } from './nonceCache';

describe('nonce cache', () => {
    it('refuses a nonce seen inside the window and forgets it once its timestamp is stale', () => {
        const cache = new NonceCache(60_000);
        assert.equal(cache.check('a', 1_000, 1_000), 'fresh');
        assert.equal(cache.check('a', 1_000, 30_000), 'replayed');
        assert.equal(cache.check('b', 20_000, 30_000), 'fresh');
        // Past the window the entry goes (the verifier refuses such a timestamp as stale).
        cache.check('c', 70_000, 70_000);
        assert.equal(cache.size, 2, 'a expired, b and c kept');
    });

    it('stays bounded under a flood, and then refuses what it can no longer check', () => {
        const cache = new NonceCache(60_000, 100);
        for (let i = 0; i < 250; i++) assert.equal(cache.check(`n${i}`, i, 500), 'fresh');
        assert.equal(cache.size, 100);
        // n10 was dropped to make room: its replay cannot be recognised, so it is refused.
        assert.equal(cache.check('n10', 10, 500), 'unverifiable');
        assert.equal(cache.check('n249', 249, 500), 'replayed');
        assert.equal(cache.check('later', 400, 500), 'fresh', 'newer requests still pass');
    });
});
