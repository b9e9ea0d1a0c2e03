/**
 * Live console state: the contract with the gateway and the one function that moves a
 * snapshot forward by a delta — in order, or not at all.
 */
import type { ConsoleDelta, ConsoleSnapshot } from './liveContract';

export * from './liveContract';
export * from './actionContract';

export type DeltaOutcome =
    | { status: 'applied'; snapshot: ConsoleSnapshot }
    /** Already seen (a replay after reconnecting): nothing to do. */
    | { status: 'stale' }
    /** A sequence number was skipped: the console must take a new snapshot. */
    | { status: 'gap'; expected: number; received: number }
    /** The gateway restarted: its sequences began again, so only a new snapshot is safe. */
    | { status: 'new-epoch' }
    | { status: 'resnapshot' };

/**
 * Orders two gateway epochs (`<start ms>-<random>`, gateway/src/live/epoch.ts): negative
 * when `a` is older. An epoch that does not parse counts as older than any that does.
 */
export function compareEpochs(a: string, b: string): number {
    const start = (epoch: string) => {
        const value = Number(epoch.split('-')[0]);
        return Number.isFinite(value) ? value : -1;
    };
    const byStart = start(a) - start(b);
    if (byStart !== 0) return byStart;
    return a < b ? -1 : a > b ? 1 : 0;
}

/** What an event of `epoch` means to a console whose snapshot is of `current`. */
export function epochVerdict(
    current: string,
    epoch: string | undefined
): 'same' | 'older' | 'newer' {
    if (epoch === undefined || epoch === current) return 'same';
    return compareEpochs(epoch, current) < 0 ? 'older' : 'newer';
}

export function applyDelta(snapshot: ConsoleSnapshot, delta: ConsoleDelta): DeltaOutcome {
    const epoch = epochVerdict(snapshot.epoch, delta.epoch);
    // Epochs first: a restarted gateway's sequence 1 must not read as "already seen".
    if (epoch === 'older') return { status: 'stale' };
    if (epoch === 'newer') return { status: 'new-epoch' };
    if (delta.sequence <= snapshot.sequence) return { status: 'stale' };
    if (delta.sequence !== snapshot.sequence + 1) {
        return { status: 'gap', expected: snapshot.sequence + 1, received: delta.sequence };
    }
    if (delta.streamsChanged) return { status: 'resnapshot' };
    const removed = new Set(delta.removals);
    const upserted = new Map(delta.upserts.map((card) => [card.id, card]));
    const visitors = snapshot.visitors
        .filter((card) => !removed.has(card.id))
        .map((card) => upserted.get(card.id) ?? card);
    const known = new Set(visitors.map((card) => card.id));
    for (const card of delta.upserts) {
        if (!known.has(card.id) && !removed.has(card.id)) visitors.push(card);
    }
    return {
        status: 'applied',
        snapshot: {
            ...snapshot,
            visitors,
            sequence: delta.sequence,
            freshness: delta.freshness ?? snapshot.freshness,
            generatedAt: delta.at
        }
    };
}
