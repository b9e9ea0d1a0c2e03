/**
 * Where the shell's `@salesforce/apex/SightlineGatewayController.method` stand-in lands:
 * `POST /local/apex/{class}/{method}` on the local org, for the signed-in user. As the
 * packaged controller does, it checks the method exists and (for admin methods) that the
 * user holds the admin custom permission, then makes the callout to the gateway's
 * `/api/v1/actions/{action}` carrying the user (gatewayCallout.ts). The gateway is another
 * origin, reached over HTTP as from the platform.
 */
import type { FastifyInstance } from 'fastify';
import type { LocalOrg } from '../store/localOrg';
import { currentUser } from '../lightning/localSession';
import { Sharing } from '../store/sharing';
import {
    CONTROLLER,
    permissionSetsGranting,
    permissionSetsWithClass,
    readApexController
} from './apexController';
import { AuraHandledException, postGatewayAction, type GatewayEndpoint } from './gatewayCallout';
import { createLead, LEAD_CONTROLLER } from './leadController';

const ADMIN_PERMISSION = 'Sightline_Admin_Access';
const ADMIN_ONLY = 'Only a Sightline admin can do this.';

export interface ApexRouteOptions {
    store: LocalOrg;
    forceAppDir: string;
    gateway: GatewayEndpoint;
    fetchImpl?: typeof fetch;
}

export function apexRoutes(app: FastifyInstance, options: ApexRouteOptions): void {
    const methods = readApexController(options.forceAppDir);
    const adminSets = permissionSetsGranting(options.forceAppDir, ADMIN_PERMISSION);
    const named = (name: string) => [
        name,
        ...(options.store.namespace ? [`${options.store.namespace}.${name}`] : [])
    ];
    const classNames = new Set(named(CONTROLLER));
    const leadClassNames = new Set(named(LEAD_CONTROLLER));

    const leadClassSets = permissionSetsWithClass(options.forceAppDir, LEAD_CONTROLLER);
    const holdsOneOf = (userId: string, names: string[]) => {
        const sets = options.store
            .find('PermissionSet')
            .filter((p) => names.includes(String(p.Name)))
            .map((p) => p.Id);
        return options.store
            .find('PermissionSetAssignment', { AssigneeId: userId })
            .some((a) => sets.includes(a.PermissionSetId));
    };
    const hasAdminPermission = (userId: string) => holdsOneOf(userId, adminSets);
    const sharing = new Sharing(options.store);

    app.post<{ Params: { className: string; methodName: string } }>(
        '/local/apex/:className/:methodName',
        { bodyLimit: 64 * 1024 },
        async (request, reply) => {
            const { className, methodName } = request.params;
            if (leadClassNames.has(className) && methodName === 'createLead') {
                const body = (request.body ?? {}) as { fields?: unknown; allowDuplicate?: unknown };
                const user = currentUser(options.store, request);
                // As the platform refuses a user whose permission sets grant no access to the class.
                if (!holdsOneOf(user.id, leadClassSets))
                    return reply.code(403).send({
                        message: `You do not have access to the Apex class named '${LEAD_CONTROLLER}'.`,
                        exceptionType: 'System.NoAccessException'
                    });
                try {
                    return createLead(options.store, user.id, body);
                } catch (error) {
                    if (!(error instanceof AuraHandledException)) throw error;
                    return reply.code(400).send({
                        message: error.message,
                        exceptionType: error.exceptionType,
                        isUserDefinedException: true
                    });
                }
            }
            const method = classNames.has(className) ? methods.get(methodName) : undefined;
            if (!method) {
                return reply.code(404).send({
                    message: `No Apex action available for ${className}.${methodName}`,
                    exceptionType: 'System.NoAccessException'
                });
            }
            const user = currentUser(options.store, request);
            const body = (
                request.body && typeof request.body === 'object' ? request.body : {}
            ) as Record<string, unknown>;
            // Apex binds the declared parameters only; anything else the caller sent is dropped.
            const params = Object.fromEntries(
                method.parameters.map((name) => [name, body[name] ?? null])
            );
            try {
                if (method.adminOnly && !hasAdminPermission(user.id))
                    throw new AuraHandledException(ADMIN_ONLY);
                // As the Apex's `WITH USER_MODE` query: a record the user's sharing hides is not found.
                if (
                    method.userModeRecordCheck &&
                    !sharing.canRead(
                        user.id,
                        typeof params.recordId === 'string' ? params.recordId : ''
                    )
                )
                    throw new AuraHandledException(method.userModeRecordCheck);
                return (
                    (await postGatewayAction(
                        options.gateway,
                        method.action,
                        user.id,
                        params,
                        options.fetchImpl
                    )) ?? null
                );
            } catch (error) {
                if (error instanceof AuraHandledException) {
                    return reply.code(400).send({
                        message: error.message,
                        exceptionType: error.exceptionType,
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
