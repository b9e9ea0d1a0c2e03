/**
 * Chat transcripts: Conversation__c and Conversation_Message__c records through the CRM
 * port, so a rep who reloads — or a gateway that restarts — sees the whole history.
 * A resent message (same clientMessageId) is stored once.
 */
import type { ChatMessage } from '../contracts/liveContract';
import type { CrmConversation, CrmMessage, CrmPort } from '../crm/crmPort';
import { UserFacingError } from '../actions/userFacingError';
import { conversationTask, type ActivitySubject } from './conversationActivity';

export class Conversations {
    /** Conversations already marked Visitor_Replied__c by this process (the mark is idempotent). */
    private readonly replied = new Set<string>();

    constructor(
        private readonly crm: CrmPort,
        private readonly nameOf: (userId: string) => string,
        private readonly onError: (error: unknown) => void = () => {}
    ) {}

    start(fields: Omit<CrmConversation, 'id'>): Promise<CrmConversation> {
        return this.crm.createConversation(fields);
    }

    get(id: string): Promise<CrmConversation | undefined> {
        return this.crm.getConversation(id);
    }

    update(id: string, fields: Partial<Omit<CrmConversation, 'id'>>): Promise<CrmConversation> {
        return this.crm.updateConversation(id, fields);
    }

    /**
     * Ends the conversation and logs it on the CRM timeline as a completed Task (when a rep
     * took part). Ending twice logs once. A Task the org refuses does not undo the end: the
     * rep's action succeeds and the refusal is reported to the gateway's log.
     */
    async end(conversationId: string, endedAt: string, subject: ActivitySubject): Promise<void> {
        const current = await this.crm.getConversation(conversationId);
        if (!current || current.status === 'Ended') return;
        const ended = await this.crm.updateConversation(conversationId, {
            status: 'Ended',
            endedAt
        });
        try {
            const messages = await this.transcript(conversationId, subject.visitorName);
            const task = conversationTask(ended, subject, messages);
            if (task) await this.crm.createTask(task);
        } catch (error) {
            this.onError(error);
        }
    }

    async add(
        conversationId: string,
        message: {
            sender: CrmMessage['sender'];
            body: string;
            senderUserId?: string;
            clientMessageId?: string;
            sentAt: string;
        },
        visitorName: string
    ): Promise<{ message: ChatMessage; duplicate: boolean }> {
        const stored = await this.crm.addMessage({ conversationId, ...message });
        if (stored.duplicate && stored.message.conversationId !== conversationId) {
            throw new UserFacingError('This message id is already used.', 409);
        }
        if (message.sender === 'Visitor' && !this.replied.has(conversationId)) {
            // The pounce became a conversation: what the reports' pounce → conversation rate sums.
            await this.crm.updateConversation(conversationId, { visitorReplied: true });
            this.replied.add(conversationId);
        }
        return { message: this.toChat(stored.message, visitorName), duplicate: stored.duplicate };
    }

    async transcript(conversationId: string, visitorName: string): Promise<ChatMessage[]> {
        return (await this.crm.messages(conversationId)).map((m) => this.toChat(m, visitorName));
    }

    toChat(m: CrmMessage, visitorName: string): ChatMessage {
        const senderName =
            m.sender === 'Rep' && m.senderUserId
                ? this.nameOf(m.senderUserId)
                : m.sender === 'Visitor'
                  ? visitorName
                  : m.sender === 'Bot'
                    ? 'Sightline bot'
                    : 'Sightline';
        return {
            id: m.id,
            ...(m.clientMessageId ? { clientMessageId: m.clientMessageId } : {}),
            sender: m.sender,
            senderName,
            body: m.body,
            sentAt: m.sentAt
        };
    }
}
