/**
 * Where `@salesforce/apex/Class.method` calls land in local mode. On the platform the Apex
 * class forwards the call, with the rep's identity, to the gateway through its Named
 * Credential; here the shell's stand-in posts it straight to the same gateway handler.
 */
import type { FastifyInstance } from 'fastify';
import type { LocalOrg } from '../crm/localOrg/localOrg';
import { currentUser, type LocalUser } from './localSession';

export type ApexHandler = (user: LocalUser, params: Record<string, unknown>) => unknown;

/** An error the handler means the user to read, like Apex's AuraHandledException. */
export class UserFacingError extends Error {}

export function localApexRoutes(app: FastifyInstance, org: LocalOrg, handlers: Record<string, ApexHandler>): void {
    app.post<{ Params: { className: string; methodName: string } }>('/local/apex/:className/:methodName', async (request, reply) => {
        const key = `${request.params.className}.${request.params.methodName}`;
        const handler = handlers[key];
        if (!handler) {
            return reply.code(404).send({ message: `No Apex action available for ${key}`, exceptionType: 'System.NoAccessException' });
        }
        const params = (request.body ?? {}) as Record<string, unknown>;
        try {
            return { result: await handler(currentUser(org, request), params) }.result ?? null;
        } catch (error) {
            if (error instanceof UserFacingError) {
                return reply.code(400).send({ message: error.message, exceptionType: 'System.AuraHandledException', isUserDefinedException: true });
            }
            request.log.error(error);
            return reply.code(500).send({ message: 'An internal server error has occurred', exceptionType: 'System.UnexpectedException' });
        }
    });
}
