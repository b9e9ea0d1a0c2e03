/**
 * Live visits shared between gateways (Redis mode). Every gateway keeps every live visit in
 * memory, as one gateway does alone; the shared state holds each visit's latest copy
 * (session, decision, claim) and the bus carries every change to the other gateways:
 *
 * - A beacon may land on any gateway: one that does not hold the visit reads it from the
 *   shared state before applying the beacon, and the visit's new copy is written before the
 *   beacon is answered (so the next beacon, wherever it lands, continues from it).
 * - The gateway that decided a visit publishes its copy; the others take the decision as it
 *   is (they do not decide again, so routing state moves once) and update their own
 *   publisher, so a console connected to any gateway gets the card.
 * - Chat changes for a rep and messages for a visitor go to every gateway: the rep's console
 *   and the visitor's socket may be connected to any of them.
 * - A visit's end is written to the org by one gateway only (the first to sweep it).
 *
 * Changes are written and published once per turn of the event loop, however many beacons
 * came in it (one write per visit, one message for all). Each visit is serialised once for
 * both, and a gateway recognises its own messages on the bus by their first bytes, without
 * parsing them: serialising and parsing visits was most of what Redis mode cost a gateway.
 */
import { randomUUID } from 'node:crypto';
import type { ChatChange } from '../contracts/liveContract';
import type { GatewayToVisitor } from '../contracts/visitorProtocol';
import type { Decision, StickyAssignment } from '../engine';
import type { Claim } from '../live/cards';
import type { LiveSession } from '../live/session';
import type { LiveVisit } from '../live/visits';
import type { SharedState } from './sharedState';

/** A live visit as stored and published. */
export interface StoredVisit {
    session: LiveSession;
    decision?: Decision;
    claim?: Claim;
    /** The rep the visit sticks to, so whichever gateway decides it next keeps the rep. */
    assignment?: StickyAssignment;
}

/** What a gateway sends; on the bus each message also starts with its sender (`from`). */
type Outgoing =
    | {
          kind: 'visits';
          visits: StoredVisit[];
          /** The sender's round-robin pointers after deciding them. */
          pointers: Record<string, string>;
      }
    | { kind: 'ended'; visitIds: string[] }
    | { kind: 'chat'; userId: string; change: ChatChange }
    | { kind: 'visitor'; visitId: string; message: GatewayToVisitor };
type BusMessage = Outgoing & { from: string };

/** What the link does to this gateway when another one changed something. */
export interface SharedVisitsHooks {
    /** Another gateway changed (or started) this visit: take its copy, publish its card. */
    adopt(stored: StoredVisit): void;
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
    /** What this gateway knows of a visit beyond its session (stored with it for the others). */
    claimOf(visitId: string): Claim | undefined;
    assignmentOf(visitId: string): StickyAssignment | undefined;
    /** This gateway's round-robin pointers (published with its visits). */
    ownPointers(): Record<string, string>;
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

    constructor(
        readonly state: SharedState,
        private readonly hooks: SharedVisitsHooks,
        /** How long a stored visit outlives its last beacon (the visit's end, and some). */
        private readonly ttlMs: number,
        private readonly onError: (error: unknown) => void
    ) {}

    async start(): Promise<void> {
        this.unsubscribe = await this.state.subscribe(
            (raw) => this.heard(raw),
            () => this.hooks.resync()
        );
    }

    stop(): void {
        this.unsubscribe();
    }

    /** The stored copy of a visit this gateway does not hold. */
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

    /** The visit changed here: its copy is written and published at the end of this turn. */
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

    /** Resolves once the changes so far are stored and published; rejects if they could not be. */
    flushed(): Promise<void> {
        return this.pending ?? this.running;
    }

    private async flush(): Promise<void> {
        const batch = [...this.dirty.values()];
        this.dirty.clear();
        const raws = batch.map((visit) => JSON.stringify(this.copyOf(visit)));
        await Promise.all(
            batch.map((visit, i) =>
                this.state.putVisit(visit.session.sessionId, raws[i]!, this.ttlMs)
            )
        );
        // The stored copies, as they are, make the message's `visits` (see Outgoing).
        await this.state.publish(
            `${this.ownPrefix}"kind":"visits","pointers":${JSON.stringify(this.hooks.ownPointers())},"visits":[${raws.join(',')}]}`
        );
    }

    private copyOf(visit: LiveVisit): StoredVisit {
        const id = visit.session.sessionId;
        const claim = this.hooks.claimOf(id);
        const assignment = this.hooks.assignmentOf(id);
        return {
            session: visit.session,
            ...(visit.decision ? { decision: visit.decision } : {}),
            ...(claim ? { claim } : {}),
            ...(assignment ? { assignment } : {})
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

    relayChat(userId: string, change: ChatChange): void {
        this.send({ kind: 'chat', userId, change }).catch(this.onError);
    }

    relayToVisitor(visitId: string, message: GatewayToVisitor): void {
        this.send({ kind: 'visitor', visitId, message }).catch(this.onError);
    }

    private send(message: Exclude<Outgoing, { kind: 'visits' }>): Promise<void> {
        // `{"kind":…}` becomes `{"from":…,"kind":…}`.
        return this.state.publish(this.ownPrefix + JSON.stringify(message).slice(1));
    }

    private heard(raw: string): void {
        // Every gateway hears its own messages too: skipped before the cost of parsing them.
        if (raw.startsWith(this.ownPrefix)) return;
        let message: BusMessage;
        try {
            message = JSON.parse(raw) as BusMessage;
        } catch {
            return;
        }
        switch (message.kind) {
            case 'visits':
                this.hooks.pointers(message.pointers);
                for (const stored of message.visits) this.hooks.adopt(stored);
                break;
            case 'ended':
                for (const id of message.visitIds) this.hooks.ended(id);
                break;
            case 'chat':
                this.hooks.chat(message.userId, message.change);
                break;
            case 'visitor':
                this.hooks.toVisitor(message.visitId, message.message);
                break;
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
