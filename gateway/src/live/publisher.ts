/**
 * The publisher: turns decisions into each rep's live changes, and tells the rep's console
 * that something changed — never what.
 *
 * - Filtered per rep with the engine's `canSee` — the one security boundary: a card goes
 *   only to a viewer who may see that visitor, and a viewer who no longer may gets a
 *   removal instead.
 * - A bounded change log per rep: each change of a visitor for that rep takes the rep's
 *   next sequence number, replacing the visitor's earlier entry (so the log coalesces: the
 *   latest card of each visitor, or its removal). Chat messages are logged the same way;
 *   typing is kept as the latest state per conversation and never notified.
 *   `changes(since)` answers from the log in pages; a `since` older than the log keeps
 *   (or of another epoch) answers "take a new snapshot".
 * - Notifications: at the end of each batch window, one per rep whose log moved, carrying
 *   audience, epoch, sequence and kind only. The events are broadcast to every subscriber
 *   of the channel, so they must hold no record data. The window is the budget governor's.
 *   Chat requests and chat messages notify at once, as `chat` (the governor lets them burst).
 */
import type {
    ChangePage,
    ChatChange,
    Freshness,
    LiveNotification,
    NotificationKind,
    VisitorCard
} from '../contracts/liveContract';
import { canSee, type Viewer, type VisibleDecision } from '../engine';
import type { Clock, TimerHandle } from './clock';
import { sharedList } from './compact';
import { newEpoch } from './epoch';
import { cardFingerprint } from './cardFingerprint';

/** Where notifications go: `Visitor_Update__e` on the org's event bus, or a user's open socket. */
export interface PublishTransport {
    notify(notification: LiveNotification): void;
    /**
     * The other side of one of the user's conversations started or stopped typing. Never
     * worth an event delivery: only a transport that pushes the changes themselves (the
     * direct socket) implements it; everyone else sees it on the next fetch.
     */
    typing?(userId: string): void;
    /**
     * This user's notifications spend no event delivery (their console is on the direct
     * socket): they go out at the shortest window, not the budget governor's.
     */
    direct?: (userId: string) => boolean;
}

/** How long the publisher batches changes before notifying; the budget governor's answer. */
export interface NotificationPacer {
    windowMs(): number;
    /** The shortest window (direct notifications wait only this); `windowMs()` when absent. */
    minWindowMs?(): number;
    freshness(): Freshness;
    /** A window ended with `notified` reps notified. */
    flushed?(notified: number): void;
}

/** A fixed window (tests, and gateways without a governor). */
export function fixedWindow(windowMs: number): NotificationPacer {
    return {
        windowMs: () => windowMs,
        freshness: () => ({ mode: windowMs <= 250 ? 'live' : 'throttled', windowMs })
    };
}

/** Most cards in one change page; the console asks again while `more` is true. */
export const CHANGES_PAGE_SIZE = 200;
/** Most cards in one snapshot page, well under Apex's 6 MB heap once deserialised. */
export const SNAPSHOT_PAGE_SIZE = 500;
/** Removals and chat messages kept per rep; older ones make a console that far behind re-snapshot. */
export const MAX_LOGGED_REMOVALS = 2_000;
export const MAX_LOGGED_CHAT = 200;
/**
 * A console asks for its changes at least every max(45 s, 3 windows) (its quiet check), so
 * one that has not for this long, or for 3 windows and a minute, is gone.
 */
export const CONSOLE_ACTIVE_MS = 2 * 60_000;

/** How long a console that has not fetched still counts as listening, at this batch window. */
export function listeningSpanMs(windowMs: number): number {
    return Math.max(CONSOLE_ACTIVE_MS, 3 * windowMs + 60_000);
}
/** A typing signal older than this is over (the other side stopped without saying so). */
const TYPING_TTL_MS = 15_000;

interface ViewerState {
    viewer: Viewer;
    sequence: number;
    /**
     * Visitor id → the entry as last logged for this viewer (its fingerprint tells whether
     * the card changed since). The entry, not its fingerprint: a 53-bit number would be a
     * 16-byte box per viewer per visitor, the entry is a reference to what the publisher keeps.
     */
    visible: Map<string, VisitorEntry>;
    /**
     * Visitor id → sequence of its latest change for this viewer (an upsert when the id is
     * in `visible`, else a removal). Kept in sequence order: a changed entry moves to the end.
     */
    changedAt: Map<string, number>;
    chat: { sequence: number; change: ChatChange }[];
    /** Conversation id → the other side's typing state and the sequence when it was set. */
    typing: Map<string, { sequence: number; at: number; change: ChatChange }>;
    /** The oldest `since` the log can still answer. */
    floor: number;
    /** Streams were edited at this sequence: a console from before it re-snapshots. */
    streamsChangedAt: number;
    /** The log moved since the last notification. */
    pending: boolean;
    /** When this viewer's console last fetched (a snapshot or changes): it is subscribed. */
    lastFetchAt: number;
    /** A snapshot's visitor ids, fixed at its first page, so its later pages neither skip nor repeat. */
    snapshotIds?: { sequence: number; ids: string[] };
}

/**
 * One visitor as published: a fingerprint of its card (to skip unchanged cards) and who
 * may see it. The card itself is not kept — with 100k visitors that would be most of the
 * memory — but rebuilt from the live session when a console asks for it. Who may see it
 * is kept flat (one object, the shared frozen list of offered reps), not as a copy of the
 * decision's nested shape: with 100k visitors the nesting weighed ~100 bytes each.
 */
interface VisitorEntry {
    hash: number;
    shown: string | null;
    offeredTo: readonly string[];
    assignedTo: string | undefined;
}

/** The entry's visibility in the engine's shape (for `canSee` and callers). */
function visibleDecision(entry: VisitorEntry): VisibleDecision {
    return {
        streams: { shown: entry.shown },
        routing: {
            offeredTo: entry.offeredTo,
            ...(entry.assignedTo ? { assignedTo: entry.assignedTo } : {})
        }
    };
}

/** Rebuilds the current card of a visitor (for snapshots and change pages). */
export type CardSource = (visitorId: string) => VisitorCard | undefined;

/** The card as one user may see it (their own CRM access: recordAccess.ts). */
export type CardLens = (userId: string, card: VisitorCard) => VisitorCard;

export interface SnapshotPage {
    cards: VisitorCard[];
    sequence: number;
    more: boolean;
}

export class LivePublisher {
    private readonly viewers = new Map<string, ViewerState>();
    private readonly visitors = new Map<string, VisitorEntry>();
    /** Visitors asking to chat now: a new request is notified at once, not at the window's end. */
    private readonly requesting = new Set<string>();
    private timer: TimerHandle | undefined;
    /** The shortest window, for viewers whose notifications spend no event delivery. */
    private directTimer: TimerHandle | undefined;
    /** The batch window last scheduled by (how long a quiet console still listens depends on it). */
    private lastWindowMs = 0;
    /** Notifications sent so far (all viewers), for tests and the bench. */
    notificationsSent = 0;
    /** This run's epoch: on every snapshot, notification and change page. */
    readonly epoch: string;

    /**
     * `beforeFlush` runs before each window's notifications (and before a snapshot or a
     * change page) are built: the gateway decides there the visitors that changed during
     * the window, once each.
     */
    constructor(
        private readonly transport: PublishTransport,
        private readonly clock: Clock,
        private readonly pacer: NotificationPacer = fixedWindow(250),
        private readonly cardSource: CardSource = () => undefined,
        private readonly beforeFlush: () => void = () => {},
        private readonly lens: CardLens = (_userId, card) => card
    ) {
        this.epoch = newEpoch(clock.now());
    }

    get freshness(): Freshness {
        return this.pacer.freshness();
    }

    /** The users who may have a console: replaces the list, keeping sequences of those who stay. */
    setViewers(viewers: readonly Viewer[]): void {
        const next = new Set(viewers.map((v) => v.userId));
        for (const id of [...this.viewers.keys()]) if (!next.has(id)) this.viewers.delete(id);
        for (const viewer of viewers) {
            const state = this.viewers.get(viewer.userId);
            if (state) {
                const changed = JSON.stringify(state.viewer) !== JSON.stringify(viewer);
                state.viewer = viewer;
                if (changed) for (const [id, entry] of this.visitors) this.route(state, id, entry);
            } else {
                const fresh: ViewerState = {
                    viewer,
                    sequence: 0,
                    visible: new Map(),
                    changedAt: new Map(),
                    chat: [],
                    typing: new Map(),
                    floor: 0,
                    streamsChangedAt: 0,
                    pending: false,
                    lastFetchAt: Number.NEGATIVE_INFINITY
                };
                this.viewers.set(viewer.userId, fresh);
                for (const [id, entry] of this.visitors) this.route(fresh, id, entry);
            }
        }
        this.schedule();
    }

    /**
     * Consoles that fetched lately: each is a subscriber every notification is delivered to,
     * unless `unsubscribed` says the user's console is not on the event channel.
     */
    activeConsoles(unsubscribed: (userId: string) => boolean = () => false): number {
        let count = 0;
        // Over the values, not the entries: this runs whenever the window is asked for, and
        // each entry would be a new array.
        for (const state of this.viewers.values())
            if (this.listening(state) && !unsubscribed(state.viewer.userId)) count++;
        return count;
    }

    /** Whether this viewer's console fetched lately enough to be listening for notifications. */
    private listening(state: ViewerState): boolean {
        return state.lastFetchAt >= this.clock.now() - listeningSpanMs(this.lastWindowMs);
    }

    viewer(userId: string): Viewer | undefined {
        return this.viewers.get(userId)?.viewer;
    }

    /** A visitor's card and decision changed (or appeared). */
    update(card: VisitorCard, decision: VisibleDecision): void {
        this.place(card.id, cardFingerprint(card), decision, card.chat.state === 'requested');
    }

    /**
     * A visitor's card as another gateway built it: its fingerprint, who may see it, and
     * whether it is a chat request (the card itself is built here when a console asks).
     */
    place(visitorId: string, hash: number, decision: VisibleDecision, asking: boolean): void {
        const previous = this.visitors.get(visitorId);
        if (previous && previous.hash === hash && sameVisibility(previous, decision)) return;
        const entry: VisitorEntry = {
            hash,
            shown: decision.streams.shown,
            offeredTo: sharedList(decision.routing.offeredTo),
            assignedTo: decision.routing.assignedTo
        };
        this.visitors.set(visitorId, entry);
        const visible = visibleDecision(entry);
        for (const state of this.viewers.values()) this.route(state, visitorId, entry, visible);
        // A chat request has a countdown: its reps hear of it at once (the governor lets it burst).
        const newRequest = asking && !this.requesting.has(visitorId);
        if (asking) this.requesting.add(visitorId);
        else this.requesting.delete(visitorId);
        if (newRequest)
            for (const state of this.viewers.values())
                if (state.pending && state.visible.has(visitorId)) this.notify(state, 'chat');
        this.schedule();
    }

    /** What `place` needs to show this visitor's card on another gateway's consoles. */
    placement(
        visitorId: string
    ): { hash: number; decision: VisibleDecision; asking: boolean } | undefined {
        const entry = this.visitors.get(visitorId);
        return entry
            ? {
                  hash: entry.hash,
                  decision: visibleDecision(entry),
                  asking: this.requesting.has(visitorId)
              }
            : undefined;
    }

    /** The visit ended: it leaves every console. */
    remove(visitorId: string): void {
        this.requesting.delete(visitorId);
        if (!this.visitors.delete(visitorId)) return;
        for (const state of this.viewers.values())
            if (state.visible.delete(visitorId)) this.logChange(state, visitorId);
        this.schedule();
    }

    /** Streams were edited: every console re-snapshots. */
    streamsChanged(): void {
        for (const state of this.viewers.values()) {
            state.sequence += 1;
            state.streamsChangedAt = state.sequence;
            state.pending = true;
        }
        this.schedule();
    }

    /**
     * A chat message for one rep: logged, and notified at once (chat is never batched).
     * A typing signal is kept for the rep's next fetch and never notified: it is not worth
     * an event delivery.
     */
    chat(userId: string, change: ChatChange): void {
        this.chatHere(userId, change);
        this.relayChat?.(userId, change);
    }

    /**
     * With other gateways: where a chat change also goes (the rep's console may be connected
     * to any of them, which log it with `chatHere`).
     */
    relayChat: ((userId: string, change: ChatChange) => void) | undefined;

    /** A chat change logged (and notified) here only. */
    chatHere(userId: string, change: ChatChange): void {
        const state = this.viewers.get(userId);
        if (!state) return;
        if (change.typing && !change.message) {
            state.typing.set(change.conversationId, {
                sequence: state.sequence,
                at: this.clock.now(),
                change
            });
            this.transport.typing?.(userId);
            return;
        }
        state.sequence += 1;
        state.chat.push({ sequence: state.sequence, change });
        // The visitor sent a message, so they stopped typing.
        state.typing.delete(change.conversationId);
        if (state.chat.length > MAX_LOGGED_CHAT) {
            const dropped = state.chat.splice(0, state.chat.length - MAX_LOGGED_CHAT);
            state.floor = Math.max(state.floor, dropped[dropped.length - 1]!.sequence);
        }
        this.notify(state, 'chat');
    }

    /**
     * One page of what this viewer may see now. Page 0 fixes the snapshot (its visitor ids
     * and the sequence `changes` continues from); later pages return the current cards of
     * those ids. A visitor that changed or left meanwhile is in the changes after the
     * snapshot's sequence, so the console ends up exact. Null: no snapshot to continue.
     */
    snapshot(userId: string, page = 0): SnapshotPage | null {
        const state = this.viewers.get(userId);
        if (!state) return page === 0 ? { cards: [], sequence: 0, more: false } : null;
        state.lastFetchAt = this.clock.now();
        if (page === 0) {
            this.beforeFlush();
            state.snapshotIds = { sequence: state.sequence, ids: [...state.visible.keys()] };
        }
        const fixed = state.snapshotIds;
        if (!fixed) return null;
        const ids = fixed.ids.slice(page * SNAPSHOT_PAGE_SIZE, (page + 1) * SNAPSHOT_PAGE_SIZE);
        const more = (page + 1) * SNAPSHOT_PAGE_SIZE < fixed.ids.length;
        if (!more) delete state.snapshotIds;
        const cards: VisitorCard[] = [];
        for (const id of ids) {
            const card = state.visible.has(id) ? this.cardSource(id) : undefined;
            if (card) cards.push(this.lens(userId, card));
        }
        return { cards, sequence: fixed.sequence, more };
    }

    /**
     * The calling viewer's changes after `since`, at most CHANGES_PAGE_SIZE cards a page.
     * Only this viewer's log is read: what another rep sees never enters the answer.
     */
    changes(userId: string, epoch: string, since: number): ChangePage {
        if (epoch !== this.epoch) return { kind: 'resnapshot', epoch: this.epoch, reason: 'epoch' };
        const state = this.viewers.get(userId);
        const at = new Date(this.clock.now()).toISOString();
        if (!state)
            return {
                kind: 'changes',
                epoch: this.epoch,
                since,
                sequence: since,
                more: false,
                at,
                upserts: [],
                removals: [],
                chat: [],
                freshness: this.freshness
            };
        state.lastFetchAt = this.clock.now();
        this.beforeFlush();
        if (since < state.streamsChangedAt)
            return { kind: 'resnapshot', epoch: this.epoch, reason: 'streams' };
        if (since < state.floor || since > state.sequence)
            return { kind: 'resnapshot', epoch: this.epoch, reason: 'too-old' };

        // Both logs are in sequence order: merge them up to a page's worth of cards.
        const visitorChanges: [string, number][] = [];
        for (const [id, sequence] of state.changedAt)
            if (sequence > since) visitorChanges.push([id, sequence]);
        const chatChanges = state.chat.filter((entry) => entry.sequence > since);
        const upserts: VisitorCard[] = [];
        const removals: string[] = [];
        const chat: ChatChange[] = [];
        let v = 0;
        let c = 0;
        let reached = since;
        while (v < visitorChanges.length || c < chatChanges.length) {
            const nextVisitor = visitorChanges[v];
            const nextChat = chatChanges[c];
            if (nextChat && (!nextVisitor || nextChat.sequence < nextVisitor[1])) {
                chat.push(nextChat.change);
                reached = nextChat.sequence;
                c++;
                continue;
            }
            if (upserts.length >= CHANGES_PAGE_SIZE) break;
            const [id, sequence] = nextVisitor!;
            const card = state.visible.has(id) ? this.cardSource(id) : undefined;
            if (card) upserts.push(this.lens(userId, card));
            else removals.push(id);
            reached = sequence;
            v++;
        }
        const more = v < visitorChanges.length || c < chatChanges.length;
        const now = this.clock.now();
        for (const [conversationId, typing] of state.typing) {
            if (now - typing.at > TYPING_TTL_MS) state.typing.delete(conversationId);
            else if (typing.sequence >= since) chat.push(typing.change);
        }
        return {
            kind: 'changes',
            epoch: this.epoch,
            since,
            sequence: more ? reached : state.sequence,
            more,
            at,
            upserts,
            removals,
            chat,
            freshness: this.freshness
        };
    }

    /** A card as this user may see it (every card a user is sent goes through this). */
    asSeenBy(userId: string, card: VisitorCard): VisitorCard {
        return this.lens(userId, card);
    }

    /**
     * What this user may see of these CRM records changed (recordAccess.ts): the visitors
     * whose cards name them are logged again for that user, so the console gets them anew.
     */
    recordAccessChanged(userId: string, recordIds: ReadonlySet<string>): void {
        const state = this.viewers.get(userId);
        if (!state) return;
        for (const id of state.visible.keys()) {
            const sf = this.cardSource(id)?.salesforce;
            const named = [sf?.account?.id, sf?.opportunity?.id, sf?.lead?.id, sf?.contact?.id];
            if (named.some((recordId) => recordId !== undefined && recordIds.has(recordId)))
                this.logChange(state, id);
        }
        this.schedule();
    }

    /** Who may see a visitor, as last published. */
    visibility(visitorId: string): VisibleDecision | undefined {
        const entry = this.visitors.get(visitorId);
        return entry ? visibleDecision(entry) : undefined;
    }

    /** Every published visitor's id (the record page's "on the website now" walks them). */
    visitorIds(): IterableIterator<string> {
        return this.visitors.keys();
    }

    card(visitorId: string): { card: VisitorCard; decision: VisibleDecision } | undefined {
        const entry = this.visitors.get(visitorId);
        const card = entry ? this.cardSource(visitorId) : undefined;
        return entry && card ? { card, decision: visibleDecision(entry) } : undefined;
    }

    flush(): void {
        this.timer?.cancel();
        this.timer = undefined;
        this.beforeFlush();
        let notified = 0;
        const direct = this.transport.direct;
        for (const state of this.viewers.values()) {
            if (!state.pending) continue;
            // Every notification is delivered to every subscribed console, so one for a rep
            // whose console is closed spends deliveries for nobody. It stays pending: the
            // console's snapshot when it opens, or its quiet check, fetches the changes.
            if (!this.listening(state) && !direct?.(state.viewer.userId)) continue;
            this.notify(state, 'delta');
            notified++;
        }
        this.pacer.flushed?.(notified);
    }

    close(): void {
        this.flush();
        this.timer?.cancel();
        this.directTimer?.cancel();
    }

    /** Notifies at the end of the current window (at once when there is no window). */
    schedule(): void {
        this.scheduleDirect();
        if (this.timer) return;
        const windowMs = this.pacer.windowMs();
        this.lastWindowMs = windowMs;
        if (windowMs <= 0) {
            this.flush();
            return;
        }
        this.timer = this.clock.setTimeout(() => this.flush(), windowMs);
    }

    /**
     * Viewers on the direct socket are notified at the end of the shortest window: pacing
     * them would save no event delivery. Everyone else waits for the governor's window.
     */
    private scheduleDirect(): void {
        const direct = this.transport.direct;
        if (!direct || this.directTimer) return;
        const windowMs = this.pacer.minWindowMs?.() ?? this.pacer.windowMs();
        if (windowMs >= this.pacer.windowMs()) return; // the governor's window is as short
        // Changed visitors are decided only at the window's end, so whether a direct viewer
        // will have something is not known yet: any direct viewer is worth the shorter window.
        let anyDirect = false;
        for (const userId of this.viewers.keys()) {
            anyDirect = direct(userId);
            if (anyDirect) break;
        }
        if (!anyDirect) return;
        this.directTimer = this.clock.setTimeout(() => {
            this.directTimer = undefined;
            this.beforeFlush();
            for (const state of this.viewers.values())
                if (state.pending && direct(state.viewer.userId)) this.notify(state, 'delta');
        }, windowMs);
    }

    private route(
        state: ViewerState,
        visitorId: string,
        entry: VisitorEntry,
        visible: VisibleDecision = visibleDecision(entry)
    ): void {
        if (canSee(state.viewer, visible)) {
            const logged = state.visible.get(visitorId);
            if (logged?.hash === entry.hash) {
                // Already logged as it is now (only who else may see it changed): keep the
                // current entry, so the replaced one is not held.
                if (logged !== entry) state.visible.set(visitorId, entry);
                return;
            }
            state.visible.set(visitorId, entry);
            this.logChange(state, visitorId);
        } else if (state.visible.delete(visitorId)) {
            this.logChange(state, visitorId);
        }
    }

    /** The visitor changed for this viewer: it moves to the end of the log with the next sequence. */
    private logChange(state: ViewerState, visitorId: string): void {
        state.sequence += 1;
        state.changedAt.delete(visitorId);
        state.changedAt.set(visitorId, state.sequence);
        state.pending = true;
        if (state.changedAt.size - state.visible.size > MAX_LOGGED_REMOVALS) this.prune(state);
    }

    /** Forgets the oldest half of the removals; a console from before them re-snapshots. */
    private prune(state: ViewerState): void {
        let excess = state.changedAt.size - state.visible.size - MAX_LOGGED_REMOVALS / 2;
        for (const [id, sequence] of state.changedAt) {
            if (excess <= 0) break;
            if (state.visible.has(id)) continue;
            state.changedAt.delete(id);
            state.floor = Math.max(state.floor, sequence);
            excess--;
        }
    }

    private notify(state: ViewerState, kind: NotificationKind): void {
        state.pending = false;
        this.notificationsSent++;
        this.transport.notify({
            audience: state.viewer.userId,
            epoch: this.epoch,
            sequence: state.sequence,
            kind
        });
    }
}

/** Whether an entry, as published, has the visibility of this decision (read in place: it runs per card). */
function sameVisibility(entry: VisitorEntry, decision: VisibleDecision): boolean {
    const offeredTo = decision.routing.offeredTo;
    return (
        entry.shown === decision.streams.shown &&
        entry.assignedTo === decision.routing.assignedTo &&
        entry.offeredTo.length === offeredTo.length &&
        entry.offeredTo.every((id, i) => id === offeredTo[i])
    );
}
