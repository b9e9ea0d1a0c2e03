/**
 * Live console state: the contract with the gateway and the one function that moves a
 * snapshot forward by a delta — in order, or not at all.
 */
import type { ConsoleDelta, ConsoleSnapshot } from './liveContract';

export * from './liveContract';

export type DeltaOutcome =
    | { status: 'applied'; snapshot: ConsoleSnapshot }
    /** Already seen (a replay after reconnecting): nothing to do. */
    | { status: 'stale' }
    /** A sequence number was skipped: the console must take a new snapshot. */
    | { status: 'gap'; expected: number; received: number }
    | { status: 'resnapshot' };

export function applyDelta(snapshot: ConsoleSnapshot, delta: ConsoleDelta): DeltaOutcome {
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
