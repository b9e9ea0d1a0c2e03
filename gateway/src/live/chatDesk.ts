/**
 * The chat desk: a visit's chat as a state machine (none → requested → conversation →
 * ended, or requested → meeting booker when nobody takes it in time), the deadline timer
 * the routing rule sets, the rep a meeting is booked with, and the visitor's side of the
 * conversation (messages, typing, transcript) over the visitor socket.
 */
import type { ActingUser } from '../actions/actionRegistry';
import type { ChatMessage } from '../contracts/liveContract';
import type { GatewayToVisitor, VisitorChatState } from '../contracts/visitorProtocol';
import type { Conversations } from '../conversations/conversations';
import { DEFAULT_CHAT_TIMEOUT_SECONDS } from '../engine';
import type { VisitorSockets } from '../visitor/visitorSockets';
import { displayName, type Claim } from './cards';
import type { Clock } from './clock';
import { activitySubject } from './activitySubject';
import type { Decisions } from './decisions';
import type { LivePublisher } from './publisher';
import type { LiveSession } from './session';
import type { LiveVisit, LiveVisits, VisitPipeline } from './visits';

export interface ChatDeskDeps {
    visits: LiveVisits;
    pipeline: VisitPipeline;
    decisions: Decisions;
    conversations: Conversations;
    publisher: LivePublisher;
    visitorSockets: VisitorSockets;
    clock: Clock;
    onError: (error: unknown) => void;
}

export class ChatDesk {
    constructor(private readonly deps: ChatDeskDeps) {}

    /** The visitor asked for a chat (or wrote while none was open): a Requested conversation with the rule's deadline. */
    async request(visit: LiveVisit, message: string): Promise<void> {
        const { pipeline, clock } = this.deps;
        const session = visit.session;
        if (session.chat.state === 'requested' || session.chat.state === 'conversation') {
            if (message) await this.visitorSays(visit, message);
            pipeline.refresh(visit);
            return;
        }
        const now = clock.now();
        const shown = pipeline.current(visit)?.streams.shown;
        const conversation = await this.deps.conversations.start({
            ...(session.visitorRecordId ? { visitorRecordId: session.visitorRecordId } : {}),
            status: 'Requested',
            origin: 'Chat_Request',
            ...(shown ? { streamId: shown } : {})
        });
        // Provisional until the routing rule answers with its own timeout just below; decided
        // without publishing, so no card shows the provisional countdown (chat requests go
        // out at once, not at the end of a window).
        session.chat = {
            state: 'requested',
            requestedAt: now,
            deadline: now + DEFAULT_CHAT_TIMEOUT_SECONDS * 1000,
            secondsTotal: DEFAULT_CHAT_TIMEOUT_SECONDS,
            conversationId: conversation.id
        };
        if (message) await this.visitorSays(visit, message);
        const decision = pipeline.decide(visit);
        if (
            decision.routing.experience === 'meeting-booker' ||
            decision.routing.experience === 'unrouted'
        ) {
            this.toMeetingBooker(visit);
            return;
        }
        const deadline = decision.routing.chatDeadline ?? session.chat.deadline;
        session.chat = {
            ...session.chat,
            deadline,
            secondsTotal: Math.round((deadline - now) / 1000)
        };
        visit.deadlineTimer?.cancel();
        visit.deadlineTimer = clock.setTimeout(
            () => this.deadlineReached(visit, conversation.id),
            Math.max(0, deadline - now)
        );
        pipeline.refresh(visit);
        this.notify(visit);
    }

    /** A rep claimed the visit: the visitor is connected to them. */
    connected(visit: LiveVisit, claim: Claim): void {
        visit.deadlineTimer?.cancel();
        visit.session.chat = {
            state: 'conversation',
            conversationId: claim.conversationId,
            repId: claim.userId,
            repName: claim.userName,
            repTitle: this.deps.decisions.user(claim.userId)?.title ?? ''
        };
        this.deps.pipeline.refresh(visit);
        this.notify(visit);
    }

    /** The conversation was ended by the rep. */
    ended(visit: LiveVisit, conversationId: string): void {
        visit.session.chat = { state: 'ended', conversationId };
        this.deps.pipeline.refresh(visit);
        this.notify(visit);
    }

    /** The visit itself ended (the visitor left): its conversation ends too, on the timeline. */
    visitEnded(visit: LiveVisit, claim: Claim | undefined): void {
        if (!claim) return;
        this.deps.conversations
            .end(
                claim.conversationId,
                new Date(this.deps.clock.now()).toISOString(),
                activitySubject(visit, this.deps.decisions)
            )
            .catch(this.deps.onError);
    }

    private deadlineReached(visit: LiveVisit, conversationId: string): void {
        const chat = visit.session.chat;
        if (chat.state !== 'requested' || chat.conversationId !== conversationId) return;
        if (this.deps.decisions.claimOf(visit.session.sessionId)) return;
        this.toMeetingBooker(visit);
    }

    private toMeetingBooker(visit: LiveVisit): void {
        const { clock } = this.deps;
        const session = visit.session;
        const chat = session.chat;
        const requestedAt = chat.state === 'requested' ? chat.requestedAt : clock.now();
        const conversationId = chat.state === 'requested' ? chat.conversationId : undefined;
        session.chat = {
            state: 'meeting-booker',
            at: clock.now(),
            requestedAt,
            ...(conversationId ? { conversationId } : {})
        };
        if (conversationId)
            this.deps.conversations
                .update(conversationId, { status: 'Missed' })
                .catch(this.deps.onError);
        visit.deadlineTimer?.cancel();
        this.deps.pipeline.refresh(visit);
        this.notify(visit);
    }

    /** The chat as the visitor's widget shows it. */
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

    private notify(visit: LiveVisit): void {
        this.deps.visitorSockets.send(visit.session.sessionId, {
            type: 'chat',
            chat: this.visitorChat(visit.session)
        });
    }

    /** The rep a meeting is booked with: the routed rep, else the account owner, else the first available rep. */
    bookerRep(session: LiveSession): { id: string; name: string; timeZone?: string } | undefined {
        const { visits, pipeline, decisions } = this.deps;
        const visit = visits.get(session.sessionId);
        const decision = visit ? pipeline.current(visit) : undefined;
        const candidates = [
            decision?.routing.assignedTo,
            ...(decision?.routing.offeredTo ?? []),
            session.salesforce?.account?.ownerId,
            ...decisions
                .reps()
                .filter((r) => r.status === 'available')
                .map((r) => r.userId)
        ];
        for (const id of candidates) {
            const user = id ? decisions.user(id) : undefined;
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
        const { message, duplicate } = await this.deps.conversations.add(
            conversationId,
            {
                sender: 'Visitor',
                body,
                sentAt: new Date(this.deps.clock.now()).toISOString(),
                ...(clientMessageId ? { clientMessageId } : {})
            },
            displayName(visit.session)
        );
        if (!duplicate && chat.state === 'conversation')
            this.deps.publisher.chat(chat.repId, { conversationId, message });
        return message;
    }

    /** A message on the visitor socket: stored, acknowledged, passed to the rep. Starts a chat request when none is open. */
    async visitorMessage(
        visitId: string,
        clientMessageId: string,
        body: string
    ): Promise<GatewayToVisitor[]> {
        const visit = this.deps.visits.get(visitId);
        if (!visit)
            return [
                { type: 'error', message: 'This visit is not live yet: send a page view first.' }
            ];
        await visit.ready;
        const state = visit.session.chat.state;
        if (state !== 'requested' && state !== 'conversation') await this.request(visit, '');
        const message = await this.visitorSays(visit, body, clientMessageId);
        if (!message) return [{ type: 'error', message: 'Nobody can take this chat right now.' }];
        return [{ type: 'delivered', clientMessageId, id: message.id }];
    }

    visitorTyping(visitId: string, typing: boolean): void {
        const visit = this.deps.visits.get(visitId);
        const chat = visit?.session.chat;
        if (visit && chat?.state === 'conversation') {
            this.deps.publisher.chat(chat.repId, {
                conversationId: chat.conversationId,
                typing: { typing, senderName: displayName(visit.session) }
            });
        }
    }

    async visitorTranscript(visitId: string): Promise<ChatMessage[]> {
        const visit = this.deps.visits.get(visitId);
        const chat = visit?.session.chat;
        const id = chat && 'conversationId' in chat ? chat.conversationId : undefined;
        return visit && id
            ? this.deps.conversations.transcript(id, displayName(visit.session))
            : [];
    }

    /** A rep's message: stored once (by clientMessageId), then shown on the visitor's chat. */
    async repSays(
        user: ActingUser,
        conversationId: string,
        body: string,
        clientMessageId?: string
    ): Promise<ChatMessage> {
        const visit = this.deps.visits.ofConversation(conversationId);
        const { message, duplicate } = await this.deps.conversations.add(
            conversationId,
            {
                sender: 'Rep',
                senderUserId: user.id,
                body,
                sentAt: new Date(this.deps.clock.now()).toISOString(),
                ...(clientMessageId ? { clientMessageId } : {})
            },
            visit ? displayName(visit.session) : 'Visitor'
        );
        if (!duplicate && visit) {
            this.deps.visitorSockets.send(visit.session.sessionId, {
                type: 'message',
                id: message.id,
                ...(message.clientMessageId ? { clientMessageId: message.clientMessageId } : {}),
                sender: 'Rep',
                senderName: message.senderName,
                body: message.body,
                sentAt: message.sentAt
            });
            this.deps.publisher.chat(user.id, { conversationId, message });
        }
        return message;
    }

    /** "Maya is typing…" on the visitor's chat. */
    repTyping(user: ActingUser, conversationId: string, typing: boolean): void {
        const visit = this.deps.visits.ofConversation(conversationId);
        if (visit)
            this.deps.visitorSockets.send(visit.session.sessionId, {
                type: 'typing',
                typing,
                senderName: user.name
            });
    }
}
