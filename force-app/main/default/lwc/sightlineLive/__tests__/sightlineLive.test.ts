import { applyDelta, compareEpochs, epochVerdict, type ConsoleSnapshot } from 'c/sightlineLive';

const EPOCH = '1767261600000-0a1b2c3d';
const NEWER = '1767265200000-00000000';

const snapshot = (): ConsoleSnapshot => ({
    user: { id: '005000000000007AAA', name: 'Aiko Tanaka', isAdmin: false },
    streams: [],
    visitors: [],
    epoch: EPOCH,
    sequence: 10,
    generatedAt: '2026-01-01T10:00:00.000Z',
    freshness: { mode: 'live', windowMs: 250 }
});

const delta = (epoch: string, sequence: number) => ({
    epoch,
    sequence,
    at: '2026-01-01T10:00:01.000Z',
    upserts: [],
    removals: []
});

describe('c/sightlineLive epochs', () => {
    it('orders epochs by start time, then by their random part', () => {
        expect(compareEpochs(EPOCH, NEWER)).toBeLessThan(0);
        expect(compareEpochs(NEWER, EPOCH)).toBeGreaterThan(0);
        expect(compareEpochs('1767261600000-0000000b', '1767261600000-0000000a')).toBeGreaterThan(
            0
        );
        expect(compareEpochs('garbage', EPOCH)).toBeLessThan(0);
        expect(compareEpochs(EPOCH, EPOCH)).toBe(0);
    });

    it('reads an event of the same, an older or a newer run', () => {
        expect(epochVerdict(EPOCH, EPOCH)).toBe('same');
        expect(epochVerdict(EPOCH, undefined)).toBe('same');
        expect(epochVerdict(NEWER, EPOCH)).toBe('older');
        expect(epochVerdict(EPOCH, NEWER)).toBe('newer');
    });

    it('a newer epoch asks for a snapshot even when its sequence looks old', () => {
        expect(applyDelta(snapshot(), delta(NEWER, 1))).toEqual({ status: 'new-epoch' });
        expect(applyDelta(snapshot(), delta(NEWER, 11))).toEqual({ status: 'new-epoch' });
    });

    it('an older epoch is a leftover: ignored, even when its sequence would fit', () => {
        const current = { ...snapshot(), epoch: NEWER };
        expect(applyDelta(current, delta(EPOCH, 11))).toEqual({ status: 'stale' });
    });

    it('within one epoch, sequences decide as before', () => {
        expect(applyDelta(snapshot(), delta(EPOCH, 11)).status).toBe('applied');
        expect(applyDelta(snapshot(), delta(EPOCH, 10)).status).toBe('stale');
        expect(applyDelta(snapshot(), delta(EPOCH, 12))).toEqual({
            status: 'gap',
            expected: 11,
            received: 12
        });
    });
});
