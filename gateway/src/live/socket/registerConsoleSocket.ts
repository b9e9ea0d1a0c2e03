/**
 * The direct console socket, wired: the `mintLiveToken` action (reached only through a
 * signed Apex call, so the token's user is the one Apex ran as) and the socket route.
 */
import type { FastifyInstance } from 'fastify';
import type { ActionRegistry } from '../../actions/actionRegistry';
import { UserFacingError } from '../../actions/userFacingError';
import type { GatewayConfig } from '../../config';
import type { LiveTokenGrant } from '../../contracts/liveContract';
import type { CrmPort } from '../../crm/crmPort';
import type { UserAccessCache } from '../../identity/userAccessCache';
import type { SharedState } from '../../state/sharedState';
import type { Clock } from '../clock';
import { consoleSocketRoutes, LIVE_SOCKET_PATH } from './consoleSocketRoutes';
import type { ConsoleSockets } from './consoleSockets';
import { LiveTokens } from './liveToken';

export async function registerConsoleSocket(
    app: FastifyInstance,
    deps: {
        config: Pick<GatewayConfig, 'orgId' | 'signingSecret'>;
        actions: ActionRegistry;
        sockets: ConsoleSockets;
        access: UserAccessCache;
        crm: Pick<CrmPort, 'onChange'>;
        clock: Clock;
        /** Where tokens are spent: shared by every gateway of the org. */
        nonces: Pick<SharedState, 'spendNonce'>;
        epoch: () => string;
    }
): Promise<void> {
    const { config, clock } = deps;
    const tokens = new LiveTokens({
        orgId: config.orgId,
        signingSecret: config.signingSecret,
        now: () => clock.now(),
        nonces: deps.nonces,
        epoch: deps.epoch
    });
    deps.actions.register('mintLiveToken', (user, _params, call): LiveTokenGrant => {
        if (!call?.origin)
            throw new UserFacingError('The live socket is not available on this path.', 404);
        return { ...tokens.mint(user.id), url: socketUrl(call.origin, user.id) };
    });
    await app.register(consoleSocketRoutes, { ...deps, tokens });
}

/**
 * `https://host` → `wss://host/api/v1/live?user=005…` (ws:// only where the gateway is plain
 * HTTP). The user id (not a secret: the event channel carries it too) lets a balancer in front
 * of several gateways send the socket to the gateway that the user's Apex calls go to, whose
 * change log and epoch the console follows (docs/GATEWAY.md, "Several gateways").
 */
export function socketUrl(origin: string, userId: string): string {
    return `${origin.replace(/^http/, 'ws')}${LIVE_SOCKET_PATH}?user=${encodeURIComponent(userId)}`;
}
