/**
 * The local org on its own, for poking at it with jsforce, curl or the `sf` CLI:
 *
 *   node --import tsx localorg/src/main.ts
 *
 * Settings (environment): SIGHTLINE_ORG_PORT (default 4310), SIGHTLINE_DATA_DIR (.data),
 * SIGHTLINE_NAMESPACE (default: sfdx-project.json's), SIGHTLINE_DAILY_API_REQUESTS (15000),
 * SIGHTLINE_ORG_RESET=1 to start from a fresh seed; with SIGHTLINE_GATEWAY_URL,
 * SIGHTLINE_API_KEY, SIGHTLINE_ORG_ID and SIGHTLINE_SIGNING_SECRET (the gateway's) it also serves the Lightning shell (built by `npm run build`) whose Apex
 * stand-in calls that gateway.
 */
import { resolve } from 'node:path';
import { z } from 'zod';
import { startLocalOrg } from './server';

const Env = z.object({
    SIGHTLINE_ORG_PORT: z.coerce.number().int().min(0).max(65535).default(4310),
    SIGHTLINE_DATA_DIR: z.string().min(1).default('.data'),
    SIGHTLINE_DAILY_API_REQUESTS: z.coerce.number().int().positive().default(15_000),
    SIGHTLINE_ORG_RESET: z.enum(['0', '1']).default('0'),
    SIGHTLINE_GATEWAY_URL: z.url().optional(),
    SIGHTLINE_API_KEY: z.string().min(16).optional(),
    SIGHTLINE_ORG_ID: z.string().optional(),
    SIGHTLINE_SIGNING_SECRET: z.string().optional()
});

const parsed = Env.safeParse(process.env);
if (!parsed.success) {
    console.error(
        `Invalid settings: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`
    );
    process.exit(2);
}
const env = parsed.data;
const root = resolve(import.meta.dirname, '../..');
const org = await startLocalOrg({
    dataDir: resolve(root, env.SIGHTLINE_DATA_DIR),
    forceAppDir: resolve(root, 'force-app/main/default'),
    port: env.SIGHTLINE_ORG_PORT,
    dailyApiRequests: env.SIGHTLINE_DAILY_API_REQUESTS,
    reset: env.SIGHTLINE_ORG_RESET === '1',
    logLevel: 'info',
    ...(env.SIGHTLINE_GATEWAY_URL &&
    env.SIGHTLINE_API_KEY &&
    env.SIGHTLINE_ORG_ID &&
    env.SIGHTLINE_SIGNING_SECRET
        ? {
              lightning: {
                  shellDir: resolve(root, '.build/shell'),
                  gateway: {
                      url: env.SIGHTLINE_GATEWAY_URL,
                      apiKey: env.SIGHTLINE_API_KEY,
                      signing: {
                          secret: env.SIGHTLINE_SIGNING_SECRET,
                          orgId: env.SIGHTLINE_ORG_ID
                      }
                  }
              }
          }
        : {})
});
console.log(`Local org at ${org.url()} (login URL and instance URL)`);
console.log(`  Pub/Sub API: ${org.pubSubEndpoint} (TLS, self-signed)`);
if (org.namespace) console.log(`  namespace: ${org.namespace}`);
if (org.credentials) {
    console.log(`  JWT bearer: consumer key ${org.credentials.consumerKey}`);
    console.log(`              private key ${org.credentials.privateKeyFile}`);
}
const stop = () => {
    void org.close().then(() => process.exit(0));
};
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
