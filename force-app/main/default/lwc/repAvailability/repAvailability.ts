/**
 * The rep's availability in the console header: Available / Away / Offline, and how many
 * conversations they have of their capacity. Choosing a status calls `setAvailability`;
 * routing follows at once (a chat request waiting in the backlog is offered to a rep who
 * becomes available). A rep with no availability record starts Offline: see docs/CONSOLE.md.
 * Where the org takes availability from Omni-Channel presence, the status is shown read-only.
 */
import { LightningElement, api } from 'lwc';
import { reduceErrors } from 'c/ldsUtils';
import { ShowToastEvent } from 'lightning/platformShowToastEvent';
import setAvailability from '@salesforce/apex/SightlineGatewayController.setAvailability';
import type { RepAvailability } from '../sightlineLive/liveContract';
import type { AVAILABILITY } from '../sightlineLive/actionContract';

type Status = RepAvailability['status'];

const STATUSES: { value: Status; label: string; apex: (typeof AVAILABILITY)[number] }[] = [
    { value: 'available', label: 'Available', apex: 'Available' },
    { value: 'away', label: 'Away', apex: 'Away' },
    { value: 'offline', label: 'Offline', apex: 'Offline' }
];

export default class RepAvailabilityControl extends LightningElement {
    /** From the snapshot; replaced by what setAvailability answers. */
    @api
    get availability(): RepAvailability | undefined {
        return this.current;
    }
    set availability(value: RepAvailability | undefined) {
        if (!this.saving) this.current = value;
    }

    current: RepAvailability | undefined;
    saving = false;

    get status(): Status {
        return this.current?.status ?? 'offline';
    }

    get statusLabel(): string {
        return STATUSES.find((s) => s.value === this.status)!.label;
    }

    get menuLabel(): string {
        return this.saving ? 'Saving…' : this.statusLabel;
    }

    /** The org takes the status from Omni-Channel presence: shown, not chosen here. */
    get fromOmniChannel(): boolean {
        return this.current?.source === 'omni-channel';
    }

    get dotClass(): string {
        return `dot dot_${this.status}`;
    }

    get items() {
        return STATUSES.map((s) => ({ ...s, checked: s.value === this.status }));
    }

    get capacityLabel(): string {
        const a = this.current;
        if (!a) return '';
        return `${a.activeConversations} of ${a.capacity} conversations`;
    }

    /** Said plainly while offline or away: why no chat requests arrive. */
    get hint(): string {
        if (this.status === 'offline')
            return this.fromOmniChannel
                ? 'Go Available in Omni-Channel to receive chat requests'
                : 'Go Available to receive chat requests';
        if (this.status === 'away') return 'Away: no new chat requests';
        return '';
    }

    async handleSelect(event: CustomEvent<{ value: string }>): Promise<void> {
        const chosen = STATUSES.find((s) => s.value === event.detail.value);
        if (!chosen || chosen.value === this.status || this.saving) return;
        this.saving = true;
        try {
            this.current = await setAvailability({ status: chosen.apex });
            this.dispatchEvent(new CustomEvent('availabilitychange', { detail: this.current }));
        } catch (error) {
            this.dispatchEvent(
                new ShowToastEvent({
                    title: 'Availability not changed',
                    message: reduceErrors(error, 'Try again.'),
                    variant: 'error'
                })
            );
        } finally {
            this.saving = false;
        }
    }
}
