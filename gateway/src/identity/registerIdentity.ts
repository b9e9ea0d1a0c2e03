/** Wires the signed-identity check of `/api/v1/actions` from the settings and the CRM port. */
import type { GatewayConfig } from '../config';
import type { CrmPort } from '../crm/crmPort';
import { RateLimiter } from '../ingest/rateLimiter';
import type { Clock } from '../live/clock';
import type { SharedState } from '../state/sharedState';
import type { ApexCallerIdentityDependencies } from './apexCallerIdentity';
import { UserAccessCache } from './userAccessCache';
import { ApexRequestVerifier } from './verifyApexRequest';

export function apexCallerIdentity(
    config: Pick<GatewayConfig, 'orgId' | 'signingSecret' | 'actionRatePerUser'>,
    crm: Pick<CrmPort, 'userAccess' | 'onChange'>,
    clock: Clock,
    nonces: Pick<SharedState, 'spendNonce'>
): ApexCallerIdentityDependencies {
    const now = () => clock.now();
    return {
        verifier: new ApexRequestVerifier({
            orgId: config.orgId,
            secret: config.signingSecret,
            now,
            nonces
        }),
        access: new UserAccessCache(crm, now),
        perUser: new RateLimiter(
            { perSecond: config.actionRatePerUser, capacity: config.actionRatePerUser * 5 },
            clock
        )
    };
}
