import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import jsforce from 'jsforce';
import {
    ADMIN_USERNAME,
    API_VERSION,
    JWT_GRANT,
    devPrivateKey,
    jwtConnection,
    signAssertion,
    startTestOrg,
    validClaims,
    type TestOrg
} from '../testing/testOrg';

/** What jsforce reports when the token endpoint refuses: the OAuth error and its description. */
async function loginError(
    org: TestOrg,
    assertion: string
): Promise<{ name: string; message: string }> {
    const conn = new jsforce.Connection({ loginUrl: org.url(), version: API_VERSION });
    try {
        await conn.authorize({ grant_type: JWT_GRANT, assertion });
    } catch (error) {
        return { name: (error as Error).name, message: (error as Error).message };
    }
    assert.fail('the token endpoint accepted the assertion');
}

describe('OAuth 2.0 JWT bearer flow, through jsforce', () => {
    let org: TestOrg;
    before(async () => {
        org = await startTestOrg();
    });
    after(() => org.close());

    it('signs in an active user and answers the token fields jsforce reads', async () => {
        const conn = await jwtConnection(org);
        assert.equal(conn.instanceUrl, org.url());
        assert.match(conn.accessToken ?? '', /^00D[A-Za-z0-9]{12}!/);
        assert.equal(conn.userInfo?.organizationId, org.orgId);
        const admin = org.store.find('User', { Username: ADMIN_USERNAME })[0]!;
        assert.equal(conn.userInfo?.id, admin.Id);
        const identity = await conn.query<{ Username: string }>(
            `SELECT Username FROM User WHERE Id = '${String(admin.Id)}'`
        );
        assert.equal(identity.records[0]?.Username, ADMIN_USERNAME);
    });

    it('refuses an assertion signed with another key', async () => {
        const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
        const foreignKey = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
        assert.deepEqual(await loginError(org, signAssertion(validClaims(org), foreignKey)), {
            name: 'invalid_grant',
            message: 'invalid assertion'
        });
    });

    it('refuses the wrong audience, an unknown consumer key, an expired assertion or one without expiry', async () => {
        const key = devPrivateKey(org);
        const claims = validClaims(org);
        const now = Math.floor(Date.now() / 1000);
        assert.deepEqual(
            await loginError(
                org,
                signAssertion({ ...claims, aud: 'https://login.salesforce.com' }, key)
            ),
            {
                name: 'invalid_grant',
                message: 'audience is invalid'
            }
        );
        assert.deepEqual(
            await loginError(org, signAssertion({ ...claims, iss: 'someone-else' }, key)),
            {
                name: 'invalid_client_id',
                message: 'client identifier invalid'
            }
        );
        assert.deepEqual(await loginError(org, signAssertion({ ...claims, exp: now - 60 }, key)), {
            name: 'invalid_grant',
            message: 'expired authorization code'
        });
        const { exp: _exp, ...noExpiry } = claims;
        assert.deepEqual(await loginError(org, signAssertion(noExpiry, key)), {
            name: 'invalid_grant',
            message: 'expired authorization code'
        });
    });

    it('accepts an expiry as far ahead as the platform does, as Salesforce CLI signs it', async () => {
        const key = devPrivateKey(org);
        const claims = validClaims(org);
        const signsIn = async (exp: number) => {
            const conn = new jsforce.Connection({ loginUrl: org.url(), version: API_VERSION });
            await conn.authorize({
                grant_type: JWT_GRANT,
                assertion: signAssertion({ ...claims, exp }, key)
            });
            return conn.userInfo?.organizationId;
        };
        const now = Math.floor(Date.now() / 1000);
        // The three minutes the docs ask for, and the gateway signs.
        assert.equal(await signsIn(now + 180), org.orgId);
        // Five minutes: the Pub/Sub API client's own JWT sign-in.
        assert.equal(await signsIn(now + 300), org.orgId);
        // @salesforce/core (`sf org login jwt`) signs `exp: Date.now() + 300`: milliseconds,
        // an expiry millennia ahead, which every org accepts.
        assert.equal(await signsIn(Date.now() + 300), org.orgId);
    });

    it("refuses an unknown or inactive user as one who hasn't approved the consumer", async () => {
        const key = devPrivateKey(org);
        const unknown = await loginError(
            org,
            signAssertion(validClaims(org, 'nobody@example.com'), key)
        );
        assert.deepEqual(unknown, {
            name: 'invalid_grant',
            message: "user hasn't approved this consumer"
        });
        const rep = org.store
            .find('User', { IsActive: true })
            .find((u) => u.Username !== ADMIN_USERNAME)!;
        org.store.update('User', String(rep.Id), { IsActive: false });
        const inactive = await loginError(
            org,
            signAssertion(validClaims(org, String(rep.Username)), key)
        );
        assert.equal(inactive.message, "user hasn't approved this consumer");
    });

    it('answers userinfo and the identity URL for a live token only', async () => {
        const conn = await jwtConnection(org);
        const userinfo = await fetch(`${org.url()}/services/oauth2/userinfo`, {
            headers: { authorization: `Bearer ${conn.accessToken}` }
        });
        const body = (await userinfo.json()) as Record<string, unknown>;
        assert.equal(body.preferred_username, ADMIN_USERNAME);
        assert.equal(body.organization_id, org.orgId);
        const identity = await conn.identity();
        assert.equal(identity.username, ADMIN_USERNAME);
        const forged = await fetch(`${org.url()}/services/oauth2/userinfo`, {
            headers: { authorization: 'Bearer forged' }
        });
        assert.equal(forged.status, 403);
    });

    it('refuses a malformed assertion and an unsupported grant type', async () => {
        assert.deepEqual(await loginError(org, 'not-a-jwt'), {
            name: 'invalid_grant',
            message: 'invalid assertion'
        });
        const response = await fetch(`${org.url()}/services/oauth2/token`, {
            method: 'POST',
            headers: { 'content-type': 'application/x-www-form-urlencoded' },
            body: 'grant_type=password&username=a&password=b'
        });
        assert.equal(response.status, 400);
        assert.deepEqual(await response.json(), {
            error: 'unsupported_grant_type',
            error_description: 'grant type not supported'
        });
    });

    it('answers REST calls without a live session with 401 INVALID_SESSION_ID, as jsforce expects', async () => {
        const conn = new jsforce.Connection({
            instanceUrl: org.url(),
            accessToken: 'forged!token',
            version: API_VERSION
        });
        await assert.rejects(
            async () => conn.query('SELECT Id FROM Account'),
            (error: unknown) => {
                assert.equal((error as { errorCode?: string }).errorCode, 'INVALID_SESSION_ID');
                return true;
            }
        );
    });
});

describe('OAuth 2.0 client credentials flow', () => {
    let org: TestOrg;
    before(async () => {
        org = await startTestOrg({
            connectedApp: {
                consumerKey: 'key-1',
                consumerSecret: 'secret-1',
                clientCredentialsUser: ADMIN_USERNAME
            }
        });
    });
    after(() => org.close());

    const token = (body: Record<string, string>) =>
        fetch(`${org.url()}/services/oauth2/token`, {
            method: 'POST',
            headers: { 'content-type': 'application/x-www-form-urlencoded' },
            body: new URLSearchParams(body).toString()
        });

    it('issues a token that runs as the configured user', async () => {
        const response = await token({
            grant_type: 'client_credentials',
            client_id: 'key-1',
            client_secret: 'secret-1'
        });
        assert.equal(response.status, 200);
        const body = (await response.json()) as Record<string, string>;
        assert.equal(body.token_type, 'Bearer');
        assert.equal(body.instance_url, org.url());
        const admin = org.store.find('User', { Username: ADMIN_USERNAME })[0]!;
        assert.ok(body.id?.endsWith(`/${String(admin.Id)}`));
        assert.match(body.issued_at ?? '', /^\d+$/);
    });

    it('refuses a wrong secret and an unknown client id', async () => {
        const wrongSecret = await token({
            grant_type: 'client_credentials',
            client_id: 'key-1',
            client_secret: 'nope'
        });
        assert.equal(wrongSecret.status, 400);
        assert.deepEqual(await wrongSecret.json(), {
            error: 'invalid_client',
            error_description: 'invalid client credentials'
        });
        const unknown = await token({
            grant_type: 'client_credentials',
            client_id: 'key-2',
            client_secret: 'secret-1'
        });
        assert.deepEqual(await unknown.json(), {
            error: 'invalid_client_id',
            error_description: 'client identifier invalid'
        });
    });
});
