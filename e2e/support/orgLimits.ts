/**
 * The local org's `/limits`, read as any API client reads them: signed in by JWT bearer
 * with the local dev connected app (its key pair is in the product's data folder).
 */
import { readFileSync } from 'node:fs';
import { ensureDevCredentials } from '../../localorg/src/auth/devCredentials';
import {
    ADMIN_USERNAME,
    API_VERSION,
    JWT_GRANT,
    signAssertion
} from '../../localorg/src/testing/testOrg';
import type { RunningProduct } from './product';

export interface LimitValue {
    Max: number;
    Remaining: number;
}

export async function orgLimits(product: RunningProduct): Promise<Record<string, LimitValue>> {
    const credentials = ensureDevCredentials(product.dataDir);
    const assertion = signAssertion(
        {
            iss: credentials.consumerKey,
            aud: product.url,
            sub: ADMIN_USERNAME,
            exp: Math.floor(Date.now() / 1000) + 120
        },
        readFileSync(credentials.privateKeyFile, 'utf8')
    );
    const token = (await (
        await fetch(`${product.url}/services/oauth2/token`, {
            method: 'POST',
            headers: { 'content-type': 'application/x-www-form-urlencoded' },
            body: new URLSearchParams({ grant_type: JWT_GRANT, assertion })
        })
    ).json()) as { access_token: string };
    const response = await fetch(`${product.url}/services/data/v${API_VERSION}/limits`, {
        headers: { authorization: `Bearer ${token.access_token}` }
    });
    if (!response.ok) throw new Error(`limits answered ${response.status}`);
    return (await response.json()) as Record<string, LimitValue>;
}

/** Platform Event deliveries used so far in the org's rolling day. */
export async function deliveredEvents(product: RunningProduct): Promise<number> {
    const limit = (await orgLimits(product)).DailyDeliveredPlatformEvents!;
    return limit.Max - limit.Remaining;
}
