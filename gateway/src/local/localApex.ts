/**
 * Where `@salesforce/apex/SightlineGatewayController.method` calls land in local mode: the
 * stand-in for the packaged controller. As on the platform it checks admin methods against
 * the Sightline_Admin_Access custom permission, serialises the parameters, signs the call as
 * the signed-in user (apexSigner.ts, the twin of SightlineSigner.cls) and posts it to the
 * gateway's `/api/v1/actions/:name`, so every local call — and every e2e test — goes through
 * the same signature, replay, org and permission checks as a callout from a real org. A
 * refusal comes back as the AuraHandledException the controller would throw.
 */
import type { FastifyInstance } from 'fastify';
import { APEX_CONTROLLER, type ActionRegistry } from '../actions/actionRegistry';
import { apexSignatureHeaders } from '../../../localorg/src/apex/apexSigner';
import type { LocalOrg } from '../../../localorg/src/store/localOrg';
import { currentUser } from './localSession';

export interface LocalApexOptions {
    actions: ActionRegistry;
    /** What the org's Named Credential and protected setting hold. */
    apiKey: string;
    orgId: string;
    signingSecret: string;
}

/** The controller's methods that call requireAdmin() before calling out. */
const ADMIN_METHODS = new Set(['getRoutingConfig', 'getDryRunVisitors', 'getHealth']);
const ADMIN_ONLY = 'Only a Sightline admin can do this.';

export function localApexRoutes(
    app: FastifyInstance,
    org: LocalOrg,
    { actions, apiKey, orgId, signingSecret }: LocalApexOptions
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
            const user = currentUser(org, request);
            if (ADMIN_METHODS.has(methodName) && !user.isAdmin)
                return reply.code(403).send(auraHandled(ADMIN_ONLY));
            const body = JSON.stringify(request.body ?? {});
            const answer = await app.inject({
                method: 'POST',
                url: `/api/v1/actions/${methodName}`,
                headers: {
                    'content-type': 'application/json',
                    authorization: `Bearer ${apiKey}`,
                    ...apexSignatureHeaders(methodName, body, {
                        secret: signingSecret,
                        orgId,
                        userId: user.id
                    })
                },
                payload: body
            });
            if (answer.statusCode >= 200 && answer.statusCode < 300)
                return answer.body === '' ? null : answer.json();
            // SightlineGatewayClient.messageOf: the gateway's message, else a generic one.
            const message = gatewayMessage(answer.body) ?? failed(answer.statusCode);
            return reply
                .code(answer.statusCode >= 500 ? 500 : answer.statusCode)
                .send(auraHandled(message));
        }
    );
}

function auraHandled(message: string) {
    return { message, exceptionType: 'System.AuraHandledException', isUserDefinedException: true };
}

function failed(status: number): string {
    return `The Sightline gateway could not complete the request (HTTP ${status}).`;
}

function gatewayMessage(body: string): string | undefined {
    try {
        const parsed: unknown = JSON.parse(body);
        if (parsed && typeof parsed === 'object' && 'message' in parsed) {
            const { message } = parsed;
            if (typeof message === 'string' && message.trim() !== '') return message;
        }
    } catch {
        // Not JSON: the generic message, as the Apex client does.
    }
    return undefined;
}
