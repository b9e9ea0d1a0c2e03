/**
 * `POST /api/v1/actions/:name`: the action registry over REST, for the platform's Apex
 * (SightlineGatewayController through its Named Credential).
 *
 * - `Authorization: Bearer <SIGHTLINE_API_KEY>` — wrong or missing → 401.
 * - The signed identity (identity/): org, user, timestamp, nonce and body hash under the
 *   org's secret → else 401 (403 for another org); the user must be active and hold the
 *   Sightline_Access custom permission in the org → else 403; admin = holds
 *   Sightline_Admin_Access; per-user rate limit → 429.
 * - Unknown action → 404. UserFacingError → its status and `{ message }`; anything else
 *   → 500 without details.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { UnknownActionError, type ActionRegistry } from '../actions/actionRegistry';
import { UserFacingError } from '../actions/userFacingError';
import {
    identifyApexCaller,
    type ApexCallerIdentityDependencies
} from '../identity/apexCallerIdentity';

const digest = (value: string) => createHash('sha256').update(value).digest();

export interface ActionRouteOptions {
    actions: ActionRegistry;
    apiKey: string;
    identity: ApexCallerIdentityDependencies;
}

export async function actionRoutes(
    app: FastifyInstance,
    { actions, apiKey, identity }: ActionRouteOptions
): Promise<void> {
    const expected = digest(apiKey);
    // The signature covers the body's exact bytes: keep them as text and parse after checking.
    app.removeContentTypeParser('application/json');
    app.addContentTypeParser('application/json', { parseAs: 'string' }, (_request, body, done) =>
        done(null, body)
    );
    app.post<{ Params: { name: string }; Body: string }>(
        '/api/v1/actions/:name',
        { bodyLimit: 64 * 1024 },
        async (request, reply) => {
            const header = request.headers.authorization ?? '';
            const token = header.startsWith('Bearer ') ? header.slice(7) : '';
            if (!token || !timingSafeEqual(digest(token), expected)) {
                return reply
                    .code(401)
                    .header('www-authenticate', 'Bearer')
                    .send({ message: 'Missing or invalid API key.', errorCode: 'UNAUTHORIZED' });
            }
            const raw = typeof request.body === 'string' ? request.body : '';
            const caller = await identifyApexCaller(
                identity,
                request.params.name,
                request.headers,
                raw
            );
            if (!caller.ok) {
                if (caller.retryAfterSeconds) reply.header('retry-after', caller.retryAfterSeconds);
                return reply
                    .code(caller.status)
                    .send({ message: caller.message, errorCode: caller.code });
            }
            if (!actions.has(request.params.name))
                return reply.code(404).send({
                    message: `No action named ${request.params.name}.`,
                    errorCode: 'NOT_FOUND'
                });
            let params: Record<string, unknown>;
            try {
                const parsed: unknown = raw.trim() === '' ? {} : JSON.parse(raw);
                if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed))
                    throw new SyntaxError('not an object');
                params = parsed as Record<string, unknown>;
            } catch {
                return reply.code(400).send({
                    message: 'The action parameters must be a JSON object.',
                    errorCode: 'MALFORMED_JSON'
                });
            }
            try {
                // The address Apex's Named Credential reached: the console's socket is there too.
                const origin = `${request.protocol}://${request.host}`;
                return (
                    (await actions.run(request.params.name, caller.user, params, { origin })) ??
                    null
                );
            } catch (error) {
                if (error instanceof UserFacingError)
                    return reply
                        .code(error.status)
                        .send({ message: error.message, errorCode: 'USER_ERROR' });
                if (error instanceof UnknownActionError)
                    return reply.code(404).send({ message: error.message, errorCode: 'NOT_FOUND' });
                request.log.error(error);
                return reply.code(500).send({
                    message: 'An internal server error has occurred',
                    errorCode: 'INTERNAL_ERROR'
                });
            }
        }
    );
}
