import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MemoryState } from '../../state/memoryState';
import { LiveTokens } from './liveToken';

const ORG = '00D000000000001AAA';
const USER = '005000000000001AAA';

function tokens(overrides: Partial<ConstructorParameters<typeof LiveTokens>[0]> = {}) {
    const state = { now: 1_000_000, epoch: 'e1' };
    const issuer = new LiveTokens({
        orgId: ORG,
        signingSecret: 'org-secret',
        now: () => state.now,
        epoch: () => state.epoch,
        nonces: new MemoryState(() => state.now),
        ...overrides
    });
    return { issuer, state };
}

describe('live socket tokens, from the attacker’s side', () => {
    it('opens once for the user it names, within 60 s', async () => {
        const { issuer } = tokens();
        const { token, expiresAt, epoch } = issuer.mint(USER);
        assert.equal(expiresAt, 1_060_000);
        assert.equal(epoch, 'e1');
        assert.deepEqual(await issuer.redeem(token), { ok: true, orgId: ORG, userId: USER });
    });

    it('refuses a reused token (a captured one is worth at most the race its owner wins)', async () => {
        const { issuer } = tokens();
        const { token } = issuer.mint(USER);
        assert.equal((await issuer.redeem(token)).ok, true);
        assert.equal(((await issuer.redeem(token)) as { code: string }).code, 'REUSED_TOKEN');
    });

    it('refuses an expired token', async () => {
        const { issuer, state } = tokens();
        const { token } = issuer.mint(USER);
        state.now += 60_001;
        assert.equal(((await issuer.redeem(token)) as { code: string }).code, 'EXPIRED_TOKEN');
    });

    it('refuses a forged token: another user, a later expiry, another secret, garbage', async () => {
        const { issuer } = tokens();
        const [prefix, body, mac] = issuer.mint(USER).token.split('.') as [string, string, string];
        const claims = JSON.parse(Buffer.from(body, 'base64url').toString()) as Record<
            string,
            unknown
        >;
        const reclaimed = (changes: Record<string, unknown>) =>
            `${prefix}.${Buffer.from(JSON.stringify({ ...claims, ...changes })).toString('base64url')}.${mac}`;
        const code = async (token: unknown) =>
            ((await issuer.redeem(token)) as { code?: string }).code;
        assert.equal(await code(reclaimed({ u: '005000000000002AAA' })), 'BAD_TOKEN');
        assert.equal(await code(reclaimed({ x: Number(claims.x) + 3_600_000 })), 'BAD_TOKEN');
        const other = tokens({ signingSecret: 'another-secret' }).issuer.mint(USER).token;
        assert.equal(await code(other), 'BAD_TOKEN');
        for (const garbage of [undefined, '', 'lt1..', 'lt1.a.b.c', 42, 'x'.repeat(5000)])
            assert.equal(await code(garbage), 'MALFORMED_TOKEN');
    });

    it("refuses another org's token, even one made with the same secret", async () => {
        const { issuer } = tokens();
        const foreign = tokens({ orgId: '00D000000000002AAA' }).issuer.mint(USER).token;
        assert.equal(((await issuer.redeem(foreign)) as { code: string }).code, 'WRONG_ORG');
    });

    it('opens once across gateways: a token spent on one gateway is refused by another', async () => {
        const shared = new MemoryState(() => 1_000_000);
        const a = tokens({ nonces: shared }).issuer;
        const b = tokens({ nonces: shared }).issuer;
        const { token } = a.mint(USER);
        assert.equal((await a.redeem(token)).ok, true);
        assert.equal(((await b.redeem(token)) as { code: string }).code, 'REUSED_TOKEN');
    });

    it('refuses a token minted before the gateway’s epoch changed', async () => {
        const { issuer, state } = tokens();
        const { token } = issuer.mint(USER);
        state.epoch = 'e2';
        assert.equal(((await issuer.redeem(token)) as { code: string }).code, 'EPOCH_CHANGED');
    });
});
