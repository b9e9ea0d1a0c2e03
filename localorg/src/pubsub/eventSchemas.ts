/**
 * Avro schemas of platform events and change events, derived from the object metadata the
 * way the platform derives them: records in the `com.sforce.eventbus` namespace, platform
 * events led by `CreatedDate` / `CreatedById`, change events led by a `ChangeEventHeader`,
 * custom fields as `["null", T]` unions. A schema id is a hash of the schema, so it changes
 * exactly when the event's shape does.
 */
import { createHash } from 'node:crypto';
import avro from 'avsc';
import { text } from '../store/textValue';

/** The parts of an object description the event bus reads (the store's describe fits it). */
export interface EntityFieldSource {
    apiName: string;
    type: string;
}
export interface EntitySource {
    apiName: string;
    kind: string;
    fields: Map<string, EntityFieldSource>;
}

export interface EventSchema {
    id: string;
    /** The event's entity: `Visitor_Update__e`, `Live_Stream__ChangeEvent`, `AccountChangeEvent`. */
    entity: string;
    json: string;
    type: avro.Type;
    /** Top-level fields in schema order: the positions change-event bitmaps refer to. */
    fieldNames: string[];
    /** Field API name → metadata type, for value conversion and filters. */
    fieldTypes: Map<string, string>;
}

type AvroField = { name: string; type: avro.Schema; doc?: string; default?: unknown };

const NAMESPACE = 'com.sforce.eventbus';
/** Fields the event bus fills itself or carries outside the payload. */
const PLATFORM_EVENT_SYSTEM_FIELDS = new Set([
    'Id',
    'ReplayId',
    'EventUuid',
    'CreatedDate',
    'CreatedById'
]);

function avroTypeOf(fieldType: string): avro.schema.PrimitiveType {
    switch (fieldType) {
        case 'Number':
        case 'Percent':
        case 'Currency':
            return 'double';
        case 'Checkbox':
            return 'boolean';
        case 'DateTime':
            return 'long';
        case 'Date':
            return 'int';
        default:
            return 'string';
    }
}

function schemaOf(
    entity: string,
    fields: AvroField[],
    fieldTypes: Map<string, string>
): EventSchema {
    const schema: avro.schema.RecordType = {
        type: 'record',
        name: entity,
        namespace: NAMESPACE,
        fields
    };
    const json = JSON.stringify(schema);
    return {
        id: createHash('sha256').update(json).digest('base64url').slice(0, 22),
        entity,
        json,
        type: avro.Type.forSchema(schema),
        fieldNames: fields.map((f) => f.name),
        fieldTypes
    };
}

/** The schema of a platform event (`X__e`). */
export function platformEventSchema(event: EntitySource): EventSchema {
    const fields: AvroField[] = [
        { name: 'CreatedDate', type: 'long', doc: 'CreatedDate:DateTime' },
        { name: 'CreatedById', type: 'string', doc: 'CreatedBy:EntityId' }
    ];
    const fieldTypes = new Map<string, string>([
        ['CreatedDate', 'DateTime'],
        ['CreatedById', 'Lookup']
    ]);
    for (const field of event.fields.values()) {
        if (PLATFORM_EVENT_SYSTEM_FIELDS.has(field.apiName)) continue;
        fieldTypes.set(field.apiName, field.type);
        fields.push(
            field.type === 'Checkbox'
                ? {
                      name: field.apiName,
                      type: 'boolean',
                      doc: `Data:${field.type}`,
                      default: false
                  }
                : {
                      name: field.apiName,
                      type: ['null', avroTypeOf(field.type)],
                      doc: `Data:${field.type}`,
                      default: null
                  }
        );
    }
    return schemaOf(event.apiName, fields, fieldTypes);
}

/** `Live_Stream__c` → `Live_Stream__ChangeEvent`, `Account` → `AccountChangeEvent`. */
export function changeEventName(objectApiName: string): string {
    return objectApiName.endsWith('__c')
        ? `${objectApiName.slice(0, -3)}__ChangeEvent`
        : `${objectApiName}ChangeEvent`;
}

export const CHANGE_TYPES = [
    'CREATE',
    'UPDATE',
    'DELETE',
    'UNDELETE',
    'GAP_CREATE',
    'GAP_UPDATE',
    'GAP_DELETE',
    'GAP_UNDELETE',
    'GAP_OVERFLOW'
] as const;
export type ChangeType = (typeof CHANGE_TYPES)[number];

const CHANGE_EVENT_HEADER: avro.schema.RecordType = {
    type: 'record',
    name: 'ChangeEventHeader',
    fields: [
        { name: 'entityName', type: 'string' },
        { name: 'recordIds', type: { type: 'array', items: 'string' } },
        {
            name: 'changeType',
            type: { type: 'enum', name: 'ChangeType', symbols: [...CHANGE_TYPES] }
        },
        { name: 'changeOrigin', type: 'string' },
        { name: 'transactionKey', type: 'string' },
        { name: 'sequenceNumber', type: 'int' },
        { name: 'commitTimestamp', type: 'long' },
        { name: 'commitNumber', type: 'long' },
        { name: 'commitUser', type: 'string' },
        { name: 'nulledFields', type: { type: 'array', items: 'string' } },
        { name: 'diffFields', type: { type: 'array', items: 'string' } },
        { name: 'changedFields', type: { type: 'array', items: 'string' } }
    ]
};

/** The schema of an object's change event; the record id travels in the header. */
export function changeEventSchema(object: EntitySource): EventSchema {
    const fields: AvroField[] = [
        { name: 'ChangeEventHeader', type: CHANGE_EVENT_HEADER, doc: 'Data:ComplexValueType' }
    ];
    const fieldTypes = new Map<string, string>();
    for (const field of object.fields.values()) {
        if (field.apiName === 'Id') continue;
        fieldTypes.set(field.apiName, field.type);
        fields.push({
            name: field.apiName,
            type: ['null', avroTypeOf(field.type)],
            doc: `Data:${field.type}`,
            default: null
        });
    }
    return schemaOf(changeEventName(object.apiName), fields, fieldTypes);
}

/**
 * A record value (as the REST API writes it: ISO date-times, `YYYY-MM-DD` dates) in the
 * Avro form of its field: date-times as epoch milliseconds, dates as epoch days.
 */
export function toAvroValue(fieldType: string, value: unknown): unknown {
    if (value === null || value === undefined) return null;
    if (fieldType === 'DateTime') {
        const millis = typeof value === 'number' ? value : Date.parse(text(value));
        if (Number.isNaN(millis)) throw new TypeError(`Not a date-time: ${text(value)}`);
        return millis;
    }
    if (fieldType === 'Date') {
        const millis = Date.parse(`${text(value).slice(0, 10)}T00:00:00Z`);
        if (Number.isNaN(millis)) throw new TypeError(`Not a date: ${text(value)}`);
        return Math.round(millis / 86_400_000);
    }
    if (['Number', 'Percent', 'Currency'].includes(fieldType)) return Number(value);
    if (fieldType === 'Checkbox') return Boolean(value);
    return text(value);
}

/**
 * Field names as the platform encodes them in a change event header: a bitmap over the
 * schema's top-level field positions, as one upper-case hex string (`0x…`).
 */
export function fieldBitmap(schema: EventSchema, names: Iterable<string>): string[] {
    let bits = 0n;
    let any = false;
    for (const name of names) {
        const position = schema.fieldNames.indexOf(name);
        if (position < 0) continue;
        bits |= 1n << BigInt(position);
        any = true;
    }
    if (!any) return [];
    let hex = bits.toString(16).toUpperCase();
    if (hex.length % 2) hex = `0${hex}`;
    return [`0x${hex}`];
}
