/**
 * Create Lead from a visitor, as the rep (the Lead's owner is the rep), through
 * `lightning/uiRecordApi`, so the rep's own permissions and the org's validation apply.
 * Pre-filled from what is known; the email is first checked for an existing Lead, which
 * is offered for linking instead of creating a second one. Emits `leadlinked` with the
 * Lead id as detail, and `cancel`.
 */
import { LightningElement, api } from 'lwc';
import { reduceErrors } from 'c/ldsUtils';
import { createRecord } from 'lightning/uiRecordApi';
import { NavigationMixin, type PageReference } from 'lightning/navigation';
import { ShowToastEvent } from 'lightning/platformShowToastEvent';
import USER_ID from '@salesforce/user/Id';
import findLeadByEmail from '@salesforce/apex/SightlineGatewayController.findLeadByEmail';
import type { ExistingLead } from 'c/sightlineLive';
import linkLead from '@salesforce/apex/SightlineGatewayController.linkLead';
import LEAD_OBJECT from '@salesforce/schema/Lead';
import FIRST_NAME from '@salesforce/schema/Lead.FirstName';
import LAST_NAME from '@salesforce/schema/Lead.LastName';
import EMAIL from '@salesforce/schema/Lead.Email';
import COMPANY from '@salesforce/schema/Lead.Company';
import COUNTRY from '@salesforce/schema/Lead.Country';
import OWNER from '@salesforce/schema/Lead.OwnerId';
import VISITOR_KEY from '@salesforce/schema/Lead.Visitor_Key__c';
import SOURCE_STREAM from '@salesforce/schema/Lead.Source_Stream__c';
import FIRST_PAGE from '@salesforce/schema/Lead.First_Page__c';
import UTM_SOURCE from '@salesforce/schema/Lead.UTM_Source__c';
import UTM_MEDIUM from '@salesforce/schema/Lead.UTM_Medium__c';
import UTM_CAMPAIGN from '@salesforce/schema/Lead.UTM_Campaign__c';
import UTM_TERM from '@salesforce/schema/Lead.UTM_Term__c';
import UTM_CONTENT from '@salesforce/schema/Lead.UTM_Content__c';
import ENGAGEMENT_SCORE from '@salesforce/schema/Lead.Engagement_Score__c';
import type { VisitorDetail } from '../sightlineLive/liveContract';

/** What findLeadByEmail answers when a Lead already has the email. */
export type { ExistingLead };

/** The methods NavigationMixin adds (the platform's typings leave them out). */
type Navigable = { [key: symbol]: (pageRef: PageReference) => Promise<string> };

const TEXT_MAX = 255;
const clip = (value: string | undefined, max = TEXT_MAX) =>
    value ? value.slice(0, max) : undefined;

function fieldName(field: { fieldApiName?: string }): string {
    return field.fieldApiName ?? '';
}

export default class VisitorLeadForm extends NavigationMixin(LightningElement) {
    @api detail: VisitorDetail | undefined;
    @api streamName = '';

    firstName = '';
    lastName = '';
    email = '';
    company = '';
    saving = false;
    errorMessage = '';
    duplicate: ExistingLead | undefined;
    private prefilledFor: string | undefined;

    connectedCallback(): void {
        this.prefill();
    }

    renderedCallback(): void {
        this.prefill();
    }

    private prefill(): void {
        const card = this.detail?.card;
        if (!card || this.prefilledFor === card.id) return;
        this.prefilledFor = card.id;
        if (card.identity === 'person') {
            const parts = card.displayName.trim().split(/\s+/);
            this.lastName = parts.length > 1 ? parts.slice(1).join(' ') : (parts[0] ?? '');
            this.firstName = parts.length > 1 ? parts[0]! : '';
        }
        this.email = card.email ?? '';
        this.company = card.company?.name ?? card.salesforce.account?.name ?? '';
    }

    get firstPage(): string {
        return this.detail?.pages[0]?.url ?? this.detail?.card.currentPage.url ?? '';
    }

    get utmLabel(): string {
        const utm = this.detail?.utm;
        if (!utm) return 'None';
        const parts = Object.entries(utm)
            .filter(([, v]) => Boolean(v))
            .map(([k, v]) => `${k}=${String(v)}`);
        return parts.length ? parts.join(' · ') : 'None';
    }

    get score(): number {
        return this.detail?.card.score.value ?? 0;
    }

    get saveDisabled(): boolean {
        return this.saving;
    }

    get saveLabel(): string {
        return this.saving ? 'Saving…' : 'Create Lead';
    }

    handleChange(event: Event): void {
        const input = event.target as HTMLInputElement;
        const name = input.dataset.field as 'firstName' | 'lastName' | 'email' | 'company';
        this[name] = input.value;
        if (name === 'email') this.duplicate = undefined;
    }

    handleCancel(): void {
        this.dispatchEvent(new CustomEvent('cancel'));
    }

    async handleSubmit(event?: Event): Promise<void> {
        event?.preventDefault();
        if (this.saving || !this.detail) return;
        const inputs = [
            ...(this.template?.querySelectorAll('lightning-input') ?? [])
        ] as unknown as { reportValidity(): boolean }[];
        const valid = inputs.reduce((ok, input) => input.reportValidity() && ok, true);
        if (!valid) return;
        this.errorMessage = '';
        this.saving = true;
        try {
            const email = this.email.trim();
            if (email) {
                const existing = await findLeadByEmail({ email });
                if (existing) {
                    this.duplicate = existing;
                    return;
                }
            }
            const record = await createRecord({
                apiName: LEAD_OBJECT.objectApiName,
                fields: this.leadFields()
            });
            await this.link(record.id, `Lead ${this.fullName} created`);
        } catch (error) {
            this.errorMessage = reduceErrors(error, 'The Lead could not be saved.');
        } finally {
            this.saving = false;
        }
    }

    async handleLinkExisting(): Promise<void> {
        if (!this.duplicate || this.saving) return;
        this.saving = true;
        try {
            await this.link(
                this.duplicate.id,
                `Linked to the existing Lead ${this.duplicate.name}`
            );
        } catch (error) {
            this.errorMessage = reduceErrors(error, 'The Lead could not be saved.');
        } finally {
            this.saving = false;
        }
    }

    get fullName(): string {
        return [this.firstName.trim(), this.lastName.trim()].filter(Boolean).join(' ');
    }

    get duplicateText(): string {
        const d = this.duplicate;
        if (!d) return '';
        const details = [d.company, d.ownerName ? `owned by ${d.ownerName}` : '']
            .filter(Boolean)
            .join(', ');
        return `A Lead with ${this.email.trim()} already exists: ${d.name}${details ? ` (${details})` : ''}. Link it to this visitor instead of creating a duplicate.`;
    }

    private leadFields(): Record<string, unknown> {
        const d = this.detail!;
        const card = d.card;
        const fields: Record<string, unknown> = {
            [fieldName(FIRST_NAME)]: clip(this.firstName.trim(), 40),
            [fieldName(LAST_NAME)]: clip(this.lastName.trim(), 80),
            [fieldName(EMAIL)]: this.email.trim() || undefined,
            [fieldName(COMPANY)]: clip(this.company.trim()),
            [fieldName(COUNTRY)]: clip(card.location?.country, 80),
            [fieldName(OWNER)]: USER_ID,
            [fieldName(VISITOR_KEY)]: clip(card.visitorKey, 64),
            [fieldName(SOURCE_STREAM)]: clip(this.streamName, 80),
            [fieldName(FIRST_PAGE)]: clip(this.firstPage),
            [fieldName(UTM_SOURCE)]: clip(d.utm?.source),
            [fieldName(UTM_MEDIUM)]: clip(d.utm?.medium),
            [fieldName(UTM_CAMPAIGN)]: clip(d.utm?.campaign),
            [fieldName(UTM_TERM)]: clip(d.utm?.term),
            [fieldName(UTM_CONTENT)]: clip(d.utm?.content),
            [fieldName(ENGAGEMENT_SCORE)]: Math.round(card.score.value)
        };
        for (const key of Object.keys(fields))
            if (fields[key] === undefined || fields[key] === '') delete fields[key];
        return fields;
    }

    private async link(leadId: string, title: string): Promise<void> {
        await linkLead({ visitorId: this.detail!.card.id, leadId });
        const url = await (this as unknown as Navigable)[NavigationMixin.GenerateUrl]!({
            type: 'standard__recordPage',
            attributes: { recordId: leadId, objectApiName: 'Lead', actionName: 'view' }
        });
        this.dispatchEvent(
            new ShowToastEvent({
                title,
                message: 'Open {0}',
                messageData: [{ url, label: 'the Lead record' }],
                variant: 'success'
            })
        );
        this.dispatchEvent(new CustomEvent('leadlinked', { detail: leadId }));
    }
}
