/**
 * Visitor 360: the page the visitor is on now, their tabs, digital body language (pages
 * with dwell and scroll depth; a reading signal past ~15 %), firmographics, the Salesforce
 * records, routing, and the conversation — with Pounce / Start a conversation and Create
 * Lead. Loads the detail itself; the console passes the latest card and chat events.
 */
import { LightningElement, api } from 'lwc';
import { reduceErrors } from 'c/ldsUtils';
import { NavigationMixin, type PageReference } from 'lightning/navigation';
import { ShowToastEvent } from 'lightning/platformShowToastEvent';
import getVisitorDetail from '@salesforce/apex/SightlineGatewayController.getVisitorDetail';
import pounce from '@salesforce/apex/SightlineGatewayController.pounce';
import acceptChat from '@salesforce/apex/SightlineGatewayController.acceptChat';
import sendMessage from '@salesforce/apex/SightlineGatewayController.sendMessage';
import setTyping from '@salesforce/apex/SightlineGatewayController.setTyping';
import endConversation from '@salesforce/apex/SightlineGatewayController.endConversation';
import type {
    ChatMessage,
    ChatChange,
    VisitorCard,
    VisitorDetail
} from '../sightlineLive/liveContract';
import type { ChatLine } from '../visitorChat/visitorChat';
import {
    bandClass,
    experienceLabel,
    formatAmount,
    formatDuration,
    initialOf,
    locationLabel,
    logoColor,
    formatCountdown,
    secondsUntil,
    onClockTick
} from 'c/visitorFormat';
import { focusFirstOf, hasFocus, tabbablesIn } from 'c/consoleFocus';

/** The method NavigationMixin adds (the platform's typings leave it out). */
type Navigable = { [key: symbol]: (pageRef: PageReference) => void };

/** Scroll depth past which a page counts as read. */
export const READING_THRESHOLD = 0.15;
const TYPING_CLEARS_AFTER_MS = 6000;

let clientSeq = 0;
function newClientMessageId(): string {
    clientSeq += 1;
    return `rep-${Date.now().toString(36)}-${clientSeq}-${Math.random().toString(36).slice(2, 8)}`;
}

export default class VisitorConsole extends NavigationMixin(LightningElement) {
    @api streamName = '';
    @api streamColor = '';
    @api repId = '';
    /** The visitor left (or is no longer routed to this rep) while the panel is open. */
    @api gone = false;
    /**
     * Where focus goes when the panel opens: its heading, or (opened by a pounce from a
     * card) the message box as soon as the conversation is the rep's.
     */
    @api initialFocus: 'heading' | 'composer' = 'heading';

    detail: VisitorDetail | undefined;
    errorMessage = '';
    loading = false;
    claiming = false;
    claimMessage = '';
    showLeadForm = false;
    messages: ChatLine[] = [];
    typingName = '';
    now = Date.now();

    private _visitorId = '';
    private _card: VisitorCard | undefined;
    private typingTimer: ReturnType<typeof setTimeout> | undefined;
    private stopClock: (() => void) | undefined;
    private lastPageUrl = '';
    private focusedOnOpen = false;
    /** A claim won: the message box takes focus once the conversation is the rep's. */
    private composerFocusPending = false;

    @api
    get visitorId(): string {
        return this._visitorId;
    }
    set visitorId(value: string) {
        if (value === this._visitorId) return;
        this._visitorId = value;
        this.detail = undefined;
        this.messages = [];
        this.showLeadForm = false;
        this.claimMessage = '';
        if (value) this.load();
    }

    /** The latest card from the live stream: it keeps the header current between loads. */
    @api
    get card(): VisitorCard | undefined {
        return this._card;
    }
    set card(value: VisitorCard | undefined) {
        const previous = this._card;
        this._card = value;
        this.now = Date.now();
        // A new page or a new conversation: the detail (timeline, history) is out of date.
        if (
            previous &&
            value &&
            this.detail &&
            (value.currentPage.url !== this.lastPageUrl || value.chat.state !== previous.chat.state)
        ) {
            this.load();
        }
    }

    /** A chat event for any conversation; the console forwards them all. */
    @api
    receiveChat(event: ChatChange): void {
        if (!this.conversationId || event.conversationId !== this.conversationId) return;
        if (event.message) this.upsertMessage(event.message, 'delivered');
        if (event.typing) {
            clearTimeout(this.typingTimer);
            this.typingName = event.typing.typing ? event.typing.senderName : '';
            if (event.typing.typing) {
                // eslint-disable-next-line @lwc/lwc/no-async-operation
                this.typingTimer = setTimeout(() => {
                    this.typingName = '';
                }, TYPING_CLEARS_AFTER_MS);
            }
        }
    }

    /** The buying committee: others from the same Account on the site now. */
    get committee(): VisitorCard['committee'] {
        return this._card?.committee;
    }

    get committeeTitle(): string {
        const c = this._card?.committee;
        return c ? `Buying committee: ${c.count} from ${c.accountName} on the site` : '';
    }

    /** From the live card, so the checklist changes as the visitor scrolls or goes idle. */
    get pounceSignal(): VisitorCard['pounce'] {
        return this._card?.pounce;
    }

    connectedCallback(): void {
        this.stopClock = onClockTick((now) => {
            this.now = now;
        });
    }

    disconnectedCallback(): void {
        this.stopClock?.();
        clearTimeout(this.typingTimer);
    }

    renderedCallback(): void {
        if (!this.focusedOnOpen) {
            // The dialog pattern: focus moves into the panel when it opens.
            this.focusedOnOpen = true;
            if (this.initialFocus === 'composer') this.composerFocusPending = true;
            this.focusTitle();
        }
        if (this.composerFocusPending && this.inMyConversation) {
            const chat = this.template!.querySelector('c-visitor-chat') as unknown as {
                focusComposer(): boolean;
            } | null;
            if (chat?.focusComposer()) this.composerFocusPending = false;
        }
    }

    private focusTitle(): void {
        (this.template!.querySelector('[data-id="title"]') as HTMLElement | null)?.focus();
    }

    /** Shift+Tab from the first control wraps to the last one. */
    handleTrapStart(): void {
        const all = tabbablesIn(this.template!);
        if (!focusFirstOf(all.reverse(), hasFocus)) this.focusTitle();
    }

    /** Tab from the last control wraps to the first one. */
    handleTrapEnd(): void {
        if (!focusFirstOf(tabbablesIn(this.template!), hasFocus)) this.focusTitle();
    }

    private async load(): Promise<void> {
        const visitorId = this._visitorId;
        this.loading = !this.detail;
        try {
            const detail = await getVisitorDetail({ visitorId });
            if (visitorId !== this._visitorId) return;
            this.detail = detail;
            this.lastPageUrl = detail.card.currentPage.url;
            this.errorMessage = '';
            this.mergeHistory(detail.conversation?.messages ?? []);
        } catch (error) {
            if (visitorId === this._visitorId)
                this.errorMessage = reduceErrors(error, 'The visitor could not be loaded.');
        } finally {
            this.loading = false;
        }
    }

    // ---- header ----

    get current(): VisitorCard | undefined {
        return this._card ?? this.detail?.card;
    }

    get name(): string {
        return this.current?.displayName ?? 'Visitor';
    }

    get subtitle(): string {
        const c = this.current;
        if (!c) return '';
        return [
            c.identity === 'person' ? c.company?.name : c.company?.industry,
            locationLabel(c.location)
        ]
            .filter(Boolean)
            .join(' · ');
    }

    get initial(): string {
        return initialOf(this.current?.company?.name ?? this.current?.displayName);
    }

    get logoStyle(): string {
        const c = this.current;
        return `background-color: ${logoColor(c?.company?.domain ?? c?.company?.name ?? c?.visitorKey)}`;
    }

    get streamStyle(): string {
        return `--stream-color: ${this.streamColor || '#747474'}`;
    }

    get bandClass(): string {
        return this.current ? bandClass(this.current.score.band) : 'slds-badge';
    }

    get bandLabel(): string {
        return this.current ? `${this.current.score.band} ${this.current.score.value}` : '';
    }

    get activityLabel(): string {
        return this.current?.active ? 'Active now' : 'Idle';
    }

    get timeOnSite(): string {
        const started = this.current ? Date.parse(this.current.startedAt) : NaN;
        return Number.isNaN(started) ? '' : formatDuration(this.now - started);
    }

    // ---- engagement ----

    get engagedByOther(): boolean {
        const by = this.current?.engagedBy;
        return Boolean(by && by.id !== this.repId);
    }

    get engagedLabel(): string {
        const by = this.current?.engagedBy;
        if (!by) return '';
        return by.id === this.repId ? 'You are engaging this visitor' : `${by.name} is engaging`;
    }

    get isRequested(): boolean {
        const chat = this.current?.chat;
        return chat?.state === 'requested' && secondsUntil(chat.deadline, this.now) > 0;
    }

    get countdownLabel(): string {
        const chat = this.current?.chat;
        return chat?.state === 'requested'
            ? `${formatCountdown(secondsUntil(chat.deadline, this.now))} left`
            : '';
    }

    get conversationId(): string | undefined {
        const chat = this.current?.chat;
        if (chat?.state === 'conversation') return chat.conversationId;
        return this.detail?.conversation?.id;
    }

    get inMyConversation(): boolean {
        const chat = this.current?.chat;
        if (chat?.state === 'conversation') return chat.rep.id === this.repId;
        const conversation = this.detail?.conversation;
        return Boolean(
            conversation && conversation.status === 'Active' && conversation.rep?.id === this.repId
        );
    }

    get showPounce(): boolean {
        return !this.isRequested && !this.inMyConversation;
    }

    get pounceDisabled(): boolean {
        return this.engagedByOther || this.claiming || this.gone;
    }

    get hasConversation(): boolean {
        return this.messages.length > 0 || this.inMyConversation;
    }

    get chatPlaceholder(): string {
        return this.inMyConversation ? `Message ${this.name}` : 'Pounce to start a conversation';
    }

    async handlePounce(): Promise<void> {
        await this.claim('pounce');
    }

    async handleAccept(): Promise<void> {
        await this.claim('accept');
    }

    private async claim(how: 'pounce' | 'accept'): Promise<void> {
        if (this.claiming) return;
        this.claiming = true;
        this.claimMessage = '';
        try {
            const visitorId = this._visitorId;
            const result = await (how === 'pounce'
                ? pounce({ visitorId })
                : acceptChat({ visitorId }));
            if (result.ok) {
                // The Pounce button is about to go: the message box is where the rep goes next.
                this.composerFocusPending = true;
                await this.load();
            } else {
                this.claimMessage = result.message || `${result.engagedBy.name} is engaging`;
            }
        } catch (error) {
            this.claimMessage = reduceErrors(error, 'The conversation could not be started.');
        } finally {
            this.claiming = false;
        }
    }

    async handleEnd(): Promise<void> {
        const conversationId = this.conversationId;
        if (!conversationId) return;
        try {
            await endConversation({ conversationId });
            await this.load();
        } catch (error) {
            this.toast(
                'error',
                'Could not end the conversation',
                reduceErrors(error, 'Try again.')
            );
        }
    }

    /** Best effort: a lost typing signal only means the visitor misses an indicator. */
    handleTyping(event: CustomEvent<boolean>): void {
        const conversationId = this.conversationId;
        if (!conversationId) return;
        setTyping({ conversationId, typing: event.detail }).catch(() => undefined);
    }

    async handleSend(event: CustomEvent<string>): Promise<void> {
        const conversationId = this.conversationId;
        if (!conversationId) return;
        const clientMessageId = newClientMessageId();
        const line: ChatLine = {
            id: clientMessageId,
            sender: 'Rep',
            senderName: 'You',
            body: event.detail,
            sentAt: new Date().toISOString(),
            status: 'sending'
        };
        this.messages = [...this.messages, line];
        try {
            const saved = await sendMessage({
                conversationId,
                body: event.detail,
                clientMessageId
            });
            this.setStatus(clientMessageId, 'sent', saved);
        } catch (error) {
            this.setStatus(clientMessageId, 'failed');
            this.toast('error', 'Message not sent', reduceErrors(error, 'Try again.'));
        }
    }

    private setStatus(
        clientMessageId: string,
        status: ChatLine['status'],
        saved?: ChatMessage
    ): void {
        this.messages = this.messages.map((m) => {
            if (m.id !== clientMessageId) return m;
            // Delivered (the echo came first) outranks sent.
            const next = m.status === 'delivered' ? 'delivered' : status;
            return { ...m, status: next, sentAt: saved?.sentAt ?? m.sentAt };
        });
    }

    private upsertMessage(message: ChatMessage, status: ChatLine['status']): void {
        const key = message.clientMessageId ?? message.id;
        const mine = message.sender === 'Rep' && this.messages.some((m) => m.id === key);
        if (mine) {
            this.messages = this.messages.map((m) => (m.id === key ? { ...m, status } : m));
            return;
        }
        if (this.messages.some((m) => m.id === message.id || m.id === key)) return;
        this.typingName = message.sender === 'Visitor' ? '' : this.typingName;
        this.messages = [
            ...this.messages,
            {
                id: key,
                sender: message.sender,
                senderName: message.senderName,
                body: message.body,
                sentAt: message.sentAt
            }
        ];
    }

    private mergeHistory(history: ChatMessage[]): void {
        const pending = this.messages.filter(
            (m) => m.status === 'sending' || m.status === 'failed'
        );
        const known = new Set(history.map((m) => m.clientMessageId ?? m.id));
        const lines: ChatLine[] = history.map((m) => ({
            id: m.clientMessageId ?? m.id,
            sender: m.sender,
            senderName: m.sender === 'Rep' && m.senderName ? m.senderName : m.senderName,
            body: m.body,
            sentAt: m.sentAt,
            ...(m.sender === 'Rep' ? { status: 'delivered' as const } : {})
        }));
        this.messages = [...lines, ...pending.filter((m) => !known.has(m.id))];
    }

    // ---- live page ----

    get page() {
        return this.current?.currentPage;
    }

    /** Only a page on this origin can be previewed (and then without scripts). */
    get canPreview(): boolean {
        const url = this.page?.url;
        if (!url) return false;
        try {
            return new URL(url).origin === window.location.origin;
        } catch {
            return false;
        }
    }

    get tabsLabel(): string {
        const n = this.detail?.tabsOpen ?? 1;
        return n === 1 ? '1 tab open' : `${n} tabs open`;
    }

    get timeline() {
        const pages = this.detail?.pages ?? [];
        const lastIndex = pages.length - 1;
        return pages
            .map((p, i) => {
                const depth = Math.round(Math.max(0, Math.min(1, p.scrollDepth)) * 100);
                const reading = p.readingSignal || p.scrollDepth >= READING_THRESHOLD;
                return {
                    key: `${i}-${p.enteredAt}`,
                    title: p.title || p.path,
                    path: p.path,
                    entered: this.clockTime(p.enteredAt),
                    dwell: formatDuration(p.dwellMs),
                    depthLabel: `${depth}% scrolled`,
                    depthStyle: `width: ${depth}%`,
                    reading,
                    isCurrent: i === lastIndex,
                    itemClass: `timeline__item${i === lastIndex ? ' timeline__item_current' : ''}`
                };
            })
            .reverse();
    }

    get hasTimeline(): boolean {
        return (this.detail?.pages.length ?? 0) > 0;
    }

    get readingCount(): number {
        return this.timeline.filter((p) => p.reading).length;
    }

    // ---- firmographics and Salesforce ----

    get facts() {
        const c = this.current;
        const d = this.detail;
        if (!c) return [];
        const rows: { key: string; label: string; value: string }[] = [];
        const add = (key: string, label: string, value: string | number | undefined) => {
            if (value !== undefined && value !== '')
                rows.push({ key, label, value: String(value) });
        };
        add('company', 'Company', c.company?.name ?? 'Unknown company');
        add('domain', 'Domain', c.company?.domain);
        add('industry', 'Industry', c.company?.industry);
        add('employees', 'Employees', c.company?.employees?.toLocaleString());
        add('location', 'Location', locationLabel(c.location));
        add('email', 'Email', c.email);
        add('visits', 'Visits', d?.visitCount);
        add(
            'device',
            'Device',
            d?.device ? `${d.device.type} · ${d.device.browser} · ${d.device.os}` : undefined
        );
        add('referrer', 'Referrer', d?.referrer);
        const utm = d?.utm
            ? Object.entries(d.utm)
                  .filter(([, v]) => Boolean(v))
                  .map(([k, v]) => `${k}=${String(v)}`)
                  .join(' · ')
            : '';
        add('utm', 'UTM', utm);
        return rows;
    }

    get records() {
        const sf = this.current?.salesforce;
        const rows: {
            key: string;
            type: string;
            icon: string;
            id: string;
            name: string;
            detail: string;
        }[] = [];
        if (!sf) return rows;
        if (sf.account) {
            rows.push({
                key: 'account',
                type: 'Account',
                icon: 'standard:account',
                id: sf.account.id,
                name: sf.account.name,
                detail: [
                    sf.account.targetAccount ? 'Target account' : '',
                    sf.account.owner ? `Owner ${sf.account.owner.name}` : ''
                ]
                    .filter(Boolean)
                    .join(' · ')
            });
        }
        if (sf.opportunity) {
            rows.push({
                key: 'opportunity',
                type: 'Opportunity',
                icon: 'standard:opportunity',
                id: sf.opportunity.id,
                name: sf.opportunity.name,
                detail: [
                    sf.opportunity.stage,
                    formatAmount(sf.opportunity.amount),
                    sf.opportunity.owner ? `Owner ${sf.opportunity.owner.name}` : ''
                ]
                    .filter(Boolean)
                    .join(' · ')
            });
        }
        if (sf.contact)
            rows.push({
                key: 'contact',
                type: 'Contact',
                icon: 'standard:contact',
                id: sf.contact.id,
                name: sf.contact.name,
                detail: [sf.contact.owner ? `Owner ${sf.contact.owner.name}` : '', this.typedNote]
                    .filter(Boolean)
                    .join(' · ')
            });
        if (sf.lead)
            rows.push({
                key: 'lead',
                type: 'Lead',
                icon: 'standard:lead',
                id: sf.lead.id,
                name: sf.lead.name,
                detail: [
                    sf.lead.status,
                    sf.lead.owner ? `Owner ${sf.lead.owner.name}` : '',
                    sf.contact ? '' : this.typedNote
                ]
                    .filter(Boolean)
                    .join(' · ')
            });
        const linked = this.detail?.linkedLeadId;
        if (linked && sf.lead?.id !== linked)
            rows.push({
                key: 'linked',
                type: 'Lead',
                icon: 'standard:lead',
                id: linked,
                name: 'Lead created from this visitor',
                detail: ''
            });
        return rows;
    }

    /** What the visitor typed, when it is not the matched record's name: shown as typed. */
    get typedNote(): string {
        const typed = this.current?.typedName;
        return typed ? `typed “${typed}” in a form` : '';
    }

    get hasRecords(): boolean {
        return this.records.length > 0;
    }

    get canCreateLead(): boolean {
        const sf = this.current?.salesforce;
        return !this.detail?.linkedLeadId && !sf?.lead && !sf?.contact;
    }

    get routing() {
        const r = this.current?.routing;
        // The trace holds only the rules tested before the deciding one (the reason says that one).
        const trace = (this.detail?.routingTrace ?? []).map((line, i) => ({
            key: String(i),
            line
        }));
        return {
            experience: r ? experienceLabel(r.experience) : '',
            reason: r?.reason || 'No routing rule matched.',
            routedTo: r?.routedTo.length ? r.routedTo.map((u) => u.name).join(', ') : 'Nobody',
            trace,
            hasTrace: trace.length > 0
        };
    }

    get scoreReasons() {
        return (this.detail?.scoreReasons ?? []).map((r, i) => ({
            key: String(i),
            label: r.label,
            points: `+${r.points}`
        }));
    }

    handleRecordClick(event: Event): void {
        event.preventDefault();
        const recordId = (event.currentTarget as HTMLElement).dataset.recordId;
        if (!recordId) return;
        (this as unknown as Navigable)[NavigationMixin.Navigate]!({
            type: 'standard__recordPage',
            attributes: { recordId, actionName: 'view' }
        });
    }

    handleCreateLead(): void {
        this.showLeadForm = true;
    }

    handleLeadCancel(): void {
        this.showLeadForm = false;
    }

    async handleLeadLinked(): Promise<void> {
        this.showLeadForm = false;
        await this.load();
    }

    handleClose(): void {
        this.dispatchEvent(new CustomEvent('close'));
    }

    /** Escape closes the panel from anywhere inside it. */
    handleKeydown(event: KeyboardEvent): void {
        if (event.key !== 'Escape') return;
        event.preventDefault();
        event.stopPropagation();
        this.handleClose();
    }

    private clockTime(iso: string): string {
        const at = Date.parse(iso);
        return Number.isNaN(at)
            ? ''
            : new Date(at).toLocaleTimeString(undefined, {
                  hour: '2-digit',
                  minute: '2-digit',
                  second: '2-digit'
              });
    }

    private toast(variant: 'success' | 'error' | 'warning', title: string, message: string): void {
        this.dispatchEvent(new ShowToastEvent({ title, message, variant }));
    }
}
