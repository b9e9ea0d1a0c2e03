/**
 * Live console state: the contract with the gateway and the one function that moves a
 * snapshot forward by a page of changes — from where it is, or not at all.
 */
import type { ChangePage, ConsoleSnapshot } from './liveContract';

export * from './liveContract';
export * from './actionContract';

export type Changes = Extract<ChangePage, { kind: 'changes' }>;

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

/**
 * The snapshot after a page of changes, or undefined when the page does not continue it
 * (another epoch, or fetched from another sequence: a stale answer after a re-snapshot).
 */
export function applyChanges(
    snapshot: ConsoleSnapshot,
    page: Changes
): ConsoleSnapshot | undefined {
    if (page.epoch !== snapshot.epoch || page.since !== snapshot.sequence) return undefined;
    const removed = new Set(page.removals);
    const upserted = new Map(page.upserts.map((card) => [card.id, card]));
    const visitors = snapshot.visitors
        .filter((card) => !removed.has(card.id))
        .map((card) => upserted.get(card.id) ?? card);
    const known = new Set(visitors.map((card) => card.id));
    for (const card of page.upserts) {
        if (!known.has(card.id) && !removed.has(card.id)) visitors.push(card);
    }
    return {
        ...snapshot,
        visitors,
        sequence: page.sequence,
        freshness: page.freshness,
        generatedAt: page.at
    };
}
