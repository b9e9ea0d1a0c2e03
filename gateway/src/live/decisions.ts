/**
 * Decisions: the compiled rule set, who the reps are and how available, and the routing
 * state the engine threads through every decision — round-robin pointers, sticky
 * assignments, the chat backlog — plus the gateway's claims (who is engaging whom).
 *
 * Routing state is durable: every change is written to Routing_State__c, one record per
 * key (`rr:<ruleId>`, `assign:<visitId>`, `backlog`, `claim:<visitId>`), so a restart
 * resumes with the same pointers, claims and queue. Claims are taken synchronously on
 * the single JavaScript thread — check and set with no await between — so exactly one
 * rep wins a visitor; the write to the org follows in order.
 */
import type { CrmPort, CrmUser } from '../crm/crmPort';
import { availabilityFromPresence } from '../crm/omniPresence';
import {
    compileRuleSet,
    decide,
    emptyRoutingState,
    forgetVisitor,
    offerFromBacklog,
    pounceReadiness,
    resolveScoreWeights,
    DEFAULT_POUNCE_THRESHOLDS,
    type PounceFacts,
    type PounceReadiness,
    type PounceThresholds,
    type BacklogPass,
    type CompiledRuleSet,
    type Decision,
    type Rep,
    type RoutingGroup,
    type RoutingState,
    type StickyAssignment,
    type Viewer,
    type Visitor,
    type BacklogEntry
} from '../engine';
import type { Claim } from './cards';
import type { RepAvailability } from '../contracts/liveContract';

export type ClaimOutcome = { ok: true; claim: Claim } | { ok: false; engagedBy: Claim };

export class Decisions {
    ruleSet: CompiledRuleSet = compileRuleSet({ streams: [], rules: [] });
    groups: RoutingGroup[] = [];
    users: CrmUser[] = [];
    private usersById = new Map<string, CrmUser>();
    private availability = new Map<string, { status: Rep['status']; capacity: number }>();
    private repsCache: Rep[] | undefined;
    /** Users and availability as last read, to tell a re-read that changed nothing. */
    private peopleFingerprint = '';
    /**
     * The routing state, kept apart so that a decision costs the same with 100 or 100,000
     * live visits: the engine only reads the decided visit's own sticky assignment, so it
     * gets a state holding just that one (the engine copies `assignments` when it adds one).
     */
    private roundRobin: Record<string, string> = {};
    private readonly assignments = new Map<string, StickyAssignment>();
    private backlog: BacklogEntry[] = [];
    readonly claims = new Map<string, Claim>();
    private writes: Promise<void> = Promise.resolve();
    private backlogJson = '[]';
    private pending: { key: string; value: string | null }[] = [];
    /** Writes that failed (logged by the caller); the next write retries nothing, the state in memory stays right. */
    writeErrors = 0;

    constructor(
        private readonly crm: CrmPort,
        private readonly scoreWeightsJson?: string,
        private readonly pounceThresholds: PounceThresholds = DEFAULT_POUNCE_THRESHOLDS,
        /** Availability comes from Omni-Channel presence, not Rep_Availability__c (the picker). */
        readonly availabilityFromOmniChannel = false
    ) {}

    private streamOrder: { id: string; name: string }[] = [];

    /** Pounce readiness of a visit (its card's signal), against the active streams' order. */
    pounce = (facts: PounceFacts): PounceReadiness =>
        pounceReadiness(facts, this.streamOrder, this.pounceThresholds);

    /** Loads configuration and the durable routing state. */
    async load(): Promise<void> {
        await this.reloadConfig();
        await this.reloadPeople();
        const stored = await this.crm.routingState();
        const state = emptyRoutingState();
        const roundRobin: Record<string, string> = {};
        const assignments: Record<string, StickyAssignment> = {};
        for (const [key, value] of stored) {
            try {
                if (key.startsWith('rr:')) roundRobin[key.slice(3)] = value;
                else if (key.startsWith('assign:'))
                    assignments[key.slice(7)] = JSON.parse(value) as StickyAssignment;
                else if (key === 'backlog') {
                    state.backlog = JSON.parse(value) as BacklogEntry[];
                    this.backlogJson = value;
                } else if (key.startsWith('claim:'))
                    this.claims.set(key.slice(6), JSON.parse(value) as Claim);
            } catch {
                // A damaged entry is dropped rather than stopping the gateway.
            }
        }
        this.roundRobin = roundRobin;
        this.backlog = state.backlog;
        for (const [visitId, assignment] of Object.entries(assignments))
            this.assignments.set(visitId, assignment);
        this.repsCache = undefined;
    }

    async reloadConfig(): Promise<void> {
        const config = await this.crm.routingConfig();
        const scoreWeights = resolveScoreWeights(config.scoreWeightsJson ?? this.scoreWeightsJson);
        this.ruleSet = compileRuleSet({
            streams: config.streams,
            rules: config.rules,
            scoreWeights
        });
        this.streamOrder = this.ruleSet.streams.map(({ stream }) => ({
            id: stream.id,
            name: stream.name
        }));
        this.groups = config.groups;
    }

    /**
     * Reads users and availability again; says whether anything routing depends on changed,
     * so a periodic presence read that finds nothing new re-decides no visit.
     */
    async reloadPeople(): Promise<boolean> {
        const users = await this.crm.users();
        const picked = await this.crm.availability();
        const current = this.availabilityFromOmniChannel
            ? availabilityFromPresence(await this.crm.omniChannelPresence(), picked)
            : picked;
        const availability = new Map(
            current.map((a) => [a.userId, { status: a.status, capacity: a.capacity }])
        );
        const fingerprint = JSON.stringify([users, [...availability]]);
        if (fingerprint === this.peopleFingerprint) return false;
        this.peopleFingerprint = fingerprint;
        this.users = users;
        this.usersById = new Map(users.map((u) => [u.id, u]));
        this.availability = availability;
        this.repsCache = undefined;
        return true;
    }

    user(userId: string): CrmUser | undefined {
        return this.usersById.get(userId);
    }

    nameOf = (userId: string): string => this.usersById.get(userId)?.name ?? userId;

    /** Who may open a console: reps and admins, with the reports of each manager. */
    viewers(): Viewer[] {
        return this.users
            .filter((u) => u.isRep || u.isAdmin)
            .map((u) => {
                const reports = this.users.filter((r) => r.managerId === u.id).map((r) => r.id);
                return {
                    userId: u.id,
                    isAdmin: u.isAdmin,
                    ...(reports.length ? { isManagerOf: reports } : {})
                };
            });
    }

    /**
     * A rep's own availability for their console header. A rep with no Rep_Availability__c
     * record is offline (a new rep starts offline until they choose Available).
     */
    availabilityOf(userId: string): RepAvailability | undefined {
        if (!this.usersById.get(userId)?.isRep) return undefined;
        const rep = this.reps().find((r) => r.userId === userId);
        return {
            status: rep?.status ?? 'offline',
            capacity: rep?.maxConversations ?? this.availability.get(userId)?.capacity ?? 3,
            activeConversations: rep?.activeConversations ?? 0,
            ...(this.availabilityFromOmniChannel ? { source: 'omni-channel' as const } : {})
        };
    }

    reps(): Rep[] {
        if (!this.repsCache) {
            const active = new Map<string, number>();
            for (const claim of this.claims.values())
                active.set(claim.userId, (active.get(claim.userId) ?? 0) + 1);
            this.repsCache = [...this.availability].flatMap(([userId, a]) => {
                const user = this.usersById.get(userId);
                return user
                    ? [
                          {
                              userId,
                              name: user.name,
                              status: a.status,
                              maxConversations: a.capacity,
                              activeConversations: active.get(userId) ?? 0
                          }
                      ]
                    : [];
            });
        }
        return this.repsCache;
    }

    /** The whole routing state as the engine models it (for inspection; decisions use `stateFor`). */
    get state(): RoutingState {
        return {
            roundRobin: this.roundRobin,
            assignments: Object.fromEntries(this.assignments),
            backlog: this.backlog
        };
    }

    private stateFor(visitId: string | undefined): RoutingState {
        const own = visitId === undefined ? undefined : this.assignments.get(visitId);
        return {
            roundRobin: this.roundRobin,
            assignments: own && visitId !== undefined ? { [visitId]: own } : {},
            backlog: this.backlog
        };
    }

    decide(visitor: Visitor, now: number, explain = false): Decision {
        const visitId = visitor.identity.visitorId;
        const previous = this.stateFor(visitId);
        const decision = decide(this.ruleSet, visitor, {
            reps: this.reps(),
            groups: this.groups,
            routingState: previous,
            now,
            explain
        });
        this.commit(previous, decision.nextRoutingState, visitId);
        return decision;
    }

    /** Decides without changing state (Visitor 360's routing trace). */
    explain(visitor: Visitor, now: number): Decision {
        return decide(this.ruleSet, visitor, {
            reps: this.reps(),
            groups: this.groups,
            routingState: this.stateFor(visitor.identity.visitorId),
            now,
            explain: true
        });
    }

    /** Offers waiting chat requests to reps who freed up; expired ones go to the booker. */
    passBacklog(now: number): BacklogPass {
        const previous = this.stateFor(undefined);
        const pass = offerFromBacklog(previous, this.reps(), now);
        this.commit(previous, pass.state);
        return pass;
    }

    forget(visitId: string): void {
        const previous = this.stateFor(visitId);
        this.commit(previous, forgetVisitor(previous, visitId), visitId);
        this.release(visitId);
    }

    claimOf(visitId: string): Claim | undefined {
        return this.claims.get(visitId);
    }

    /** Atomic: the first caller wins; everyone after sees who is engaging. */
    claim(visitId: string, claim: Claim): ClaimOutcome {
        const existing = this.claims.get(visitId);
        if (existing) return { ok: false, engagedBy: existing };
        this.claims.set(visitId, claim);
        this.repsCache = undefined;
        this.queue(`claim:${visitId}`, JSON.stringify(claim));
        return { ok: true, claim };
    }

    /**
     * Another gateway's claim (or its absence), as that gateway stored it with the visit:
     * shown on cards and counted in capacity here, written to the org by its own gateway.
     */
    mirrorClaim(visitId: string, claim: Claim | undefined): void {
        if (claim) this.claims.set(visitId, claim);
        else if (!this.claims.delete(visitId)) return;
        this.repsCache = undefined;
    }

    /** The visit's sticky assignment (stored with the visit for the other gateways). */
    assignmentOf(visitId: string): StickyAssignment | undefined {
        return this.assignments.get(visitId);
    }

    /** Another gateway's sticky assignment of a visit: whichever gateway decides next keeps it. */
    mirrorAssignment(visitId: string, assignment: StickyAssignment | undefined): void {
        if (assignment) this.assignments.set(visitId, assignment);
        else this.assignments.delete(visitId);
    }

    /** The round-robin pointers as they are here (published with the visits decided). */
    get pointers(): Readonly<Record<string, string>> {
        return this.roundRobin;
    }

    /** Another gateway moved round-robin pointers: the next turn here starts from them. */
    mirrorPointers(pointers: Readonly<Record<string, string>>): void {
        this.roundRobin = { ...this.roundRobin, ...pointers };
    }

    release(visitId: string): void {
        if (!this.claims.delete(visitId)) return;
        this.repsCache = undefined;
        this.queue(`claim:${visitId}`, null);
    }

    /** Resolves when every state change so far is in the org. */
    persisted(): Promise<void> {
        this.drain();
        return this.writes;
    }

    private commit(previous: RoutingState, next: RoutingState, visitId?: string): void {
        if (next === previous) return;
        this.roundRobin = next.roundRobin;
        this.backlog = next.backlog;
        if (next.roundRobin !== previous.roundRobin) {
            for (const [ruleId, userId] of Object.entries(next.roundRobin)) {
                if (previous.roundRobin[ruleId] !== userId) this.queue(`rr:${ruleId}`, userId);
            }
        }
        if (next.assignments !== previous.assignments && visitId !== undefined) {
            const own = (s: RoutingState) =>
                Object.prototype.hasOwnProperty.call(s.assignments, visitId)
                    ? s.assignments[visitId]
                    : undefined;
            const before = own(previous);
            const after = own(next);
            // The engine may hand back an equal copy: only a different rep or rule is a change.
            if (after) this.assignments.set(visitId, after);
            else this.assignments.delete(visitId);
            if (before?.userId !== after?.userId || before?.ruleId !== after?.ruleId)
                this.queue(`assign:${visitId}`, after ? JSON.stringify(after) : null);
        }
        if (next.backlog !== previous.backlog) {
            const json = JSON.stringify(next.backlog);
            if (json !== this.backlogJson) {
                this.backlogJson = json;
                this.queue('backlog', json);
            }
        }
    }

    private queue(key: string, value: string | null): void {
        this.pending.push({ key, value });
        if (this.pending.length === 1) queueMicrotask(() => this.drain());
    }

    private drain(): void {
        if (this.pending.length === 0) return;
        // Last write per key wins; order between keys does not matter.
        const batch = [...new Map(this.pending.map((e) => [e.key, e])).values()];
        this.pending = [];
        this.writes = this.writes.then(() =>
            this.crm.putRoutingState(batch).catch(() => {
                this.writeErrors++;
            })
        );
    }
}
