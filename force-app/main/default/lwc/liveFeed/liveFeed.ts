/**
 * The console's receiving logic, apart from any transport. It holds the user's snapshot
 * and moves it forward:
 *
 * - `resnapshot()` loads the snapshot page by page and assembles it;
 * - `notified(n)` is "something changed for user X" (a `Visitor_Update__e` event, or any
 *   other channel): for this user, and newer than what is shown, it fetches the changes
 *   (`getChanges`) until `more` is false. Notifications that arrive while a fetch runs are
 *   coalesced into one more fetch;
 * - `receive(page)` takes a change page pushed by a channel that carries them (a direct
 *   socket), exactly as a fetched one;
 * - a newer gateway epoch, or a gateway that answers "resnapshot", takes a new snapshot at
 *   once, and the listener hears `stale()` first: old data is never shown as live.
 */
import {
    applyChanges,
    epochVerdict,
    type ChangePage,
    type Changes,
    type ChatChange,
    type ConsoleSnapshot,
    type LiveNotification
} from 'c/sightlineLive';

/** Where the snapshot and the changes come from (the Apex actions, or a test's fake). */
export interface FeedSource {
    snapshot(page: number): Promise<ConsoleSnapshot>;
    changes(epoch: string, since: number): Promise<ChangePage>;
}

export interface FeedListener {
    /** A whole new snapshot replaces what is shown. */
    snapshot(snapshot: ConsoleSnapshot): void;
    /** A page of changes moved the snapshot forward. */
    changed(snapshot: ConsoleSnapshot, page: Changes): void;
    /** A chat message or typing state for one of the user's conversations. */
    chat(change: ChatChange): void;
    /** What is shown is behind (a new epoch, a re-snapshot under way). */
    stale(): void;
    /** A snapshot or a fetch failed: the caller decides when to try again. */
    failed(error: unknown): void;
}

/** A snapshot whose pages keep moving is started again at most this many times. */
const SNAPSHOT_ATTEMPTS = 3;
/** One catch-up reads at most this many pages before yielding (a later notification resumes it). */
const MAX_PAGES_PER_FETCH = 50;

export class LiveFeed {
    private current: ConsoleSnapshot | undefined;
    private snapshotting: Promise<void> | undefined;
    private fetching: Promise<boolean> | undefined;
    /** A notification arrived while a fetch or a snapshot ran: fetch again after it. */
    private wanted = false;

    constructor(
        private readonly source: FeedSource,
        private readonly listener: FeedListener
    ) {}

    get snapshot(): ConsoleSnapshot | undefined {
        return this.current;
    }

    /** The caller changed the snapshot locally (a claimed card, a new availability). */
    replace(snapshot: ConsoleSnapshot): void {
        this.current = snapshot;
    }

    get busy(): boolean {
        return Boolean(this.snapshotting || this.fetching);
    }

    /** Takes a new snapshot (every page of it); concurrent calls share one. */
    resnapshot(): Promise<void> {
        this.snapshotting ??= this.loadSnapshot().finally(() => {
            this.snapshotting = undefined;
        });
        return this.snapshotting;
    }

    /** A notification for anyone: this snapshot's user's own are followed, the rest ignored. */
    notified(notification: LiveNotification): void {
        const current = this.current;
        if (!current || this.snapshotting) {
            this.wanted = true;
            return;
        }
        if (notification.audience !== current.user.id) return;
        const verdict = epochVerdict(current.epoch, notification.epoch);
        if (verdict === 'older') return;
        if (verdict === 'newer') {
            this.listener.stale();
            this.resnapshot();
            return;
        }
        if (notification.sequence <= current.sequence) return;
        this.catchUp();
    }

    /** A page pushed by a channel that carries changes (a direct socket). */
    receive(page: ChangePage): void {
        if (!this.current || this.snapshotting) {
            this.wanted = true;
            return;
        }
        if (!this.apply(page)) this.catchUp();
    }

    /**
     * Fetches the changes since what is shown until there are no more. Resolves true when
     * anything new arrived (the quiet check: a silent channel that missed changes is dead).
     */
    async catchUp(): Promise<boolean> {
        if (this.snapshotting) {
            this.wanted = true;
            return false;
        }
        if (this.fetching) {
            this.wanted = true;
            await this.fetching;
            return false;
        }
        this.fetching = this.fetchAll().finally(() => {
            this.fetching = undefined;
        });
        return this.fetching;
    }

    /** True when a page moved the snapshot on (a "resnapshot" answer leaves that to the new snapshot). */
    private async fetchAll(): Promise<boolean> {
        let moved = false;
        do {
            this.wanted = false;
            let more = true;
            for (let pages = 0; more && pages < MAX_PAGES_PER_FETCH; pages++) {
                const current = this.current;
                if (!current || this.snapshotting) return moved;
                let page: ChangePage;
                try {
                    // Each page starts where the previous one ended: one at a time.
                    // eslint-disable-next-line no-await-in-loop
                    page = await this.source.changes(current.epoch, current.sequence);
                } catch (error) {
                    this.listener.failed(error);
                    return moved;
                }
                if (page.kind === 'resnapshot') {
                    this.apply(page);
                    return moved;
                }
                // A page that no longer fits (a pushed page moved the snapshot meanwhile):
                // ask again from where the snapshot is now.
                const applied = this.apply(page);
                if (applied && page.sequence > page.since) moved = true;
                more = applied ? page.more : true;
            }
        } while (this.wanted && this.current && !this.snapshotting);
        return moved;
    }

    /** Applies a page that continues the snapshot; false when it does not. */
    private apply(page: ChangePage): boolean {
        const current = this.current;
        if (!current) return false;
        if (page.kind === 'resnapshot') {
            this.listener.stale();
            this.resnapshot();
            return true;
        }
        const next = applyChanges(current, page);
        if (!next) return page.epoch === current.epoch && page.sequence <= current.sequence;
        this.current = next;
        this.listener.changed(next, page);
        for (const change of page.chat) this.listener.chat(change);
        return true;
    }

    private async loadSnapshot(): Promise<void> {
        this.wanted = false;
        let loaded: { snapshot: ConsoleSnapshot; paged: boolean };
        try {
            loaded = await this.allPages();
        } catch (error) {
            this.listener.failed(error);
            return;
        }
        this.current = loaded.snapshot;
        this.listener.snapshot(loaded.snapshot);
        // Notifications heard while the pages loaded, or changes made between the pages.
        if (this.wanted || loaded.paged) {
            this.snapshotting = undefined;
            await this.catchUp();
        }
    }

    /** Page 0 fixes the snapshot; the next pages add its visitors until `more` is false. */
    private async allPages(): Promise<{ snapshot: ConsoleSnapshot; paged: boolean }> {
        for (let attempt = 1; ; attempt++) {
            // A new attempt only when the previous one came apart; its pages one at a time.
            // eslint-disable-next-line no-await-in-loop
            const first = await this.source.snapshot(0);
            const visitors = [...first.visitors];
            let last = first;
            for (let page = 1; last.more; page++) {
                // eslint-disable-next-line no-await-in-loop
                last = await this.source.snapshot(page);
                if (last.epoch !== first.epoch || last.sequence !== first.sequence) break;
                visitors.push(...last.visitors);
            }
            const whole = last.epoch === first.epoch && last.sequence === first.sequence;
            if (whole || attempt >= SNAPSHOT_ATTEMPTS)
                return { snapshot: { ...first, visitors, more: false }, paged: first.more };
        }
    }
}
