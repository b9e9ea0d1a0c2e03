/** A small seeded PRNG (mulberry32): demo data and simulations are the same on every run. */
export class SeededRandom {
    private state: number;

    constructor(seed: number) {
        this.state = seed >>> 0;
    }

    next(): number {
        this.state = (this.state + 0x6d2b79f5) >>> 0;
        let t = this.state;
        t = Math.imul(t ^ (t >>> 15), t | 1);
        t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
        return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    }

    int(minInclusive: number, maxInclusive: number): number {
        return minInclusive + Math.floor(this.next() * (maxInclusive - minInclusive + 1));
    }

    pick<T>(items: readonly T[]): T {
        if (items.length === 0) throw new Error('pick() from an empty list');
        return items[Math.floor(this.next() * items.length)]!;
    }

    chance(probability: number): boolean {
        return this.next() < probability;
    }

    /** Picks by weight: `[['a', 3], ['b', 1]]` gives 'a' three times as often. */
    weighted<T>(entries: readonly (readonly [T, number])[]): T {
        const total = entries.reduce((sum, [, w]) => sum + w, 0);
        let roll = this.next() * total;
        for (const [value, weight] of entries) {
            roll -= weight;
            if (roll < 0) return value;
        }
        return entries[entries.length - 1]![0];
    }
}
