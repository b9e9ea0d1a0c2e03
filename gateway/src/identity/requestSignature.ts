/**
 * The signature Apex puts on every call to the gateway (SightlineSigner.cls; its TypeScript
 * twin for the local shell's Apex stand-in is localorg/src/apex/apexSigner.ts). The gateway recomputes it here.
 *
 * Signed string (lines joined with "\n"):
 *
 *   SIGHTLINE-HMAC-SHA256-v1
 *   POST
 *   /api/v1/actions/<action>
 *   <org id, 18 characters>
 *   <user id, 18 characters>
 *   <timestamp, epoch milliseconds>
 *   <nonce, 32 hex characters>
 *   <SHA-256 of the body's UTF-8 bytes, lowercase hex>
 *
 * Signature: HMAC-SHA256 of that string's UTF-8 bytes with the org's secret (its UTF-8
 * bytes), lowercase hex, in `X-Sightline-Signature`. The action path is signed so that a
 * captured call cannot be replayed against another action; the body hash so that its
 * parameters cannot be swapped.
 */
import { createHash, createHmac } from 'node:crypto';

export const SIGNATURE_VERSION = 'SIGHTLINE-HMAC-SHA256-v1';

/** The headers Apex sends, lower-case as Node presents them. */
export const SIGNED_HEADERS = {
    org: 'x-sightline-org',
    user: 'x-sightline-user',
    timestamp: 'x-sightline-timestamp',
    nonce: 'x-sightline-nonce',
    signature: 'x-sightline-signature'
} as const;

export interface SignedFields {
    action: string;
    orgId: string;
    userId: string;
    timestamp: string;
    nonce: string;
    body: string;
}

export const sha256Hex = (text: string): string =>
    createHash('sha256').update(text, 'utf8').digest('hex');

export function canonicalRequest(fields: SignedFields): string {
    return [
        SIGNATURE_VERSION,
        'POST',
        `/api/v1/actions/${fields.action}`,
        fields.orgId,
        fields.userId,
        fields.timestamp,
        fields.nonce,
        sha256Hex(fields.body)
    ].join('\n');
}

export function signatureOf(secret: string, fields: SignedFields): string {
    return createHmac('sha256', Buffer.from(secret, 'utf8'))
        .update(canonicalRequest(fields), 'utf8')
        .digest('hex');
}
