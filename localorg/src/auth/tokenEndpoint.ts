/**
 * `POST /services/oauth2/token`: the OAuth 2.0 flows a server integration uses.
 *
 * - JWT bearer (`urn:ietf:params:oauth:grant-type:jwt-bearer`): an RS256 assertion signed
 *   with the key of the certificate uploaded to the connected app; `iss` is the consumer
 *   key, `aud` the login URL, `sub` the username of an active, pre-authorized user, `exp`
 *   not past. The docs ask for an expiry "within 3 minutes", but the platform sets no upper
 *   bound: Salesforce's own CLI library (@salesforce/core) signs `exp: Date.now() + 300`,
 *   milliseconds where seconds are meant (an expiry millennia ahead), and every org accepts
 *   it; so does this one. Refusing it would fail `sf org login jwt` here and nowhere else.
 * - Client credentials: the connected app's key and secret; the token runs as the
 *   configured run-as user.
 *
 * `GET /services/oauth2/userinfo` and the identity URL (`/id/{org}/{user}`) answer who a
 * token belongs to (the Pub/Sub client reads userinfo right after signing in).
 *
 * Refusals use the token endpoint's own shape, `{ error, error_description }` with HTTP
 * 400, and the descriptions an org gives ("audience is invalid", "expired authorization
 * code", "user hasn't approved this consumer", …), so a client's error handling is tested.
 */
import { createPublicKey, verify, type KeyObject } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Sessions } from './sessions';

export interface ConnectedAppConfig {
    /** The consumer key (`iss` of assertions, `client_id` of client credentials). */
    consumerKey: string;
    /** PEM certificate (or public key) that verifies JWT bearer assertions; unset: the flow is off. */
    certificate?: string;
    /** Consumer secret for client credentials; unset: the flow is off. */
    consumerSecret?: string;
    /** Username the client credentials flow runs as. */
    clientCredentialsUser?: string;
    /** Usernames the admin pre-authorized ("Admin approved users"); unset: every active user. */
    preAuthorizedUsernames?: string[];
}

export interface TokenUser {
    id: string;
    username: string;
    active: boolean;
    name?: string;
    email?: string;
}

export interface TokenEndpointOptions {
    app: ConnectedAppConfig;
    sessions: Sessions;
    orgId: string;
    /** The URLs an assertion's `aud` may name (the login URL, the org's own URL). */
    audiences: () => string[];
    /** Where the org's APIs answer (`instance_url`) and where identity URLs point. */
    instanceUrl: () => string;
    findUser(username: string): TokenUser | undefined;
    findUserById(id: string): TokenUser | undefined;
    now: () => number;
}

/** Clock skew tolerated between the client and the org. */
const SKEW_S = 10;

const JWT_BEARER = 'urn:ietf:params:oauth:grant-type:jwt-bearer';

class OAuthError extends Error {
    constructor(
        readonly error: string,
        description: string
    ) {
        super(description);
    }
}

export function tokenEndpoint(server: FastifyInstance, options: TokenEndpointOptions): void {
    let publicKey: KeyObject | undefined;
    if (options.app.certificate) {
        publicKey = createPublicKey(options.app.certificate);
        if (publicKey.asymmetricKeyType !== 'rsa') {
            throw new Error(
                'The connected app certificate must hold an RSA key (JWT bearer uses RS256).'
            );
        }
    }

    identity(server, options);

    server.post('/services/oauth2/token', async (request, reply) => {
        const form = formOf(request.body);
        try {
            const grantType = form.grant_type;
            let user: TokenUser;
            if (grantType === JWT_BEARER) user = jwtBearer(form.assertion, publicKey, options);
            else if (grantType === 'client_credentials')
                user = clientCredentials(form, request.headers.authorization, options);
            else if (!grantType)
                throw new OAuthError('invalid_request', 'grant type not supported');
            else throw new OAuthError('unsupported_grant_type', 'grant type not supported');
            const { token, session } = options.sessions.issue(user.id, user.username);
            const instanceUrl = options.instanceUrl();
            return reply.header('cache-control', 'no-store').send({
                access_token: token,
                scope: 'api',
                instance_url: instanceUrl,
                id: `${instanceUrl}/id/${options.orgId}/${user.id}`,
                token_type: 'Bearer',
                issued_at: String(session.issuedAt)
            });
        } catch (error) {
            if (error instanceof OAuthError) return refuse(reply, error);
            throw error;
        }
    });
}

/** The OpenID Connect userinfo and the identity URL: who the bearer token belongs to. */
function identity(server: FastifyInstance, options: TokenEndpointOptions): void {
    const answer = async (request: FastifyRequest, reply: FastifyReply) => {
        const token = /^(?:Bearer|OAuth)\s+(\S+)$/i.exec(request.headers.authorization ?? '')?.[1];
        const session = token ? options.sessions.use(token) : undefined;
        const user = session ? options.findUserById(session.userId) : undefined;
        if (!user) return reply.code(403).type('text/plain').send('Bad_OAuth_Token');
        const url = options.instanceUrl();
        return {
            sub: `${url}/id/${options.orgId}/${user.id}`,
            user_id: user.id,
            organization_id: options.orgId,
            preferred_username: user.username,
            // The identity URL's names for the same facts (jsforce's identity() reads these).
            id: `${url}/id/${options.orgId}/${user.id}`,
            username: user.username,
            display_name: user.name ?? user.username,
            name: user.name ?? user.username,
            email: user.email ?? null,
            active: user.active,
            urls: {
                rest: `${url}/services/data/v{version}/`,
                query: `${url}/services/data/v{version}/query/`
            }
        };
    };
    server.get('/services/oauth2/userinfo', answer);
    server.get('/id/:orgId/:userId', answer);
}

function refuse(reply: FastifyReply, error: OAuthError) {
    return reply.code(400).header('cache-control', 'no-store').send({
        error: error.error,
        error_description: error.message
    });
}

function formOf(body: unknown): Record<string, string | undefined> {
    if (!body || typeof body !== 'object') return {};
    return Object.fromEntries(
        Object.entries(body as Record<string, unknown>).map(([k, v]) => [
            k,
            typeof v === 'string' ? v : undefined
        ])
    );
}

function jwtBearer(
    assertion: string | undefined,
    publicKey: KeyObject | undefined,
    options: TokenEndpointOptions
): TokenUser {
    if (!publicKey) throw new OAuthError('unsupported_grant_type', 'grant type not supported');
    const parts = (assertion ?? '').split('.');
    if (parts.length !== 3) throw new OAuthError('invalid_grant', 'invalid assertion');
    const [headerPart, claimsPart, signaturePart] = parts as [string, string, string];
    const header = decodeJson(headerPart);
    const claims = decodeJson(claimsPart);
    if (!header || !claims || header.alg !== 'RS256')
        throw new OAuthError('invalid_grant', 'invalid assertion');
    if (claims.iss !== options.app.consumerKey)
        throw new OAuthError('invalid_client_id', 'client identifier invalid');
    const signed = verify(
        'RSA-SHA256',
        Buffer.from(`${headerPart}.${claimsPart}`),
        publicKey,
        Buffer.from(signaturePart, 'base64url')
    );
    if (!signed) throw new OAuthError('invalid_grant', 'invalid assertion');
    const audiences = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
    const accepted = options.audiences().map(withoutSlash);
    if (!audiences.some((aud) => typeof aud === 'string' && accepted.includes(withoutSlash(aud)))) {
        throw new OAuthError('invalid_grant', 'audience is invalid');
    }
    const nowS = options.now() / 1000;
    if (typeof claims.exp !== 'number' || claims.exp <= nowS - SKEW_S) {
        throw new OAuthError('invalid_grant', 'expired authorization code');
    }
    const user = typeof claims.sub === 'string' ? options.findUser(claims.sub) : undefined;
    if (!user || !user.active || !preAuthorized(options.app, user.username)) {
        throw new OAuthError('invalid_grant', "user hasn't approved this consumer");
    }
    return user;
}

function clientCredentials(
    form: Record<string, string | undefined>,
    authorization: string | undefined,
    options: TokenEndpointOptions
): TokenUser {
    let clientId = form.client_id;
    let clientSecret = form.client_secret;
    const basic = /^Basic\s+(.+)$/i.exec(authorization ?? '');
    if (basic) {
        const [id, ...secret] = Buffer.from(basic[1]!, 'base64').toString('utf8').split(':');
        clientId = decodeURIComponent(id ?? '');
        clientSecret = decodeURIComponent(secret.join(':'));
    }
    if (clientId !== options.app.consumerKey)
        throw new OAuthError('invalid_client_id', 'client identifier invalid');
    if (!options.app.consumerSecret || clientSecret !== options.app.consumerSecret) {
        throw new OAuthError('invalid_client', 'invalid client credentials');
    }
    const runAs = options.app.clientCredentialsUser
        ? options.findUser(options.app.clientCredentialsUser)
        : undefined;
    if (!runAs || !runAs.active)
        throw new OAuthError('invalid_grant', 'no client credentials user enabled');
    return runAs;
}

function preAuthorized(app: ConnectedAppConfig, username: string): boolean {
    return (
        !app.preAuthorizedUsernames ||
        app.preAuthorizedUsernames.some((u) => u.toLowerCase() === username.toLowerCase())
    );
}

function decodeJson(part: string): Record<string, unknown> | undefined {
    try {
        const value: unknown = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
        return value && typeof value === 'object' && !Array.isArray(value)
            ? (value as Record<string, unknown>)
            : undefined;
    } catch {
        return undefined;
    }
}

function withoutSlash(url: string): string {
    return url.replace(/\/+$/, '');
}
