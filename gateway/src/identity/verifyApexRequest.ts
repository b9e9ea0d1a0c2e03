/**
 * Checks the signed identity on a call from the package's Apex: every header present and
 * well formed, the org is the one this gateway serves, the timestamp within ±60 s, the
 * signature matches the org's secret over the action, the identity and the body's hash, and
 * the nonce was not used before — on any gateway: nonces are spent in the shared state
 * (Redis behind a balancer, memory alone). Only then is the user id believed — `X-Sightline-User` on
 * its own is never trusted.
 *
 * Failures carry a clear message and a stable code: 401 for anything that does not prove
 * who sent it (unsigned, forged, stale, replayed), 403 for a call from an org this gateway
 * does not serve.
 */
import { timingSafeEqual } from 'node:crypto';
import type { SharedState } from '../state/sharedState';
import { SIGNED_HEADERS, signatureOf } from './requestSignature';

export const SIGNATURE_WINDOW_MS = 60_000;

const SALESFORCE_ID = /^[A-Za-z0-9]{18}$/;
const NONCE = /^[0-9a-f]{32}$/;
const TIMESTAMP = /^[0-9]{1,16}$/;
const SIGNATURE = /^[0-9a-f]{64}$/;

export type IdentityFailureCode =
    | 'UNSIGNED'
    | 'MALFORMED_SIGNATURE'
    | 'BAD_SIGNATURE'
    | 'STALE_REQUEST'
    | 'REPLAYED_REQUEST'
    | 'WRONG_ORG';

export type VerifiedIdentity =
    | { ok: true; orgId: string; userId: string }
    | { ok: false; status: 401 | 403; code: IdentityFailureCode; message: string };

export interface ApexRequestVerifierOptions {
    /** The org this gateway serves (18 characters). */
    orgId: string;
    /** That org's signing secret (the one its protected custom setting holds). */
    secret: string;
    now: () => number;
    /** Where nonces are spent: shared by every gateway of the org. */
    nonces: Pick<SharedState, 'spendNonce'>;
    windowMs?: number;
}

type Headers = Record<string, string | string[] | undefined>;

export class ApexRequestVerifier {
    private readonly windowMs: number;

    constructor(private readonly options: ApexRequestVerifierOptions) {
        this.windowMs = options.windowMs ?? SIGNATURE_WINDOW_MS;
    }

    async verify(action: string, headers: Headers, rawBody: string): Promise<VerifiedIdentity> {
        const header = (name: string) => {
            const value = headers[name];
            return typeof value === 'string' ? value : undefined;
        };
        const orgId = header(SIGNED_HEADERS.org);
        const userId = header(SIGNED_HEADERS.user);
        const timestamp = header(SIGNED_HEADERS.timestamp);
        const nonce = header(SIGNED_HEADERS.nonce);
        const signature = header(SIGNED_HEADERS.signature);
        if (!signature || !orgId || !userId || !timestamp || !nonce)
            return fail(
                401,
                'UNSIGNED',
                'The request is not signed: X-Sightline-Org, -User, -Timestamp, -Nonce and -Signature are required.'
            );
        if (
            !SALESFORCE_ID.test(orgId) ||
            !SALESFORCE_ID.test(userId) ||
            !TIMESTAMP.test(timestamp) ||
            !NONCE.test(nonce) ||
            !SIGNATURE.test(signature)
        )
            return fail(
                401,
                'MALFORMED_SIGNATURE',
                'The request signature headers are malformed (18-character ids, a millisecond timestamp, a 32-hex nonce, a 64-hex signature).'
            );
        // Another org's call cannot even be checked: this gateway holds only its own org's secret.
        if (orgId !== this.options.orgId)
            return fail(403, 'WRONG_ORG', `This gateway does not serve org ${orgId}.`);
        const expected = signatureOf(this.options.secret, {
            action,
            orgId,
            userId,
            timestamp,
            nonce,
            body: rawBody
        });
        if (!timingSafeEqual(Buffer.from(signature, 'hex'), Buffer.from(expected, 'hex')))
            return fail(
                401,
                'BAD_SIGNATURE',
                'The request signature does not match: the secret, the identity, the action or the body differ from what was signed.'
            );
        const now = this.options.now();
        const at = Number(timestamp);
        if (Math.abs(now - at) > this.windowMs)
            return fail(
                401,
                'STALE_REQUEST',
                `The request timestamp is more than ${this.windowMs / 1000} s from the gateway's clock.`
            );
        // A shared state that does not answer (Redis restarting) cannot rule out a replay.
        const verdict = await this.options.nonces
            .spendNonce(`apex:${orgId}:${nonce}`, at, this.windowMs)
            .catch(() => 'unverifiable' as const);
        if (verdict === 'replayed')
            return fail(
                401,
                'REPLAYED_REQUEST',
                'This request was already received, by this gateway or another (nonce reused).'
            );
        if (verdict === 'unverifiable')
            return fail(
                401,
                'REPLAYED_REQUEST',
                'The gateway cannot rule out a replay of this request right now; send it again.'
            );
        return { ok: true, orgId, userId };
    }
}

function fail(
    status: 401 | 403,
    code: IdentityFailureCode,
    message: string
): Extract<VerifiedIdentity, { ok: false }> {
    return { ok: false, status, code, message };
}
