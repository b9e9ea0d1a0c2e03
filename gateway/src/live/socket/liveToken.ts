/**
 * The console socket's ticket: a short-lived, single-use token the gateway hands out only
 * as the answer to a signed Apex call (`mintLiveToken`), so its holder is the user Apex
 * ran as. Bound to the org, the user and the gateway's epoch; good for opening one socket
 * within `TOKEN_TTL_MS` of minting, and never again.
 *
 * Format: `lt1.<base64url(JSON claims)>.<base64url(HMAC-SHA256)>`. The MAC key is derived
 * from the org's signing secret with a purpose label, so a token can never be mistaken
 * for (or turned into) a request signature, and no key exists beyond the one Apex holds.
 * Tokens are checked statelessly, then their nonce is spent in the shared state (every
 * gateway of the org sees it spent): a captured token opens at most the one socket its
 * owner opens (whoever is first), on whichever gateway.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { SharedState } from '../../state/sharedState';

export const TOKEN_TTL_MS = 60_000;
const PREFIX = 'lt1';
const PURPOSE = 'sightline-live-socket-token-v1';

export interface LiveTokenClaims {
    /** Org id (18 characters). */
    o: string;
    /** User id (18 characters). */
    u: string;
    /** The gateway's epoch at minting. */
    e: string;
    /** Expiry, epoch milliseconds. */
    x: number;
    /** 128-bit nonce, hex: spent when a socket opens with the token. */
    n: string;
}

export type TokenFailureCode =
    | 'MALFORMED_TOKEN'
    | 'BAD_TOKEN'
    | 'EXPIRED_TOKEN'
    | 'REUSED_TOKEN'
    | 'WRONG_ORG'
    | 'EPOCH_CHANGED';

export type TokenVerdict =
    | { ok: true; orgId: string; userId: string }
    | { ok: false; code: TokenFailureCode; message: string };

export interface LiveTokenOptions {
    orgId: string;
    signingSecret: string;
    now: () => number;
    /** The gateway's current epoch: a token minted before a restart is refused. */
    epoch: () => string;
    /** Where token nonces are spent: shared by every gateway of the org. */
    nonces: Pick<SharedState, 'spendNonce'>;
    ttlMs?: number;
}

const base64url = (data: Buffer | string) => Buffer.from(data).toString('base64url');

export class LiveTokens {
    private readonly key: Buffer;
    private readonly ttlMs: number;

    constructor(private readonly options: LiveTokenOptions) {
        this.key = createHmac('sha256', Buffer.from(options.signingSecret, 'utf8'))
            .update(PURPOSE, 'utf8')
            .digest();
        this.ttlMs = options.ttlMs ?? TOKEN_TTL_MS;
    }

    mint(userId: string): { token: string; expiresAt: number; epoch: string } {
        const claims: LiveTokenClaims = {
            o: this.options.orgId,
            u: userId,
            e: this.options.epoch(),
            x: this.options.now() + this.ttlMs,
            n: randomBytes(16).toString('hex')
        };
        const body = base64url(JSON.stringify(claims));
        return {
            token: `${PREFIX}.${body}.${this.mac(body)}`,
            expiresAt: claims.x,
            epoch: claims.e
        };
    }

    /** Checks a presented token and spends it: the second presentation is refused. */
    async redeem(token: unknown): Promise<TokenVerdict> {
        const parts = typeof token === 'string' && token.length <= 1024 ? token.split('.') : [];
        const [prefix, body, mac] = parts;
        if (parts.length !== 3 || prefix !== PREFIX || !body || !mac)
            return fail('MALFORMED_TOKEN', 'The live token is missing or malformed.');
        const expected = Buffer.from(this.mac(body), 'base64url');
        const given = Buffer.from(mac, 'base64url');
        if (given.length !== expected.length || !timingSafeEqual(given, expected))
            return fail('BAD_TOKEN', 'The live token was not issued by this gateway.');
        const claims = parseClaims(body);
        if (!claims) return fail('MALFORMED_TOKEN', 'The live token is missing or malformed.');
        // Checked after the MAC, but kept apart: a gateway shares its key with no other org.
        if (claims.o !== this.options.orgId)
            return fail('WRONG_ORG', `This gateway does not serve org ${claims.o}.`);
        const now = this.options.now();
        if (now > claims.x) return fail('EXPIRED_TOKEN', 'The live token has expired.');
        if (claims.e !== this.options.epoch())
            return fail(
                'EPOCH_CHANGED',
                'The gateway restarted since the token was minted: take a new snapshot.'
            );
        // Minted at x - ttl: the nonce stays remembered until the token expires.
        const spent = await this.options.nonces.spendNonce(
            `live:${claims.o}:${claims.n}`,
            claims.x - this.ttlMs,
            this.ttlMs
        );
        if (spent !== 'fresh') return fail('REUSED_TOKEN', 'The live token was already used.');
        return { ok: true, orgId: claims.o, userId: claims.u };
    }

    private mac(body: string): string {
        return createHmac('sha256', this.key).update(body, 'utf8').digest('base64url');
    }
}

function parseClaims(body: string): LiveTokenClaims | undefined {
    try {
        const value = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as unknown;
        if (!value || typeof value !== 'object') return undefined;
        const c = value as Record<string, unknown>;
        if (
            typeof c.o !== 'string' ||
            typeof c.u !== 'string' ||
            typeof c.e !== 'string' ||
            typeof c.x !== 'number' ||
            typeof c.n !== 'string'
        )
            return undefined;
        return { o: c.o, u: c.u, e: c.e, x: c.x, n: c.n };
    } catch {
        return undefined;
    }
}

function fail(code: TokenFailureCode, message: string): Extract<TokenVerdict, { ok: false }> {
    return { ok: false, code, message };
}
