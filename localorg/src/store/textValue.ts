/**
 * A field value read from an untyped record (a query result, a JSON body) as text:
 * strings as they are, numbers and booleans written out, anything else (null, missing,
 * objects) as ''.
 */
export function text(value: unknown): string {
    if (typeof value === 'string') return value;
    if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint')
        return String(value);
    return '';
}
