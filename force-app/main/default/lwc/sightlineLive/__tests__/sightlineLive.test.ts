import {
    applyChanges,
    compareEpochs,
    epochVerdict,
    type Changes,
    type ConsoleSnapshot,
    type VisitorCard
} from 'c/sightlineLive';

const EPOCH = '1767261600000-0a1b2c3d';
const NEWER = '1767265200000-00000000';

const snapshot = (): ConsoleSnapshot => ({
    user: { id: '005000000000007AAA', name: 'Aiko Tanaka', isAdmin: false },
    streams: [],
    visitors: [card('a'), card('b')],
    more: false,
    epoch: EPOCH,
    sequence: 10,
    generatedAt: '2026-01-01T10:00:00.000Z',
    freshness: { mode: 'live', windowMs: 250 }
});

function card(id: string, path = '/'): VisitorCard {
    return { id, currentPage: { path } } as unknown as VisitorCard;
}

const page = (epoch: string, since: number, sequence: number, more = false): Changes => ({
    kind: 'changes',
    epoch,
    since,
    sequence,
    more,
    at: '2026-01-01T10:00:01.000Z',
    upserts: [card('b', '/pricing'), card('c')],
    removals: ['a'],
    chat: [],
    freshness: { mode: 'throttled', windowMs: 4000 }
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

    it('a page applies only to the snapshot it continues: same epoch, from its sequence', () => {
        const next = applyChanges(snapshot(), page(EPOCH, 10, 14))!;
        expect(next.sequence).toBe(14);
        expect(next.visitors.map((c) => `${c.id}${c.currentPage.path}`)).toEqual([
            'b/pricing',
            'c/'
        ]);
        expect(next.freshness).toEqual({ mode: 'throttled', windowMs: 4000 });
        expect(applyChanges(snapshot(), page(NEWER, 10, 14))).toBeUndefined();
        expect(applyChanges(snapshot(), page(EPOCH, 9, 14))).toBeUndefined();
        expect(applyChanges(snapshot(), page(EPOCH, 11, 14))).toBeUndefined();
    });
});
