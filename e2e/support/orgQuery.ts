/**
 * SOQL against the running product's local org, as an integration user would query a real
 * org: jsforce signed in by JWT bearer with the local org's own connected app (its key is
 * in the product's data dir). For checking what the product wrote, e.g. Tasks on a Lead.
 */
import jsforce, { type Connection } from 'jsforce';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { LOCAL_CONSUMER_KEY } from '../../localorg/src/auth/devCredentials';
import {
    ADMIN_USERNAME,
    API_VERSION,
    JWT_GRANT,
    signAssertion
} from '../../localorg/src/testing/testOrg';
import type { RunningProduct } from './product';

export async function orgConnection(product: RunningProduct): Promise<Connection> {
    const conn = new jsforce.Connection({ loginUrl: product.url, version: API_VERSION });
    const key = readFileSync(join(product.dataDir, 'oauth', 'local-org-jwt.key'), 'utf8');
    await conn.authorize({
        grant_type: JWT_GRANT,
        assertion: signAssertion(
            {
                iss: LOCAL_CONSUMER_KEY,
                aud: product.url,
                sub: ADMIN_USERNAME,
                exp: Math.floor(Date.now() / 1000) + 120
            },
            key
        )
    });
    return conn;
}
