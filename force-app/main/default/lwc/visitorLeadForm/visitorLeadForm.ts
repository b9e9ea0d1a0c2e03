/**
 * Create Lead from a visitor, in the org as the rep (SightlineLeadController: user mode, so
 * the rep's own permissions and the org's validation apply), through the org's own rules:
 * its duplicate rules find matches, which are shown to open or link (or, where the rule
 * allows it, the rep saves anyway), and its assignment rule picks the owner where the admin
 * chose that (otherwise the rep owns the Lead). Pre-filled from what is known. Emits
 * `leadlinked` with the Lead id as detail, and `cancel`.
 */
import { LightningElement, api } from 'lwc';
import { reduceErrors } from 'c/ldsUtils';
import { NavigationMixin, type PageReference } from 'lightning/navigation';
import { ShowToastEvent } from 'lightning/platformShowToastEvent';
import createLead from '@salesforce/apex/SightlineLeadController.createLead';
import linkLead from '@salesforce/apex/SightlineGatewayController.linkLead';
import FIRST_NAME from '@salesforce/schema/Lead.FirstName';
import LAST_NAME from '@salesforce/schema/Lead.LastName';
import EMAIL from '@salesforce/schema/Lead.Email';
import COMPANY from '@salesforce/schema/Lead.Company';
import COUNTRY from '@salesforce/schema/Lead.Country';
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
import type { LeadDuplicates, LeadMatch } from './leadAnswer';

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
    duplicates: LeadDuplicates | undefined;
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
        // Changed details are a new question for the duplicate rules.
        this.duplicates = undefined;
    }

    handleCancel(): void {
        this.dispatchEvent(new CustomEvent('cancel'));
    }

    async handleSubmit(event?: Event): Promise<void> {
        event?.preventDefault();
        await this.save(false);
    }

    /** The rule allows it: save the Lead although it matches others. */
    async handleSaveAnyway(): Promise<void> {
        await this.save(true);
    }

    private async save(allowDuplicate: boolean): Promise<void> {
        if (this.saving || !this.detail) return;
        const inputs = [
            ...(this.template?.querySelectorAll('lightning-input') ?? [])
        ] as unknown as { reportValidity(): boolean }[];
        const valid = inputs.reduce((ok, input) => input.reportValidity() && ok, true);
        if (!valid) return;
        this.errorMessage = '';
        this.saving = true;
        try {
            const answer = await createLead({ fields: this.leadFields(), allowDuplicate });
            if ('duplicates' in answer) {
                this.duplicates = answer.duplicates;
                return;
            }
            this.duplicates = undefined;
            const owner =
                answer.assigned && answer.ownerName ? `, assigned to ${answer.ownerName}` : '';
            await this.link(answer.id, `Lead ${answer.name ?? this.fullName} created${owner}`);
        } catch (error) {
            this.errorMessage = reduceErrors(error, 'The Lead could not be saved.');
        } finally {
            this.saving = false;
        }
    }

    /** Link one of the matches to the visitor instead of creating a Lead. */
    async handleLinkMatch(event: Event): Promise<void> {
        const id = (event.currentTarget as HTMLElement).dataset.leadId;
        const match = this.duplicates?.matches.find((m) => m.id === id);
        if (!match || this.saving) return;
        this.saving = true;
        try {
            await this.link(match.id, `Linked to the existing Lead ${match.name ?? ''}`.trim());
        } catch (error) {
            this.errorMessage = reduceErrors(error, 'The Lead could not be linked.');
        } finally {
            this.saving = false;
        }
    }

    /** Open a match's record page, to compare before choosing. */
    handleOpenMatch(event: Event): void {
        event.preventDefault();
        const id = (event.currentTarget as HTMLElement).dataset.leadId;
        if (!id) return;
        (this as unknown as Navigable)[NavigationMixin.Navigate]!(this.recordPage(id));
    }

    get matchRows(): (LeadMatch & { details: string; url: string })[] {
        return (this.duplicates?.matches ?? []).map((m) => ({
            ...m,
            details: [m.company, m.email, m.ownerName ? `owned by ${m.ownerName}` : '']
                .filter(Boolean)
                .join(' · '),
            url: `/lightning/r/Lead/${m.id}/view`
        }));
    }

    get duplicatesText(): string {
        const d = this.duplicates;
        if (!d) return '';
        const hidden = d.hidden
            ? ` ${d.hidden} more ${d.hidden === 1 ? 'match is' : 'matches are'} not shared with you.`
            : '';
        const choice = d.allowSave
            ? ' Open or link a match, or save this Lead anyway.'
            : " Your org's duplicate rule does not allow saving a duplicate: open or link a match.";
        return `${d.message}${hidden}${choice}`;
    }

    get canSaveAnyway(): boolean {
        return Boolean(this.duplicates?.allowSave);
    }

    get fullName(): string {
        return [this.firstName.trim(), this.lastName.trim()].filter(Boolean).join(' ');
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

    private recordPage(recordId: string): PageReference {
        return {
            type: 'standard__recordPage',
            attributes: { recordId, objectApiName: 'Lead', actionName: 'view' }
        };
    }

    private async link(leadId: string, title: string): Promise<void> {
        await linkLead({ visitorId: this.detail!.card.id, leadId });
        const url = await (this as unknown as Navigable)[NavigationMixin.GenerateUrl]!(
            this.recordPage(leadId)
        );
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
