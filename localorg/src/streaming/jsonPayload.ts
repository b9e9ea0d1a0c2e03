/**
 * An event's payload as CometD clients (empApi) receive it: JSON with ISO date-times and
 * `YYYY-MM-DD` dates, and change-event headers listing field names instead of the Pub/Sub
 * API's bitmaps.
 */
import type { EventSchema } from '../pubsub/eventSchemas';

function namesFromBitmap(schema: EventSchema, bitmaps: unknown): string[] {
    const [first] = Array.isArray(bitmaps) ? (bitmaps as string[]) : [];
    if (!first?.startsWith('0x')) return [];
    const bits = BigInt(first);
    return schema.fieldNames.filter((_, position) => (bits >> BigInt(position)) & 1n);
}

export function toJsonPayload(
    schema: EventSchema,
    payload: Record<string, unknown>
): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const name of schema.fieldNames) {
        const value = payload[name] ?? null;
        const type = schema.fieldTypes.get(name);
        if (name === 'ChangeEventHeader' && value && typeof value === 'object') {
            const header = value as Record<string, unknown>;
            out[name] = {
                ...header,
                commitTimestamp: Number(header.commitTimestamp),
                nulledFields: namesFromBitmap(schema, header.nulledFields),
                diffFields: [],
                changedFields: namesFromBitmap(schema, header.changedFields)
            };
        } else if (value !== null && type === 'DateTime') {
            out[name] = new Date(Number(value)).toISOString();
        } else if (value !== null && type === 'Date') {
            out[name] = new Date(Number(value) * 86_400_000).toISOString().slice(0, 10);
        } else {
            out[name] = value;
        }
    }
    return out;
}
