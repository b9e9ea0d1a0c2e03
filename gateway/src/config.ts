/** Process settings, validated once at boot: a bad value stops start-up with a clear message. */
import { resolve } from 'node:path';
import { z } from 'zod';

const port = z.coerce.number().int().min(0).max(65535);

/** The API key local mode uses when SIGHTLINE_API_KEY is not set (never use it on a reachable host). */
export const LOCAL_API_KEY = 'sightline-local-development-key';

const ConfigSchema = z.object({
    SIGHTLINE_PORT: port.default(4300),
    /** Local mode: the demo website's own origin (default: the gateway's port + 1; with port 0, any free port). */
    SIGHTLINE_SITE_PORT: port.optional(),
    SIGHTLINE_HOST: z.string().min(1).default('127.0.0.1'),
    SIGHTLINE_DATA_DIR: z.string().min(1).default('.data'),
    SIGHTLINE_LOG_LEVEL: z
        .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
        .default('info'),
    /** Bearer key the platform's Apex presents on /api/v1/actions (the Named Credential's secret). */
    SIGHTLINE_API_KEY: z.string().min(16, 'must be at least 16 characters').default(LOCAL_API_KEY),
    /** Addresses whose X-Forwarded-For is believed (comma list). Local mode: loopback only. */
    SIGHTLINE_TRUSTED_PROXIES: z.string().default('127.0.0.1,::1,::ffff:127.0.0.1'),
    /** How long the publisher coalesces changes into one delta per rep. */
    SIGHTLINE_BATCH_WINDOW_MS: z.coerce.number().int().min(0).max(60_000).default(250),
    /** Beacons per second per client IP and per site (token buckets, burst = 5 s worth). */
    SIGHTLINE_RATE_PER_IP: z.coerce.number().positive().default(20),
    SIGHTLINE_RATE_PER_SITE: z.coerce.number().positive().default(2000),
    /** Live visits held at most: past it, new visits are answered 503 + Retry-After (bounded memory under a flood). */
    SIGHTLINE_MAX_LIVE_VISITS: z.coerce.number().int().positive().default(250_000),
    /** Beacons being worked on at once at most (a slow org): past it, 503 + Retry-After instead of a growing queue. */
    SIGHTLINE_MAX_BEACONS_IN_FLIGHT: z.coerce.number().int().positive().default(2_000),
    /** Overrides Sightline_Setting.Default's End_After_Minutes__c. */
    SIGHTLINE_END_AFTER_MINUTES: z.coerce
        .number()
        .positive()
        .max(24 * 60)
        .optional()
});

export interface GatewayConfig {
    port: number;
    /** Local mode: the demo website's port (`npm start` serves it on its own origin). */
    sitePort: number;
    host: string;
    dataDir: string;
    /** Where the force-app metadata lives: the local org's schema comes from it. */
    forceAppDir: string;
    /** The built local Lightning shell (`npm run build`). */
    shellDir: string;
    logLevel: z.infer<typeof ConfigSchema>['SIGHTLINE_LOG_LEVEL'];
    apiKey: string;
    trustedProxies: string[];
    batchWindowMs: number;
    ratePerIp: number;
    ratePerSite: number;
    maxLiveVisits: number;
    maxBeaconsInFlight: number;
    endAfterMinutes?: number;
}

export function loadConfig(
    env: NodeJS.ProcessEnv = process.env,
    root = process.cwd()
): GatewayConfig {
    const parsed = ConfigSchema.safeParse(env);
    if (!parsed.success) {
        const problems = parsed.error.issues
            .map((i) => `${i.path.join('.')}: ${i.message}`)
            .join('; ');
        throw new Error(`Invalid settings: ${problems}`);
    }
    const c = parsed.data;
    const sitePort = c.SIGHTLINE_SITE_PORT ?? (c.SIGHTLINE_PORT === 0 ? 0 : c.SIGHTLINE_PORT + 1);
    if (sitePort > 65535 || (sitePort !== 0 && sitePort === c.SIGHTLINE_PORT))
        throw new Error(
            `Invalid settings: SIGHTLINE_SITE_PORT: the demo website needs a port of its own, not ${sitePort}`
        );
    return {
        port: c.SIGHTLINE_PORT,
        sitePort,
        host: c.SIGHTLINE_HOST,
        dataDir: resolve(root, c.SIGHTLINE_DATA_DIR),
        forceAppDir: resolve(root, 'force-app/main/default'),
        shellDir: resolve(root, '.build/shell'),
        logLevel: c.SIGHTLINE_LOG_LEVEL,
        apiKey: c.SIGHTLINE_API_KEY,
        trustedProxies: c.SIGHTLINE_TRUSTED_PROXIES.split(',')
            .map((s) => s.trim())
            .filter(Boolean),
        batchWindowMs: c.SIGHTLINE_BATCH_WINDOW_MS,
        ratePerIp: c.SIGHTLINE_RATE_PER_IP,
        ratePerSite: c.SIGHTLINE_RATE_PER_SITE,
        maxLiveVisits: c.SIGHTLINE_MAX_LIVE_VISITS,
        maxBeaconsInFlight: c.SIGHTLINE_MAX_BEACONS_IN_FLIGHT,
        ...(c.SIGHTLINE_END_AFTER_MINUTES ? { endAfterMinutes: c.SIGHTLINE_END_AFTER_MINUTES } : {})
    };
}
