/**
 * The one email rule of the beacon contract, used by the gateway's schemas
 * (visitorProtocol.ts re-exports it) and by the tracker, which identifies a visitor only
 * from an address the gateway will take. Its own file, free of zod, because the tracker
 * bundles it: importing it from visitorProtocol.ts would ship the schemas (and zod) to
 * every website.
 *
 * A practical address: a local part of letters, digits and `.!#$%&'*+/=?^_`{|}~-` with no
 * leading, trailing or double dot; a domain of dot-separated labels (letters, digits,
 * inner hyphens, at most 63 characters each) ending in a top-level label of two letters
 * or more. Quoted local parts and IP literals are refused; 254 characters at most.
 */
export const EMAIL_MAX_LENGTH = 254;

const EMAIL_PATTERN =
    /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}$/;

export function validEmail(value: string): boolean {
    return value.length <= EMAIL_MAX_LENGTH && EMAIL_PATTERN.test(value);
}
