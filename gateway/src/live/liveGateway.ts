/**
 * The live gateway: the pipeline from a validated beacon to a decision, a card and a
 * published update (decide → card → publish), and the reload of configuration the CRM
 * reports. The stages live beside it: the visits (store, sweep, persistence), recognition
 * (enrichment and CRM matches), the chat desk (state machine, deadlines, booker) and the
 * rep desk (queries and commands). It talks to the CRM only through the port.
 */
import { UserFacingError } from '../actions/userFacingError';
import type { VisitorCard } from '../contracts/liveContract';
import type { CollectRequestData, CollectResponse } from '../contracts/visitorProtocol';
import { Conversations } from '../conversations/conversations';
import type { GatewaySettings } from '../crm/customMetadata';
import type { CrmPort } from '../crm/crmPort';
import type { CompanyProvider } from '../enrich/companyProvider';
import { Enricher } from '../enrich/enricher';
import type { Decision, Visitor } from '../engine';
import { VisitorSockets } from '../visitor/visitorSockets';
import { buildCard, type Claim } from './cards';
import { ChatDesk } from './chatDesk';
import type { Clock, TimerHandle } from './clock';
import { Decisions } from './decisions';
import { BudgetGovernor, type GovernorReport, type OrgEventLimits } from './budgetGovernor';
import type { EventChannels } from './eventChannels';
import { fixedWindow, LivePublisher, type PublishTransport } from './publisher';
import type { ConsoleSockets } from './socket/consoleSockets';
import { Recognition } from './recognition';
import { ACCESS_OBJECTS, RecordAccess } from './recordAccess';
import { RepDesk } from './repDesk';
import { slimDecision } from './compact';
import { applyBatch, newSession, toVisitor, type LiveSession } from './session';
import { LiveVisits, type LiveVisit, type VisitPipeline } from './visits';
import { MemoryState } from '../state/memoryState';
import type { SharedState } from '../state/sharedState';
import { SharedVisits, type Announced, type StoredVisit } from '../state/sharedVisits';

const CONFIG_OBJECTS = new Set([
    'Live_Stream__c',
    'Routing_Rule__c',
    'Routing_Group__c',
    'Routing_Group_Member__c'
]);
const PEOPLE_OBJECTS = new Set([
    'Rep_Availability__c',
    'UserServicePresence',
    'User',
    'PermissionSetAssignment',
    'PermissionSet',
    'SetupEntityAccess',
    'PermissionSetGroupComponent'
]);
const SWEEP_EVERY_MS = 1_000;
/**
 * Omni-Channel presence is re-read this often where it is the source of availability:
 * UserServicePresence is not among the objects Change Data Capture supports, so no change
 * event tells of a rep going Away (one query per interval: 5,760 API requests a day).
 */
export const PRESENCE_POLL_MS = 15_000;
const RECOGNISED = Promise.resolve();

export interface LiveGatewayOptions {
    crm: CrmPort;
    clock: Clock;
    settings: GatewaySettings;
    companyProvider: CompanyProvider;
    transport: PublishTransport;
    /** Users' open console sockets: preferred to `transport` (no event delivery spent). */
    consoleSockets?: ConsoleSockets;
    batchWindowMs?: number;
    /** Reads the org's event allocations (`/limits`) for the budget governor. */
    readLimits?: () => Promise<OrgEventLimits>;
    /** Per-audience filtered channels; absent, every console is on the raw event channel. */
    channels?: EventChannels;
    /** Errors in background work (a failed write): logged, never thrown into a request. */
    onError?: (error: unknown) => void;
    /**
     * State shared with other gateways (Redis): claims, and the live visits themselves.
     * Absent, the gateway runs alone: claims in memory, visits in memory only.
     */
    shared?: SharedState;
}

export class LiveGateway implements VisitPipeline {
    readonly decisions: Decisions;
    readonly publisher: LivePublisher;
    /** Each rep's own access to the CRM records on cards: every card leaves through it. */
    readonly access: RecordAccess;
    readonly governor: BudgetGovernor;
    readonly enricher: Enricher;
    readonly conversations: Conversations;
    readonly visitorSockets = new VisitorSockets();
    readonly visits: LiveVisits;
    readonly recognition: Recognition;
    readonly chat: ChatDesk;
    readonly rep: RepDesk;
    /** Claims (and, with other gateways, more): in memory when the gateway runs alone. */
    readonly state: SharedState;
    /** With other gateways: the live visits they share. */
    readonly sharedVisits: SharedVisits | undefined;
    /** Visits a beacon changed since the publisher's last window: decided once, when it flushes. */
    private readonly changed = new Set<LiveVisit>();
    readonly clock: Clock;
    private readonly onError: (error: unknown) => void;
    private sweepTimer: TimerHandle | undefined;
    private presenceReadAt: number;
    private reload: Promise<void> = Promise.resolve();
    private reloadWanted = { config: false, people: false, streams: false };
    private unsubscribe: () => void = () => {};
    /** Requests under way: a count, not a set of their promises (this runs per beacon). */
    private working = 0;
    /** close() waits on this while requests are under way. */
    private idle: { done: Promise<void>; resolve: () => void } | undefined;
    private readonly finishedOne = (): void => {
        if (--this.working > 0 || !this.idle) return;
        this.idle.resolve();
        this.idle = undefined;
    };
    /** Visits whose beacons were answered before their recognition finished. */
    private readonly recognising = new Set<Promise<void>>();
    private closing = false;
    private readonly channels: EventChannels | undefined;
    private channelSync: Promise<void> = Promise.resolve();
    /** The audiences the channels were last reconciled for. */
    private channelAudiences: string | undefined;
    /** When the org's streams, rules and groups were last applied (Health). */
    routingAppliedAt: number | undefined;

    private constructor(options: LiveGatewayOptions) {
        const { crm, clock, settings } = options;
        this.clock = clock;
        this.state = options.shared ?? new MemoryState(() => clock.now());
        this.presenceReadAt = clock.now();
        this.onError = options.onError ?? (() => {});
        this.decisions = new Decisions(
            crm,
            settings.scoreWeightsJson,
            settings.pounce,
            settings.availabilityFromOmniChannel
        );
        const batchWindowMs = options.batchWindowMs ?? 250;
        this.channels = options.channels;
        // A console on its direct socket is subscribed to no channel.
        const onSocket = (userId: string) => (options.consoleSockets?.count(userId) ?? 0) > 0;
        this.governor = new BudgetGovernor(clock, {
            sharePercent: settings.deliveryBudgetShare,
            minWindowMs: batchWindowMs,
            subscribers: () => this.publisher.activeConsoles(onSocket),
            // A notification reaches the consoles on the raw channel and those on the
            // audience's own (filtered) channel.
            deliveriesFor: (audience) => {
                const channels = this.channels;
                if (!channels) return this.publisher.activeConsoles(onSocket);
                const raw = channels.rawTopic;
                const own = channels.topicOf(audience);
                return this.publisher.activeConsoles((userId) => {
                    if (onSocket(userId)) return true;
                    const topic = channels.topicOf(userId);
                    return topic !== raw && topic !== own;
                });
            },
            ...(options.readLimits ? { readLimits: options.readLimits } : {}),
            onError: this.onError
        });
        const events = this.governor.metered(options.transport);
        this.access = new RecordAccess(
            crm,
            clock,
            (userId, recordIds) => this.publisher.recordAccessChanged(userId, recordIds),
            this.onError
        );
        this.publisher = new LivePublisher(
            options.consoleSockets?.preferring(
                events,
                (userId, epoch, since) => this.publisher.changes(userId, epoch, since),
                () => fixedWindow(batchWindowMs).freshness()
            ) ?? events,
            clock,
            this.governor,
            (id) => this.cardOf(id),
            () => this.decideChanged(),
            (userId, card) => this.access.view(userId, card)
        );
        this.enricher = new Enricher(crm, options.companyProvider, clock);
        this.conversations = new Conversations(
            crm,
            (id) => this.decisions.nameOf(id),
            this.onError
        );
        this.visits = new LiveVisits(crm, clock, settings, this.onError);
        this.sharedVisits = options.shared
            ? new SharedVisits(
                  options.shared,
                  {
                      announced: (announced, copy, writer) =>
                          this.announced(announced, copy, writer),
                      pointers: (pointers) => this.decisions.mirrorPointers(pointers),
                      ended: (visitId) => this.endedElsewhere(visitId),
                      chat: (userId, change) => this.publisher.chatHere(userId, change),
                      toVisitor: (visitId, message) =>
                          this.visitorSockets.sendHere(visitId, message),
                      resync: () => void this.adoptAll().catch(this.onError),
                      takeOver: (visitIds) => this.takeOver(visitIds),
                      mirrors: () => this.mirrors(),
                      claimOf: (visitId) => this.decisions.claimOf(visitId),
                      assignmentOf: (visitId) => this.decisions.assignmentOf(visitId),
                      placement: (visitId) => this.publisher.placement(visitId),
                      ownPointers: () => ({ ...this.decisions.pointers })
                  },
                  // A stored visit outlives its end by a minute: a late beacon still finds it.
                  settings.endAfterMs + 60_000,
                  this.onError
              )
            : undefined;
        if (this.sharedVisits) {
            const link = this.sharedVisits;
            this.publisher.relayChat = (userId, change) => link.relayChat(userId, change);
            this.visitorSockets.relay = (visitId, message) => link.relayToVisitor(visitId, message);
            this.visits.elsewhere = {
                visit: (visitId) => this.readCopy(visitId),
                visitOfConversation: (conversationId) => {
                    const visitId = link.visitOfConversation(conversationId);
                    return visitId ? this.visits.get(visitId) : undefined;
                }
            };
        }
        this.recognition = new Recognition(
            crm,
            this.enricher,
            this.decisions,
            clock,
            settings,
            this.onError
        );
        const desk = {
            visits: this.visits,
            pipeline: this as VisitPipeline,
            decisions: this.decisions,
            state: this.state,
            conversations: this.conversations,
            publisher: this.publisher,
            clock
        };
        this.chat = new ChatDesk({
            ...desk,
            visitorSockets: this.visitorSockets,
            onError: this.onError
        });
        this.rep = new RepDesk({
            ...desk,
            crm,
            chat: this.chat,
            recognition: this.recognition,
            channelOf: (userId) => this.channelOf(userId),
            settled: () => this.settled()
        });
    }

    static async start(options: LiveGatewayOptions): Promise<LiveGateway> {
        const live = new LiveGateway(options);
        await live.decisions.load();
        live.routingAppliedAt = options.clock.now();
        // The org's copy of the claims fills a shared state that lost them (a new Redis);
        // a claim the shared state holds stays as it is.
        for (const [visitId, claim] of live.decisions.claims)
            await live.state.claim(visitId, claim, `org:${visitId}`);
        // Other gateways' live visits, with their chats, are read as they are (a gateway that
        // restarted takes its former visits over once its former mark lapses).
        const waiting = new Set<string>();
        if (live.sharedVisits) {
            await live.sharedVisits.start();
            for (const visit of await live.adoptAll())
                if (visit.session.chat.state === 'requested')
                    waiting.add(visit.session.chat.conversationId);
        }
        // A countdown does not survive a restart: requests left waiting were missed.
        for (const conversation of await options.crm.openConversations()) {
            if (conversation.status === 'Requested' && !waiting.has(conversation.id))
                await options.crm.updateConversation(conversation.id, { status: 'Missed' });
        }
        live.publisher.setViewers(live.decisions.viewers());
        // The first snapshots already name each console's own channel.
        await live.syncChannels();
        await live.governor.start();
        live.unsubscribe = options.crm.onChange((object) => live.crmChanged(object));
        live.sweepTimer = options.clock.setInterval(() => live.sweep(), SWEEP_EVERY_MS);
        return live;
    }

    get liveVisits(): number {
        return this.visits.size;
    }

    /** The most recently seen live visits as engine `Visitor` models (the setup pages' dry run). */
    recentVisitors(limit: number): Visitor[] {
        return this.visits.recent(limit);
    }

    /** The event channel a user's console subscribes to, when the gateway keeps channels. */
    channelOf(userId: string): string | undefined {
        return this.channels?.topicOf(userId);
    }

    /** Reconciles the org's channels with the audiences, when they changed (not on every availability change). */
    private syncChannels(): Promise<void> {
        if (!this.channels) return Promise.resolve();
        const audiences = this.decisions.viewers().map((viewer) => viewer.userId);
        const key = [...audiences].sort().join(',');
        // The same audiences: nothing to do, unless the last attempt met an error.
        if (key === this.channelAudiences && !this.channels.incomplete) return this.channelSync;
        this.channelAudiences = key;
        this.channelSync = this.channels.sync(audiences);
        return this.channelSync;
    }

    /** Event deliveries in the rolling 24 h against the budget, and the governor's window (the Health tab). */
    deliveryUsage(): GovernorReport {
        return this.governor.report();
    }

    session(visitId: string): LiveSession | undefined {
        return this.visits.get(visitId)?.session;
    }

    /** The visit's current decision (a change still waiting for the window is decided now). */
    decision(visitId: string): Decision | undefined {
        const visit = this.visits.get(visitId);
        return visit ? this.current(visit) : undefined;
    }

    current(visit: LiveVisit): Decision | undefined {
        return this.changed.has(visit) ? this.refresh(visit) : visit.decision;
    }

    private cardOf(visitId: string): VisitorCard | undefined {
        const visit = this.visits.get(visitId);
        return visit?.decision
            ? buildCard(
                  visit.session,
                  visit.decision,
                  this.decisions.claimOf(visitId),
                  this.decisions
              )
            : undefined;
    }

    // ── Ingest ────────────────────────────────────────────────────────────────

    /**
     * Runs request work so that close() waits for it: a request answered with success has
     * reached the org before the gateway lets the org close. After close() starts, new
     * work is refused with 503 (the tracker retries).
     */
    track<T>(work: () => Promise<T>): Promise<T> {
        if (this.closing)
            return Promise.reject(
                new UserFacingError('The gateway is restarting: try again shortly.', 503)
            );
        const running = work();
        this.working++;
        void running.then(this.finishedOne, this.finishedOne);
        return running;
    }

    collect(request: CollectRequestData, ip: string): Promise<CollectResponse> {
        return this.track(() => this.collectNow(request, ip));
    }

    private async collectNow(request: CollectRequestData, ip: string): Promise<CollectResponse> {
        const now = this.clock.now();
        let visit = this.visits.held(request.sessionId);
        let takenOver = false;
        if (this.sharedVisits && (!visit || visit.mirrorOf)) {
            // Another gateway owned the visit (its beacons landed there, or it died): the
            // latest copy is read, and this gateway owns the visit from now on.
            const stored = await this.sharedVisits.load(request.sessionId);
            if (stored) visit = this.adopt(stored, undefined);
            else if (visit) delete visit.mirrorOf;
            takenOver = visit !== undefined;
        }
        if (visit && visit.session.visitorKey !== request.visitorId) {
            // A visit id is bound to its visitor: another visitor cannot write into it.
            throw new UserFacingError('This session belongs to another visitor.', 409);
        }
        const isNew = !visit;
        if (!visit) {
            visit = { session: newSession(request, ip, now), ready: RECOGNISED };
            this.recognise(visit);
            this.visits.add(visit);
        } else if (visit.recognitionFailed) this.recognise(visit);
        const applied = applyBatch(visit.session, request, now);
        // Alone, a gateway answers a new visit's beacon before the org does. With other
        // gateways the visit must be stored whole first: its next beacon may land elsewhere.
        const answerEarly = !this.sharedVisits && !applied.identified && !applied.chatRequest;
        if (visit.ready !== RECOGNISED && answerEarly) {
            this.recogniseBehind(visit);
            return { accepted: request.events.length, chat: this.chat.visitorChat(visit.session) };
        }
        try {
            await visit.ready;
        } catch (error) {
            // Not recognised (the org failed): the tracker retries this beacon, and the visit
            // keeps the pages of the beacons answered before.
            visit.recognitionFailed = true;
            throw error;
        }
        if (applied.identified) await this.identify(visit, applied.identified);
        if (applied.chatRequest) await this.chat.request(visit, applied.chatRequest.message);
        else if (applied.changed || !visit.decision) {
            // With other gateways the visit is stored before the beacon is answered: decided
            // now, it is stored once with its decision, not again at the window's end.
            if (this.sharedVisits) this.refresh(visit);
            else this.changedSoon(visit);
        } else this.visits.maybePersist(visit, now);
        if (this.sharedVisits) {
            // What a card shows, or a new owner, is stored before the beacon is answered; a
            // heartbeat's lastSeen only now and then.
            const worthStoring =
                isNew ||
                takenOver ||
                applied.changed ||
                applied.identified !== undefined ||
                applied.chatRequest !== undefined;
            if (worthStoring) await this.stored(visit);
            else this.sharedVisits.seen(visit);
        }
        return { accepted: request.events.length, chat: this.chat.visitorChat(visit.session) };
    }

    /** Asks the org about the visit (returning visitor, company, CRM matches). */
    private recognise(visit: LiveVisit): void {
        visit.recognitionFailed = false;
        // Once recognised, the visit holds a shared settled promise, not its own.
        const attempt: Promise<void> = this.recognition.recognise(visit.session).then(() => {
            if (visit.ready === attempt) visit.ready = RECOGNISED;
        });
        visit.ready = attempt;
    }

    /**
     * A beacon of a visit not yet recognised is answered before any org round trip: the
     * org's reads for many new visits are gathered over a window into one request, which a
     * beacon waiting on them would hold back. The visit is decided once recognised; a visit
     * that could not be (the org failed) keeps its pages and is asked about again at its
     * next beacon.
     */
    private recogniseBehind(visit: LiveVisit): void {
        const recognised = visit.ready.then(
            () => {
                if (this.visits.isLive(visit)) this.changedSoon(visit);
            },
            (error: unknown) => {
                visit.recognitionFailed = true;
                this.onError(error);
            }
        );
        this.recognising.add(recognised);
        void recognised.then(() => this.recognising.delete(recognised));
    }

    /**
     * With other gateways, a beacon is answered once the visit's new copy is stored: the next
     * beacon may land on another gateway. Not stored, the tracker sends it again.
     */
    private async stored(visit: LiveVisit): Promise<void> {
        this.share(visit);
        try {
            await this.sharedVisits?.flushed();
        } catch {
            throw new UserFacingError(
                'The gateway could not store the visit: try again shortly.',
                503
            );
        }
    }

    // ── Shared with other gateways ────────────────────────────────────────────

    /**
     * A stored copy of a visit taken in as it is (not decided again here, so routing state
     * moves once): owned here (`mirrorOf` undefined) or held as another gateway's. `publish`
     * places its card in this gateway's publisher (not when a console's fetch reads it).
     */
    private adopt(stored: StoredVisit, mirrorOf: string | undefined, publish = true): LiveVisit {
        const id = stored.session.sessionId;
        let visit = this.visits.held(id);
        if (visit) {
            // In place: a desk may hold the session while it awaits the org.
            const session = visit.session as unknown as Record<string, unknown>;
            for (const key of Object.keys(session))
                if (!(key in stored.session)) delete session[key];
            Object.assign(session, stored.session);
        } else {
            visit = { session: stored.session, ready: RECOGNISED };
            this.visits.add(visit);
        }
        if (mirrorOf) visit.mirrorOf = mirrorOf;
        else delete visit.mirrorOf;
        this.sharedVisits?.dropCopy(id);
        this.decisions.mirrorClaim(id, stored.claim);
        this.decisions.mirrorAssignment(id, stored.assignment);
        this.changed.delete(visit);
        if (stored.decision) {
            visit.decision = slimDecision(stored.decision);
            if (publish)
                this.publisher.update(
                    buildCard(visit.session, visit.decision, stored.claim, this.decisions),
                    visit.decision
                );
        }
        return visit;
    }

    /**
     * Another gateway wrote a visit. Held here as its owner (or timing its chat request), the
     * visit takes the copy in place and becomes a mirror; held only to be read, it is let go
     * and read again from the copy when next needed. Either way its card is placed at once.
     */
    private announced(
        announced: Announced,
        copy: () => StoredVisit | undefined,
        writer: string
    ): boolean {
        const held = this.visits.held(announced.id);
        if (held && (!held.mirrorOf || held.deadlineTimer)) {
            const stored = copy();
            if (stored) {
                this.adopt(stored, writer);
                return true;
            }
        }
        if (held) this.visits.drop(held);
        this.decisions.mirrorClaim(announced.id, announced.claim);
        const card = announced.card;
        if (card) this.publisher.place(announced.id, card.hash, card.decision, card.asking);
        return false;
    }

    /** Another gateway's visit from its copy, held here to be read (a card, a rep's action). */
    private readCopy(visitId: string): LiveVisit | undefined {
        const stored = this.sharedVisits?.copy(visitId);
        return stored ? this.adopt(stored, stored.writer ?? 'unknown', false) : undefined;
    }

    /** Visits held here as another gateway's, with that gateway (the liveness check). */
    private *mirrors(): Iterable<[string, string]> {
        for (const visit of this.visits.values())
            if (visit.mirrorOf) yield [visit.session.sessionId, visit.mirrorOf];
    }

    /** The gateway that owned these visits died: this one ages, ends and stores them now. */
    private takeOver(visitIds: string[]): void {
        for (const id of visitIds) {
            const visit = this.visits.held(id) ?? this.readCopy(id);
            if (visit) this.share(visit);
        }
    }

    /**
     * The visit changed here: this gateway owns it now, and its copy is stored and announced
     * at the end of the turn. A visit let go meanwhile (a newer copy came in while a desk
     * awaited the org) is held again, its change the latest; one that ended is not stored.
     */
    private share(visit: LiveVisit): void {
        const link = this.sharedVisits;
        if (!link) return;
        const id = visit.session.sessionId;
        if (!this.visits.isLive(visit)) {
            if (!link.hasCopy(id)) return;
            link.dropCopy(id);
            this.visits.add(visit);
        }
        delete visit.mirrorOf;
        link.touched(visit);
    }

    shared(): Promise<void> {
        return this.sharedVisits?.flushed() ?? Promise.resolve();
    }

    /** Every visit in the shared state (starting up, or after the bus may have missed messages). */
    private async adoptAll(): Promise<LiveVisit[]> {
        const link = this.sharedVisits;
        if (!link) return [];
        const stored = await link.loadAll();
        return stored.map((visit) =>
            this.adopt(
                visit,
                visit.writer === link.gatewayId ? undefined : (visit.writer ?? 'unknown')
            )
        );
    }

    /** Another gateway ended the visit (and wrote its end to the org). */
    private endedElsewhere(visitId: string): void {
        const visit = this.visits.get(visitId);
        if (!visit) return;
        this.visits.drop(visit);
        visit.deadlineTimer?.cancel();
        this.changed.delete(visit);
        this.decisions.mirrorClaim(visitId, undefined);
        this.decisions.forget(visitId);
        this.publisher.remove(visitId);
    }

    private async identify(
        visit: LiveVisit,
        identified: { email: string; company?: string }
    ): Promise<void> {
        try {
            await this.recognition.identify(visit.session, identified);
            await this.visits.persist(visit);
        } catch (error) {
            this.onError(error);
        }
        this.changedSoon(visit);
    }

    // ── Decide → card → publish ───────────────────────────────────────────────

    /**
     * A beacon changed the visit: it is decided at the end of the publisher's batch window,
     * once however many beacons came in the meantime (chat requests and rep actions decide
     * at once with `refresh`).
     */
    private changedSoon(visit: LiveVisit): void {
        this.changed.add(visit);
        this.publisher.schedule();
    }

    private decideChanged(): void {
        const batch = [...this.changed];
        this.changed.clear();
        for (const visit of batch) if (this.visits.isLive(visit)) this.refresh(visit);
    }

    /** Decide again and publish the card to whoever may see it. */
    decide(visit: LiveVisit): Decision {
        const now = this.clock.now();
        const decision = slimDecision(this.decisions.decide(toVisitor(visit.session, now), now));
        visit.decision = decision;
        return decision;
    }

    refresh(visit: LiveVisit): Decision {
        this.changed.delete(visit);
        const now = this.clock.now();
        const decision = this.decide(visit);
        const card = buildCard(
            visit.session,
            decision,
            this.decisions.claimOf(visit.session.sessionId),
            this.decisions
        );
        this.publisher.update(card, decision);
        this.visits.maybePersist(visit, now);
        this.share(visit);
        return decision;
    }

    /** Ages the visits (idle ones are decided again, ended ones leave every console). */
    sweep(): void {
        const { idled, ended } = this.visits.sweep();
        for (const visit of idled) this.changedSoon(visit);
        for (const visit of ended) {
            const s = visit.session;
            this.changed.delete(visit);
            const claim = this.decisions.claimOf(s.sessionId);
            this.decisions.forget(s.sessionId);
            this.publisher.remove(s.sessionId);
            if (this.sharedVisits) this.endShared(visit, claim);
            else this.endInOrg(visit, claim);
        }
        this.passBacklog();
        this.pollPresence();
    }

    /** The visit's end in the org (its conversation, its Last_Seen__c), and its claim let go. */
    private endInOrg(visit: LiveVisit, claim: Claim | undefined): void {
        this.chat.visitEnded(visit, claim);
        this.visits.saveLastSeen(visit.session);
        if (claim) this.state.release(visit.session.sessionId).catch(this.onError);
    }

    /** Every gateway sweeps every visit: the first to end it writes the end, once. */
    private endShared(visit: LiveVisit, claim: Claim | undefined): void {
        const link = this.sharedVisits!;
        const id = visit.session.sessionId;
        link.firstToEnd(id)
            .then(async (first) => {
                if (!first) return;
                this.endInOrg(visit, claim);
                await link.ended([id]);
            })
            .catch(this.onError);
    }

    private pollPresence(): void {
        if (!this.decisions.availabilityFromOmniChannel) return;
        if (this.clock.now() - this.presenceReadAt < PRESENCE_POLL_MS) return;
        this.presenceReadAt = this.clock.now();
        this.crmChanged('UserServicePresence');
    }

    passBacklog(): void {
        const pass = this.decisions.passBacklog(this.clock.now());
        for (const id of [
            ...pass.offers.map((o) => o.visitorId),
            ...pass.expired.map((e) => e.visitorId)
        ]) {
            const visit = this.visits.get(id);
            if (visit) this.refresh(visit);
        }
    }

    // ── Configuration changes ─────────────────────────────────────────────────

    private crmChanged(object: string): void {
        if (ACCESS_OBJECTS.has(object)) this.access.expireAll();
        const config = CONFIG_OBJECTS.has(object);
        const people = PEOPLE_OBJECTS.has(object);
        if (!config && !people) return;
        const idle = !this.reloadWanted.config && !this.reloadWanted.people;
        this.reloadWanted.config ||= config;
        this.reloadWanted.people ||= people;
        this.reloadWanted.streams ||= object === 'Live_Stream__c';
        if (idle)
            this.reload = this.reload
                .then(() => new Promise<void>((resolve) => queueMicrotask(resolve)))
                .then(() => this.applyReload());
    }

    private async applyReload(): Promise<void> {
        const wanted = this.reloadWanted;
        this.reloadWanted = { config: false, people: false, streams: false };
        try {
            if (wanted.config) {
                await this.decisions.reloadConfig();
                this.routingAppliedAt = this.clock.now();
                this.rep.streamsChanged();
            }
            const peopleChanged = wanted.people && (await this.decisions.reloadPeople());
            if (peopleChanged) {
                this.publisher.setViewers(this.decisions.viewers());
                // New reps get a channel; those who lost Sightline access lose theirs.
                void this.syncChannels();
            }
            if (wanted.streams) this.publisher.streamsChanged();
            // A presence poll that found nothing new re-decides no visit.
            if (!wanted.config && !peopleChanged) return;
            // Each gateway decides its own visits again (every one hears the change).
            for (const visit of this.visits.values())
                if (visit.decision && !visit.mirrorOf) this.refresh(visit);
            this.passBacklog();
        } catch (error) {
            this.onError(error);
        }
    }

    /** Resolves once recognitions under way, configuration reloads and routing-state writes so far are done. */
    async settled(): Promise<void> {
        while (this.recognising.size > 0) await Promise.all([...this.recognising]);
        await this.reload;
        await this.decisions.persisted();
    }

    async close(): Promise<void> {
        this.closing = true;
        while (this.working > 0) {
            if (!this.idle) {
                let resolve = () => {};
                const done = new Promise<void>((settle) => (resolve = settle));
                this.idle = { done, resolve };
            }
            await this.idle.done;
        }
        while (this.recognising.size > 0) await Promise.all([...this.recognising]);
        this.sweepTimer?.cancel();
        this.unsubscribe();
        await this.channelSync;
        this.sharedVisits?.stop();
        this.visits.cancelTimers();
        this.decideChanged();
        await this.settled();
        await this.visits.flushLastSeen();
        await this.visits.saveAll();
        // The others take this gateway's visits over now, not when its mark lapses.
        await this.sharedVisits?.leave();
        this.publisher.close();
        this.governor.stop();
    }
}
