/**
 * The publisher: turns decisions into each rep's live update stream.
 *
 * - Filtered per rep with the engine's `canSee` — the one security boundary: a card
 *   goes only to a viewer who may see that visitor, and a viewer who no longer may gets
 *   a removal instead.
 * - Coalesced per rep over a batch window: many changes of many visitors become one
 *   delta (the latest card of each), and an unchanged card is not sent again.
 * - Sequence-numbered per rep, +1 per delta; a console that sees a gap re-snapshots.
 *
 * Where the deltas go is a transport (a port): `Visitor_Update__e` on the org's event bus.
 */
import type { ConsoleDelta, Freshness, LiveEvent, VisitorCard } from '../contracts/liveContract';
import { canSee, type Viewer, type VisibleDecision } from '../engine';
import type { Clock, TimerHandle } from './clock';

export interface PublishTransport {
    /**
     * One event for one user: `kind` 'delta' (sequence advanced) or 'chat' (carries the last
     * delta sequence). `json` is the event already serialised, when the publisher has it.
     */
    send(
        audienceUserId: string,
        kind: 'delta' | 'chat',
        sequence: number,
        event: LiveEvent,
        json?: string
    ): void;
}

interface ViewerState {
    viewer: Viewer;
    sequence: number;
    /** Visitor id → fingerprint of the card this viewer last received (or has queued). */
    sent: Map<string, number>;
    pendingUpserts: Map<string, VisitorCard>;
    pendingRemovals: Set<string>;
    streamsChanged: boolean;
}

/**
 * One visitor as published: a fingerprint of its card (to skip unchanged cards) and who
 * may see it. The card itself is not kept — with 100k visitors that would be most of the
 * memory — but rebuilt from the live session when a console takes a snapshot.
 */
interface VisitorEntry {
    hash: number;
    decision: VisibleDecision;
}

/** 53-bit fingerprint of a string: FNV-1a and djb2 side by side. */
export function fingerprint(text: string): number {
    let fnv = 0x811c9dc5;
    let djb = 5381;
    for (let i = 0; i < text.length; i++) {
        const c = text.charCodeAt(i);
        fnv = Math.imul(fnv ^ c, 0x01000193);
        djb = (Math.imul(djb, 33) + c) | 0;
    }
    return (fnv >>> 0) * 0x200000 + ((djb >>> 0) & 0x1fffff);
}

/** Rebuilds the current card of a visitor (for snapshots). */
export type CardSource = (visitorId: string) => VisitorCard | undefined;

export class LivePublisher {
    private readonly viewers = new Map<string, ViewerState>();
    private readonly visitors = new Map<string, VisitorEntry>();
    /** JSON of the cards queued since the last flush, serialised once for every rep. */
    private readonly pendingJson = new Map<string, string>();
    private timer: TimerHandle | undefined;
    /** Deltas sent so far (all viewers), for tests and the bench. */
    deltasSent = 0;

    /**
     * `beforeFlush` runs before each window's deltas (and before a snapshot) are built: the
     * gateway decides there the visitors that changed during the window, once each.
     */
    constructor(
        private readonly transport: PublishTransport,
        private readonly clock: Clock,
        private readonly windowMs = 250,
        private readonly cardSource: CardSource = () => undefined,
        private readonly beforeFlush: () => void = () => {}
    ) {}

    get freshness(): Freshness {
        return { mode: this.windowMs <= 250 ? 'live' : 'throttled', windowMs: this.windowMs };
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
                    sent: new Map(),
                    pendingUpserts: new Map(),
                    pendingRemovals: new Set(),
                    streamsChanged: false
                };
                this.viewers.set(viewer.userId, fresh);
                for (const [id, entry] of this.visitors) this.route(fresh, id, entry);
            }
        }
        this.schedule();
    }

    viewer(userId: string): Viewer | undefined {
        return this.viewers.get(userId)?.viewer;
    }

    /** A visitor's card and decision changed (or appeared). */
    update(card: VisitorCard, decision: VisibleDecision): void {
        const json = JSON.stringify(card);
        const hash = fingerprint(json);
        const previous = this.visitors.get(card.id);
        if (previous && previous.hash === hash && sameVisibility(previous.decision, decision))
            return;
        this.pendingJson.set(card.id, json);
        const entry: VisitorEntry = {
            hash,
            decision: {
                streams: { shown: decision.streams.shown },
                routing: {
                    offeredTo: [...decision.routing.offeredTo],
                    ...(decision.routing.assignedTo
                        ? { assignedTo: decision.routing.assignedTo }
                        : {})
                }
            }
        };
        this.visitors.set(card.id, entry);
        for (const state of this.viewers.values()) this.route(state, card.id, entry, card);
        this.schedule();
    }

    /** The visit ended: it leaves every console. */
    remove(visitorId: string): void {
        if (!this.visitors.delete(visitorId)) return;
        this.pendingJson.delete(visitorId);
        for (const state of this.viewers.values()) {
            state.pendingUpserts.delete(visitorId);
            if (state.sent.delete(visitorId)) state.pendingRemovals.add(visitorId);
        }
        this.schedule();
    }

    /** Streams were edited: every console re-snapshots. */
    streamsChanged(): void {
        for (const state of this.viewers.values()) state.streamsChanged = true;
        this.schedule();
    }

    /** A chat message or typing signal for one rep, sent at once (chat is never batched). */
    chat(userId: string, event: Extract<LiveEvent, { kind: 'chat' }>): void {
        const state = this.viewers.get(userId);
        this.transport.send(userId, 'chat', state?.sequence ?? 0, event);
    }

    /** What this viewer may see now, and the sequence the next delta continues from. */
    snapshot(userId: string): { cards: VisitorCard[]; sequence: number } {
        const state = this.viewers.get(userId);
        if (!state) return { cards: [], sequence: 0 };
        this.beforeFlush();
        // Pending changes are already in the snapshot's cards: send them, so the
        // snapshot's sequence is the one the next delta follows.
        this.flushViewer(state);
        const cards: VisitorCard[] = [];
        for (const [id, entry] of this.visitors) {
            if (!canSee(state.viewer, entry.decision)) continue;
            const card = this.cardSource(id);
            if (card) cards.push(card);
        }
        return { cards, sequence: state.sequence };
    }

    /** Who may see a visitor, as last published. */
    visibility(visitorId: string): VisibleDecision | undefined {
        return this.visitors.get(visitorId)?.decision;
    }

    card(visitorId: string): { card: VisitorCard; decision: VisibleDecision } | undefined {
        const entry = this.visitors.get(visitorId);
        const card = entry ? this.cardSource(visitorId) : undefined;
        return entry && card ? { card, decision: entry.decision } : undefined;
    }

    flush(): void {
        this.timer?.cancel();
        this.timer = undefined;
        this.beforeFlush();
        for (const state of this.viewers.values()) this.flushViewer(state);
        this.pendingJson.clear();
    }

    close(): void {
        this.flush();
        this.timer?.cancel();
    }

    private route(
        state: ViewerState,
        visitorId: string,
        entry: VisitorEntry,
        card?: VisitorCard
    ): void {
        if (canSee(state.viewer, entry.decision)) {
            // Already sent or queued as it is now.
            if (state.sent.get(visitorId) === entry.hash) return;
            state.pendingRemovals.delete(visitorId);
            const current = card ?? this.cardSource(visitorId);
            if (!current) return;
            state.pendingUpserts.set(visitorId, current);
            state.sent.set(visitorId, entry.hash);
        } else {
            state.pendingUpserts.delete(visitorId);
            if (state.sent.delete(visitorId)) state.pendingRemovals.add(visitorId);
        }
    }

    /** Flushes at the end of the current window (at once when there is no window). */
    schedule(): void {
        if (this.timer) return;
        if (this.windowMs <= 0) {
            this.flush();
            return;
        }
        this.timer = this.clock.setTimeout(() => this.flush(), this.windowMs);
    }

    private jsonOf(card: VisitorCard): string {
        let json = this.pendingJson.get(card.id);
        if (json === undefined) {
            json = JSON.stringify(card);
            this.pendingJson.set(card.id, json);
        }
        return json;
    }

    private flushViewer(state: ViewerState): void {
        if (
            state.pendingUpserts.size === 0 &&
            state.pendingRemovals.size === 0 &&
            !state.streamsChanged
        )
            return;
        // Payload__c holds at most 131,072 characters: a large batch goes as several deltas.
        const chunks: VisitorCard[][] = [[]];
        let size = 0;
        for (const [id, card] of state.pendingUpserts) {
            const length = this.jsonOf(card).length;
            if (size + length > MAX_PAYLOAD_CHARS && chunks[chunks.length - 1]!.length > 0) {
                chunks.push([]);
                size = 0;
            }
            chunks[chunks.length - 1]!.push(card);
            size += length + 1;
        }
        const removals = [...state.pendingRemovals];
        const streamsChanged = state.streamsChanged;
        state.pendingUpserts.clear();
        state.pendingRemovals.clear();
        state.streamsChanged = false;
        chunks.forEach((upserts, index) => {
            state.sequence += 1;
            const last = index === chunks.length - 1;
            const delta: ConsoleDelta = {
                sequence: state.sequence,
                at: new Date(this.clock.now()).toISOString(),
                upserts,
                removals: last ? removals : [],
                ...(last && streamsChanged ? { streamsChanged: true } : {}),
                freshness: this.freshness
            };
            this.deltasSent++;
            // The cards are serialised once per change, not once per rep: splice their JSON in.
            const { upserts: _cards, ...envelope } = delta;
            const cardsJson = upserts.map((card) => this.jsonOf(card)).join(',');
            const json = `{"kind":"delta","delta":{"upserts":[${cardsJson}],${JSON.stringify(envelope).slice(1)}}`;
            this.transport.send(
                state.viewer.userId,
                'delta',
                state.sequence,
                { kind: 'delta', delta },
                json
            );
        });
    }
}

/** Room left for the cards in one Payload__c (131,072 characters) after the envelope and removals. */
const MAX_PAYLOAD_CHARS = 100_000;

function sameVisibility(a: VisibleDecision, b: VisibleDecision): boolean {
    return (
        a.streams.shown === b.streams.shown &&
        a.routing.assignedTo === b.routing.assignedTo &&
        a.routing.offeredTo.length === b.routing.offeredTo.length &&
        a.routing.offeredTo.every((id, i) => id === b.routing.offeredTo[i])
    );
}
