import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { CollectRequest } from '../contracts/visitorProtocol';
import { fastBeacon } from './fastBeacon';

const url: fc.Arbitrary<string> = fc.oneof(
    fc.constantFrom(
        'https://www.example.com/',
        'https://www.example.com/pricing?plan=pro',
        ' https://www.example.com/padded ',
        'http://localhost:4300/docs',
        'javascript:alert(1)',
        'ftp://example.com/',
        'not a url',
        ''
    ),
    fc.webUrl()
);
const loose = fc.oneof(fc.string(), fc.integer(), fc.double(), fc.boolean(), fc.constant(null));
/** Mostly the valid value, sometimes anything: so both paths are walked. */
const mostly = <T>(valid: fc.Arbitrary<T>) =>
    fc.oneof({ arbitrary: valid, weight: 12 }, { arbitrary: loose, weight: 1 });
const id = fc.oneof(
    { arbitrary: fc.stringMatching(/^[A-Za-z0-9_-]{8,64}$/), weight: 12 },
    fc.stringMatching(/^[A-Za-z0-9_.-]{0,9}$/),
    loose
);
const ts = fc.oneof(
    { arbitrary: fc.nat(), weight: 12 },
    fc.integer({ min: -5, max: 5 }),
    fc.double(),
    loose
);
const withExtra = <T extends object>(value: fc.Arbitrary<T>) =>
    fc
        .tuple(
            value,
            fc.oneof(
                { arbitrary: fc.constant({}), weight: 12 },
                fc.dictionary(fc.string(), loose, { minKeys: 1, maxKeys: 1 })
            )
        )
        .map(([known, extra]) => ({ ...known, ...extra }));
const event = withExtra(
    fc.oneof(
        fc.record({ ts, type: fc.constant('heartbeat'), active: mostly(fc.boolean()) }),
        fc.record({
            ts,
            type: fc.constant('scroll'),
            url,
            depth: mostly(fc.double({ min: -0.2, max: 1.2 }))
        }),
        fc.record(
            {
                ts,
                type: fc.constant('pageview'),
                url,
                title: mostly(fc.string({ maxLength: 310 })),
                referrer: mostly(url),
                spa: mostly(fc.boolean())
            },
            { requiredKeys: ['ts', 'type', 'url'] }
        ),
        fc.record({ ts, type: fc.constantFrom('tabs', 'activity', 'identify'), count: loose })
    )
);
const beacon = withExtra(
    fc.record(
        {
            siteKey: mostly(fc.string({ maxLength: 70 })),
            visitorId: id,
            sessionId: id,
            tabId: id,
            events: fc.array(event, { minLength: 0, maxLength: 2 })
        },
        { requiredKeys: ['siteKey', 'visitorId', 'sessionId', 'tabId', 'events'] }
    )
);

describe('the common beacon without zod', () => {
    it('accepts only what the schema accepts, with the same output', () => {
        let accepted = 0;
        fc.assert(
            fc.property(beacon, (input) => {
                const json: unknown = JSON.parse(JSON.stringify(input));
                const fast = fastBeacon(json);
                if (fast === undefined) return;
                accepted++;
                const schema = CollectRequest.safeParse(json);
                assert.ok(schema.success, `the schema refuses ${JSON.stringify(json)}`);
                assert.deepEqual(fast, schema.data);
                assert.deepEqual(Object.keys(fast), Object.keys(schema.data));
            }),
            { seed: 20261127, numRuns: 3_000 }
        );
        // The generator reaches the fast path often enough for the property to mean something.
        assert.ok(accepted > 100, `only ${accepted} beacons took the fast path`);
    });

    it('takes the common beacons: page view with defaults, scroll and heartbeat', () => {
        const envelope = {
            siteKey: 'demo-site-key',
            visitorId: 'visitor-0001',
            sessionId: 'session-0001',
            tabId: 'tab-000001'
        };
        const events = [
            { ts: 1, type: 'pageview', url: ' https://www.example.com/a ' },
            { ts: 2, type: 'scroll', url: 'https://www.example.com/a', depth: 0.5 },
            { ts: 3, type: 'heartbeat', active: true }
        ];
        assert.deepEqual(
            fastBeacon({ ...envelope, events }),
            CollectRequest.parse({ ...envelope, events })
        );
    });

    it('leaves to the schemas what it does not know: null defaults, UTM, identify, extra keys', () => {
        const envelope = {
            siteKey: 'demo-site-key',
            visitorId: 'visitor-0001',
            sessionId: 'session-0001',
            tabId: 'tab-000001'
        };
        const view = { ts: 1, type: 'pageview', url: 'https://www.example.com/' };
        for (const input of [
            { ...envelope, events: [{ ...view, title: null }] },
            { ...envelope, utm: {}, events: [view] },
            {
                ...envelope,
                events: [{ ts: 1, type: 'identify', email: 'a@b.example', source: 'api' }]
            },
            { ...envelope, events: [{ ...view, extra: 1 }] },
            { ...envelope, events: [{ ...view, url: 'javascript:alert(1)' }] },
            { ...envelope, events: [] }
        ])
            assert.equal(fastBeacon(input), undefined, JSON.stringify(input));
    });
});
