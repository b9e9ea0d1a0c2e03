/**
 * A 53-bit fingerprint of a JSON value — equal whenever `JSON.stringify` of the values is
 * equal, different (but for hash collisions) whenever it differs — computed by walking the
 * value instead of building its JSON text. The publisher fingerprints every changed card
 * once per window; the string it used to build (and throw away) was most of that cost.
 *
 * The walk feeds the hashes an unambiguous encoding of what `JSON.stringify` would write: a
 * tag per kind of value, strings and keys with their lengths, numbers as their 64 bits
 * (with JSON's own reading: -0 is 0, and NaN and ±Infinity are null), object members in
 * their order, members whose value JSON leaves out (undefined, functions, symbols) left out.
 * It covers plain JSON data, which is what a card is (no `toJSON`, no Maps or Dates).
 */

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;
const DJB_SEED = 5381;

// Tags: one per kind of JSON value, so that e.g. "1" and 1, or [] and {}, differ.
const NULL = 1;
const FALSE = 2;
const TRUE = 3;
const NUMBER = 4;
const STRING = 5;
const ARRAY = 6;
const OBJECT = 7;
const END = 8;
/** A value JSON does not write at all (`JSON.stringify(undefined)` is no text). */
const NOTHING = 9;

/** One number's 64 bits, read as two 32-bit halves without allocating. */
const numberBits = new Float64Array(1);
const numberHalves = new Uint32Array(numberBits.buffer);

/** FNV-1a and djb2 side by side (two independent 32-bit hashes make 53 bits). */
class Hasher {
    fnv = FNV_OFFSET;
    djb = DJB_SEED;

    reset(): void {
        this.fnv = FNV_OFFSET;
        this.djb = DJB_SEED;
    }

    add(unit: number): void {
        this.fnv = Math.imul(this.fnv ^ unit, FNV_PRIME);
        this.djb = (Math.imul(this.djb, 33) + unit) | 0;
    }

    addString(text: string): void {
        this.add(text.length);
        let fnv = this.fnv;
        let djb = this.djb;
        for (let i = 0; i < text.length; i++) {
            const c = text.charCodeAt(i);
            fnv = Math.imul(fnv ^ c, FNV_PRIME);
            djb = (Math.imul(djb, 33) + c) | 0;
        }
        this.fnv = fnv;
        this.djb = djb;
    }

    value(): number {
        return (this.fnv >>> 0) * 0x200000 + ((this.djb >>> 0) & 0x1fffff);
    }
}

/** Whether JSON leaves this member out of an object (and writes null for it in an array). */
function omitted(value: unknown): boolean {
    return value === undefined || typeof value === 'function' || typeof value === 'symbol';
}

function addValue(hasher: Hasher, value: unknown): void {
    switch (typeof value) {
        case 'string':
            hasher.add(STRING);
            hasher.addString(value);
            return;
        case 'number':
            if (!Number.isFinite(value)) {
                hasher.add(NULL);
                return;
            }
            hasher.add(NUMBER);
            numberBits[0] = value === 0 ? 0 : value; // -0 is written as 0
            hasher.add(numberHalves[0]!);
            hasher.add(numberHalves[1]!);
            return;
        case 'boolean':
            hasher.add(value ? TRUE : FALSE);
            return;
        case 'object':
            if (value === null) hasher.add(NULL);
            else if (Array.isArray(value)) addArray(hasher, value);
            else addObject(hasher, value as Record<string, unknown>);
            return;
        default:
            // undefined, a function or a symbol where a value must be written: JSON's null.
            hasher.add(NULL);
    }
}

function addArray(hasher: Hasher, values: readonly unknown[]): void {
    hasher.add(ARRAY);
    for (let i = 0; i < values.length; i++) addValue(hasher, values[i]);
    hasher.add(END);
}

function addObject(hasher: Hasher, record: Record<string, unknown>): void {
    hasher.add(OBJECT);
    // for…in walks own enumerable keys in JSON's order (plain data has no inherited ones),
    // and, unlike Object.keys, allocates no array.
    for (const key in record) {
        const member = record[key];
        if (omitted(member)) continue;
        hasher.addString(key);
        addValue(hasher, member);
    }
    hasher.add(END);
}

/** One hasher reused for every call: the walk is synchronous, so calls never overlap. */
const shared = new Hasher();

/** The fingerprint of `value` as JSON (see above). */
export function jsonFingerprint(value: unknown): number {
    shared.reset();
    if (omitted(value)) shared.add(NOTHING);
    else addValue(shared, value);
    return shared.value();
}
