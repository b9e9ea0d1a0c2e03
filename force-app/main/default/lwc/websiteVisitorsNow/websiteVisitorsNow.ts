/**
 * "On the website now" on an Account, Opportunity, Contact or Lead record page: who from
 * this account is on the website right now (the visitors the user may see, and how many
 * more are routed to other reps), live, with Pounce for those routed to the user. Several
 * people from one account at once are a buying committee: the header says so.
 *
 * Live: any Sightline update for this user refetches (debounced), and a slow poll catches
 * visitors routed to others, whose changes are not sent to this user.
 */
import { LightningElement, api } from 'lwc';
import { reduceErrors } from 'c/ldsUtils';
import { subscribe, unsubscribe, type Subscription } from 'lightning/empApi';
import { ShowToastEvent } from 'lightning/platformShowToastEvent';
import USER_ID from '@salesforce/user/Id';
import getAccountVisitors from '@salesforce/apex/SightlineGatewayController.getAccountVisitors';
import pounce from '@salesforce/apex/SightlineGatewayController.pounce';
import type { AccountVisitors, ClaimResult } from '../sightlineLive/liveContract';

const CHANNEL = '/event/Visitor_Update__e';
const REFETCH_AFTER_EVENT_MS = 1000;
const POLL_MS = 30000;

export default class WebsiteVisitorsNow extends LightningElement {
    @api recordId = '';
    @api objectApiName = '';

    data: AccountVisitors | undefined;
    errorMessage = '';

    private subscription: Subscription | undefined;
    private debounce: ReturnType<typeof setTimeout> | undefined;
    private poll: ReturnType<typeof setInterval> | undefined;
    private connected = false;

    connectedCallback(): void {
        this.connected = true;
        this.load();
        subscribe(CHANNEL, -1, () => this.soon())
            .then((subscription) => {
                if (this.connected) this.subscription = subscription;
                else unsubscribe(subscription).catch(() => undefined);
            })
            .catch(() => undefined);
        // eslint-disable-next-line @lwc/lwc/no-async-operation
        this.poll = setInterval(() => this.load(), POLL_MS);
    }

    disconnectedCallback(): void {
        this.connected = false;
        clearTimeout(this.debounce);
        clearInterval(this.poll);
        if (this.subscription) unsubscribe(this.subscription).catch(() => undefined);
        this.subscription = undefined;
    }

    get repId(): string {
        return USER_ID;
    }

    get loading(): boolean {
        return !this.data && !this.errorMessage;
    }

    get rows() {
        const streams = new Map((this.data?.streams ?? []).map((s) => [s.id, s]));
        return (this.data?.visitors ?? []).map((card) => ({
            card,
            id: card.id,
            streamName: streams.get(card.streamId)?.name ?? '',
            streamColor: streams.get(card.streamId)?.color ?? ''
        }));
    }

    get hasRows(): boolean {
        return this.rows.length > 0;
    }

    get total(): number {
        return (this.data?.visitors.length ?? 0) + (this.data?.otherReps ?? 0);
    }

    /** "3 from Acme on the site": a buying committee when more than one. */
    get headline(): string {
        const n = this.total;
        const from = this.data?.matchedOn ? ` from ${this.data.matchedOn}` : '';
        if (n === 0) return `Nobody${from} is on the website right now`;
        return `${n}${from} on the site`;
    }

    get isCommittee(): boolean {
        return this.total > 1;
    }

    /** The committee badge says it in the header; otherwise a line in the body. */
    get showHeadline(): boolean {
        return !this.isCommittee;
    }

    get othersLabel(): string {
        const n = this.data?.otherReps ?? 0;
        if (n === 0) return '';
        return n === 1 ? '1 more, routed to another rep' : `${n} more, routed to other reps`;
    }

    async handlePounce(event: CustomEvent<string>): Promise<void> {
        try {
            const result = (await pounce({ visitorId: event.detail })) as ClaimResult;
            if (result.ok)
                this.toast(
                    'success',
                    'Conversation started',
                    'Continue it in the Sightline Console.'
                );
            else this.toast('warning', `${result.engagedBy.name} is engaging`, result.message);
        } catch (error) {
            this.toast('error', 'Pounce failed', reduceErrors(error, 'Try again.'));
        }
        this.load();
    }

    private soon(): void {
        clearTimeout(this.debounce);
        // eslint-disable-next-line @lwc/lwc/no-async-operation
        this.debounce = setTimeout(() => this.load(), REFETCH_AFTER_EVENT_MS);
    }

    private async load(): Promise<void> {
        if (!this.recordId) return;
        try {
            this.data = (await getAccountVisitors({ recordId: this.recordId })) as AccountVisitors;
            this.errorMessage = '';
        } catch (error) {
            this.errorMessage = reduceErrors(error, 'Website visitors could not be loaded.');
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
