/**
 * Live visits shared between gateways (Redis mode). Each visit is owned by one gateway: the
 * one its beacons land on (the balancer sends a visit's beacons to one gateway, by its id).
 * The owner holds the visit, decides it and ages it; the shared state holds each visit's
 * latest copy, so another gateway can take the visit over (a beacon landing there, a
 * gateway that died), and the bus announces each write to the others:
 *
 * - An announcement carries the visit's copy and what another gateway's consoles need at
 *   once: the card's fingerprint, who may see it, whether it is a chat request, the claim.
 *   The others keep the copy as it came (a string, not parsed) and place the card in their
 *   publisher; a copy is read (parsed) only when something there needs the visit — a
 *   console asking for the card, a rep acting on it. So a gateway pays for the visits of
 *   others only what its own consoles and reps use.
 * - A beacon may still land on any gateway: one that does not own the visit reads its
 *   latest copy from the shared state and owns it from then on (its announcement tells the
 *   former owner, which keeps only the copy).
 * - A gateway marks itself alive every second; the visits of one whose mark lapsed are taken
 *   over by the first other gateway to notice (a `SET NX` decides which). Announcements go
 *   to the inboxes of the gateways alive when a visit is written: a gateway never hears its
 *   own, and one alone sends none.
 * - Chat changes for a rep and messages for a visitor go to every gateway: the rep's console
 *   and the visitor's socket may be connected to any of them.
 * - A visit's end is written to the org by one gateway only.
 *
 * Writes are gathered over one turn of the event loop: one pipeline of SETs and one message
 * for all the visits changed in it. A gateway recognises its own messages on the bus by
 * their first bytes, without parsing them.
 */
import { randomUUID } from 'node:crypto';
import type { ChatChange } from '../contracts/liveContract';
import type { GatewayToVisitor } from '../contracts/visitorProtocol';
import type { Decision, StickyAssignment, VisibleDecision } from '../engine';
import type { Claim } from '../live/cards';
import type { LiveSession } from '../live/session';
import type { LiveVisit } from '../live/visits';
import type { SharedState } from './sharedState';

/** A live visit as stored and announced. */
export interface StoredVisit {
    session: LiveSession;
    decision?: Decision;
    claim?: Claim;
    /** The rep the visit sticks to, so whichever gateway decides it next keeps the rep. */
    assignment?: StickyAssignment;
    /** The gateway that wrote this copy: the visit's owner. */
    writer?: string;
}

/** A visit's card as the consoles of another gateway need it (publisher.place). */
export interface Placement {
    hash: number;
    decision: VisibleDecision;
    asking: boolean;
}

/** What an announcement says of one visit besides its copy. */
export interface Announced {
    id: string;
    /** The visit's chat, so a rep's message finds the visit by its conversation. */
    conversationId?: string;
    claim?: Claim;
    card?: Placement;
}

/** Messages to every gateway (one line of JSON, the sender first, so it skips its own). */
type Outgoing =
    | { kind: 'ended'; visitIds: string[] }
    | { kind: 'chat'; userId: string; change: ChatChange }
    | { kind: 'visitor'; visitId: string; message: GatewayToVisitor };
type BusMessage = Outgoing & { from: string };
/** The first line of a visits announcement; then two lines a visit: `Announced`, the copy. */
interface VisitsHeader {
    from: string;
    kind: 'visits';
    /** The sender's round-robin pointers after deciding them. */
    pointers: Record<string, string>;
}

/** What the link does to this gateway when another one changed something. */
export interface SharedVisitsHooks {
    /**
     * Another gateway wrote this visit. True if this gateway holds it and took the copy in
     * (it owned it, or times its chat request); false leaves the copy with the link.
     */
    announced(visit: Announced, copy: () => StoredVisit | undefined, writer: string): boolean;
    /** Another gateway's round-robin pointers. */
    pointers(pointers: Record<string, string>): void;
    /** Another gateway ended these visits. */
    ended(visitId: string): void;
    /** A chat change for a rep whose console may be connected here. */
    chat(userId: string, change: ChatChange): void;
    /** A message for a visitor whose socket may be connected here. */
    toVisitor(visitId: string, message: GatewayToVisitor): void;
    /** Messages may have been missed (the bus reconnected): read every stored visit again. */
    resync(): void;
    /** The gateway that wrote these visits is gone: this one owns them now. */
    takeOver(visitIds: string[]): void;
    /** Visits held here as another gateway's (visit id → that gateway). */
    mirrors(): Iterable<[string, string]>;
    /** What this gateway knows of a visit beyond its session (stored with it for the others). */
    claimOf(visitId: string): Claim | undefined;
    assignmentOf(visitId: string): StickyAssignment | undefined;
    placement(visitId: string): Placement | undefined;
    /** This gateway's round-robin pointers (published with its visits). */
    ownPointers(): Record<string, string>;
}

/** How often a gateway renews its mark, and how long the mark lasts without renewal. */
export const ALIVE_EVERY_MS = 1_000;
export const ALIVE_FOR_MS = 5_000;
/** A visit whose beacons changed nothing is stored again once its last beacon is this much newer. */
const STORE_LAST_SEEN_EVERY_MS = 10_000;

interface Copy {
    raw: string;
    writer: string;
    conversationId?: string;
}

export class SharedVisits {
    /** This gateway on the bus (its own messages come back to it and are skipped). */
    readonly gatewayId = randomUUID();
    /** How every message this gateway sends begins: the sender first, so it is seen unparsed. */
    private readonly ownPrefix = `{"from":${JSON.stringify(this.gatewayId)},`;
    private readonly dirty = new Map<string, LiveVisit>();
    /** The flush that will take the visits changed since the last one started. */
    private pending: Promise<void> | undefined;
    private running: Promise<void> = Promise.resolve();
    private unsubscribe: () => void = () => {};
    /** Visits being read from the shared state, so two beacons of one visit read it once. */
    private readonly loading = new Map<string, Promise<StoredVisit | undefined>>();
    /** Other gateways' visits not held here: their latest copy as announced, unparsed. */
    private readonly copies = new Map<string, Copy>();
    private readonly byConversation = new Map<string, string>();
    /** `session.lastSeenAt` of each visit's last stored copy. */
    private readonly storedSeenAt = new WeakMap<LiveVisit, number>();
    private aliveTimer: NodeJS.Timeout | undefined;

    constructor(
        readonly state: SharedState,
        private readonly hooks: SharedVisitsHooks,
        /** How long a stored visit outlives its last beacon (the visit's end, and some). */
        private readonly ttlMs: number,
        private readonly onError: (error: unknown) => void
    ) {}

    async start(): Promise<void> {
        // The inbox first, then the mark: a visit written once the others see this gateway
        // alive is announced to it; one written before is in the store it reads next.
        this.unsubscribe = await this.state.subscribe(
            (raw) => this.heard(raw),
            () => this.hooks.resync(),
            this.gatewayId
        );
        await this.state.markAlive(this.gatewayId, ALIVE_FOR_MS);
        // Redis's clock, not the gateway's, lapses the mark: renewed on a timer of real time.
        this.aliveTimer = setInterval(() => void this.renew().catch(this.onError), ALIVE_EVERY_MS);
        this.aliveTimer.unref();
    }

    stop(): void {
        this.unsubscribe();
        clearInterval(this.aliveTimer);
    }

    /** Closing: the last changes stored, then this gateway's mark withdrawn for the others to see. */
    async leave(): Promise<void> {
        await this.flushed().catch(this.onError);
        await this.state.markAlive(this.gatewayId, 0);
    }

    /** The stored copy of a visit, from the shared state (the latest, wherever it was written). */
    load(visitId: string): Promise<StoredVisit | undefined> {
        let loading = this.loading.get(visitId);
        if (!loading) {
            loading = this.state.getVisits([visitId]).then(([raw]) => parse(raw));
            this.loading.set(visitId, loading);
            const done = () => this.loading.delete(visitId);
            loading.then(done, done);
        }
        return loading;
    }

    /** Every stored visit (a gateway starting, or the bus reconnected). */
    async loadAll(): Promise<StoredVisit[]> {
        const ids = await this.state.visitIds();
        const stored: StoredVisit[] = [];
        for (let i = 0; i < ids.length; i += 500) {
            const raws = await this.state.getVisits(ids.slice(i, i + 500));
            for (const raw of raws) {
                const visit = parse(raw);
                if (visit) stored.push(visit);
            }
        }
        return stored;
    }

    /** Another gateway's visit as last announced (parsed now), if this gateway has its copy. */
    copy(visitId: string): StoredVisit | undefined {
        const copy = this.copies.get(visitId);
        if (!copy) return undefined;
        const stored = parse(copy.raw);
        if (stored) stored.writer = copy.writer;
        return stored;
    }

    /** The visit is held here now (taken over, or read to be used): its copy goes. */
    dropCopy(visitId: string): void {
        const copy = this.copies.get(visitId);
        if (!copy) return;
        this.copies.delete(visitId);
        if (copy.conversationId) this.byConversation.delete(copy.conversationId);
    }

    hasCopy(visitId: string): boolean {
        return this.copies.has(visitId);
    }

    /** The visit of a conversation among other gateways' copies. */
    visitOfConversation(conversationId: string): string | undefined {
        return this.byConversation.get(conversationId);
    }

    /** The visit changed here: its copy is written and announced at the end of this turn. */
    touched(visit: LiveVisit): void {
        this.dirty.set(visit.session.sessionId, visit);
        if (this.pending) return;
        const next = this.running
            .then(ignore, ignore)
            .then(() => new Promise<void>((resolve) => setImmediate(resolve)))
            .then(() => {
                this.pending = undefined;
                return this.flush();
            });
        // Logged here; a beacon waiting on it hears of the failure itself (flushed()).
        next.catch(this.onError);
        this.pending = next;
        this.running = next;
    }

    /**
     * A beacon that changed nothing a card shows (a heartbeat): its visit is stored again
     * only when its last stored beacon is old, so a gateway taking over knows it is live.
     */
    seen(visit: LiveVisit): void {
        const stored = this.storedSeenAt.get(visit);
        if (stored === undefined || visit.session.lastSeenAt - stored >= STORE_LAST_SEEN_EVERY_MS)
            this.touched(visit);
    }

    /** Resolves once the changes so far are stored and announced; rejects if they could not be. */
    flushed(): Promise<void> {
        return this.pending ?? this.running;
    }

    private async flush(): Promise<void> {
        const batch = [...this.dirty.values()];
        this.dirty.clear();
        const entries: { id: string; value: string }[] = [];
        const lines: string[] = [
            `${this.ownPrefix}"kind":"visits","pointers":${JSON.stringify(this.hooks.ownPointers())}}`
        ];
        for (const visit of batch) {
            const id = visit.session.sessionId;
            const value = JSON.stringify(this.copyOf(visit));
            entries.push({ id, value });
            lines.push(JSON.stringify(this.announcementOf(visit)), value);
            this.storedSeenAt.set(visit, visit.session.lastSeenAt);
        }
        await this.state.putVisits(entries, this.ttlMs, {
            from: this.gatewayId,
            message: lines.join('\n')
        });
    }

    private copyOf(visit: LiveVisit): StoredVisit {
        const id = visit.session.sessionId;
        const claim = this.hooks.claimOf(id);
        const assignment = this.hooks.assignmentOf(id);
        return {
            session: visit.session,
            ...(visit.decision ? { decision: visit.decision } : {}),
            ...(claim ? { claim } : {}),
            ...(assignment ? { assignment } : {}),
            writer: this.gatewayId
        };
    }

    private announcementOf(visit: LiveVisit): Announced {
        const id = visit.session.sessionId;
        const chat = visit.session.chat;
        const claim = this.hooks.claimOf(id);
        const card = this.hooks.placement(id);
        return {
            id,
            ...('conversationId' in chat ? { conversationId: chat.conversationId } : {}),
            ...(claim ? { claim } : {}),
            ...(card ? { card } : {})
        };
    }

    /** The visit ended here: it leaves the shared state and every other gateway. */
    async ended(visitIds: string[]): Promise<void> {
        if (visitIds.length === 0) return;
        await Promise.all(visitIds.map((id) => this.state.dropVisit(id)));
        await this.send({ kind: 'ended', visitIds });
    }

    /** Whether this gateway is the one to write the visit's end to the org. */
    firstToEnd(visitId: string): Promise<boolean> {
        return this.state.once(`end:${visitId}`, this.ttlMs);
    }

    /**
     * Once a second: this gateway's mark renewed, and the visits of gateways whose mark
     * lapsed taken over, by the first gateway to see it.
     */
    private async renew(): Promise<void> {
        const alive = new Set(await this.state.markAlive(this.gatewayId, ALIVE_FOR_MS));
        const byWriter = new Map<string, string[]>();
        const add = (visitId: string, writer: string) => {
            if (writer === this.gatewayId) return;
            const ids = byWriter.get(writer);
            if (ids) ids.push(visitId);
            else byWriter.set(writer, [visitId]);
        };
        for (const [visitId, copy] of this.copies) add(visitId, copy.writer);
        for (const [visitId, writer] of this.hooks.mirrors()) add(visitId, writer);
        for (const [writer, visitIds] of byWriter) {
            if (alive.has(writer)) continue;
            // One gateway takes a dead one's visits; the others hear of it by its announcements.
            if (await this.state.once(`takeover:${writer}`, this.ttlMs))
                this.hooks.takeOver(visitIds);
        }
    }

    relayChat(userId: string, change: ChatChange): void {
        this.send({ kind: 'chat', userId, change }).catch(this.onError);
    }

    relayToVisitor(visitId: string, message: GatewayToVisitor): void {
        this.send({ kind: 'visitor', visitId, message }).catch(this.onError);
    }

    private send(message: Outgoing): Promise<void> {
        // `{"kind":…}` becomes `{"from":…,"kind":…}`.
        return this.state.publish(this.ownPrefix + JSON.stringify(message).slice(1));
    }

    private heard(raw: string): void {
        // Every gateway hears its own messages too: skipped before the cost of parsing them.
        if (raw.startsWith(this.ownPrefix)) return;
        try {
            const lines = raw.split('\n');
            if (lines.length > 1) return this.heardVisits(lines);
            const message = JSON.parse(raw) as BusMessage;
            switch (message.kind) {
                case 'ended':
                    for (const id of message.visitIds) {
                        this.dropCopy(id);
                        this.hooks.ended(id);
                    }
                    break;
                case 'chat':
                    this.hooks.chat(message.userId, message.change);
                    break;
                case 'visitor':
                    this.hooks.toVisitor(message.visitId, message.message);
                    break;
            }
        } catch (error) {
            this.onError(error);
        }
    }

    /** Another gateway's visits: each copy kept as it came, unless this gateway holds the visit. */
    private heardVisits(lines: string[]): void {
        const header = JSON.parse(lines[0]!) as VisitsHeader;
        this.hooks.pointers(header.pointers);
        for (let i = 1; i + 1 < lines.length; i += 2) {
            const announced = JSON.parse(lines[i]!) as Announced;
            const raw = lines[i + 1]!;
            this.dropCopy(announced.id);
            const copy = () => parse(raw);
            if (this.hooks.announced(announced, copy, header.from)) continue;
            this.copies.set(announced.id, {
                raw,
                writer: header.from,
                ...(announced.conversationId ? { conversationId: announced.conversationId } : {})
            });
            if (announced.conversationId)
                this.byConversation.set(announced.conversationId, announced.id);
        }
    }
}

const ignore = () => {};

function parse(raw: string | undefined): StoredVisit | undefined {
    if (!raw) return undefined;
    try {
        return JSON.parse(raw) as StoredVisit;
    } catch {
        return undefined;
    }
}
