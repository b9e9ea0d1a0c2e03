/**
 * The conversation with a visitor. Presentational: takes the messages (with the rep's own
 * pending ones and their state) and emits `send` with the text as detail, and `typing`
 * (true/false) when the rep starts or stops writing.
 */
import { LightningElement, api } from 'lwc';

/** After this long without a keystroke the visitor stops seeing "typing…". */
const TYPING_PAUSE_MS = 4000;

export interface ChatLine {
    id: string;
    sender: 'Visitor' | 'Rep' | 'Bot' | 'System';
    senderName: string;
    body: string;
    sentAt: string;
    /** For the rep's own messages. */
    status?: 'sending' | 'sent' | 'delivered' | 'failed';
}

const timeFormat = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' });

export default class VisitorChat extends LightningElement {
    @api messages: ChatLine[] = [];
    /** "Dana is typing…" when the visitor types. */
    @api typingName = '';
    @api canSend = false;
    @api placeholder = 'Write a message';

    private typing = false;
    private typingTimer: ReturnType<typeof setTimeout> | undefined;

    draft = '';

    renderedCallback(): void {
        const log = this.template?.querySelector('[data-id="log"]');
        if (log) log.scrollTop = log.scrollHeight;
    }

    get lines() {
        return this.messages.map((m) => {
            const mine = m.sender === 'Rep';
            const system = m.sender === 'System';
            return {
                ...m,
                key: m.id,
                itemClass: `slds-chat-listitem ${system ? 'slds-chat-listitem_event' : mine ? 'slds-chat-listitem_outbound' : 'slds-chat-listitem_inbound'}`,
                textClass: `slds-chat-message__text ${mine ? 'slds-chat-message__text_outbound' : 'slds-chat-message__text_inbound'}`,
                isSystem: system,
                meta: `${m.senderName} • ${this.time(m.sentAt)}${m.status ? ` • ${this.statusLabel(m.status)}` : ''}`
            };
        });
    }

    get isEmpty(): boolean {
        return this.messages.length === 0;
    }

    get typingLabel(): string {
        return this.typingName ? `${this.typingName} is typing…` : '';
    }

    get sendDisabledBox(): boolean {
        return !this.canSend;
    }

    get sendDisabled(): boolean {
        return !this.canSend || this.draft.trim() === '';
    }

    handleInput(event: Event): void {
        this.draft = (event.target as HTMLTextAreaElement).value;
        this.signalTyping(this.draft.trim() !== '');
    }

    disconnectedCallback(): void {
        clearTimeout(this.typingTimer);
    }

    /**
     * Tells the container when the rep starts or stops typing (`typing`, detail true/false),
     * once per change: a pause of TYPING_PAUSE_MS counts as stopping.
     */
    private signalTyping(typing: boolean): void {
        clearTimeout(this.typingTimer);
        if (typing) {
            // eslint-disable-next-line @lwc/lwc/no-async-operation
            this.typingTimer = setTimeout(() => this.signalTyping(false), TYPING_PAUSE_MS);
        }
        if (typing === this.typing) return;
        this.typing = typing;
        this.dispatchEvent(new CustomEvent('typing', { detail: typing }));
    }

    /** Puts the cursor in the message box (after a pounce, the rep's next step). */
    @api
    focusComposer(): boolean {
        const box = this.template!.querySelector(
            '[data-id="composer"]'
        ) as HTMLTextAreaElement | null;
        if (!box || box.disabled) return false;
        box.focus();
        return true;
    }

    handleKeydown(event: KeyboardEvent): void {
        if (event.key === 'Enter' && !event.shiftKey) {
            event.preventDefault();
            this.send();
        }
    }

    handleSend(): void {
        this.send();
    }

    private send(): void {
        const body = this.draft.trim();
        if (!body || !this.canSend) return;
        this.dispatchEvent(new CustomEvent('send', { detail: body }));
        this.signalTyping(false);
        this.draft = '';
        const box = this.template?.querySelector('textarea');
        if (box) box.value = '';
    }

    private time(iso: string): string {
        const at = Date.parse(iso);
        return Number.isNaN(at) ? '' : timeFormat.format(at);
    }

    private statusLabel(status: NonNullable<ChatLine['status']>): string {
        return { sending: 'Sending…', sent: 'Sent', delivered: 'Delivered', failed: 'Not sent' }[
            status
        ];
    }
}
