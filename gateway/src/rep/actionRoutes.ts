/**
 * `POST /api/v1/actions/:name`: the action registry over REST, for the platform's Apex
 * (SightlineGatewayController through its Named Credential).
 *
 * - `Authorization: Bearer <SIGHTLINE_API_KEY>` — wrong or missing → 401.
 * - `X-Sightline-User: <18-character user id>` — the user the action runs as; must be an
 *   active user of the org → otherwise 403. Admin = holds Sightline_Admin.
 * - Unknown action → 404. UserFacingError → its status and `{ message }`; anything else
 *   → 500 without details.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { UnknownActionError, type ActionRegistry } from '../actions/actionRegistry';
import { UserFacingError } from '../actions/userFacingError';
import type { CrmUser } from '../crm/crmPort';

const digest = (value: string) => createHash('sha256').update(value).digest();

export interface ActionRouteOptions {
    actions: ActionRegistry;
    apiKey: string;
    /** Active users of the org. */
    user: (userId: string) => CrmUser | undefined;
}

export async function actionRoutes(
    app: FastifyInstance,
    { actions, apiKey, user }: ActionRouteOptions
): Promise<void> {
    const expected = digest(apiKey);
    app.post<{ Params: { name: string } }>(
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
            const userId = request.headers['x-sightline-user'];
            const actor =
                typeof userId === 'string' && /^[A-Za-z0-9]{18}$/.test(userId)
                    ? user(userId)
                    : undefined;
            if (!actor)
                return reply.code(403).send({
                    message: 'X-Sightline-User must name an active user of the org.',
                    errorCode: 'FORBIDDEN'
                });
            if (!actions.has(request.params.name))
                return reply.code(404).send({
                    message: `No action named ${request.params.name}.`,
                    errorCode: 'NOT_FOUND'
                });
            const body = request.body;
            const params =
                body !== null && typeof body === 'object' && !Array.isArray(body)
                    ? (body as Record<string, unknown>)
                    : {};
            try {
                return (
                    (await actions.run(
                        request.params.name,
                        { id: actor.id, name: actor.name, isAdmin: actor.isAdmin },
                        params
                    )) ?? null
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
