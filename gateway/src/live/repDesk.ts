/**
 * The rep desk: what a rep (or admin) may ask and do. Queries — the console snapshot, the
 * Visitor 360 detail, the streams — and commands — claim (pounce or accept), messages,
 * typing, end, availability, link a Lead. Every command checks that the user may see the
 * visit (`canSee`), so a visit someone else owns reads as "not found".
 */
import { randomUUID } from 'node:crypto';
import type { ActingUser } from '../actions/actionRegistry';
import { UserFacingError } from '../actions/userFacingError';
import type {
    ChatMessage,
    ClaimResult,
    ConsoleSnapshot,
    RepAvailability,
    StreamSummary,
    VisitorCard,
    VisitorDetail
} from '../contracts/liveContract';
import type { Conversations } from '../conversations/conversations';
import type { CrmPort } from '../crm/crmPort';
import { canSee, type RepStatus, type Viewer } from '../engine';
import { buildCard, displayName, type Claim } from './cards';
import type { ChatDesk } from './chatDesk';
import type { Clock } from './clock';
import { activitySubject } from './activitySubject';
import type { Decisions } from './decisions';
import type { LivePublisher } from './publisher';
import type { Recognition } from './recognition';
import type { SharedState } from '../state/sharedState';
import { toVisitor } from './session';
import { visitorRecordFields, type LiveVisit, type LiveVisits, type VisitPipeline } from './visits';

export interface RepDeskDeps {
    crm: CrmPort;
    visits: LiveVisits;
    pipeline: VisitPipeline;
    chat: ChatDesk;
    recognition: Recognition;
    decisions: Decisions;
    /** Where claims are taken: in memory for one gateway, Redis for several. */
    state: SharedState;
    conversations: Conversations;
    publisher: LivePublisher;
    clock: Clock;
    /** The event channel a user's console subscribes to (absent: the raw channel). */
    channelOf?: (userId: string) => string | undefined;
    /** Resolves once configuration reloads and routing-state writes so far are done. */
    settled(): Promise<void>;
}

export class RepDesk {
    private streamsCache: StreamSummary[] | undefined;

    constructor(private readonly deps: RepDeskDeps) {}

    // ── Queries ───────────────────────────────────────────────────────────────

    viewerFor(user: ActingUser): Viewer {
        return this.deps.publisher.viewer(user.id) ?? { userId: user.id, isAdmin: user.isAdmin };
    }

    /** The visit, if this user may see it; otherwise "not found" (its existence is not revealed). */
    private visible(user: ActingUser, visitId: string): LiveVisit {
        const visit = this.deps.visits.get(visitId);
        const decision = visit ? this.deps.pipeline.current(visit) : undefined;
        if (!visit || !decision || !canSee(this.viewerFor(user), decision))
            throw new UserFacingError('This visitor is no longer on the site.', 404);
        return visit;
    }

    streams(): StreamSummary[] {
        this.streamsCache ??= this.deps.decisions.ruleSet.streams.map(({ stream }) => ({
            id: stream.id,
            name: stream.name,
            color: stream.color,
            priority: stream.priority
        }));
        return this.streamsCache;
    }

    /** The streams were edited: the next snapshot lists them afresh. */
    streamsChanged(): void {
        this.streamsCache = undefined;
    }

    /** Who is looking, with a rep's own availability for the console header. */
    private consoleUser(user: ActingUser): ConsoleSnapshot['user'] {
        const availability = this.deps.decisions.availabilityOf(user.id);
        return {
            id: user.id,
            name: user.name,
            isAdmin: user.isAdmin,
            ...(availability ? { availability } : {})
        };
    }

    /** One page of the user's snapshot (page 0 starts a new one). */
    snapshot(user: ActingUser, page = 0): ConsoleSnapshot {
        const { publisher, clock } = this.deps;
        const snapshot = publisher.snapshot(user.id, page);
        if (!snapshot)
            throw new UserFacingError(
                'That snapshot has moved on: load it again from page 0.',
                409
            );
        const { cards, sequence, more } = snapshot;
        const channel = this.deps.channelOf?.(user.id);
        return {
            user: this.consoleUser(user),
            streams: this.streams(),
            visitors: publisher.viewer(user.id) ? cards : this.adHocCards(user),
            more,
            epoch: publisher.epoch,
            sequence,
            generatedAt: new Date(clock.now()).toISOString(),
            freshness: publisher.freshness,
            ...(channel ? { channel } : {})
        };
    }

    /** For a user who is neither rep nor admin: whatever canSee lets them see (usually nothing). */
    private adHocCards(user: ActingUser): VisitorCard[] {
        const viewer = this.viewerFor(user);
        const cards: VisitorCard[] = [];
        for (const visit of this.deps.visits.values()) {
            const entry = this.deps.publisher.card(visit.session.sessionId);
            if (entry && canSee(viewer, entry.decision))
                cards.push(this.deps.publisher.asSeenBy(user.id, entry.card));
        }
        return cards;
    }

    async detail(user: ActingUser, visitId: string): Promise<VisitorDetail> {
        const { decisions, conversations, publisher, clock } = this.deps;
        const visit = this.visible(user, visitId);
        const s = visit.session;
        const now = clock.now();
        const card = publisher.asSeenBy(
            user.id,
            publisher.card(visitId)?.card ??
                buildCard(s, visit.decision!, decisions.claimOf(visitId), decisions)
        );
        const explained = decisions.explain(toVisitor(s, now), now);
        const chat = s.chat;
        const conversationId = 'conversationId' in chat ? chat.conversationId : undefined;
        const conversation = conversationId ? await conversations.get(conversationId) : undefined;
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
            // The card and the 360 already carry the decision's reason: the trace adds the
            // rules tested before the deciding one, each with why it passed the visitor on.
            routingTrace: explained.routing.trace
                .filter((t) => t.ruleId !== explained.routing.ruleId)
                .map((t) => `${t.ruleName}: ${t.outcome}`),
            ...(conversation
                ? {
                      conversation: {
                          id: conversation.id,
                          status: conversation.status,
                          ...(conversation.repId
                              ? {
                                    rep: {
                                        id: conversation.repId,
                                        name: decisions.nameOf(conversation.repId)
                                    }
                                }
                              : {}),
                          messages: await conversations.transcript(conversation.id, displayName(s))
                      }
                  }
                : {}),
            ...(s.linkedLeadId ? { linkedLeadId: s.linkedLeadId } : {})
        };
    }

    // ── Commands ──────────────────────────────────────────────────────────────

    /** Pounce (start a conversation) or accept a chat request: exactly one rep wins. */
    async claim(
        user: ActingUser,
        visitId: string,
        origin: 'Pounce' | 'Chat_Request'
    ): Promise<ClaimResult> {
        const { decisions, conversations, clock, state } = this.deps;
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
        const now = clock.now();
        const conversationId = chat.state === 'requested' ? chat.conversationId : '';
        const claim: Claim = {
            userId: user.id,
            userName: user.name,
            conversationId,
            origin: chat.state === 'requested' ? 'Chat_Request' : origin,
            at: now
        };
        // Checked and taken in one step of the shared state: the first caller, on whichever
        // gateway, wins.
        const outcome = await state.claim(visitId, claim, randomUUID());
        if (!outcome.ok) {
            const by = outcome.holder.claim;
            return {
                ok: false,
                engagedBy: { id: by.userId, name: by.userName },
                message:
                    by.userId === user.id
                        ? 'You are already engaging this visitor.'
                        : `${by.userName} is engaging this visitor.`
            };
        }
        const token = outcome.token;
        // This gateway's copy (cards, capacity, the org's Routing_State__c).
        decisions.release(visitId);
        decisions.claim(visitId, claim);
        visit.deadlineTimer?.cancel();
        try {
            const startedAt = new Date(now).toISOString();
            if (conversationId) {
                await conversations.update(conversationId, {
                    status: 'Active',
                    repId: user.id,
                    startedAt
                });
            } else {
                const created = await conversations.start({
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
                decisions.release(visitId);
                decisions.claim(visitId, claim);
                await state.updateClaim(visitId, token, claim);
            }
        } catch (error) {
            decisions.release(visitId);
            await state.release(visitId, token);
            throw error;
        }
        await decisions.persisted();
        this.deps.chat.connected(visit, claim);
        await this.deps.pipeline.shared();
        return { ok: true, conversationId: claim.conversationId };
    }

    private async ownConversation(user: ActingUser, conversationId: string) {
        const conversation = await this.deps.conversations.get(conversationId);
        if (!conversation || (conversation.repId !== user.id && !user.isAdmin))
            throw new UserFacingError('This conversation is not yours.', 404);
        return conversation;
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
        return this.deps.chat.repSays(user, conversationId, body, clientMessageId);
    }

    /** "Maya is typing…" on the visitor's chat: only the conversation's own rep, while it is active. */
    async setTyping(
        user: ActingUser,
        conversationId: string,
        typing: boolean
    ): Promise<{ ok: true }> {
        const conversation = await this.deps.conversations.get(conversationId);
        if (!conversation || conversation.repId !== user.id)
            throw new UserFacingError('This conversation is not yours.', 404);
        if (conversation.status !== 'Active')
            throw new UserFacingError('This conversation has ended.', 409);
        this.deps.chat.repTyping(user, conversationId, typing);
        return { ok: true };
    }

    async endConversation(user: ActingUser, conversationId: string): Promise<{ ok: true }> {
        const { decisions, conversations, visits, clock } = this.deps;
        await this.ownConversation(user, conversationId);
        const visit = visits.ofConversation(conversationId);
        await conversations.end(
            conversationId,
            new Date(clock.now()).toISOString(),
            visit
                ? activitySubject(visit, decisions)
                : { visitorName: 'Website visitor', pages: [] }
        );
        if (visit) {
            await this.releaseShared(visit.session.sessionId, conversationId);
            decisions.release(visit.session.sessionId);
            this.deps.chat.ended(visit, conversationId);
        } else {
            for (const [visitId, claim] of decisions.claims)
                if (claim.conversationId === conversationId) {
                    await this.releaseShared(visitId, conversationId);
                    decisions.release(visitId);
                }
        }
        await decisions.persisted();
        this.deps.pipeline.passBacklog();
        await this.deps.pipeline.shared();
        return { ok: true };
    }

    /**
     * Releases the visit's claim if it is still this conversation's: by its fencing token, so
     * a claim taken since for another conversation stays.
     */
    private async releaseShared(visitId: string, conversationId: string): Promise<void> {
        const held = await this.deps.state.claimOf(visitId);
        if (held?.claim.conversationId === conversationId)
            await this.deps.state.release(visitId, held.token);
    }

    /** The rep's new availability as their header shows it (status, capacity, conversations). */
    async setAvailability(user: ActingUser, status: RepStatus): Promise<RepAvailability> {
        if (!this.deps.decisions.user(user.id)?.isRep)
            throw new UserFacingError('Only a Sightline rep has an availability.', 403);
        if (this.deps.decisions.availabilityFromOmniChannel)
            throw new UserFacingError(
                'Your availability follows your Omni-Channel status: change it in the Omni-Channel utility.',
                409
            );
        const saved = await this.deps.crm.setAvailability(user.id, status);
        await this.deps.settled();
        return (
            this.deps.decisions.availabilityOf(user.id) ?? {
                status,
                capacity: saved.capacity,
                activeConversations: 0
            }
        );
    }

    async linkLead(user: ActingUser, visitId: string, leadId: string): Promise<{ ok: true }> {
        const visit = this.visible(user, visitId);
        const lead = await this.deps.crm.getLead(leadId);
        if (!lead) throw new UserFacingError('That Lead does not exist.', 404);
        const s = visit.session;
        this.deps.recognition.linkLead(s, lead);
        await this.deps.crm.upsertVisitor(s.visitorKey, {
            ...visitorRecordFields(s),
            leadId: lead.id
        });
        this.deps.pipeline.refresh(visit);
        await this.deps.pipeline.shared();
        return { ok: true };
    }
}
