/**
 * The TypeScript twin of SightlineSigner.cls, for the local shell's Apex stand-in: no Apex
 * runtime exists off-platform, so the stand-in signs its calls line for line as the class
 * does (same signed string, same hex encodings, an 18-character org and user id, a
 * millisecond timestamp and a 128-bit random nonce) and sends them through the same
 * verification as the platform's callouts. Kept apart from the gateway's own check
 * (identity/requestSignature.ts) on purpose: the shared test vector, also in
 * SightlineSignerTest.cls, is what proves the three agree.
 */
import { createHash, createHmac, randomBytes } from 'node:crypto';

const VERSION = 'SIGHTLINE-HMAC-SHA256-v1';

const hex = (bytes: Buffer): string => bytes.toString('hex');

export interface ApexSigningContext {
    /** Sightline_Signing__c.Secret__c of the org. */
    secret: string;
    /** UserInfo.getOrganizationId(), 18 characters. */
    orgId: string;
    /** UserInfo.getUserId(), 18 characters. */
    userId: string;
}

/** SightlineSigner.headers(action, body) as the given user, at `now`. */
export function apexSignatureHeaders(
    action: string,
    body: string,
    context: ApexSigningContext,
    now: number = Date.now(),
    nonce: string = hex(randomBytes(16))
): Record<string, string> {
    const bodyHash = hex(createHash('sha256').update(Buffer.from(body, 'utf8')).digest());
    const canonical = [
        VERSION,
        'POST',
        `/api/v1/actions/${action}`,
        context.orgId,
        context.userId,
        String(now),
        nonce,
        bodyHash
    ].join('\n');
    const signature = hex(
        createHmac('sha256', Buffer.from(context.secret, 'utf8'))
            .update(Buffer.from(canonical, 'utf8'))
            .digest()
    );
    return {
        'X-Sightline-Org': context.orgId,
        'X-Sightline-User': context.userId,
        'X-Sightline-Timestamp': String(now),
        'X-Sightline-Nonce': nonce,
        'X-Sightline-Signature': signature
    };
}
