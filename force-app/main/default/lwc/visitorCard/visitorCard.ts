/**
 * One visitor, as a card (live view, map) or a condensed row (list view). Presentational:
 * it takes the card and emits `open`, `pounce` and `accept` with the visit id as detail.
 */
import { LightningElement, api } from 'lwc';
import type { VisitorCard as Card } from '../sightlineLive/liveContract';
import {
    bandClass,
    chatLabel,
    experienceLabel,
    formatAmount,
    formatDuration,
    initialOf,
    locationLabel,
    logoColor,
    onClockTickWhileVisible,
    formatCountdown,
    secondsUntil
} from 'c/visitorFormat';

interface Badge {
    key: string;
    label: string;
    title: string;
    icon: string;
}

export default class VisitorCard extends LightningElement {
    /**
     * The visitor. A changed card is read against the time it arrived, not the last tick of
     * the shared clock (up to a second old), so a new countdown never starts above its timeout.
     */
    @api
    get card(): Card | undefined {
        return this._card;
    }
    set card(value: Card | undefined) {
        this._card = value;
        this.now = Date.now();
    }
    /** Name and colour of the stream the card is shown in (colour is never alone). */
    @api streamName = '';
    @api streamColor = '';
    /** The signed-in rep: another rep engaging the visitor disables pounce. */
    @api repId = '';
    /** `card` (default) or `row`, the list view's condensed form. */
    @api variant: 'card' | 'row' = 'card';
    /**
     * Set on every card of a stream but one (roving focus: one card per stream is reached
     * with Tab, the others with the arrow keys). Its buttons follow it out of the tab order.
     */
    @api outsideTabOrder = false;

    /** Focuses the card itself (the board restores focus here after a live update). */
    @api
    focus(): void {
        (this.template!.querySelector('[data-id="visitor-card"]') as HTMLElement | null)?.focus();
    }

    now = Date.now();
    private _card: Card | undefined;
    private stopClock: (() => void) | undefined;

    connectedCallback(): void {
        this.stopClock = onClockTickWhileVisible(this.template!.host, (now) => {
            this.now = now;
        });
    }

    disconnectedCallback(): void {
        this.stopClock?.();
    }

    get cardId(): string {
        return this.card?.id ?? '';
    }

    get cardTabIndex(): string {
        return this.outsideTabOrder ? '-1' : '0';
    }

    get isRow(): boolean {
        return this.variant === 'row';
    }

    get containerClass(): string {
        const c = this.card;
        return [
            this.isRow ? 'visitor visitor_row' : 'visitor slds-box slds-box_x-small',
            c && !c.active ? 'visitor_idle' : '',
            this.isRequested ? 'visitor_requested' : ''
        ]
            .filter(Boolean)
            .join(' ');
    }

    get name(): string {
        return this.card?.displayName || 'Anonymous visitor';
    }

    /**
     * The company under a person's name (and, when the visitor typed another name than the
     * matched record's, what they typed); the industry under a company's.
     */
    get subtitle(): string {
        const c = this.card;
        if (!c) return '';
        const typed = c.typedName ? `typed “${c.typedName}”` : '';
        if (c.identity === 'person' && (c.company?.name || typed))
            return [c.company?.name, typed].filter(Boolean).join(' · ');
        if (c.company?.industry) return c.company.industry;
        return c.identity === 'anonymous' ? 'Unknown company' : '';
    }

    get ariaLabel(): string {
        const c = this.card;
        if (!c) return '';
        const parts = [
            this.name,
            this.subtitle,
            this.streamName && `stream ${this.streamName}`,
            this.location,
            `score ${c.score.band}`,
            this.activityLabel
        ];
        if (this.engagedLabel) parts.push(this.engagedLabel);
        if (this.isRequested) parts.push(`asked to chat, ${this.secondsLeft} seconds left`);
        return parts.filter(Boolean).join(', ');
    }

    get initial(): string {
        return initialOf(this.card?.company?.name ?? this.card?.displayName);
    }

    get logoStyle(): string {
        return `background-color: ${logoColor(this.card?.company?.domain ?? this.card?.company?.name ?? this.card?.visitorKey)}`;
    }

    get streamStyle(): string {
        return `--stream-color: ${this.streamColor || '#747474'}`;
    }

    get location(): string {
        return locationLabel(this.card?.location);
    }

    get pageTitle(): string {
        const page = this.card?.currentPage;
        return page ? page.title || page.path : '';
    }

    get pagePath(): string {
        return this.card?.currentPage.path ?? '';
    }

    get timeOnSite(): string {
        const started = this.card ? Date.parse(this.card.startedAt) : NaN;
        return Number.isNaN(started) ? '' : formatDuration(this.now - started);
    }

    get pageCountLabel(): string {
        const n = this.card?.pageCount ?? 0;
        return n === 1 ? '1 page' : `${n} pages`;
    }

    get bandLabel(): string {
        const s = this.card?.score;
        return s ? `${s.band} ${s.value}` : '';
    }

    get bandTitle(): string {
        return this.card
            ? `Engagement score ${this.card.score.value} of 100 (${this.card.score.band})`
            : '';
    }

    get bandClass(): string {
        return this.card ? bandClass(this.card.score.band) : 'slds-badge';
    }

    /** A buying committee: "3 from Acme on the site" (the console sets `committee`). */
    get committeeLabel(): string {
        const c = this.card?.committee;
        return c ? `${c.count} from ${c.accountName} on the site` : '';
    }

    get committeeTitle(): string {
        const c = this.card?.committee;
        return c ? `Also on the site: ${c.others.map((o) => o.name).join(', ')}` : '';
    }

    get pounceSignal(): Card['pounce'] {
        return this.card?.pounce;
    }

    get activityLabel(): string {
        return this.card?.active ? 'Active' : 'Idle';
    }

    get activityClass(): string {
        return this.card?.active ? 'activity activity_active' : 'activity activity_idle';
    }

    get chatText(): string {
        return this.card ? chatLabel(this.card.chat) : '';
    }

    /** The request and the meeting booker have their own line in the actions: said once. */
    get hasChatText(): boolean {
        return Boolean(this.chatText) && !this.isRequested && !this.wentToBooker;
    }

    get badges(): Badge[] {
        const sf = this.card?.salesforce;
        if (!sf) return [];
        const badges: Badge[] = [];
        if (sf.account?.targetAccount)
            badges.push({
                key: 'target',
                label: 'Target account',
                title: `${sf.account.name} is a target account`,
                icon: 'utility:target'
            });
        if (sf.opportunity) {
            const amount = formatAmount(sf.opportunity.amount);
            const label = [sf.opportunity.stage, amount].filter(Boolean).join(' · ');
            badges.push({
                key: 'opp',
                label,
                title: `Open opportunity ${sf.opportunity.name}: ${label}`,
                icon: 'utility:opportunity'
            });
        }
        if (sf.contact)
            badges.push({
                key: 'contact',
                label: 'Contact',
                title: `Contact: ${sf.contact.name}`,
                icon: 'utility:user'
            });
        else if (sf.lead)
            badges.push({
                key: 'lead',
                label: sf.lead.status ? `Lead · ${sf.lead.status}` : 'Lead',
                title: `Lead: ${sf.lead.name}`,
                icon: 'utility:lead'
            });
        const owner =
            sf.opportunity?.owner ?? sf.account?.owner ?? sf.contact?.owner ?? sf.lead?.owner;
        if (owner)
            badges.push({
                key: 'owner',
                label: `Owner: ${owner.name}`,
                title: `Record owner: ${owner.name}`,
                icon: 'utility:user_role'
            });
        return badges;
    }

    get hasBadges(): boolean {
        return this.badges.length > 0;
    }

    get routingStatus(): string {
        const r = this.card?.routing;
        if (!r) return '';
        if (r.routedTo.length === 0) return experienceLabel(r.experience);
        const names = r.routedTo.map((u) => (u.id === this.repId ? 'you' : u.name));
        return `Routed to ${names.join(', ')}`;
    }

    get experience(): string {
        return this.card ? experienceLabel(this.card.routing.experience) : '';
    }

    get routingReason(): string {
        return this.card?.routing.reason || 'No routing rule matched.';
    }

    get routedTo(): string {
        const to = this.card?.routing.routedTo ?? [];
        return to.length ? to.map((u) => u.name).join(', ') : 'Nobody';
    }

    get ruleName(): string {
        return this.card?.routing.ruleName ?? '';
    }

    get pinLabel(): string {
        return `Routing details for ${this.name}`;
    }

    get engagedByOther(): boolean {
        const by = this.card?.engagedBy;
        return Boolean(by && by.id !== this.repId);
    }

    get engagedByMe(): boolean {
        const by = this.card?.engagedBy;
        return Boolean(by && by.id === this.repId);
    }

    get engagedLabel(): string {
        const by = this.card?.engagedBy;
        if (!by) return '';
        return by.id === this.repId ? 'You are engaging' : `${by.name} is engaging`;
    }

    get isRequested(): boolean {
        return this.card?.chat.state === 'requested';
    }

    get secondsLeft(): number {
        const chat = this.card?.chat;
        return chat?.state === 'requested' ? secondsUntil(chat.deadline, this.now) : 0;
    }

    get countdownExpired(): boolean {
        return this.isRequested && this.secondsLeft === 0;
    }

    get countdownActive(): boolean {
        return this.isRequested && this.secondsLeft > 0 && !this.card?.engagedBy;
    }

    get countdownLabel(): string {
        return formatCountdown(this.secondsLeft);
    }

    get countdownStyle(): string {
        const chat = this.card?.chat;
        const total = chat?.state === 'requested' ? chat.secondsTotal : 30;
        const left = total > 0 ? Math.min(1, this.secondsLeft / total) : 0;
        // A transform, not a width: the compositor animates it without repainting the page.
        return `transform: scaleX(${left.toFixed(3)})`;
    }

    get wentToBooker(): boolean {
        return this.card?.chat.state === 'meeting-booker' || this.countdownExpired;
    }

    get showPounce(): boolean {
        return !this.isRequested && !this.engagedByMe && this.card?.chat.state !== 'conversation';
    }

    get pounceDisabled(): boolean {
        return this.engagedByOther;
    }

    get pounceTitle(): string {
        return this.engagedByOther
            ? `${this.card?.engagedBy?.name} is engaging this visitor`
            : `Pounce: start a conversation with ${this.name}`;
    }

    handleOpen(event: Event): void {
        if ((event.target as HTMLElement | null)?.closest?.('button, a, [data-stop]')) return;
        this.emit('open');
    }

    handleKeydown(event: KeyboardEvent): void {
        if (event.target !== event.currentTarget) return;
        if (event.key === 'Enter' || event.key === ' ') {
            event.preventDefault();
            this.emit('open');
        }
    }

    handlePounce(event: Event): void {
        event.stopPropagation();
        if (!this.pounceDisabled) this.emit('pounce');
    }

    handleAccept(event: Event): void {
        event.stopPropagation();
        this.emit('accept');
    }

    stop(event: Event): void {
        event.stopPropagation();
    }

    private emit(name: 'open' | 'pounce' | 'accept'): void {
        if (this.card) this.dispatchEvent(new CustomEvent(name, { detail: this.card.id }));
    }
}
