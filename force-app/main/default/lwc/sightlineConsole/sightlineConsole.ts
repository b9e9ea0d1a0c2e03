/**
 * The rep console: shows the visitors routed to the signed-in rep as the live, list or
 * map view. It owns the connection and hands what arrives to its feed (c/liveFeed):
 * - the direct socket to the gateway (c/liveSocket) whenever it is open: the gateway pushes
 *   this user's change pages on it, and the empApi subscription is dropped, so no event
 *   delivery is spent;
 * - otherwise (the page's CSP blocks the socket, the socket is down, the user was revoked)
 *   the `Visitor_Update__e` subscription (c/liveChannel: the rep's own filtered channel the
 *   snapshot names, else the raw one), whose events only say "something changed for user
 *   X", and the feed fetches this user's changes (`getChanges`).
 * What the freshness indicator says (live, and over which path) is what it knows.
 */
import { LightningElement } from 'lwc';
import { reduceErrors } from 'c/ldsUtils';
import { onError, type EmpMessage } from 'lightning/empApi';
import { ShowToastEvent } from 'lightning/platformShowToastEvent';
import USER_ID from '@salesforce/user/Id';
import getSnapshot from '@salesforce/apex/SightlineGatewayController.getSnapshot';
import getChanges from '@salesforce/apex/SightlineGatewayController.getChanges';
import pounce from '@salesforce/apex/SightlineGatewayController.pounce';
import acceptChat from '@salesforce/apex/SightlineGatewayController.acceptChat';
import { LiveChannel } from 'c/liveChannel';
import { LiveFeed } from 'c/liveFeed';
import { LiveSocket, type LiveSocketState } from 'c/liveSocket';
import type { Changes } from 'c/sightlineLive';
import type {
    ChatChange,
    ConsoleSnapshot,
    RepAvailability,
    VisitorCard
} from '../sightlineLive/liveContract';
import { groupByStream, isShown, secondsUntil, type StreamGroup } from 'c/visitorFormat';
import { consoleView, liveAvailability, withCommittees, type ConsoleView } from './consoleView';
import type { FreshnessState, FreshnessVia } from '../freshnessIndicator/freshnessIndicator';
import { ArrivalAnnouncer, chatRequestText, focusIsLost, neighbourOf } from 'c/consoleFocus';

type View = 'live' | 'list' | 'map';
type Connection = 'connecting' | 'live' | 'catching-up' | 'reconnecting';

const VIEWS: View[] = ['live', 'list', 'map'];
/** Reconnect delays; each gets up to 25 % jitter so consoles do not retry in step. */
const BACKOFF_MS = [1000, 2000, 4000, 8000, 15000, 30000];
const SUBSCRIBE_TIMEOUT_MS = 10000;
/** Silence longer than this (or three batch windows) is checked against the gateway. */
const QUIET_CHECK_MS = 45000;
const AGE_CHECK_INTERVAL_MS = 5000;
/** Arrivals and departures are said at most this often, so a busy stream does not chatter. */
export const ANNOUNCE_INTERVAL_MS = 10000;

/** What the console's help lists (docs/CONSOLE.md says the same). */
export const SHORTCUTS: { keys: string; does: string }[] = [
    { keys: 'Tab / Shift+Tab', does: 'Next / previous stream (one card per stream is a tab stop)' },
    { keys: '↓ / ↑', does: 'Next / previous visitor in the stream' },
    { keys: 'Home / End', does: 'First / last visitor in the stream' },
    { keys: '→ / ←', does: 'Same place in the next / previous stream (live view)' },
    { keys: 'Enter or Space', does: 'Open the Visitor 360 of the focused visitor' },
    { keys: 'Escape', does: 'Close the Visitor 360; focus returns to the visitor' },
    { keys: 'Tab in the Visitor 360', does: 'Stays inside the panel until it is closed' },
    {
        keys: 'Gear menu',
        does: 'Enter opens it, arrow keys move between its items, Escape closes it'
    }
];

/** Views that can put focus back on a visitor (the live and list views, the map). */
interface FocusableView {
    focusVisitor(visitId: string): boolean;
    focusStream?(streamId?: string): boolean;
}

interface LiveConsole {
    receiveChat(change: ChatChange): void;
}

export default class SightlineConsole extends LightningElement {
    snapshot: ConsoleSnapshot | undefined;
    errorMessage: string | undefined;
    view: View = 'live';
    showIdle = false;
    /** Only visitors ready to pounce, in every view and the count. */
    readyOnly = false;
    alertsOn = false;
    connection: Connection = 'connecting';
    /** Which path brings the updates: the direct socket, or events. */
    via: FreshnessVia = '';
    /** When the data on screen was last known to be current. */
    dataAt = 0;
    selectedId: string | undefined;
    /** The last card seen of the open visitor, kept if they leave while the 360 is open. */
    selectedCard: VisitorCard | undefined;
    /** Where the 360 puts focus when it opens (the message box after a pounce). */
    initialFocus: 'heading' | 'composer' = 'heading';
    helpOpen = false;
    politeAnnouncement = '';
    assertiveAnnouncement = '';
    readonly shortcuts = SHORTCUTS;

    /** Notifications through empApi, on the channel the gateway names. */
    private readonly events = new LiveChannel(
        (message) => this.handleMessage(message),
        SUBSCRIBE_TIMEOUT_MS
    );
    private connected = false;
    private lastHeardAt = 0;
    private attempt = 0;
    private reconnectTimer: ReturnType<typeof setTimeout> | undefined;
    private ageTimer: ReturnType<typeof setInterval> | undefined;
    private readonly feed = this.createFeed();
    private liveSocket: LiveSocket | undefined;
    private errorHandlerRegistered = false;
    /** The card that opened the 360 and its stream's cards then, to return focus on close. */
    private opener: { visitId: string; streamId: string; order: string[] } | undefined;
    private restoreFocusPending = false;
    /** Chat requests already announced (visit id and deadline), so each is said once. */
    private announcedRequests = new Set<string>();
    private readonly announcer = new ArrivalAnnouncer((text) => {
        // The same words twice are still news: a trailing space makes the region change.
        this.politeAnnouncement = text === this.politeAnnouncement.trim() ? `${text} ` : text;
    }, ANNOUNCE_INTERVAL_MS);

    connectedCallback(): void {
        this.connected = true;
        this.view = this.storedView();
        this.alertsOn = this.readPref('alerts') === 'on';
        if (!this.errorHandlerRegistered) {
            this.errorHandlerRegistered = true;
            onError((error) => this.handleStreamingError(error));
        }
        // eslint-disable-next-line @lwc/lwc/no-async-operation
        this.ageTimer = setInterval(() => {
            this.checkAge();
        }, AGE_CHECK_INTERVAL_MS);
        this.liveSocket = new LiveSocket({
            onPage: (page) => {
                this.lastHeardAt = Date.now();
                this.feed.receive(page);
            },
            position: () => {
                const shown = this.feed.snapshot;
                return shown && { epoch: shown.epoch, sequence: shown.sequence };
            },
            onState: (state) => this.socketState(state),
            onAlive: () => (this.lastHeardAt = Date.now())
        });
        this.liveSocket.start();
        this.start();
    }

    disconnectedCallback(): void {
        this.connected = false;
        clearTimeout(this.reconnectTimer);
        clearInterval(this.ageTimer);
        this.announcer.dispose();
        this.liveSocket?.stop();
        this.liveSocket = undefined;
        this.events.drop();
    }

    // ---- what the template shows ----

    get isLoading(): boolean {
        return !this.snapshot && !this.errorMessage;
    }

    get repId(): string {
        return this.snapshot?.user.id ?? USER_ID;
    }

    get shownVisitors(): VisitorCard[] {
        return this.visibleView.shown;
    }

    get groups(): StreamGroup[] {
        return groupByStream(this.snapshot?.streams ?? [], this.shownVisitors);
    }

    get streams() {
        return this.snapshot?.streams ?? [];
    }

    get summary(): string {
        return this.visibleView.summary;
    }

    /** What every view and the header show (consoleView.ts): one filter, so they agree. */
    private get visibleView(): ConsoleView {
        return consoleView(
            this.snapshot,
            { showIdle: this.showIdle, readyOnly: this.readyOnly },
            this.repId
        );
    }

    /** The header's availability control (reps only). */
    get myAvailability() {
        return liveAvailability(this.snapshot, this.repId);
    }

    get freshnessState(): FreshnessState {
        if (this.connection === 'live' && this.snapshot?.freshness.mode === 'throttled')
            return 'throttled';
        return this.connection;
    }

    get windowMs(): number {
        return this.snapshot?.freshness.windowMs ?? 0;
    }

    /** The budget governor's projection for the day, and its budget (the freshness tooltip). */
    get projectedDay(): number {
        return this.snapshot?.freshness.projectedDay ?? 0;
    }

    get deliveryBudget(): number {
        return this.snapshot?.freshness.budget ?? 0;
    }

    get isLive(): boolean {
        return this.view === 'live';
    }

    get isList(): boolean {
        return this.view === 'list';
    }

    get isMap(): boolean {
        return this.view === 'map';
    }

    get selectedStream() {
        const card = this.selectedCard;
        return card ? this.snapshot?.streams.find((s) => s.id === card.streamId) : undefined;
    }

    get selectedStreamName(): string {
        return this.selectedStream?.name ?? '';
    }

    get selectedStreamColor(): string {
        return this.selectedStream?.color ?? '';
    }

    /** The open visitor's card with its buying committee (the 360 lists the others). */
    get panelCard(): VisitorCard | undefined {
        const card = this.selectedCard;
        if (!card) return undefined;
        const inStreams = this.snapshot?.visitors ?? [];
        return withCommittees([card], inStreams)[0];
    }

    get panelOpen(): boolean {
        return Boolean(this.selectedId && this.selectedCard);
    }

    get selectedGone(): boolean {
        return Boolean(
            this.selectedId && !this.snapshot?.visitors.some((v) => v.id === this.selectedId)
        );
    }

    // ---- view switcher and gear menu ----

    handleViewChange(event: Event): void {
        const view = (event.currentTarget as HTMLElement).dataset.view as View;
        if (!VIEWS.includes(view)) return;
        this.view = view;
        this.writePref('view', view);
    }

    handleSettings(event: CustomEvent<{ value: string }>): void {
        if (event.detail.value === 'idle') {
            this.showIdle = !this.showIdle;
        } else if (event.detail.value === 'ready') {
            this.readyOnly = !this.readyOnly;
        } else if (event.detail.value === 'alerts') {
            this.alertsOn = !this.alertsOn;
            this.writePref('alerts', this.alertsOn ? 'on' : 'off');
            if (
                this.alertsOn &&
                typeof Notification !== 'undefined' &&
                Notification.permission === 'default'
            ) {
                Notification.requestPermission().catch(() => undefined);
            }
        }
    }

    /** The header's control saved a new status: keep it, or the next render would undo it. */
    handleAvailabilityChange(event: CustomEvent<RepAvailability>): void {
        if (!this.snapshot) return;
        this.snapshot = {
            ...this.snapshot,
            user: { ...this.snapshot.user, availability: event.detail }
        };
        this.feed.replace(this.snapshot);
    }

    // ---- cards ----

    handleHelpToggle(): void {
        this.helpOpen = !this.helpOpen;
    }

    handleOpen(event: CustomEvent<string>): void {
        this.openVisitor(event.detail, 'heading');
    }

    handleClose(): void {
        this.selectedId = undefined;
        this.selectedCard = undefined;
        this.restoreFocusPending = Boolean(this.opener);
    }

    renderedCallback(): void {
        if (this.restoreFocusPending && !this.panelOpen) {
            this.restoreFocusPending = false;
            this.returnFocusToOpener();
        }
    }

    /**
     * After the 360 closes: back to the card that opened it, or (when that visitor has
     * left) to the next card of its stream, else the stream's heading.
     */
    private returnFocusToOpener(): void {
        const opener = this.opener;
        this.opener = undefined;
        if (!opener || !focusIsLost()) return;
        const view = this.template?.querySelector(
            'c-stream-board, c-visitor-list, c-visitor-map'
        ) as unknown as FocusableView | null;
        if (!view) return;
        if (view.focusVisitor(opener.visitId)) return;
        const shown = new Set(this.shownVisitors.map((v) => v.id));
        const next = neighbourOf(opener.order, opener.visitId, (id) => shown.has(id));
        if (next && view.focusVisitor(next)) return;
        view.focusStream?.(opener.streamId);
    }

    async handlePounce(event: CustomEvent<string>): Promise<void> {
        await this.claim(event.detail, 'pounce');
    }

    async handleAccept(event: CustomEvent<string>): Promise<void> {
        await this.claim(event.detail, 'accept');
    }

    private async claim(visitorId: string, how: 'pounce' | 'accept'): Promise<void> {
        try {
            const result = await (how === 'pounce'
                ? pounce({ visitorId })
                : acceptChat({ visitorId }));
            if (result.ok) {
                // The claim changed this rep's own card: fetch it now rather than wait for
                // the notification, which the budget governor may batch.
                this.feed.catchUp().catch(() => undefined);
                this.openVisitor(visitorId, 'composer');
            } else {
                this.patchCard(visitorId, { engagedBy: result.engagedBy });
                this.toast('warning', `${result.engagedBy.name} is engaging`, result.message);
            }
        } catch (error) {
            this.toast(
                'error',
                how === 'pounce' ? 'Pounce failed' : 'Could not start the conversation',
                reduceErrors(error, 'Try again.')
            );
        }
    }

    private openVisitor(visitorId: string, focus: 'heading' | 'composer'): void {
        const card = this.snapshot?.visitors.find((v) => v.id === visitorId);
        if (!card) return;
        if (!this.panelOpen) {
            const order = this.groups
                .find((g) => g.id === card.streamId)
                ?.visitors.map((v) => v.id);
            this.opener = { visitId: visitorId, streamId: card.streamId, order: order ?? [] };
        }
        this.initialFocus = focus;
        this.selectedId = visitorId;
        this.selectedCard = card;
    }

    private patchCard(visitorId: string, patch: Partial<VisitorCard>): void {
        if (!this.snapshot) return;
        this.snapshot = {
            ...this.snapshot,
            visitors: this.snapshot.visitors.map((v) =>
                v.id === visitorId ? { ...v, ...patch } : v
            )
        };
        this.feed.replace(this.snapshot);
        this.refreshSelected();
    }

    // ---- the connection ----

    /** The receiving logic (c/liveFeed): snapshot pages, then this user's changes on each notification. */
    private createFeed(): LiveFeed {
        return new LiveFeed(
            {
                snapshot: (page) => getSnapshot({ page }),
                changes: (epoch, since) => getChanges({ epoch, since })
            },
            {
                snapshot: (snapshot) => this.showSnapshot(snapshot),
                changed: (snapshot, page) => this.showChanges(snapshot, page),
                chat: (change) =>
                    (
                        this.template?.querySelector(
                            'c-visitor-console'
                        ) as unknown as LiveConsole | null
                    )?.receiveChat(change),
                stale: () => {
                    if (this.connection === 'live') this.connection = 'catching-up';
                },
                failed: (error) => this.feedFailed(error)
            }
        );
    }

    private async start(): Promise<void> {
        this.connection = 'connecting';
        try {
            await this.subscribeChannel();
        } catch {
            // Show what the snapshot says and keep trying to subscribe.
            this.connection = 'reconnecting';
        }
        await this.feed.resnapshot();
        if (!this.hasChannel && this.connected) this.scheduleReconnect();
    }

    /** Updates can reach this console: over the socket, or through an event subscription. */
    private get hasChannel(): boolean {
        return this.via === 'socket' || this.events.subscribed;
    }

    /**
     * The socket opened (the event subscription is dropped; the socket resumes from what is
     * shown, so the gateway pushes what was missed) or went down (events carry the
     * notifications, and the feed fetches what was missed meanwhile).
     */
    private socketState(state: LiveSocketState): void {
        if (!this.connected || state === 'connecting') return;
        if (state === 'open') {
            this.via = 'socket';
            clearTimeout(this.reconnectTimer);
            this.reconnectTimer = undefined;
            this.events.drop();
            if (this.snapshot && !this.feed.busy) {
                this.connection = 'live';
                this.attempt = 0;
            }
            return;
        }
        const fromSocket = this.via === 'socket';
        this.via = 'events';
        if (fromSocket) this.fallBackToEvents();
    }

    /** The socket went down: subscribe to notifications and fetch what the socket did not push. */
    private async fallBackToEvents(): Promise<void> {
        try {
            await this.subscribeChannel();
        } catch {
            this.connection = 'reconnecting';
            this.scheduleReconnect();
            return;
        }
        if (!this.snapshot) {
            await this.feed.resnapshot();
            return;
        }
        await this.feed.catchUp();
        if (this.connection !== 'live' && this.via === 'events' && !this.feed.busy)
            this.connection = 'live';
    }

    private async subscribeChannel(): Promise<void> {
        await this.events.subscribe();
        this.lastHeardAt = Date.now();
    }

    /** The snapshot or a change page names this console's channel: move there if it moved. */
    private followChannel(channel: string | undefined): void {
        this.events.follow(channel).catch(() => {
            if (this.via === 'socket') return;
            this.connection = 'reconnecting';
            this.scheduleReconnect();
        });
    }

    private showSnapshot(snapshot: ConsoleSnapshot): void {
        this.snapshot = snapshot;
        this.followChannel(snapshot.channel);
        this.errorMessage = undefined;
        this.dataAt = Date.now();
        this.lastHeardAt = this.dataAt;
        // Over the socket, the gateway pushes the changes after this snapshot.
        this.liveSocket?.resume(snapshot.epoch, snapshot.sequence);
        if (this.hasChannel) {
            this.connection = 'live';
            this.attempt = 0;
        }
        this.refreshSelected();
    }

    private showChanges(snapshot: ConsoleSnapshot, page: Changes): void {
        const previous = this.snapshot;
        const shownBefore = this.shownVisitors.map((v) => v.id);
        this.snapshot = snapshot;
        if (page.channel) this.followChannel(page.channel);
        this.announcer.record(
            shownBefore,
            this.shownVisitors.map((v) => v.id)
        );
        this.announceChatRequests(page.upserts);
        this.dataAt = Date.now();
        if (this.connection !== 'live' && this.hasChannel) this.connection = 'live';
        this.refreshSelected();
        if (previous) this.alertNewChatRequests(previous, page.upserts);
    }

    private feedFailed(error: unknown): void {
        if (!this.snapshot)
            this.errorMessage = reduceErrors(error, 'Live streams could not be loaded.');
        this.connection = 'reconnecting';
        this.scheduleReconnect();
    }

    /**
     * The platform delivers every user's notifications to every subscriber; they say only
     * "something changed for user X", and the feed fetches this user's own changes.
     */
    private handleMessage(message: EmpMessage): void {
        this.lastHeardAt = Date.now();
        const payload = message.data.payload;
        const sequence = Number(payload.Sequence__c);
        if (typeof payload.Audience__c !== 'string' || typeof payload.Epoch__c !== 'string') return;
        this.feed.notified({
            audience: payload.Audience__c,
            epoch: payload.Epoch__c,
            sequence: Number.isFinite(sequence) ? sequence : 0,
            kind: payload.Kind__c === 'chat' ? 'chat' : 'delta'
        });
    }

    private handleStreamingError(error: unknown): void {
        // Over the socket no subscription is held: an empApi error is not ours.
        if (!this.connected || this.via === 'socket') return;
        console.warn('Sightline live updates: connection error', error);
        this.connection = 'reconnecting';
        this.scheduleReconnect();
    }

    private scheduleReconnect(): void {
        if (!this.connected || this.reconnectTimer) return;
        const base = BACKOFF_MS[Math.min(this.attempt, BACKOFF_MS.length - 1)]!;
        this.attempt += 1;
        const delay = base + Math.round(Math.random() * base * 0.25);
        // eslint-disable-next-line @lwc/lwc/no-async-operation
        this.reconnectTimer = setTimeout(() => {
            this.reconnectTimer = undefined;
            this.reconnect();
        }, delay);
    }

    private async reconnect(): Promise<void> {
        if (!this.connected) return;
        // Over the socket, only the data needs catching up: no event subscription.
        if (this.via === 'socket') {
            await this.feed.resnapshot();
            return;
        }
        try {
            await this.subscribeChannel();
        } catch {
            this.connection = 'reconnecting';
            this.scheduleReconnect();
            return;
        }
        await this.feed.resnapshot();
    }

    /**
     * A dead connection can be silent. After a quiet spell, ask the gateway for changes: if
     * there were any we were not told of, the subscription is dead.
     */
    private async checkAge(): Promise<void> {
        if (this.connection !== 'live' || !this.snapshot || this.feed.busy) return;
        const quietLimit = Math.max(QUIET_CHECK_MS, 3 * this.windowMs);
        if (Date.now() - this.lastHeardAt < quietLimit) return;
        this.lastHeardAt = Date.now();
        const missed = await this.feed.catchUp();
        if (this.connection !== 'live') return;
        this.dataAt = Date.now();
        if (missed) {
            this.connection = 'catching-up';
            await this.reconnect();
        }
    }

    private refreshSelected(): void {
        if (!this.selectedId) return;
        const card = this.snapshot?.visitors.find((v) => v.id === this.selectedId);
        if (card) this.selectedCard = card;
    }

    // ---- alerts ----

    /** Each new chat request routed here is said once, assertively, with its countdown. */
    private announceChatRequests(upserts: VisitorCard[]): void {
        const now = Date.now();
        const lines: string[] = [];
        for (const card of upserts) {
            const chat = card.chat;
            if (chat.state !== 'requested' || !isShown(card, this.showIdle)) continue;
            const key = `${card.id}|${chat.deadline}`;
            if (this.announcedRequests.has(key)) continue;
            this.announcedRequests.add(key);
            const secondsLeft = secondsUntil(chat.deadline, now);
            if (secondsLeft > 0) lines.push(chatRequestText(card.displayName, secondsLeft));
        }
        if (lines.length) this.assertiveAnnouncement = lines.join(' ');
    }

    private alertNewChatRequests(previous: ConsoleSnapshot, upserts: VisitorCard[]): void {
        if (!this.alertsOn) return;
        const before = new Map(previous.visitors.map((v) => [v.id, v.chat.state]));
        const fresh = upserts.filter(
            (card) => card.chat.state === 'requested' && before.get(card.id) !== 'requested'
        );
        if (fresh.length === 0) return;
        this.beep();
        if (typeof Notification !== 'undefined' && Notification.permission === 'granted') {
            for (const card of fresh) {
                // eslint-disable-next-line no-new
                new Notification(`${card.displayName} wants to chat`, {
                    body: `${card.currentPage.title || card.currentPage.path}`,
                    tag: card.id
                });
            }
        }
    }

    private beep(): void {
        try {
            const AudioContextClass = (window as unknown as { AudioContext?: typeof AudioContext })
                .AudioContext;
            if (!AudioContextClass) return;
            const context = new AudioContextClass();
            const oscillator = context.createOscillator();
            const gain = context.createGain();
            oscillator.frequency.value = 880;
            gain.gain.setValueAtTime(0.15, context.currentTime);
            gain.gain.exponentialRampToValueAtTime(0.001, context.currentTime + 0.4);
            oscillator.connect(gain).connect(context.destination);
            oscillator.start();
            oscillator.stop(context.currentTime + 0.4);
        } catch {
            // Sound is a nicety; the card's countdown is the alert.
        }
    }

    // ---- preferences, per user ----

    get viewButtons() {
        return [
            { view: 'map', label: 'Map view', icon: 'utility:world' },
            { view: 'list', label: 'List view', icon: 'utility:list' },
            { view: 'live', label: 'Live view', icon: 'utility:kanban' }
        ].map((b) => ({
            ...b,
            selected: b.view === this.view,
            variant: b.view === this.view ? 'brand' : 'border-filled'
        }));
    }

    private storedView(): View {
        const stored = this.readPref('view') as View | null;
        return stored && VIEWS.includes(stored) ? stored : 'live';
    }

    private readPref(name: string): string | null {
        try {
            return window.localStorage.getItem(`sightline:${USER_ID}:${name}`);
        } catch {
            return null;
        }
    }

    private writePref(name: string, value: string): void {
        try {
            window.localStorage.setItem(`sightline:${USER_ID}:${name}`, value);
        } catch {
            // Private mode or storage disabled: the choice lasts for this page only.
        }
    }

    private toast(
        variant: 'success' | 'warning' | 'error' | 'info',
        title: string,
        message: string
    ): void {
        this.dispatchEvent(new ShowToastEvent({ title, message, variant }));
    }
}
