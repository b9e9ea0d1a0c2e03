import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import { CollectEnvelope, LIMITS, TrackerEvent } from '../contracts/visitorProtocol';
import { beacon, ids, pageview, startTestGateway, type TestGateway } from '../testing/liveTestApp';

const ORIGIN = 'http://localhost:4300';

function post(gw: TestGateway, body: string | Buffer, headers: Record<string, string> = {}) {
    return gw.app.inject({
        method: 'POST',
        url: '/v1/collect',
        headers: { 'content-type': 'text/plain;charset=UTF-8', origin: ORIGIN, ...headers },
        payload: body
    });
}

describe('POST /v1/collect', () => {
    let gw: TestGateway;
    before(async () => (gw = await startTestGateway()));
    after(async () => gw.close());

    it('accepts a text/plain beacon (sendBeacon) with 202, CORS for the origin and the chat state', async () => {
        const response = await post(gw, JSON.stringify(beacon(ids(), [pageview('/')])));
        assert.equal(response.statusCode, 202);
        assert.deepEqual(response.json(), { accepted: 1, chat: { state: 'idle' } });
        assert.equal(response.headers['access-control-allow-origin'], ORIGIN);
    });

    it('accepts application/json too, and a request without Origin (not a browser)', async () => {
        const response = await gw.app.inject({
            method: 'POST',
            url: '/v1/collect',
            headers: { 'content-type': 'application/json' },
            payload: JSON.stringify(beacon(ids(), [pageview('/')]))
        });
        assert.equal(response.statusCode, 202);
    });

    it('answers the CORS preflights of the beacon and the booker for allowed origins only', async () => {
        for (const url of ['/v1/collect', '/v1/booker/book']) {
            const ok = await gw.app.inject({
                method: 'OPTIONS',
                url,
                headers: {
                    origin: 'http://127.0.0.1:8080',
                    'access-control-request-method': 'POST'
                }
            });
            assert.equal(ok.statusCode, 204, url);
            assert.equal(ok.headers['access-control-allow-origin'], 'http://127.0.0.1:8080');
            assert.match(String(ok.headers['access-control-allow-methods']), /POST/);
            for (const headers of [{ origin: 'https://evil.example' }, {}]) {
                const refused = await gw.app.inject({ method: 'OPTIONS', url, headers });
                assert.equal(refused.statusCode, 403, url);
                assert.equal(refused.headers['access-control-allow-origin'], undefined);
            }
        }
    });

    it('refuses an unknown site key with 401 and a foreign origin with 403', async () => {
        const unknown = await post(
            gw,
            JSON.stringify({ ...beacon(ids(), [pageview('/')]), siteKey: 'nope' })
        );
        assert.equal(unknown.statusCode, 401);
        for (const origin of [
            'https://evil.example',
            'http://localhost:1.evil.example',
            'http://localhost'
        ]) {
            const foreign = await post(gw, JSON.stringify(beacon(ids(), [pageview('/')])), {
                origin
            });
            assert.equal(foreign.statusCode, 403, origin);
        }
    });

    it('answers malformed beacons with 400 and the reason (path and message)', async () => {
        const notJson = await post(gw, '{"siteKey":');
        assert.equal(notJson.statusCode, 400);
        assert.equal(notJson.json().errorCode, 'MALFORMED_JSON');
        const badEvent = await post(
            gw,
            JSON.stringify(
                beacon(ids(), [{ type: 'scroll', ts: 1, url: 'http://localhost/', depth: 7 }])
            )
        );
        assert.equal(badEvent.statusCode, 400);
        assert.match(badEvent.json().message, /^events\.0\.depth: /);
        const extra = await post(
            gw,
            JSON.stringify({
                ...beacon(ids(), [pageview('/')]),
                __proto__: { admin: true },
                extra: 1
            })
        );
        assert.equal(extra.statusCode, 400);
    });

    it('refuses a body over the beacon cap with 413', async () => {
        const big = JSON.stringify(
            beacon(ids(), [
                { type: 'chat-request', ts: 1, message: 'x'.repeat(LIMITS.beaconBytes) }
            ])
        );
        assert.equal((await post(gw, big)).statusCode, 413);
    });

    it('takes the client IP from X-Forwarded-For only from loopback', async () => {
        const who = ids();
        await post(gw, JSON.stringify(beacon(who, [pageview('/')])), {
            'x-forwarded-for': '81.2.69.160'
        });
        assert.equal(gw.live.session(who.sessionId)?.ip, '81.2.69.160');
        const other = ids();
        await gw.app.inject({
            method: 'POST',
            url: '/v1/collect',
            remoteAddress: '203.0.113.9',
            headers: { 'content-type': 'text/plain', 'x-forwarded-for': '81.2.69.160' },
            payload: JSON.stringify(beacon(other, [pageview('/')]))
        });
        assert.equal(gw.live.session(other.sessionId)?.ip, '203.0.113.9');
    });

    it('refuses a session id that belongs to another visitor', async () => {
        const who = ids();
        await post(gw, JSON.stringify(beacon(who, [pageview('/')])));
        const response = await post(
            gw,
            JSON.stringify(
                beacon({ ...who, visitorId: 'someone-else-123' }, [pageview('/pricing')])
            )
        );
        assert.equal(response.statusCode, 409);
        assert.equal(gw.live.session(who.sessionId)?.pages.length, 1);
    });
});

describe('rate limits', () => {
    it('answers 429 with Retry-After per IP, and per site', async () => {
        const gw = await startTestGateway({
            env: { SIGHTLINE_RATE_PER_IP: '2', SIGHTLINE_RATE_PER_SITE: '4' }
        });
        try {
            const send = (ip: string) =>
                post(gw, JSON.stringify(beacon(ids(), [pageview('/')])), { 'x-forwarded-for': ip });
            const fromOne = [];
            for (let i = 0; i < 11; i++) fromOne.push((await send('81.2.69.160')).statusCode);
            assert.deepEqual(fromOne.slice(0, 10), Array(10).fill(202), 'burst of 5 s worth');
            const limited = await send('81.2.69.160');
            assert.equal(limited.statusCode, 429);
            assert.equal(limited.headers['retry-after'], '1');
            gw.clock.advance(1000);
            assert.equal((await send('81.2.69.160')).statusCode, 202, 'refilled');
            // The site's bucket (20) runs dry across many addresses.
            const codes = [];
            for (let i = 0; i < 20; i++) codes.push((await send(`81.2.70.${i}`)).statusCode);
            assert.ok(codes.includes(429));
        } finally {
            await gw.close();
        }
    });
});

describe('hostile beacons (fast-check, seeded)', () => {
    let gw: TestGateway;
    const bystander = ids('bystander');
    before(async () => {
        gw = await startTestGateway();
        await post(
            gw,
            JSON.stringify(
                beacon(bystander, [pageview('/pricing')], {
                    utm: { medium: 'cpc', campaign: 'spring' }
                })
            )
        );
    });
    after(async () => gw.close());

    const state = () => {
        const s = gw.live.session(bystander.sessionId)!;
        return JSON.stringify({
            pages: s.pages,
            utm: s.utm,
            email: s.email,
            chat: s.chat,
            visitorKey: s.visitorKey,
            company: s.company
        });
    };

    const hostileKey = fc.constantFrom(
        '__proto__',
        'constructor',
        'prototype',
        'toString',
        'hasOwnProperty',
        'siteKey',
        'events',
        'type'
    );
    const leaf = fc.oneof(
        fc.string({ maxLength: 40 }),
        fc.integer(),
        fc.double(),
        fc.boolean(),
        fc.constant(null),
        fc.string({ minLength: 3000, maxLength: 5000 })
    );
    const tree = fc.letrec((tie) => ({
        node: fc.oneof(
            { depthSize: 'small', withCrossShrink: true },
            leaf,
            fc.array(tie('node'), { maxLength: 4 }),
            fc.dictionary(fc.oneof(hostileKey, fc.string({ maxLength: 10 })), tie('node'), {
                maxKeys: 4
            })
        )
    })).node;

    /** A valid beacon with one part replaced by junk. */
    const mutated = fc
        .tuple(
            fc.constantFrom(
                'siteKey',
                'visitorId',
                'sessionId',
                'tabId',
                'utm',
                'device',
                'events',
                '__proto__',
                'constructor',
                'extra'
            ),
            tree
        )
        .map(([key, junk]) => {
            const base: Record<string, unknown> = { ...beacon(ids('mutant'), [pageview('/')]) };
            Object.defineProperty(base, key, {
                value: junk,
                enumerable: true,
                configurable: true,
                writable: true
            });
            return JSON.stringify(base);
        });

    const deep = fc
        .integer({ min: 100, max: 20_000 })
        .map(
            (depth) =>
                `{"siteKey":"demo-site-key","events":${'['.repeat(depth)}${']'.repeat(depth)}}`
        );
    const invalidUtf8 = fc
        .uint8Array({ minLength: 1, maxLength: 400 })
        .map((bytes) =>
            Buffer.concat([
                Buffer.from('{"siteKey":"demo-site-key","visitorId":"'),
                Buffer.from([0xc3, 0x28, 0xff, 0xfe]),
                Buffer.from(bytes),
                Buffer.from('"}')
            ])
        );
    const payloads = fc.oneof(
        tree.map((t) => JSON.stringify(t)),
        mutated,
        deep,
        invalidUtf8,
        fc.string({ maxLength: 200 }),
        fc.constant(`{"__proto__":{"polluted":true},"constructor":{"prototype":{"polluted":true}}}`)
    );

    /** The oracle: a good envelope with at least one good event gets 202; anything else a 4xx. */
    const valid = (payload: string | Buffer) => {
        try {
            const envelope = CollectEnvelope.safeParse(JSON.parse(payload.toString()));
            return (
                envelope.success &&
                envelope.data.events.some((event) => TrackerEvent.safeParse(event).success)
            );
        } catch {
            return false;
        }
    };

    it('answers every hostile payload with a 4xx, never a 5xx, and leaves other sessions alone', async () => {
        const before = state();
        let refused = 0;
        await fc.assert(
            fc.asyncProperty(payloads, async (payload) => {
                const response = await post(gw, payload);
                if (valid(payload)) {
                    assert.equal(response.statusCode, 202);
                } else {
                    refused++;
                    assert.ok(
                        response.statusCode >= 400 && response.statusCode < 500,
                        `status ${response.statusCode} for ${String(payload).slice(0, 120)}`
                    );
                }
            }),
            { seed: 42, numRuns: 400 }
        );
        assert.ok(refused > 350, `most generated payloads are hostile (${refused})`);
        assert.equal(state(), before, 'the bystander session is untouched');
        assert.equal(
            ({} as Record<string, unknown>).polluted,
            undefined,
            'Object.prototype is clean'
        );
        const still = await post(gw, JSON.stringify(beacon(ids(), [pageview('/')])));
        assert.equal(still.statusCode, 202, 'the gateway still serves');
    });

    it('valid-shaped beacons with hostile strings are accepted or refused, never a crash', async () => {
        const text = fc.oneof(
            fc.string({ maxLength: 300 }),
            fc.constantFrom(
                '__proto__',
                'constructor',
                '<script>alert(1)</script>',
                '\u0000',
                '\ud800',
                'x'.repeat(3000)
            )
        );
        await fc.assert(
            fc.asyncProperty(text, text, async (title, message) => {
                const who = ids('fuzz');
                const response = await post(
                    gw,
                    JSON.stringify(
                        beacon(who, [
                            { type: 'pageview', ts: 1, url: 'http://localhost:4300/', title },
                            { type: 'chat-request', ts: 2, message }
                        ])
                    )
                );
                assert.ok(
                    [202, 400].includes(response.statusCode),
                    `status ${response.statusCode}`
                );
            }),
            { seed: 42, numRuns: 100 }
        );
        assert.ok(state().length > 0);
    });
});
