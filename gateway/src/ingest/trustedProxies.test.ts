import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import proxyAddr from '@fastify/proxy-addr';
import fc from 'fast-check';
import { TrustedProxies } from './trustedProxies';

const LISTS: string[][] = [
    ['127.0.0.1', '::1', '::ffff:127.0.0.1'], // the default
    ['10.0.0.0/8', '192.168.1.0/255.255.255.0', 'fe80::/10'],
    ['loopback', 'uniquelocal']
];

/** Addresses as a socket or a forged X-Forwarded-For may present them, near the lists' edges. */
const address = fc.oneof(
    fc.ipV4(),
    fc.ipV6(),
    fc.constantFrom(
        '127.0.0.1',
        '127.0.0.2',
        '::1',
        '::ffff:127.0.0.1',
        '::ffff:10.1.2.3',
        '10.255.255.255',
        '11.0.0.0',
        '192.168.1.77',
        '192.168.2.1',
        'fe80::1',
        'fc00::1',
        'not an address',
        '',
        '127.0.0.1, 10.0.0.1'
    )
);

describe('trusted proxies', () => {
    it('answers as the compiled rule does, remembered or not', () => {
        for (const list of LISTS) {
            const rule = proxyAddr.compile(list);
            // A small memory, so the property also runs across its being cleared.
            const { trust } = new TrustedProxies(list, 8);
            fc.assert(
                fc.property(fc.array(address, { maxLength: 30 }), (addresses) => {
                    for (const [hop, candidate] of addresses.entries())
                        assert.equal(trust(candidate, hop), rule(candidate, hop), candidate);
                }),
                { seed: 20261127, numRuns: 500 }
            );
        }
    });

    it('a flood of forged addresses neither grows the memory past its bound nor changes an answer', () => {
        const proxies = new TrustedProxies(['127.0.0.1'], 100);
        const { trust } = proxies;
        assert.equal(trust('127.0.0.1', 0), true);
        for (let i = 0; i < 1_000; i++) {
            assert.equal(trust(`203.0.${i >> 8}.${i & 255}`, 1), false);
            assert.ok(proxies.remembered <= 100);
        }
        assert.equal(trust('127.0.0.1', 0), true);
    });
});
