/**
 * Signing the gateway in to an org, through jsforce: the OAuth 2.0 JWT bearer flow (an
 * external client app with the certificate of the gateway's private key, and a
 * pre-authorized integration user) or the client credentials flow (the app's Run As user).
 * The token endpoint's terse refusals become messages that say what to fix.
 */
import { createSign } from 'node:crypto';
import jsforce, { type Connection } from 'jsforce';

export const API_VERSION = '62.0';
const JWT_GRANT = 'urn:ietf:params:oauth:grant-type:jwt-bearer';

export type OrgAuth =
    | {
          flow: 'jwt';
          /** The login URL (JWT audience): login.salesforce.com, test.salesforce.com or the My Domain URL. */
          loginUrl: string;
          /** The external client app's consumer key. */
          clientId: string;
          username: string;
          /** PEM of the private key whose certificate the app holds. */
          privateKey: string;
      }
    | { flow: 'client_credentials'; loginUrl: string; clientId: string; clientSecret: string };

/** A sign-in the org refused, with what to do about it. */
export class OrgSignInError extends Error {
    constructor(
        message: string,
        readonly oauthError: string
    ) {
        super(message);
        this.name = 'OrgSignInError';
    }
}

/**
 * An RS256 JWT bearer assertion valid for 3 minutes, as the docs ask. The platform would take
 * a later expiry, but whoever captures an assertion can sign in with it until it expires.
 */
export function jwtAssertion(auth: Extract<OrgAuth, { flow: 'jwt' }>, now = Date.now()): string {
    const encode = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
    const claims = {
        iss: auth.clientId,
        aud: auth.loginUrl,
        sub: auth.username,
        exp: Math.floor(now / 1000) + 180
    };
    const unsigned = `${encode({ alg: 'RS256' })}.${encode(claims)}`;
    let signature: string;
    try {
        signature = createSign('RSA-SHA256')
            .update(unsigned)
            .sign(auth.privateKey)
            .toString('base64url');
    } catch (error) {
        throw new OrgSignInError(
            `The private key could not sign the JWT (is it a PEM RSA private key?): ${(error as Error).message}`,
            'bad_key'
        );
    }
    return `${unsigned}.${signature}`;
}

/** The form each flow posts to the token endpoint. */
function grant(auth: OrgAuth): Record<string, string> {
    return auth.flow === 'jwt'
        ? { grant_type: JWT_GRANT, assertion: jwtAssertion(auth) }
        : {
              grant_type: 'client_credentials',
              client_id: auth.clientId,
              client_secret: auth.clientSecret
          };
}

/** What the token endpoint's refusal means for whoever configures the gateway. */
export function explainRefusal(auth: OrgAuth, error: unknown): OrgSignInError {
    const name = (error as { name?: string }).name ?? '';
    const message = (error as Error).message ?? String(error);
    const code = (error as { code?: string }).code ?? '';
    if (code === 'ECONNREFUSED' || code === 'ENOTFOUND' || /fetch failed/i.test(message))
        return new OrgSignInError(
            `The org at ${auth.loginUrl} cannot be reached (${code || message}): check SIGHTLINE_ORG and the network.`,
            'unreachable'
        );
    if (!name && !message)
        return new OrgSignInError(
            `${auth.loginUrl} did not answer as a Salesforce login URL: use https://login.salesforce.com for production, https://test.salesforce.com for a sandbox, or the org's My Domain URL.`,
            'not_a_login_url'
        );
    if (name === 'invalid_client_id')
        return new OrgSignInError(
            `The org knows no app with the consumer key ${auth.clientId}: copy the key of the external client app into SIGHTLINE_ORG_CLIENT_ID.`,
            name
        );
    if (name === 'invalid_client')
        return new OrgSignInError(
            'The org refused the client secret: copy the consumer secret of the external client app into SIGHTLINE_ORG_CLIENT_SECRET.',
            name
        );
    if (name === 'invalid_grant') {
        if (/audience/i.test(message))
            return new OrgSignInError(
                `The org refused the JWT's audience ${auth.loginUrl}: use https://login.salesforce.com for production, https://test.salesforce.com for a sandbox, or the org's My Domain URL.`,
                name
            );
        if (/approved|authorized/i.test(message) && auth.flow === 'jwt')
            return new OrgSignInError(
                `The integration user ${auth.username} may not use this app: set the app to "Admin approved users are pre-authorized" and give the user the Sightline_Integration permission set.`,
                name
            );
        if (/client credentials user/i.test(message))
            return new OrgSignInError(
                "The app has no Run As user for the client credentials flow: choose the integration user in the app's OAuth policies.",
                name
            );
        if (/expired|exp must/i.test(message))
            return new OrgSignInError(
                `The org refused the JWT's expiry (${message}): check this machine's clock.`,
                name
            );
        if (/assertion/i.test(message))
            return new OrgSignInError(
                `The org refused the JWT's signature: the private key (SIGHTLINE_ORG_PRIVATE_KEY_FILE) does not match the certificate uploaded to the app ${auth.clientId}.`,
                name
            );
        if (/user/i.test(message) && auth.flow === 'jwt')
            return new OrgSignInError(
                `The org refused the user ${auth.username} (${message}): check SIGHTLINE_ORG_USERNAME and that the user is active.`,
                name
            );
    }
    return new OrgSignInError(`The org refused the sign-in: ${name} ${message}`.trim(), name);
}

/**
 * A connection signed in to the org; when its session expires, jsforce signs in again
 * with a fresh assertion (or the client credentials) and retries the request.
 */
export async function signIn(auth: OrgAuth): Promise<Connection> {
    const conn = new jsforce.Connection({
        loginUrl: auth.loginUrl,
        version: API_VERSION,
        refreshFn: (c, callback) => {
            void authorize(c, auth).then(
                () => {
                    callback(null, c.accessToken ?? undefined);
                },
                (error: unknown) => {
                    callback(error as Error);
                }
            );
        }
    });
    await authorize(conn, auth);
    return conn;
}

async function authorize(conn: Connection, auth: OrgAuth): Promise<void> {
    try {
        await conn.authorize(grant(auth) as Parameters<Connection['authorize']>[0]);
    } catch (error) {
        throw error instanceof OrgSignInError ? error : explainRefusal(auth, error);
    }
}
