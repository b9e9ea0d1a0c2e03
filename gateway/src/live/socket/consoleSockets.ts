/**
 * The open console sockets of each user, and the transport that prefers them. The
 * publisher's notifications say "something changed for user X"; for a user with an open
 * socket, the hub answers that itself: it pushes the user's change pages
 * (`publisher.changes`, the same answer as `getChanges`) on each socket, from where that
 * socket's console said its snapshot is (`resume`), until there are no more. No
 * `Visitor_Update__e` delivery is spent for that user. Anyone else gets the notification
 * through the org's event bus. A typing signal is pushed the same way at once; it never
 * goes to the event bus.
 *
 * A user may have several consoles open; each socket has its own cursor.
 */
import type { ChangePage, Freshness } from '../../contracts/liveContract';
import type { PublishTransport } from '../publisher';

export interface ConsoleConnection {
    readonly userId: string;
    /** Sends a message already serialised; false when the socket is no longer open. */
    send(json: string): boolean;
    isOpen(): boolean;
    close(code: number, reason: string): void;
}

/** The publisher's `changes`: only the calling user's log is read. */
export type ChangeReader = (userId: string, epoch: string, since: number) => ChangePage;

/** Where a socket's console is: pages continue after `since` of `epoch`. */
interface Cursor {
    epoch: string;
    since: number;
}

/** Pushes one notification at most this many pages before yielding to the next one. */
const MAX_PAGES_PER_PUSH = 50;

export class ConsoleSockets {
    private readonly byUser = new Map<string, Set<ConsoleConnection>>();
    /** Sockets whose console said where its snapshot is; until then nothing is pushed. */
    private readonly cursors = new Map<ConsoleConnection, Cursor>();
    private changes: ChangeReader | undefined;
    private directFreshness: (() => Freshness) | undefined;
    /** Change pages sent on sockets so far (for tests, Health and the bench). */
    pushed = 0;

    add(connection: ConsoleConnection): () => void {
        let set = this.byUser.get(connection.userId);
        if (!set) this.byUser.set(connection.userId, (set = new Set()));
        set.add(connection);
        return () => {
            set.delete(connection);
            this.cursors.delete(connection);
            if (set.size === 0 && this.byUser.get(connection.userId) === set)
                this.byUser.delete(connection.userId);
        };
    }

    count(userId?: string): number {
        if (userId !== undefined) return this.byUser.get(userId)?.size ?? 0;
        let total = 0;
        for (const set of this.byUser.values()) total += set.size;
        return total;
    }

    connections(): ConsoleConnection[] {
        return [...this.byUser.values()].flatMap((set) => [...set]);
    }

    /** The console took a snapshot (or reconnected): push what follows it, starting now. */
    resume(connection: ConsoleConnection, epoch: string, since: number): void {
        if (!this.byUser.get(connection.userId)?.has(connection)) return;
        this.cursors.set(connection, { epoch, since });
        this.push(connection);
    }

    closeAll(code: number, reason: string): void {
        for (const connection of this.connections()) connection.close(code, reason);
    }

    /**
     * The publisher's transport: a user with an open socket gets the change pages pushed,
     * at the shortest window (`direct`), anyone else the notification on `events`.
     * `directFreshness` is what a pushed page says of its pace: the budget governor's
     * window does not apply to it.
     */
    preferring(
        events: PublishTransport,
        changes: ChangeReader,
        directFreshness: () => Freshness
    ): PublishTransport {
        this.changes = changes;
        this.directFreshness = directFreshness;
        return {
            direct: (userId) => this.byUser.has(userId),
            notify: (notification) => {
                let open = false;
                for (const connection of this.byUser.get(notification.audience) ?? [])
                    if (this.push(connection)) open = true;
                // No socket of this user is open (any more): the console listens to events.
                if (!open) events.notify(notification);
            },
            typing: (userId) => {
                for (const connection of this.byUser.get(userId) ?? []) this.push(connection);
            }
        };
    }

    /**
     * Sends the socket's pages from its cursor until there are no more. False when the
     * socket is no longer open. A socket whose console has not resumed yet (it is loading
     * its snapshot) gets nothing now: it resumes from that snapshot.
     */
    private push(connection: ConsoleConnection): boolean {
        const changes = this.changes;
        for (let pages = 0; changes && pages < MAX_PAGES_PER_PUSH; pages++) {
            const cursor = this.cursors.get(connection);
            if (!cursor) break;
            const page = changes(connection.userId, cursor.epoch, cursor.since);
            if (page.kind === 'changes' && this.directFreshness)
                page.freshness = this.directFreshness();
            if (!connection.send(JSON.stringify({ type: 'changes', page }))) return false;
            this.pushed++;
            if (page.kind === 'resnapshot') {
                // The console takes a new snapshot and resumes from it.
                this.cursors.delete(connection);
                break;
            }
            cursor.since = page.sequence;
            if (!page.more) break;
        }
        return connection.isOpen();
    }
}
