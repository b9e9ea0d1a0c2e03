/**
 * One condition of the criteria builder: a field from the engine's catalogue (grouped
 * Visit, Company, Location, Salesforce, Behaviour), the operators that apply to its type,
 * and a value input that fits both (yes/no, known values, numbers, ranges, lists, dates,
 * wildcard text, or a page with minimum dwell and scroll). Presentational: emits
 * `conditionchange` with `{ uid, field, operator, value }` and `remove` with the uid.
 */
import { LightningElement, api } from 'lwc';
import { OPERATOR_LABELS, fieldByKey, fieldGroups, type EditCondition } from 'c/setupModel';
import type { FieldDefinition, Operator } from 'c/sightlineEngine';
import type LightningCombobox from 'lightning/combobox';

type ComboboxOption = LightningCombobox['options'][number];

type ValueKind =
    | 'none'
    | 'boolean'
    | 'choice'
    | 'choices'
    | 'list'
    | 'number'
    | 'numberRange'
    | 'datetime'
    | 'datetimeRange'
    | 'minutes'
    | 'text'
    | 'page';

const LIST_OPERATORS: readonly string[] = ['in', 'notIn'];

export function valueKind(field: FieldDefinition | undefined, operator: string): ValueKind {
    if (!field || operator === 'isSet' || operator === 'isNotSet' || operator === '') return 'none';
    if (operator === 'pageVisited') return 'page';
    if (operator === 'withinLastMinutes') return 'minutes';
    switch (field.type) {
        case 'boolean':
            return 'boolean';
        case 'picklist':
            return LIST_OPERATORS.includes(operator) ? 'choices' : 'choice';
        case 'number':
            return operator === 'between'
                ? 'numberRange'
                : LIST_OPERATORS.includes(operator)
                  ? 'list'
                  : 'number';
        case 'datetime':
            return operator === 'between' ? 'datetimeRange' : 'datetime';
        default:
            return LIST_OPERATORS.includes(operator) ? 'list' : 'text';
    }
}

/** A sensible starting value when the field or operator changes. */
export function defaultValue(field: FieldDefinition | undefined, operator: string): unknown {
    switch (valueKind(field, operator)) {
        case 'boolean':
            return true;
        case 'choice':
            return field?.values?.[0];
        case 'choices':
            return [];
        case 'page':
            return { path: '' };
        default:
            return undefined;
    }
}

const numberOrUndefined = (text: string): number | undefined =>
    text.trim() === '' ? undefined : Number(text);

function toLocalInput(value: unknown): string {
    const at =
        typeof value === 'number' ? value : typeof value === 'string' ? Date.parse(value) : NaN;
    if (!Number.isFinite(at)) return '';
    const d = new Date(at);
    const pad = (n: number) => String(n).padStart(2, '0');
    return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

function fromLocalInput(text: string): string | undefined {
    const at = Date.parse(text);
    return Number.isFinite(at) ? new Date(at).toISOString() : undefined;
}

export default class SetupCondition extends LightningElement {
    @api condition: EditCondition | undefined;
    @api errors: string[] = [];

    get uid(): string {
        return this.condition?.uid ?? '';
    }

    get field(): FieldDefinition | undefined {
        return this.condition ? fieldByKey(this.condition.field) : undefined;
    }

    /**
     * Every field of the catalogue, in its groups' order. A combobox has no option groups,
     * so each label starts with its group ("Visit · UTM campaign").
     */
    get fieldOptions(): ComboboxOption[] {
        return fieldGroups().flatMap(({ group, fields }) =>
            fields.map((f) => ({
                value: f.key,
                label: `${group} · ${f.unit ? `${f.label} (${f.unit})` : f.label}`
            }))
        );
    }

    /** '' (the placeholder) until a field of the catalogue is chosen. */
    get fieldValue(): string {
        return this.field?.key ?? '';
    }

    get operatorOptions(): ComboboxOption[] {
        return (this.field?.operators ?? []).map((op: Operator) => ({
            value: op,
            label: OPERATOR_LABELS[op]
        }));
    }

    get operatorValue(): string {
        return this.condition?.operator ?? '';
    }

    get operatorDisabled(): boolean {
        return !this.field;
    }

    get kind(): ValueKind {
        return valueKind(this.field, this.condition?.operator ?? '');
    }

    get isBoolean(): boolean {
        return this.kind === 'boolean';
    }
    get isChoice(): boolean {
        return this.kind === 'choice';
    }
    get isChoices(): boolean {
        return this.kind === 'choices';
    }
    get isList(): boolean {
        return this.kind === 'list';
    }
    get isNumber(): boolean {
        return this.kind === 'number' || this.kind === 'minutes';
    }
    get isNumberRange(): boolean {
        return this.kind === 'numberRange';
    }
    get isDatetime(): boolean {
        return this.kind === 'datetime';
    }
    get isDatetimeRange(): boolean {
        return this.kind === 'datetimeRange';
    }
    get isText(): boolean {
        return this.kind === 'text';
    }
    get isPage(): boolean {
        return this.kind === 'page';
    }

    get value(): unknown {
        return this.condition?.value;
    }

    get valueLabel(): string {
        if (this.kind === 'minutes') return 'Minutes';
        const unit = this.field?.unit;
        return unit ? `Value (${unit})` : 'Value';
    }

    get booleanOptions(): ComboboxOption[] {
        return [
            { value: 'true', label: 'Yes' },
            { value: 'false', label: 'No' }
        ];
    }

    get booleanValue(): string {
        return this.value === true ? 'true' : this.value === false ? 'false' : '';
    }

    /** The field's known values: one chosen (combobox) or several (checkboxes). */
    get choiceOptions() {
        const values = this.field?.values ?? [];
        const chosen = Array.isArray(this.value) ? (this.value as unknown[]) : [this.value];
        return values.map((v) => ({ value: v, label: v, selected: chosen.includes(v) }));
    }

    get choiceValue(): string {
        return typeof this.value === 'string' ? this.value : '';
    }

    get listText(): string {
        return Array.isArray(this.value) ? (this.value as unknown[]).join(', ') : '';
    }

    get scalarText(): string {
        return this.value === undefined || this.value === null ? '' : String(this.value);
    }

    get rangeFrom(): string {
        return Array.isArray(this.value) && this.value[0] !== undefined && this.value[0] !== null
            ? String(this.value[0])
            : '';
    }
    get rangeTo(): string {
        return Array.isArray(this.value) && this.value[1] !== undefined && this.value[1] !== null
            ? String(this.value[1])
            : '';
    }

    get datetimeText(): string {
        return toLocalInput(this.value);
    }
    get datetimeFrom(): string {
        return Array.isArray(this.value) ? toLocalInput(this.value[0]) : '';
    }
    get datetimeTo(): string {
        return Array.isArray(this.value) ? toLocalInput(this.value[1]) : '';
    }

    get isWildcard(): boolean {
        return this.condition?.operator === 'wildcard';
    }

    get page(): { path: string; minDwellSeconds?: number; minScrollPercent?: number } {
        const v = this.value;
        if (typeof v === 'string') return { path: v };
        return v && typeof v === 'object' ? (v as { path: string }) : { path: '' };
    }
    get pagePath(): string {
        return this.page.path ?? '';
    }
    get pageDwell(): string {
        return this.page.minDwellSeconds === undefined ? '' : String(this.page.minDwellSeconds);
    }
    get pageScroll(): string {
        return this.page.minScrollPercent === undefined ? '' : String(this.page.minScrollPercent);
    }

    get hasErrors(): boolean {
        return (this.errors ?? []).length > 0;
    }

    get rowClass(): string {
        return `slds-grid slds-wrap slds-gutters_x-small slds-grid_vertical-align-end condition${this.hasErrors ? ' slds-has-error' : ''}`;
    }

    // Events

    // lightning-combobox's change is composed and bubbles: it stops here, so the builder's
    // parent hears only this component's `conditionchange`.

    handleFieldChange(event: CustomEvent<{ value: string }>): void {
        event.stopPropagation();
        const key = event.detail.value;
        const field = fieldByKey(key);
        const operator = field?.operators[0] ?? '';
        this.emit(key, operator, defaultValue(field, operator));
    }

    handleOperatorChange(event: CustomEvent<{ value: string }>): void {
        event.stopPropagation();
        const operator = event.detail.value;
        const before = this.kind;
        const after = valueKind(this.field, operator);
        // Keep what was typed when the input stays the same kind (e.g. contains → starts with).
        this.emit(
            this.condition?.field ?? '',
            operator,
            before === after ? this.value : defaultValue(this.field, operator)
        );
    }

    handleBooleanChange(event: CustomEvent<{ value: string }>): void {
        event.stopPropagation();
        this.emitValue(event.detail.value === 'true');
    }

    handleChoiceChange(event: CustomEvent<{ value: string }>): void {
        event.stopPropagation();
        this.emitValue(event.detail.value);
    }

    handleChoicesChange(event: Event): void {
        const value = (event.target as HTMLInputElement).value;
        const checked = (event.target as HTMLInputElement).checked;
        const current = Array.isArray(this.value) ? (this.value as string[]) : [];
        const values = this.field?.values ?? [];
        const next = checked
            ? [...current.filter((v) => v !== value), value]
            : current.filter((v) => v !== value);
        this.emitValue(values.filter((v) => next.includes(v)));
    }

    handleListChange(event: Event): void {
        const parts = (event.target as HTMLInputElement).value
            .split(',')
            .map((s) => s.trim())
            .filter(Boolean);
        this.emitValue(this.field?.type === 'number' ? parts.map(Number) : parts);
    }

    handleTextChange(event: Event): void {
        this.emitValue((event.target as HTMLInputElement).value);
    }

    handleNumberChange(event: Event): void {
        this.emitValue(numberOrUndefined((event.target as HTMLInputElement).value));
    }

    handleRangeChange(event: Event): void {
        const input = event.target as HTMLInputElement;
        const index = input.dataset.end === 'to' ? 1 : 0;
        const range = Array.isArray(this.value)
            ? [...(this.value as unknown[])]
            : [undefined, undefined];
        range[index] = this.isDatetimeRange
            ? fromLocalInput(input.value)
            : numberOrUndefined(input.value);
        this.emitValue(range);
    }

    handleDatetimeChange(event: Event): void {
        this.emitValue(fromLocalInput((event.target as HTMLInputElement).value));
    }

    handlePageChange(event: Event): void {
        const input = event.target as HTMLInputElement;
        const page: Record<string, unknown> = { ...this.page };
        const part = input.dataset.part ?? 'path';
        if (part === 'path') page.path = input.value;
        else {
            const n = numberOrUndefined(input.value);
            if (n === undefined) delete page[part];
            else page[part] = n;
        }
        this.emitValue(page);
    }

    handleRemove(): void {
        this.dispatchEvent(new CustomEvent('remove', { detail: this.uid }));
    }

    private emitValue(value: unknown): void {
        this.emit(this.condition?.field ?? '', this.condition?.operator ?? '', value);
    }

    private emit(field: string, operator: string, value: unknown): void {
        this.dispatchEvent(
            new CustomEvent('conditionchange', {
                detail: { uid: this.uid, field, operator, value }
            })
        );
    }
}
