/**
 * Stand-in for `lightning/uiRecordApi` against the local org, through the same
 * User Interface API resources the platform uses (`/ui-api/records`). Like Lightning Data
 * Service, a write refreshes every wired record it touches.
 */
import { requestJson } from 'local/transport';

const UI_API = '/services/data/v62.0/ui-api';

type FieldId = string | { objectApiName: string; fieldApiName: string };

export interface FieldValueRepresentation {
    value: unknown;
    displayValue: string | null;
}

export interface RecordRepresentation {
    apiName: string;
    id: string;
    fields: Record<string, FieldValueRepresentation>;
    lastModifiedDate?: string;
    childRelationships: Record<string, unknown>;
    recordTypeId: string | null;
}

export interface RecordInput {
    apiName?: string;
    fields: Record<string, unknown>;
}

interface GetRecordConfig {
    recordId?: string;
    fields?: FieldId | FieldId[];
    optionalFields?: FieldId | FieldId[];
}

type DataCallback = (value: { data: RecordRepresentation | undefined; error: unknown }) => void;

const liveAdapters = new Set<GetRecordAdapter>();

function fieldNames(fields: FieldId | FieldId[] | undefined): string[] {
    if (!fields) return [];
    return (Array.isArray(fields) ? fields : [fields]).map((f) =>
        typeof f === 'string' ? f : `${f.objectApiName}.${f.fieldApiName}`
    );
}

class GetRecordAdapter {
    private config: GetRecordConfig = {};
    recordId: string | undefined;

    constructor(private readonly callback: DataCallback) {}

    connect(): void {
        liveAdapters.add(this);
    }

    disconnect(): void {
        liveAdapters.delete(this);
    }

    update(config: GetRecordConfig): void {
        this.config = config;
        this.recordId = config.recordId;
        void this.load();
    }

    async load(): Promise<void> {
        const { recordId } = this.config;
        if (!recordId) return;
        const query = new URLSearchParams();
        const fields = fieldNames(this.config.fields);
        const optional = fieldNames(this.config.optionalFields);
        if (fields.length) query.set('fields', fields.join(','));
        if (optional.length) query.set('optionalFields', optional.join(','));
        try {
            const data = await requestJson<RecordRepresentation>(
                'GET',
                `${UI_API}/records/${encodeURIComponent(recordId)}?${query}`
            );
            this.callback({ data, error: undefined });
        } catch (error) {
            this.callback({ data: undefined, error });
        }
    }
}

export const getRecord = GetRecordAdapter;

function refreshWired(recordId: string): void {
    for (const adapter of liveAdapters) {
        if (adapter.recordId && adapter.recordId.slice(0, 15) === recordId.slice(0, 15))
            void adapter.load();
    }
}

export async function createRecord(recordInput: RecordInput): Promise<RecordRepresentation> {
    return requestJson<RecordRepresentation>('POST', `${UI_API}/records`, recordInput);
}

export async function updateRecord(
    recordInput: RecordInput,
    clientOptions?: { ifUnmodifiedSince?: string }
): Promise<RecordRepresentation> {
    const { Id, ...fields } = recordInput.fields;
    if (typeof Id !== 'string') throw new Error('updateRecord() needs recordInput.fields.Id');
    const body = {
        fields,
        ...(clientOptions?.ifUnmodifiedSince
            ? { ifUnmodifiedSince: clientOptions.ifUnmodifiedSince }
            : {})
    };
    const record = await requestJson<RecordRepresentation>(
        'PATCH',
        `${UI_API}/records/${encodeURIComponent(Id)}`,
        body
    );
    refreshWired(record.id);
    return record;
}

export async function deleteRecord(recordId: string): Promise<void> {
    await requestJson('DELETE', `${UI_API}/records/${encodeURIComponent(recordId)}`);
}

export function notifyRecordUpdateAvailable(items: { recordId: string }[]): Promise<void> {
    for (const { recordId } of items) refreshWired(recordId);
    return Promise.resolve();
}

function fieldPath(field: FieldId): string[] {
    const name =
        typeof field === 'string' ? field.split('.').slice(1).join('.') : field.fieldApiName;
    return name.split('.');
}

function fieldRepresentation(
    record: RecordRepresentation | undefined,
    field: FieldId
): FieldValueRepresentation | undefined {
    let current: RecordRepresentation | undefined = record;
    const path = fieldPath(field);
    for (let i = 0; i < path.length; i++) {
        const entry: FieldValueRepresentation | undefined = current?.fields[path[i]!];
        if (i === path.length - 1) return entry;
        current = entry?.value as RecordRepresentation | undefined;
    }
    return undefined;
}

export function getFieldValue(record: RecordRepresentation | undefined, field: FieldId): unknown {
    return fieldRepresentation(record, field)?.value;
}

export function getFieldDisplayValue(
    record: RecordRepresentation | undefined,
    field: FieldId
): string | null | undefined {
    return fieldRepresentation(record, field)?.displayValue;
}
