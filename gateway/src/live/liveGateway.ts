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
import { buildCard } from './cards';
import { ChatDesk } from './chatDesk';
import type { Clock, TimerHandle } from './clock';
import { Decisions } from './decisions';
import { BudgetGovernor, type GovernorReport, type OrgEventLimits } from './budgetGovernor';
import { fixedWindow, LivePublisher, type PublishTransport } from './publisher';
import type { ConsoleSockets } from './socket/consoleSockets';
import { Recognition } from './recognition';
import { RepDesk } from './repDesk';
import { slimDecision } from './compact';
import { applyBatch, newSession, toVisitor, type LiveSession } from './session';
import { LiveVisits, type LiveVisit, type VisitPipeline } from './visits';

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
    /** Errors in background work (a failed write): logged, never thrown into a request. */
    onError?: (error: unknown) => void;
}

export class LiveGateway implements VisitPipeline {
    readonly decisions: Decisions;
    readonly publisher: LivePublisher;
    readonly governor: BudgetGovernor;
    readonly enricher: Enricher;
    readonly conversations: Conversations;
    readonly visitorSockets = new VisitorSockets();
    readonly visits: LiveVisits;
    readonly recognition: Recognition;
    readonly chat: ChatDesk;
    readonly rep: RepDesk;
    /** Visits a beacon changed since the publisher's last window: decided once, when it flushes. */
    private readonly changed = new Set<LiveVisit>();
    readonly clock: Clock;
    private readonly onError: (error: unknown) => void;
    private sweepTimer: TimerHandle | undefined;
    private presenceReadAt: number;
    private reload: Promise<void> = Promise.resolve();
    private reloadWanted = { config: false, people: false, streams: false };
    private unsubscribe: () => void = () => {};
    private readonly inflight = new Set<Promise<unknown>>();
    private closing = false;
    /** When the org's streams, rules and groups were last applied (Health). */
    routingAppliedAt: number | undefined;

    private constructor(options: LiveGatewayOptions) {
        const { crm, clock, settings } = options;
        this.clock = clock;
        this.presenceReadAt = clock.now();
        this.onError = options.onError ?? (() => {});
        this.decisions = new Decisions(
            crm,
            settings.scoreWeightsJson,
            settings.pounce,
            settings.availabilityFromOmniChannel
        );
        const batchWindowMs = options.batchWindowMs ?? 250;
        this.governor = new BudgetGovernor(clock, {
            sharePercent: settings.deliveryBudgetShare,
            minWindowMs: batchWindowMs,
            // Every console subscribed to the channel receives every notification; a console
            // on its direct socket is not subscribed.
            subscribers: () =>
                this.publisher.activeConsoles(
                    (userId) => (options.consoleSockets?.count(userId) ?? 0) > 0
                ),
            ...(options.readLimits ? { readLimits: options.readLimits } : {}),
            onError: this.onError
        });
        const events = this.governor.metered(options.transport);
        this.publisher = new LivePublisher(
            options.consoleSockets?.preferring(
                events,
                (userId, epoch, since) => this.publisher.changes(userId, epoch, since),
                () => fixedWindow(batchWindowMs).freshness()
            ) ?? events,
            clock,
            this.governor,
            (id) => this.cardOf(id),
            () => this.decideChanged()
        );
        this.enricher = new Enricher(crm, options.companyProvider, clock);
        this.conversations = new Conversations(
            crm,
            (id) => this.decisions.nameOf(id),
            this.onError
        );
        this.visits = new LiveVisits(crm, clock, settings, this.onError);
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
            settled: () => this.settled()
        });
    }

    static async start(options: LiveGatewayOptions): Promise<LiveGateway> {
        const live = new LiveGateway(options);
        await live.decisions.load();
        live.routingAppliedAt = options.clock.now();
        // A countdown does not survive a restart: requests left waiting were missed.
        for (const conversation of await options.crm.openConversations()) {
            if (conversation.status === 'Requested')
                await options.crm.updateConversation(conversation.id, { status: 'Missed' });
        }
        live.publisher.setViewers(live.decisions.viewers());
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
        const settled = running.then(
            () => undefined,
            () => undefined
        );
        this.inflight.add(settled);
        void settled.then(() => this.inflight.delete(settled));
        return running;
    }

    collect(request: CollectRequestData, ip: string): Promise<CollectResponse> {
        return this.track(() => this.collectNow(request, ip));
    }

    private async collectNow(request: CollectRequestData, ip: string): Promise<CollectResponse> {
        const now = this.clock.now();
        let visit = this.visits.get(request.sessionId);
        if (visit && visit.session.visitorKey !== request.visitorId) {
            // A visit id is bound to its visitor: another visitor cannot write into it.
            throw new UserFacingError('This session belongs to another visitor.', 409);
        }
        if (!visit) {
            const session = newSession(request, ip, now);
            const created: LiveVisit = { session, ready: this.recognition.recognise(session) };
            // Once recognised, the visit holds a shared settled promise, not its own.
            created.ready = created.ready.then(() => {
                created.ready = RECOGNISED;
            });
            visit = created;
            this.visits.add(visit);
        }
        const applied = applyBatch(visit.session, request, now);
        try {
            await visit.ready;
        } catch (error) {
            // Not recognised (the CRM failed): forget the visit so the retry starts afresh.
            this.visits.drop(visit);
            throw error;
        }
        if (applied.identified) await this.identify(visit, applied.identified);
        if (applied.chatRequest) await this.chat.request(visit, applied.chatRequest.message);
        else if (applied.changed || !visit.decision) this.changedSoon(visit);
        else this.visits.maybePersist(visit, now);
        return { accepted: request.events.length, chat: this.chat.visitorChat(visit.session) };
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
            this.chat.visitEnded(visit, claim);
            this.visits.saveLastSeen(s);
        }
        this.passBacklog();
        this.pollPresence();
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
            if (peopleChanged) this.publisher.setViewers(this.decisions.viewers());
            if (wanted.streams) this.publisher.streamsChanged();
            // A presence poll that found nothing new re-decides no visit.
            if (!wanted.config && !peopleChanged) return;
            for (const visit of this.visits.values()) if (visit.decision) this.refresh(visit);
            this.passBacklog();
        } catch (error) {
            this.onError(error);
        }
    }

    /** Resolves once configuration reloads and routing-state writes so far are done. */
    async settled(): Promise<void> {
        await this.reload;
        await this.decisions.persisted();
    }

    async close(): Promise<void> {
        this.closing = true;
        while (this.inflight.size > 0) await Promise.all([...this.inflight]);
        this.sweepTimer?.cancel();
        this.unsubscribe();
        this.visits.cancelTimers();
        this.decideChanged();
        await this.settled();
        await this.visits.flushLastSeen();
        await this.visits.saveAll();
        this.publisher.close();
        this.governor.stop();
    }
}
