/**
 * Edits one stream: name, colour, active, description and criteria, with the dry run
 * beside the criteria. Presentational: the container saves. `save` carries the draft
 * (`SetupStream`) and is only emitted when the criteria are valid — otherwise the editor
 * says why and stays put. Also emits `cancel` and `refreshvisitors`.
 */
import { LightningElement, api } from 'lwc';
import { validateCriteria } from 'c/sightlineEngine';
import type { DryRunVisitors, SetupStream } from 'c/setupModel';

export default class SetupStreamEditor extends LightningElement {
    @api saving = false;
    @api dryRunData: DryRunVisitors | undefined;
    @api dryRunLoading = false;
    /** A save error from the container (validation rule, FLS…). */
    @api saveError: string | undefined;

    draft: SetupStream = {
        name: '',
        color: '#0176D3',
        priority: 1,
        active: true,
        criteria: '{"all":[]}',
        description: ''
    };
    refusal: string | undefined;

    @api
    get stream(): SetupStream {
        return this.draft;
    }
    set stream(value: SetupStream) {
        this.draft = {
            ...value,
            criteria: value.criteria || '{"all":[]}',
            description: value.description ?? ''
        };
        this.refusal = undefined;
    }

    get heading(): string {
        return this.draft.id ? `Edit stream: ${this.draft.name}` : 'New stream';
    }

    get saveLabel(): string {
        return this.saving ? 'Saving…' : 'Save stream';
    }

    get errorMessage(): string | undefined {
        return this.refusal ?? this.saveError;
    }

    handleName(event: CustomEvent<{ value: string }>): void {
        this.draft = { ...this.draft, name: event.detail.value };
    }

    handleColor(event: CustomEvent<{ value: string }>): void {
        this.draft = { ...this.draft, color: event.detail.value };
    }

    /** The list's switch changed this record: show it, keeping the rest of the draft. */
    @api
    applyActive(active: boolean): void {
        this.draft = { ...this.draft, active };
    }

    handleActive(event: CustomEvent<{ checked: boolean }>): void {
        this.draft = { ...this.draft, active: event.detail.checked };
    }

    handleDescription(event: CustomEvent<{ value: string }>): void {
        this.draft = { ...this.draft, description: event.detail.value };
    }

    handleCriteria(event: CustomEvent<{ criteria: string; valid: boolean }>): void {
        this.draft = { ...this.draft, criteria: event.detail.criteria };
        if (event.detail.valid) this.refusal = undefined;
    }

    handleSave(): void {
        const name = (this.draft.name ?? '').trim();
        if (!name) {
            this.refusal = 'Give the stream a name.';
            return;
        }
        const { ok, errors } = validateCriteria(this.draft.criteria);
        if (!ok) {
            this.refusal = `The criteria are not valid, so the stream was not saved: ${errors.map((e) => e.message).join('; ')}`;
            return;
        }
        this.refusal = undefined;
        this.dispatchEvent(new CustomEvent('save', { detail: { ...this.draft, name } }));
    }

    handleCancel(): void {
        this.dispatchEvent(new CustomEvent('cancel'));
    }

    handleRefreshVisitors(): void {
        this.dispatchEvent(new CustomEvent('refreshvisitors'));
    }
}
