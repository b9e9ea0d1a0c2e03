import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import type { VisitorCard } from '../contracts/liveContract';
import { jsonFingerprint } from './jsonFingerprint';

/** Values as a card holds them: JSON data, with members JSON leaves out (undefined) here and there. */
const value = fc.letrec<{ value: unknown }>((tie) => ({
    value: fc.oneof(
        { depthSize: 'small' },
        fc.string(),
        fc.constantFrom('', 'a', 'b', 'ab', '/pricing', '"', '\u00e9', '\ud83d\ude00'),
        fc.double(),
        fc.integer({ min: -3, max: 3 }),
        fc.boolean(),
        fc.constant(null),
        fc.constant(undefined),
        fc.array(tie('value'), { maxLength: 4 }),
        fc.dictionary(fc.constantFrom('a', 'b', 'ab', 'id', 'name', ''), tie('value'), {
            maxKeys: 4
        })
    )
})).value;

const sameJson = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

const userRef = fc.record({ id: fc.string({ maxLength: 18 }), name: fc.string({ maxLength: 12 }) });
/** A card with the optional members present or not, so a change can add, drop or alter any. */
const card: fc.Arbitrary<VisitorCard> = fc.record(
    {
        id: fc.string({ maxLength: 12 }),
        visitorKey: fc.string({ maxLength: 12 }),
        streamId: fc.constantFrom('', 's1', 's2'),
        identity: fc.constantFrom('anonymous', 'company', 'person'),
        displayName: fc.string({ maxLength: 12 }),
        typedName: fc.string({ maxLength: 8 }),
        email: fc.string({ maxLength: 8 }),
        company: fc.record(
            { name: fc.string(), domain: fc.string(), employees: fc.nat() },
            { requiredKeys: ['name'] }
        ),
        location: fc.record(
            { city: fc.string(), lat: fc.double({ noNaN: true }), lon: fc.double() },
            { requiredKeys: [] }
        ),
        currentPage: fc.record({
            url: fc.constantFrom('https://x/', 'https://x/pricing'),
            path: fc.constantFrom('/', '/pricing'),
            title: fc.string({ maxLength: 6 })
        }),
        startedAt: fc.constantFrom('2026-01-01T00:00:00.000Z', '2026-01-01T00:00:01.000Z'),
        lastSeenAt: fc.constantFrom('2026-01-01T00:00:00.000Z', '2026-01-01T00:00:02.000Z'),
        pageCount: fc.nat({ max: 3 }),
        active: fc.boolean(),
        score: fc.record({
            value: fc.integer({ min: 0, max: 3 }),
            band: fc.constantFrom('Cold', 'Warm', 'Hot')
        }),
        chat: fc.oneof(
            fc.constant({ state: 'none' as const }),
            fc.record({ state: fc.constant('meeting-booker' as const), at: fc.string() })
        ),
        salesforce: fc.record(
            {
                account: fc.record(
                    {
                        id: fc.string(),
                        name: fc.string(),
                        targetAccount: fc.boolean(),
                        owner: userRef
                    },
                    { requiredKeys: ['id', 'name', 'targetAccount'] }
                )
            },
            { requiredKeys: [] }
        ),
        routing: fc.record(
            {
                experience: fc.constantFrom('pounce-only', 'chat-first'),
                ruleName: fc.string({ maxLength: 6 }),
                reason: fc.string({ maxLength: 20 }),
                routedTo: fc.array(userRef, { maxLength: 3 })
            },
            { requiredKeys: ['experience', 'reason', 'routedTo'] }
        ),
        engagedBy: userRef
    },
    {
        requiredKeys: [
            'id',
            'visitorKey',
            'streamId',
            'identity',
            'displayName',
            'currentPage',
            'startedAt',
            'lastSeenAt',
            'pageCount',
            'active',
            'score',
            'chat',
            'salesforce',
            'routing'
        ]
    }
) as fc.Arbitrary<VisitorCard>;

describe('jsonFingerprint', () => {
    it('changes whenever the JSON would change, and only then (cards)', () => {
        fc.assert(
            fc.property(card, card, (a, b) => {
                assert.equal(jsonFingerprint(a) === jsonFingerprint(b), sameJson(a, b));
            }),
            { seed: 20261127, numRuns: 3_000 }
        );
    });

    it('changes when any one member of a card changes', () => {
        fc.assert(
            fc.property(card, card, fc.nat(), (a, b, pick) => {
                // b's value for one of a's members: the commonest change, one field at a time.
                const keys = Object.keys(b) as (keyof VisitorCard)[];
                const key = keys[pick % keys.length]!;
                const changed = { ...a, [key]: b[key] };
                assert.equal(jsonFingerprint(changed) === jsonFingerprint(a), sameJson(changed, a));
            }),
            { seed: 20261128, numRuns: 3_000 }
        );
    });

    it('changes whenever the JSON would change, and only then (any JSON data)', () => {
        fc.assert(
            fc.property(value, value, (a, b) => {
                assert.equal(jsonFingerprint(a) === jsonFingerprint(b), sameJson(a, b));
            }),
            { seed: 20261129, numRuns: 5_000 }
        );
    });

    it('reads values as JSON writes them', () => {
        const same = (a: unknown, b: unknown) =>
            assert.equal(jsonFingerprint(a), jsonFingerprint(b));
        const differ = (a: unknown, b: unknown) =>
            assert.notEqual(jsonFingerprint(a), jsonFingerprint(b));
        same({ a: 1, b: undefined }, { a: 1 });
        same({ a: -0 }, { a: 0 });
        same([NaN, Infinity, undefined], [null, null, null]);
        differ({ a: 1, b: 2 }, { b: 2, a: 1 }); // member order is part of the JSON
        differ({ a: '1' }, { a: 1 });
        differ([], {});
        differ({ ab: '' }, { a: 'b' });
        differ(['a', 'b'], ['ab']);
        differ([[]], [[], []]);
        differ({ a: {} }, { a: {}, b: {} });
    });
});
