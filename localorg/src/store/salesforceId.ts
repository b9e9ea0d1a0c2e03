/**
 * Salesforce-shaped record ids: a 3-character key prefix, a 12-character base-62 body and the
 * documented 3-character case-safe suffix, so the local org's ids look and validate like an org's.
 */
const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const SUFFIX_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ012345';

export function makeId(keyPrefix: string, sequence: number): string {
    let body = '';
    let n = sequence;
    do {
        body = BASE62[n % 62] + body;
        n = Math.floor(n / 62);
    } while (n > 0);
    return to18(keyPrefix + body.padStart(12, '0'));
}

/** The 18-character form: each 5-character chunk contributes one suffix character. */
export function to18(id15: string): string {
    if (id15.length !== 15) throw new Error(`Expected a 15-character id, got "${id15}"`);
    let suffix = '';
    for (let chunk = 0; chunk < 3; chunk++) {
        let bits = 0;
        for (let i = 0; i < 5; i++) {
            const c = id15.charAt(chunk * 5 + i);
            if (c >= 'A' && c <= 'Z') bits |= 1 << i;
        }
        suffix += SUFFIX_ALPHABET.charAt(bits);
    }
    return id15 + suffix;
}

const ID_PATTERN = /^[a-zA-Z0-9]{15}(?:[A-Z0-5]{3})?$/;

/** Accepts 15- or 18-character ids; returns the 18-character form or null. */
export function normaliseId(value: unknown): string | null {
    if (typeof value !== 'string' || !ID_PATTERN.test(value)) return null;
    const full = to18(value.slice(0, 15));
    return value.length === 18 && full !== value ? null : full;
}
