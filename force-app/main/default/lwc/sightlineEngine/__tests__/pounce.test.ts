import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import {
    DEFAULT_POUNCE_THRESHOLDS,
    pounceReadiness,
    resolvePounceThresholds,
    type PounceFacts
} from '../pounce';

const STREAMS = [
    { id: 's1', name: 'Target Account' },
    { id: 's2', name: 'Open Opportunity' },
    { id: 's3', name: 'Paid Advertising' },
    { id: 's4', name: 'Pricing Page' }
];

const ready: PounceFacts = {
    active: true,
    streamId: 's1',
    currentPage: { path: '/pricing', scrollDepth: 0.42 }
};

const facts = fc.record({
    active: fc.boolean(),
    engagedBy: fc.option(fc.constantFrom('Dana Lee', 'Sam Ortiz'), { nil: undefined }),
    streamId: fc.option(fc.constantFrom('s1', 's2', 's3', 's4', 'gone'), { nil: null }),
    currentPage: fc.option(
        fc.record({
            path: fc.constantFrom('/', '/pricing'),
            scrollDepth: fc.double({ min: 0, max: 1, noNaN: true })
        }),
        { nil: undefined }
    )
});
const thresholds = fc.record({
    minScrollDepth: fc.double({ min: 0, max: 1, noNaN: true }),
    highIntentStreams: fc.integer({ min: 0, max: 5 })
});
const SEED = { seed: 20261127, numRuns: 500 };

describe('pounce readiness', () => {
    it('a visitor active, unengaged, in a stream and reading is ready; each answer names the values', () => {
        const result = pounceReadiness(ready, STREAMS);
        assert.equal(result.ready, true);
        assert.deepEqual(
            result.checks.map((c) => [c.key, c.ok, c.answer]),
            [
                ['active', true, 'Yes: active now on /pricing'],
                ['unengaged', true, 'Yes: no rep is engaging'],
                ['highIntent', true, 'Yes: Target Account'],
                ['reading', true, 'Yes: scrolled 42% of /pricing']
            ]
        );
        assert.equal(result.checks[3]!.question, 'Scrolled past 15%?');
    });

    it('answers no with the reason: idle, engaged by someone, no stream, too little scroll', () => {
        const result = pounceReadiness(
            {
                active: false,
                engagedBy: 'Dana Lee',
                streamId: null,
                currentPage: { path: '/', scrollDepth: 0.08 }
            },
            STREAMS
        );
        assert.equal(result.ready, false);
        assert.deepEqual(
            result.checks.map((c) => c.answer),
            [
                'No: idle, no recent activity',
                'No: Dana Lee is engaging',
                'No: in no stream',
                'No: scrolled 8% of /'
            ]
        );
    });

    it('high intent is the first N streams in priority order when the admin sets N', () => {
        const t = { ...DEFAULT_POUNCE_THRESHOLDS, highIntentStreams: 2 };
        const s2 = pounceReadiness({ ...ready, streamId: 's2' }, STREAMS, t).checks[2]!;
        const s3 = pounceReadiness({ ...ready, streamId: 's3' }, STREAMS, t).checks[2]!;
        assert.deepEqual(
            [s2.ok, s2.answer],
            [true, 'Yes: Open Opportunity is stream 2; the first 2 count']
        );
        assert.deepEqual(
            [s3.ok, s3.answer],
            [false, 'No: Paid Advertising is stream 3; only the first 2 count']
        );
    });

    it('property: ready exactly when all four answers are yes, and each answer starts with its verdict', () => {
        fc.assert(
            fc.property(facts, thresholds, (f, t) => {
                const result = pounceReadiness(f, STREAMS, t);
                assert.equal(result.checks.length, 4);
                assert.equal(
                    result.ready,
                    result.checks.every((c) => c.ok)
                );
                for (const c of result.checks)
                    assert.ok(c.answer.startsWith(c.ok ? 'Yes' : 'No'), c.answer);
            }),
            SEED
        );
    });

    it('property: each question depends on its own facts only', () => {
        fc.assert(
            fc.property(facts, thresholds, (f, t) => {
                const [active, unengaged, highIntent, reading] = pounceReadiness(
                    f,
                    STREAMS,
                    t
                ).checks;
                assert.equal(active!.ok, f.active);
                assert.equal(unengaged!.ok, f.engagedBy === undefined);
                const rank = STREAMS.findIndex((s) => s.id === f.streamId);
                assert.equal(
                    highIntent!.ok,
                    rank >= 0 && (t.highIntentStreams === 0 || rank < t.highIntentStreams)
                );
                assert.equal(
                    reading!.ok,
                    f.currentPage !== undefined &&
                        (f.currentPage.scrollDepth ?? 0) >= t.minScrollDepth
                );
            }),
            SEED
        );
    });

    it('property: more scroll never makes a visitor less ready; a lower threshold never either', () => {
        fc.assert(
            fc.property(
                facts,
                thresholds,
                fc.double({ min: 0, max: 1, noNaN: true }),
                (f, t, extra) => {
                    if (!f.currentPage) return;
                    const before = pounceReadiness(f, STREAMS, t).ready;
                    const deeper = {
                        ...f,
                        currentPage: {
                            ...f.currentPage,
                            scrollDepth: Math.min(1, (f.currentPage.scrollDepth ?? 0) + extra)
                        }
                    };
                    const lower = { ...t, minScrollDepth: Math.max(0, t.minScrollDepth - extra) };
                    if (before) {
                        assert.equal(pounceReadiness(deeper, STREAMS, t).ready, true);
                        assert.equal(pounceReadiness(f, STREAMS, lower).ready, true);
                    }
                }
            ),
            SEED
        );
    });

    it('thresholds from settings: percent to depth; bad values fall back one by one', () => {
        assert.deepEqual(
            resolvePounceThresholds({ minScrollPercent: '25', highIntentStreams: '2' }),
            {
                minScrollDepth: 0.25,
                highIntentStreams: 2
            }
        );
        assert.deepEqual(resolvePounceThresholds({}), DEFAULT_POUNCE_THRESHOLDS);
        assert.deepEqual(
            resolvePounceThresholds({ minScrollPercent: 'lots', highIntentStreams: -1 }),
            DEFAULT_POUNCE_THRESHOLDS
        );
        assert.deepEqual(
            resolvePounceThresholds({ minScrollPercent: 150, highIntentStreams: 1.5 }),
            DEFAULT_POUNCE_THRESHOLDS
        );
        assert.deepEqual(resolvePounceThresholds({ minScrollPercent: 0, highIntentStreams: 0 }), {
            minScrollDepth: 0,
            highIntentStreams: 0
        });
    });
});
