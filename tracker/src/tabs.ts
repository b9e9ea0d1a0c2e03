/**
 * Tabs open on the site: each tab announces itself on a BroadcastChannel (or, without one,
 * through `storage` events on a localStorage key) when it starts and every few seconds,
 * says goodbye on pagehide, and counts the peers it heard from recently.
 */
export interface TabMessage {
    kind: 'hello' | 'here' | 'bye';
    tab: string;
}

export class TabCounter {
    private readonly peers = new Map<string, number>();
    private lastCount = 0;

    constructor(
        private readonly self: string,
        private readonly now: () => number,
        private readonly post: (message: TabMessage) => void,
        /** A peer that has not announced itself for this long is gone (e.g. it crashed). */
        private readonly staleAfterMs = 25_000
    ) {}

    announce(kind: 'hello' | 'here' | 'bye' = 'here'): void {
        this.post({ kind, tab: this.self });
    }

    receive(message: unknown): void {
        if (!message || typeof message !== 'object') return;
        const { kind, tab } = message as Partial<TabMessage>;
        if (typeof tab !== 'string' || tab === this.self) return;
        if (kind === 'bye') this.peers.delete(tab);
        else if (kind === 'hello' || kind === 'here') {
            const isNew = !this.peers.has(tab);
            this.peers.set(tab, this.now());
            // A newcomer learns about us at once instead of at our next announcement.
            if (kind === 'hello' && isNew) this.announce('here');
        }
    }

    count(): number {
        const now = this.now();
        for (const [tab, seen] of this.peers)
            if (now - seen > this.staleAfterMs) this.peers.delete(tab);
        return Math.min(100, this.peers.size + 1);
    }

    /** The count when it changed since the last call, else undefined. */
    changed(): number | undefined {
        const count = this.count();
        if (count === this.lastCount) return undefined;
        this.lastCount = count;
        return count;
    }
}
