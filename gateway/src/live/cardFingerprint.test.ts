import assert from 'node:assert/strict';
import { isDeepStrictEqual } from 'node:util';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import type { CardChat, VisitorCard } from '../contracts/liveContract';
import { cardFingerprint } from './cardFingerprint';

/** Two cards are the same card when their JSON is (member order aside). */
const sameCard = (a: VisitorCard, b: VisitorCard) =>
    isDeepStrictEqual(JSON.parse(JSON.stringify(a)), JSON.parse(JSON.stringify(b)));

/** Every optional field present, at every depth: a card that fills the whole contract. */
type Full<T> = T extends readonly (infer Item)[]
    ? Full<Item>[]
    : T extends object
      ? { [K in keyof T]-?: Full<T[K]> }
      : T;

const owner = { id: '005000000000001AAA', name: 'Ada Rep' };
const CHATS: Full<CardChat>[] = [
    { state: 'none' },
    { state: 'bot' },
    {
        state: 'requested',
        requestedAt: '2026-01-01T00:00:00.000Z',
        deadline: '2026-01-01T00:01:00.000Z',
        secondsTotal: 60,
        queuePosition: 2
    },
    { state: 'conversation', conversationId: 'conv-1', rep: owner },
    { state: 'meeting-booker', at: '2026-01-01T00:02:00.000Z' }
];

function fullCard(chat: Full<CardChat>): Full<VisitorCard> {
    return {
        id: 'ses-1',
        visitorKey: 'vis-1',
        streamId: 's1',
        identity: 'person',
        displayName: 'Ada Visitor',
        typedName: 'ada',
        email: 'ada@example.com',
        company: { name: 'Lumen', domain: 'lumen.example', industry: 'Software', employees: 120 },
        location: {
            city: 'Berlin',
            region: 'Berlin',
            country: 'Germany',
            countryCode: 'DE',
            lat: 52.5,
            lon: 13.4
        },
        currentPage: { url: 'https://lumen.example/pricing', path: '/pricing', title: 'Pricing' },
        startedAt: '2026-01-01T00:00:00.000Z',
        lastSeenAt: '2026-01-01T00:00:05.000Z',
        pageCount: 3,
        active: true,
        score: { value: 42, band: 'Warm' },
        chat,
        salesforce: {
            account: { id: '001A', name: 'Lumen', targetAccount: true, owner },
            opportunity: { id: '006A', name: 'Renewal', stage: 'Proposal', amount: 5000, owner },
            lead: { id: '00QA', name: 'Ada Lead', status: 'Open', owner },
            contact: { id: '003A', name: 'Ada Contact', owner }
        },
        routing: {
            experience: 'chat-routed',
            ruleName: 'Target accounts',
            reason: 'Matched rule "Target accounts"',
            routedTo: [owner, { id: '005000000000002AAA', name: 'Grace Rep' }]
        },
        engagedBy: owner,
        committee: { accountName: 'Lumen', count: 2, others: [owner] },
        pounce: {
            ready: false,
            checks: [
                { key: 'active', question: 'Active?', ok: true, answer: 'Yes' },
                { key: 'reading', question: 'Reading?', ok: false, answer: 'No: 8%' }
            ]
        }
    };
}

/**
 * Every card that differs from `card` in one place: each leaf changed, each optional or
 * listed value dropped, each list grown by one.
 */
function oneChangeAway(card: unknown): unknown[] {
    const variants: unknown[] = [];
    const visit = (value: unknown, replace: (next: unknown) => unknown): void => {
        if (typeof value === 'string') variants.push(replace(`${value}x`), replace(''));
        else if (typeof value === 'number') variants.push(replace(value + 1), replace(-value - 2));
        else if (typeof value === 'boolean') variants.push(replace(!value));
        else if (Array.isArray(value)) {
            const list = value as unknown[];
            variants.push(replace(list.slice(0, -1)), replace([...list, list[0]]));
            list.forEach((item, i) =>
                visit(item, (next) => replace(list.map((v, j) => (j === i ? next : v))))
            );
        } else if (value && typeof value === 'object') {
            for (const [key, member] of Object.entries(value)) {
                const without = { ...value } as Record<string, unknown>;
                delete without[key];
                variants.push(replace(without));
                visit(member, (next) => replace({ ...value, [key]: next }));
            }
        }
    };
    visit(card, (next) => next);
    return variants;
}

const userRef = fc.record({ id: fc.string({ maxLength: 4 }), name: fc.string({ maxLength: 4 }) });
/** Cards with the optional members present or not, small values so that pairs often match. */
const card = fc.record(
    {
        id: fc.constantFrom('a', 'b'),
        visitorKey: fc.constantFrom('k'),
        streamId: fc.constantFrom('', 's1'),
        identity: fc.constantFrom('anonymous', 'person'),
        displayName: fc.string({ maxLength: 2 }),
        typedName: fc.string({ maxLength: 2 }),
        email: fc.constantFrom('', 'a@b'),
        company: fc.record(
            { name: fc.string({ maxLength: 2 }), domain: fc.string({ maxLength: 2 }) },
            { requiredKeys: ['name'] }
        ),
        location: fc.record(
            {
                city: fc.string({ maxLength: 2 }),
                lat: fc.constantFrom(0, -0, 1.5, NaN, Infinity),
                lon: fc.double()
            },
            { requiredKeys: [] }
        ),
        currentPage: fc.record({
            url: fc.constantFrom('https://x/', 'https://x/pricing'),
            path: fc.constantFrom('/', '/pricing'),
            title: fc.string({ maxLength: 2 })
        }),
        startedAt: fc.constantFrom('t0'),
        lastSeenAt: fc.constantFrom('t0', 't1'),
        pageCount: fc.nat({ max: 2 }),
        active: fc.boolean(),
        score: fc.record({ value: fc.nat({ max: 2 }), band: fc.constantFrom('Cold', 'Hot') }),
        chat: fc.constantFrom<CardChat>(...CHATS),
        salesforce: fc.record(
            {
                account: fc.record(
                    {
                        id: fc.constantFrom('001A'),
                        name: fc.string({ maxLength: 2 }),
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
                experience: fc.constantFrom('pounce-only', 'chat-routed'),
                ruleName: fc.string({ maxLength: 2 }),
                reason: fc.string({ maxLength: 3 }),
                routedTo: fc.array(userRef, { maxLength: 2 })
            },
            { requiredKeys: ['experience', 'reason', 'routedTo'] }
        ),
        engagedBy: userRef,
        // An optional member present but undefined: JSON leaves it out, and so must this.
        pounce: fc.constant(undefined)
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
);

describe('cardFingerprint', () => {
    it('changes whenever any one field of a card changes, at any depth', () => {
        for (const chat of CHATS) {
            const full = fullCard(chat) as VisitorCard;
            const variants = oneChangeAway(full) as VisitorCard[];
            assert.ok(variants.length > 150);
            const before = cardFingerprint(full);
            for (const variant of variants)
                assert.notEqual(cardFingerprint(variant), before, JSON.stringify(variant));
            // And the variants differ from each other as their JSON does.
            const seen = new Map<number, string>();
            for (const variant of variants) {
                const json = JSON.stringify(variant);
                const known = seen.get(cardFingerprint(variant));
                if (known !== undefined) assert.equal(json, known);
                seen.set(cardFingerprint(variant), json);
            }
        }
    });

    it('is equal exactly when the cards are (random pairs)', () => {
        fc.assert(
            fc.property(card, card, (a, b) => {
                assert.equal(cardFingerprint(a) === cardFingerprint(b), sameCard(a, b));
            }),
            { seed: 20261127, numRuns: 5_000 }
        );
    });

    it('reads values as JSON writes them, member order aside', () => {
        const base = fullCard(CHATS[0]!) as VisitorCard;
        const same = (change: Partial<VisitorCard>) =>
            assert.equal(cardFingerprint({ ...base, ...change }), cardFingerprint(base));
        same({ typedName: base.typedName }); // a copy is the same card
        const reordered = Object.fromEntries(Object.entries(base).reverse()) as VisitorCard;
        assert.equal(cardFingerprint(reordered), cardFingerprint(base));
        const withLocation = (lat: number | undefined) =>
            cardFingerprint({ ...base, location: { city: 'Berlin', lat } });
        assert.equal(withLocation(-0), withLocation(0));
        assert.equal(
            withLocation(undefined),
            cardFingerprint({ ...base, location: { city: 'Berlin' } })
        );
        assert.notEqual(withLocation(0), withLocation(undefined));
        // NaN and Infinity are written as null, as JSON does.
        assert.equal(withLocation(NaN), withLocation(Infinity));
        // Neighbouring strings do not run into each other.
        const names = (displayName: string, typedName: string) =>
            cardFingerprint({ ...base, displayName, typedName });
        assert.notEqual(names('ab', ''), names('a', 'b'));
    });
});
