/**
 * Where `@salesforce/apex/SightlineGatewayController.method` calls land in local mode: the
 * shell's stand-in posts them here and they run the same action handlers that the Apex
 * class reaches on the platform through its Named Credential.
 */
import type { FastifyInstance } from 'fastify';
import { APEX_CONTROLLER, type ActionRegistry } from '../actions/actionRegistry';
import { UserFacingError } from '../actions/userFacingError';
import type { LocalOrg } from '../../../localorg/src/store/localOrg';
import { currentUser } from './localSession';

export function localApexRoutes(
    app: FastifyInstance,
    org: LocalOrg,
    actions: ActionRegistry
): void {
    app.post<{ Params: { className: string; methodName: string } }>(
        '/local/apex/:className/:methodName',
        async (request, reply) => {
            const { className, methodName } = request.params;
            if (className !== APEX_CONTROLLER || !actions.has(methodName)) {
                return reply.code(404).send({
                    message: `No Apex action available for ${className}.${methodName}`,
                    exceptionType: 'System.NoAccessException'
                });
            }
            const params = (request.body ?? {}) as Record<string, unknown>;
            try {
                return (await actions.run(methodName, currentUser(org, request), params)) ?? null;
            } catch (error) {
                if (error instanceof UserFacingError) {
                    return reply.code(error.status).send({
                        message: error.message,
                        exceptionType: 'System.AuraHandledException',
                        isUserDefinedException: true
                    });
                }
                request.log.error(error);
                return reply.code(500).send({
                    message: 'An internal server error has occurred',
                    exceptionType: 'System.UnexpectedException'
                });
            }
        }
    );
}
