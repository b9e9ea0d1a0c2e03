/**
 * The live gateway: from a validated beacon to a decision and a published update, and
 * the rep and visitor actions around a chat. It owns the live sessions (memory), runs
 * the timers (active → idle → ended, chat deadlines, the backlog) on an injected clock,
 * and talks to the CRM only through the port.
 */
import type { ActingUser } from '../actions/actionRegistry';
import { UserFacingError } from '../actions/userFacingError';
import type {
    ChatMessage,
    ClaimResult,
    ConsoleSnapshot,
    StreamSummary,
    VisitorCard,
    VisitorDetail
} from '../contracts/liveContract';
import type {
    CollectRequestData,
    CollectResponse,
    GatewayToVisitor,
    VisitorChatState
} from '../contracts/visitorProtocol';
import { Conversations } from '../conversations/conversations';
import type { GatewaySettings } from '../crm/customMetadata';
import type { CrmPort, VisitorRecordFields } from '../crm/crmPort';
import type { CompanyProvider } from '../enrich/companyProvider';
import { Enricher } from '../enrich/enricher';
import { canSee, type Decision, type RepStatus, type Viewer, type Visitor } from '../engine';
import { VisitorSockets } from '../visitor/visitorSockets';
import { buildCard, displayName, type Claim } from './cards';
import type { Clock, TimerHandle } from './clock';
import { Decisions } from './decisions';
import { DeliveryMeter, type DeliveryUsageReport } from './deliveryMeter';
import { LivePublisher, type PublishTransport } from './publisher';
import { slimDecision } from './compact';
import { LastSeenWriter } from './lastSeenWriter';
import { applyBatch, newSession, toVisitor, type LiveSession } from './session';

const CONFIG_OBJECTS = new Set([
    'Live_Stream__c',
    'Routing_Rule__c',
    'Routing_Group__c',
    'Routing_Group_Member__c'
]);
const PEOPLE_OBJECTS = new Set([
    'Rep_Availability__c',
    'User',
    'PermissionSetAssignment',
    'PermissionSet'
]);
/** How often Last_Seen__c of a live visit is written at most. */
const PERSIST_EVERY_MS = 60_000;
const SWEEP_EVERY_MS = 1_000;
const RECOGNISED = Promise.resolve();
export interface LiveGatewayOptions {
    crm: CrmPort;
    clock: Clock;
    settings: GatewaySettings;
    companyProvider: CompanyProvider;
    transport: PublishTransport;
    batchWindowMs?: number;
    /** Errors in background work (a failed write): logged, never thrown into a request. */
    onError?: (error: unknown) => void;
}

interface LiveVisit {
    session: LiveSession;
    ready: Promise<void>;
    decision?: Decision;
    deadlineTimer?: TimerHandle;
}

export class LiveGateway {
    readonly decisions: Decisions;
    readonly publisher: LivePublisher;
    readonly deliveries: DeliveryMeter;
    readonly enricher: Enricher;
    readonly conversations: Conversations;
    readonly visitorSockets = new VisitorSockets();
    private readonly visits = new Map<string, LiveVisit>();
    private readonly lastSeen: LastSeenWriter;
    /** Visits a beacon changed since the publisher's last window: decided once, when it flushes. */
    private readonly changed = new Set<LiveVisit>();
    private readonly crm: CrmPort;
    readonly clock: Clock;
    private readonly settings: GatewaySettings;
    private readonly onError: (error: unknown) => void;
    private sweepTimer: TimerHandle | undefined;
    private reload: Promise<void> = Promise.resolve();
    private reloadWanted = { config: false, people: false, streams: false };
    private unsubscribe: () => void = () => {};
    private streamsCache: StreamSummary[] | undefined;
    private readonly inflight = new Set<Promise<unknown>>();
    private closing = false;

    private constructor(options: LiveGatewayOptions) {
        this.crm = options.crm;
        this.clock = options.clock;
        this.settings = options.settings;
        this.onError = options.onError ?? (() => {});
        this.decisions = new Decisions(options.crm, options.settings.scoreWeightsJson);
        const batchWindowMs = options.batchWindowMs ?? 250;
        this.deliveries = new DeliveryMeter(
            options.clock,
            options.settings.deliveryBudgetShare,
            batchWindowMs
        );
        this.publisher = new LivePublisher(
            this.deliveries.metered(options.transport),
            options.clock,
            batchWindowMs,
            (id) => this.cardOf(id),
            () => this.decideChanged()
        );
        this.enricher = new Enricher(options.crm, options.companyProvider, options.clock);
        this.conversations = new Conversations(options.crm, (id) => this.decisions.nameOf(id));
        this.lastSeen = new LastSeenWriter(options.crm, options.clock, this.onError);
    }

    static async start(options: LiveGatewayOptions): Promise<LiveGateway> {
        const live = new LiveGateway(options);
        await live.decisions.load();
        // A countdown does not survive a restart: requests left waiting were missed.
        for (const conversation of await options.crm.openConversations()) {
            if (conversation.status === 'Requested')
                await options.crm.updateConversation(conversation.id, { status: 'Missed' });
        }
        live.publisher.setViewers(live.decisions.viewers());
        live.unsubscribe = options.crm.onChange((object) => live.crmChanged(object));
        live.sweepTimer = options.clock.setInterval(() => live.sweep(), SWEEP_EVERY_MS);
        return live;
    }

    get liveVisits(): number {
        return this.visits.size;
    }

    /** The most recently seen live visits as engine `Visitor` models (the setup pages' dry run). */
    recentVisitors(limit: number): Visitor[] {
        const now = this.clock.now();
        return [...this.visits.values()]
            .map((visit) => visit.session)
            .sort((a, b) => b.lastSeenAt - a.lastSeenAt)
            .slice(0, limit)
            .map((session) => toVisitor(session, now));
    }

    /** Live events sent in the rolling 24 h against the delivery budget (the Health tab). */
    deliveryUsage(): DeliveryUsageReport {
        return this.deliveries.usage();
    }

    session(visitId: string): LiveSession | undefined {
        return this.visits.get(visitId)?.session;
    }

    /** The visit's current decision (a change still waiting for the window is decided now). */
    decision(visitId: string): Decision | undefined {
        const visit = this.visits.get(visitId);
        return visit ? this.current(visit) : undefined;
    }

    private current(visit: LiveVisit): Decision | undefined {
        return this.changed.has(visit) ? this.refresh(visit) : visit.decision;
    }

    private cardOf(visitId: string): VisitorCard | undefined {
        const visit = this.visits.get(visitId);
        return visit?.decision
            ? buildCard(
                  visit.session,
                  visit.decision,
                  this.decisions.claimOf(visitId),
                  this.decisions.nameOf
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
            const created: LiveVisit = { session, ready: Promise.resolve() };
            // Once recognised, the visit holds a shared settled promise, not its own.
            created.ready = this.recognise(created).then(() => {
                created.ready = RECOGNISED;
            });
            this.visits.set(request.sessionId, created);
            visit = created;
        }
        const applied = applyBatch(visit.session, request, now);
        try {
            await visit.ready;
        } catch (error) {
            // Not recognised (the CRM failed): forget the visit so the retry starts afresh.
            if (this.visits.get(request.sessionId) === visit) this.visits.delete(request.sessionId);
            throw error;
        }
        if (applied.identified) await this.identify(visit, applied.identified);
        if (applied.chatRequest) await this.requestChat(visit, applied.chatRequest.message);
        else if (applied.changed || !visit.decision) this.changedSoon(visit);
        else this.maybePersist(visit, now);
        return { accepted: request.events.length, chat: this.visitorChat(visit.session) };
    }

    /** New visit: returning-visitor recognition (Website_Visitor__c), location and company. */
    private async recognise(visit: LiveVisit): Promise<void> {
        const session = visit.session;
        const now = this.clock.now();
        // No address (the site skips IP enrichment): no location, no company from the IP.
        const ip = session.ip ? this.enricher.ip(session.ip) : {};
        if (ip.location) session.location = ip.location;
        try {
            const record = await this.crm.findVisitor(session.visitorKey);
            const lastSeen = record?.lastSeen ? Date.parse(record.lastSeen) : 0;
            const continuing =
                record !== undefined &&
                record.visitCount > 0 &&
                now - lastSeen < this.settings.endAfterMs;
            session.visitCount = continuing ? record.visitCount : (record?.visitCount ?? 0) + 1;
            if (record?.email) session.email = record.email;
            if (record?.leadId) session.linkedLeadId = record.leadId;
            const domain = ip.companyDomain ?? record?.companyDomain;
            if (domain) await this.applyDomain(session, domain);
            if (session.email) await this.applyEmail(session, session.email);
            const claim = this.decisions.claimOf(session.sessionId);
            if (claim) {
                session.chat = {
                    state: 'conversation',
                    conversationId: claim.conversationId,
                    repId: claim.userId,
                    repName: claim.userName,
                    repTitle: this.decisions.user(claim.userId)?.title ?? ''
                };
            }
            const saved = await this.crm.upsertVisitor(session.visitorKey, {
                ...this.recordFields(session),
                visitCount: session.visitCount,
                firstSeen: record?.firstSeen ?? new Date(now).toISOString(),
                lastSeen: new Date(now).toISOString()
            });
            session.visitorRecordId = saved.id;
            session.lastPersistedAt = now;
        } catch (error) {
            this.onError(error);
            throw new UserFacingError('The visit could not be stored: try again shortly.', 503);
        }
    }

    private recordFields(session: LiveSession): VisitorRecordFields {
        const sf = session.salesforce;
        return {
            name: displayName(session),
            identityLevel: session.email
                ? 'Person_Known'
                : session.company?.domain
                  ? 'Company_Known'
                  : 'Anonymous',
            ...(session.email ? { email: session.email } : {}),
            ...(session.company?.name ? { companyName: session.company.name } : {}),
            ...(session.company?.domain ? { companyDomain: session.company.domain } : {}),
            ...(sf?.account ? { accountId: sf.account.id } : {}),
            ...(sf?.lead ? { leadId: sf.lead.id } : {}),
            ...(sf?.contact ? { contactId: sf.contact.id } : {})
        };
    }

    private async applyDomain(session: LiveSession, domain: string): Promise<void> {
        const found = await this.enricher.domain(domain);
        session.company = found.company;
        session.salesforce = { ...session.salesforce, ...found.salesforce };
        if (!found.salesforce.account) {
            const rest = { ...session.salesforce };
            delete rest.account;
            delete rest.opportunities;
            session.salesforce = rest;
        }
    }

    private async applyEmail(session: LiveSession, email: string): Promise<void> {
        const found = await this.enricher.email(email);
        const sf = { ...session.salesforce };
        if (found.lead)
            sf.lead = {
                id: found.lead.id,
                ...(found.lead.ownerId ? { ownerId: found.lead.ownerId } : {}),
                ...(found.lead.ownerName ? { ownerName: found.lead.ownerName } : {}),
                ...(found.lead.status ? { status: found.lead.status } : {})
            };
        if (found.contact)
            sf.contact = {
                id: found.contact.id,
                ...(found.contact.ownerId ? { ownerId: found.contact.ownerId } : {}),
                ...(found.contact.ownerName ? { ownerName: found.contact.ownerName } : {})
            };
        session.salesforce = sf;
        if (!session.personName) {
            const person = found.contact ?? found.lead;
            if (person?.name) session.personName = person.name;
        }
        let domain = found.domain;
        if (found.contact?.accountId)
            domain = (await this.crm.getAccount(found.contact.accountId))?.domain ?? domain;
        if (domain && domain !== session.company?.domain) await this.applyDomain(session, domain);
    }

    private async identify(
        visit: LiveVisit,
        identified: { email: string; company?: string }
    ): Promise<void> {
        try {
            await this.applyEmail(visit.session, identified.email);
            // The org's Account name wins; otherwise the name the visitor typed beats a bare domain.
            const company = visit.session.company;
            if (identified.company && !company?.name) {
                visit.session.company = { ...company, name: identified.company };
            }
            await this.persist(visit);
        } catch (error) {
            this.onError(error);
        }
        this.changedSoon(visit);
    }

    private async persist(visit: LiveVisit): Promise<void> {
        const session = visit.session;
        const now = this.clock.now();
        session.lastPersistedAt = now;
        const saved = await this.crm.upsertVisitor(session.visitorKey, {
            ...this.recordFields(session),
            lastSeen: new Date(session.lastSeenAt).toISOString()
        });
        session.visitorRecordId = saved.id;
    }

    private maybePersist(visit: LiveVisit, now: number): void {
        const session = visit.session;
        if (now - session.lastPersistedAt < PERSIST_EVERY_MS) return;
        session.lastPersistedAt = now;
        // Recognised visits have their record: only Last_Seen__c, coalesced with others.
        if (session.visitorRecordId)
            this.lastSeen.touch(session.visitorRecordId, session.lastSeenAt);
        else this.persist(visit).catch(this.onError);
    }

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
        for (const visit of batch)
            if (this.visits.get(visit.session.sessionId) === visit) this.refresh(visit);
    }

    /** Decide again and publish the card to whoever may see it. */
    private refresh(visit: LiveVisit): Decision {
        this.changed.delete(visit);
        const now = this.clock.now();
        const decision = slimDecision(this.decisions.decide(toVisitor(visit.session, now), now));
        visit.decision = decision;
        const card = buildCard(
            visit.session,
            decision,
            this.decisions.claimOf(visit.session.sessionId),
            this.decisions.nameOf
        );
        this.publisher.update(card, decision);
        this.maybePersist(visit, now);
        return decision;
    }

    // ── Timers ────────────────────────────────────────────────────────────────

    /** Active → idle after `idleAfterMs` without activity; ended after `endAfterMs` without a beacon. */
    sweep(): void {
        const now = this.clock.now();
        for (const visit of [...this.visits.values()]) {
            const s = visit.session;
            if (now - s.lastSeenAt >= this.settings.endAfterMs) {
                this.end(visit);
            } else if (s.active && now - s.lastActivityAt >= this.settings.idleAfterMs) {
                s.active = false;
                s.idleSince = s.lastActivityAt + this.settings.idleAfterMs;
                this.changedSoon(visit);
            }
        }
        this.passBacklog();
    }

    private end(visit: LiveVisit): void {
        const s = visit.session;
        this.visits.delete(s.sessionId);
        this.changed.delete(visit);
        visit.deadlineTimer?.cancel();
        const claim = this.decisions.claimOf(s.sessionId);
        this.decisions.forget(s.sessionId);
        this.publisher.remove(s.sessionId);
        if (claim)
            this.conversations
                .update(claim.conversationId, {
                    status: 'Ended',
                    endedAt: new Date(this.clock.now()).toISOString()
                })
                .catch(this.onError);
        this.crm
            .upsertVisitor(s.visitorKey, { lastSeen: new Date(s.lastSeenAt).toISOString() })
            .catch(this.onError);
    }

    private passBacklog(): void {
        const pass = this.decisions.passBacklog(this.clock.now());
        for (const id of [
            ...pass.offers.map((o) => o.visitorId),
            ...pass.expired.map((e) => e.visitorId)
        ]) {
            const visit = this.visits.get(id);
            if (visit) this.refresh(visit);
        }
    }

    // ── Chat ──────────────────────────────────────────────────────────────────

    private async requestChat(visit: LiveVisit, message: string): Promise<void> {
        const session = visit.session;
        if (session.chat.state === 'requested' || session.chat.state === 'conversation') {
            if (message) await this.visitorSays(visit, message);
            this.refresh(visit);
            return;
        }
        const now = this.clock.now();
        const shown = this.current(visit)?.streams.shown;
        const conversation = await this.conversations.start({
            ...(session.visitorRecordId ? { visitorRecordId: session.visitorRecordId } : {}),
            status: 'Requested',
            origin: 'Chat_Request',
            ...(shown ? { streamId: shown } : {})
        });
        session.chat = {
            state: 'requested',
            requestedAt: now,
            deadline: now + 30_000,
            secondsTotal: 30,
            conversationId: conversation.id
        };
        if (message) await this.visitorSays(visit, message);
        const decision = this.refresh(visit);
        if (
            decision.routing.experience === 'meeting-booker' ||
            decision.routing.experience === 'unrouted'
        ) {
            this.toMeetingBooker(visit);
            return;
        }
        const deadline = decision.routing.chatDeadline ?? now + 30_000;
        session.chat = {
            ...session.chat,
            deadline,
            secondsTotal: Math.round((deadline - now) / 1000)
        };
        visit.deadlineTimer?.cancel();
        visit.deadlineTimer = this.clock.setTimeout(
            () => this.deadlineReached(visit, conversation.id),
            Math.max(0, deadline - now)
        );
        this.refresh(visit);
        this.notifyChat(visit);
    }

    private deadlineReached(visit: LiveVisit, conversationId: string): void {
        const chat = visit.session.chat;
        if (chat.state !== 'requested' || chat.conversationId !== conversationId) return;
        if (this.decisions.claimOf(visit.session.sessionId)) return;
        this.toMeetingBooker(visit);
    }

    private toMeetingBooker(visit: LiveVisit): void {
        const session = visit.session;
        const chat = session.chat;
        const requestedAt = chat.state === 'requested' ? chat.requestedAt : this.clock.now();
        const conversationId = chat.state === 'requested' ? chat.conversationId : undefined;
        session.chat = {
            state: 'meeting-booker',
            at: this.clock.now(),
            requestedAt,
            ...(conversationId ? { conversationId } : {})
        };
        if (conversationId)
            this.conversations.update(conversationId, { status: 'Missed' }).catch(this.onError);
        visit.deadlineTimer?.cancel();
        this.refresh(visit);
        this.notifyChat(visit);
    }

    visitorChat(session: LiveSession): VisitorChatState {
        const chat = session.chat;
        switch (chat.state) {
            case 'requested':
                return {
                    state: 'waiting',
                    deadline: new Date(chat.deadline).toISOString(),
                    secondsTotal: chat.secondsTotal
                };
            case 'conversation':
                return {
                    state: 'connected',
                    conversationId: chat.conversationId,
                    rep: { name: chat.repName, title: chat.repTitle }
                };
            case 'meeting-booker':
                return { state: 'meeting-booker', repName: this.bookerRep(session)?.name ?? null };
            case 'ended':
                return { state: 'ended', conversationId: chat.conversationId };
            default:
                return { state: 'idle' };
        }
    }

    private notifyChat(visit: LiveVisit): void {
        this.visitorSockets.send(visit.session.sessionId, {
            type: 'chat',
            chat: this.visitorChat(visit.session)
        });
    }

    /** The rep a meeting is booked with: the routed rep, else the account owner, else the first available rep. */
    bookerRep(session: LiveSession): { id: string; name: string; timeZone?: string } | undefined {
        const decision = this.decision(session.sessionId);
        const candidates = [
            decision?.routing.assignedTo,
            ...(decision?.routing.offeredTo ?? []),
            session.salesforce?.account?.ownerId,
            ...this.decisions
                .reps()
                .filter((r) => r.status === 'available')
                .map((r) => r.userId)
        ];
        for (const id of candidates) {
            const user = id ? this.decisions.user(id) : undefined;
            if (user && user.isRep)
                return {
                    id: user.id,
                    name: user.name,
                    ...(user.timeZone ? { timeZone: user.timeZone } : {})
                };
        }
        return undefined;
    }

    private async visitorSays(
        visit: LiveVisit,
        body: string,
        clientMessageId?: string
    ): Promise<ChatMessage | undefined> {
        const chat = visit.session.chat;
        const conversationId =
            chat.state === 'requested' || chat.state === 'conversation'
                ? chat.conversationId
                : undefined;
        if (!conversationId) return undefined;
        const { message, duplicate } = await this.conversations.add(
            conversationId,
            {
                sender: 'Visitor',
                body,
                sentAt: new Date(this.clock.now()).toISOString(),
                ...(clientMessageId ? { clientMessageId } : {})
            },
            displayName(visit.session)
        );
        if (!duplicate && chat.state === 'conversation')
            this.publisher.chat(chat.repId, { kind: 'chat', conversationId, message });
        return message;
    }

    /** A message on the visitor socket: stored, acknowledged, passed to the rep. Starts a chat request when none is open. */
    async visitorMessage(
        visitId: string,
        clientMessageId: string,
        body: string
    ): Promise<GatewayToVisitor[]> {
        const visit = this.visits.get(visitId);
        if (!visit)
            return [
                { type: 'error', message: 'This visit is not live yet: send a page view first.' }
            ];
        await visit.ready;
        const state = visit.session.chat.state;
        if (state !== 'requested' && state !== 'conversation') await this.requestChat(visit, '');
        const message = await this.visitorSays(visit, body, clientMessageId);
        if (!message) return [{ type: 'error', message: 'Nobody can take this chat right now.' }];
        return [{ type: 'delivered', clientMessageId, id: message.id }];
    }

    visitorTyping(visitId: string, typing: boolean): void {
        const visit = this.visits.get(visitId);
        const chat = visit?.session.chat;
        if (visit && chat?.state === 'conversation') {
            this.publisher.chat(chat.repId, {
                kind: 'chat',
                conversationId: chat.conversationId,
                typing: { typing, senderName: displayName(visit.session) }
            });
        }
    }

    async visitorTranscript(visitId: string): Promise<ChatMessage[]> {
        const visit = this.visits.get(visitId);
        const chat = visit?.session.chat;
        const id = chat && 'conversationId' in chat ? chat.conversationId : undefined;
        return visit && id ? this.conversations.transcript(id, displayName(visit.session)) : [];
    }

    // ── Rep actions ───────────────────────────────────────────────────────────

    viewerFor(user: ActingUser): Viewer {
        return this.publisher.viewer(user.id) ?? { userId: user.id, isAdmin: user.isAdmin };
    }

    /** The visit, if this user may see it; otherwise "not found" (its existence is not revealed). */
    private visible(user: ActingUser, visitId: string): LiveVisit {
        const visit = this.visits.get(visitId);
        const decision = visit ? this.current(visit) : undefined;
        if (!visit || !decision || !canSee(this.viewerFor(user), decision))
            throw new UserFacingError('This visitor is no longer on the site.', 404);
        return visit;
    }

    streams(): StreamSummary[] {
        this.streamsCache ??= this.decisions.ruleSet.streams.map(({ stream }) => ({
            id: stream.id,
            name: stream.name,
            color: stream.color,
            priority: stream.priority
        }));
        return this.streamsCache;
    }

    snapshot(user: ActingUser): ConsoleSnapshot {
        const { cards, sequence } = this.publisher.snapshot(user.id);
        return {
            user: { id: user.id, name: user.name, isAdmin: user.isAdmin },
            streams: this.streams(),
            visitors: this.publisher.viewer(user.id) ? cards : this.adHocCards(user),
            sequence,
            generatedAt: new Date(this.clock.now()).toISOString(),
            freshness: this.publisher.freshness
        };
    }

    /** For a user who is neither rep nor admin: whatever canSee lets them see (usually nothing). */
    private adHocCards(user: ActingUser): VisitorCard[] {
        const viewer = this.viewerFor(user);
        const cards: VisitorCard[] = [];
        for (const visit of this.visits.values()) {
            const entry = this.publisher.card(visit.session.sessionId);
            if (entry && canSee(viewer, entry.decision)) cards.push(entry.card);
        }
        return cards;
    }

    async detail(user: ActingUser, visitId: string): Promise<VisitorDetail> {
        const visit = this.visible(user, visitId);
        const s = visit.session;
        const now = this.clock.now();
        const card =
            this.publisher.card(visitId)?.card ??
            buildCard(s, visit.decision!, this.decisions.claimOf(visitId), this.decisions.nameOf);
        const explained = this.decisions.explain(toVisitor(s, now), now);
        const chat = s.chat;
        const conversationId = 'conversationId' in chat ? chat.conversationId : undefined;
        const conversation = conversationId
            ? await this.conversations.get(conversationId)
            : undefined;
        const pages = toVisitor(s, now).visit?.pages ?? [];
        return {
            card,
            pages: pages.map((p) => ({
                url: p.url,
                path: p.path,
                title: p.title ?? '',
                enteredAt: new Date(p.enteredAt).toISOString(),
                dwellMs: p.dwellMs ?? 0,
                scrollDepth: p.scrollDepth ?? 0,
                readingSignal: (p.scrollDepth ?? 0) >= 0.15
            })),
            tabsOpen: Math.max(s.tabsReported, 1),
            ...(s.referrer ? { referrer: s.referrer } : {}),
            ...(s.utm ? { utm: s.utm } : {}),
            ...(s.device ? { device: s.device } : {}),
            visitCount: s.visitCount,
            scoreReasons: explained.score.reasons.map((r) => ({
                label: r.label,
                points: r.points
            })),
            routingTrace: [
                explained.routing.reason,
                ...explained.routing.trace.map((t) => `${t.ruleName}: ${t.outcome}`)
            ],
            ...(conversation
                ? {
                      conversation: {
                          id: conversation.id,
                          status: conversation.status,
                          ...(conversation.repId
                              ? {
                                    rep: {
                                        id: conversation.repId,
                                        name: this.decisions.nameOf(conversation.repId)
                                    }
                                }
                              : {}),
                          messages: await this.conversations.transcript(
                              conversation.id,
                              displayName(s)
                          )
                      }
                  }
                : {}),
            ...(s.linkedLeadId ? { linkedLeadId: s.linkedLeadId } : {})
        };
    }

    /** Pounce (start a conversation) or accept a chat request: exactly one rep wins. */
    async claim(
        user: ActingUser,
        visitId: string,
        origin: 'Pounce' | 'Chat_Request'
    ): Promise<ClaimResult> {
        const visit = this.visible(user, visitId);
        const session = visit.session;
        const chat = session.chat;
        if (
            origin === 'Chat_Request' &&
            chat.state !== 'requested' &&
            chat.state !== 'conversation'
        ) {
            throw new UserFacingError(
                chat.state === 'meeting-booker'
                    ? 'The chat request timed out: the visitor was offered the meeting booker.'
                    : 'This visitor has no chat request waiting.',
                409
            );
        }
        const now = this.clock.now();
        const conversationId = chat.state === 'requested' ? chat.conversationId : '';
        // Check and set with no await in between: the first caller wins.
        const outcome = this.decisions.claim(visitId, {
            userId: user.id,
            userName: user.name,
            conversationId,
            origin: chat.state === 'requested' ? 'Chat_Request' : origin,
            at: now
        });
        if (!outcome.ok) {
            const by = outcome.engagedBy;
            return {
                ok: false,
                engagedBy: { id: by.userId, name: by.userName },
                message:
                    by.userId === user.id
                        ? 'You are already engaging this visitor.'
                        : `${by.userName} is engaging this visitor.`
            };
        }
        const claim = outcome.claim;
        visit.deadlineTimer?.cancel();
        try {
            const startedAt = new Date(now).toISOString();
            if (conversationId) {
                await this.conversations.update(conversationId, {
                    status: 'Active',
                    repId: user.id,
                    startedAt
                });
            } else {
                const created = await this.conversations.start({
                    ...(session.visitorRecordId
                        ? { visitorRecordId: session.visitorRecordId }
                        : {}),
                    repId: user.id,
                    status: 'Active',
                    origin: 'Pounce',
                    startedAt,
                    ...(visit.decision?.streams.shown
                        ? { streamId: visit.decision.streams.shown }
                        : {})
                });
                claim.conversationId = created.id;
                this.decisions.release(visitId);
                this.decisions.claim(visitId, claim);
            }
        } catch (error) {
            this.decisions.release(visitId);
            throw error;
        }
        await this.decisions.persisted();
        session.chat = {
            state: 'conversation',
            conversationId: claim.conversationId,
            repId: user.id,
            repName: user.name,
            repTitle: this.decisions.user(user.id)?.title ?? ''
        };
        this.refresh(visit);
        this.notifyChat(visit);
        return { ok: true, conversationId: claim.conversationId };
    }

    private async ownConversation(user: ActingUser, conversationId: string) {
        const conversation = await this.conversations.get(conversationId);
        if (!conversation || (conversation.repId !== user.id && !user.isAdmin))
            throw new UserFacingError('This conversation is not yours.', 404);
        return conversation;
    }

    private visitOfConversation(conversationId: string): LiveVisit | undefined {
        for (const visit of this.visits.values()) {
            const chat = visit.session.chat;
            if ('conversationId' in chat && chat.conversationId === conversationId) return visit;
        }
        return undefined;
    }

    async sendMessage(
        user: ActingUser,
        conversationId: string,
        body: string,
        clientMessageId?: string
    ): Promise<ChatMessage> {
        const conversation = await this.ownConversation(user, conversationId);
        if (conversation.status !== 'Active')
            throw new UserFacingError('This conversation has ended.', 409);
        const visit = this.visitOfConversation(conversationId);
        const { message, duplicate } = await this.conversations.add(
            conversationId,
            {
                sender: 'Rep',
                senderUserId: user.id,
                body,
                sentAt: new Date(this.clock.now()).toISOString(),
                ...(clientMessageId ? { clientMessageId } : {})
            },
            visit ? displayName(visit.session) : 'Visitor'
        );
        if (!duplicate && visit) {
            this.visitorSockets.send(visit.session.sessionId, {
                type: 'message',
                id: message.id,
                ...(message.clientMessageId ? { clientMessageId: message.clientMessageId } : {}),
                sender: 'Rep',
                senderName: message.senderName,
                body: message.body,
                sentAt: message.sentAt
            });
            this.publisher.chat(user.id, { kind: 'chat', conversationId, message });
        }
        return message;
    }

    /** "Maya is typing…" on the visitor's chat: only the conversation's own rep, while it is active. */
    async setTyping(
        user: ActingUser,
        conversationId: string,
        typing: boolean
    ): Promise<{ ok: true }> {
        const conversation = await this.conversations.get(conversationId);
        if (!conversation || conversation.repId !== user.id)
            throw new UserFacingError('This conversation is not yours.', 404);
        if (conversation.status !== 'Active')
            throw new UserFacingError('This conversation has ended.', 409);
        const visit = this.visitOfConversation(conversationId);
        if (visit)
            this.visitorSockets.send(visit.session.sessionId, {
                type: 'typing',
                typing,
                senderName: user.name
            });
        return { ok: true };
    }

    async endConversation(user: ActingUser, conversationId: string): Promise<{ ok: true }> {
        const conversation = await this.ownConversation(user, conversationId);
        if (conversation.status !== 'Ended') {
            await this.conversations.update(conversationId, {
                status: 'Ended',
                endedAt: new Date(this.clock.now()).toISOString()
            });
        }
        const visit = this.visitOfConversation(conversationId);
        if (visit) {
            this.decisions.release(visit.session.sessionId);
            visit.session.chat = { state: 'ended', conversationId };
            this.refresh(visit);
            this.notifyChat(visit);
        } else {
            for (const [visitId, claim] of this.decisions.claims)
                if (claim.conversationId === conversationId) this.decisions.release(visitId);
        }
        await this.decisions.persisted();
        this.passBacklog();
        return { ok: true };
    }

    async setAvailability(user: ActingUser, status: RepStatus): Promise<{ status: RepStatus }> {
        if (!this.decisions.user(user.id)?.isRep)
            throw new UserFacingError('Only a Sightline rep has an availability.', 403);
        await this.crm.setAvailability(user.id, status);
        await this.settled();
        return { status };
    }

    async linkLead(user: ActingUser, visitId: string, leadId: string): Promise<{ ok: true }> {
        const visit = this.visible(user, visitId);
        const lead = await this.crm.getLead(leadId);
        if (!lead) throw new UserFacingError('That Lead does not exist.', 404);
        const s = visit.session;
        s.linkedLeadId = lead.id;
        s.salesforce = {
            ...s.salesforce,
            lead: {
                id: lead.id,
                ...(lead.ownerId ? { ownerId: lead.ownerId } : {}),
                ...(lead.ownerName ? { ownerName: lead.ownerName } : {}),
                ...(lead.status ? { status: lead.status } : {})
            }
        };
        if (!s.email && lead.email) s.email = lead.email.toLowerCase();
        if (!s.personName && lead.name) s.personName = lead.name;
        await this.crm.upsertVisitor(s.visitorKey, { ...this.recordFields(s), leadId: lead.id });
        this.refresh(visit);
        return { ok: true };
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
                this.streamsCache = undefined;
            }
            if (wanted.people) {
                await this.decisions.reloadPeople();
                this.publisher.setViewers(this.decisions.viewers());
            }
            if (wanted.streams) this.publisher.streamsChanged();
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
        for (const visit of this.visits.values()) visit.deadlineTimer?.cancel();
        this.decideChanged();
        await this.settled();
        await this.lastSeen.flush();
        for (const visit of this.visits.values()) {
            if (!visit.session.visitorRecordId) continue;
            await this.crm
                .upsertVisitor(visit.session.visitorKey, {
                    lastSeen: new Date(visit.session.lastSeenAt).toISOString()
                })
                .catch(this.onError);
        }
        this.publisher.close();
    }
}
