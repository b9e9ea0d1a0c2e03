/** Process settings, validated once at boot: a bad value stops start-up with a clear message. */
import { randomBytes } from 'node:crypto';
import { resolve } from 'node:path';
import { z } from 'zod';

const port = z.coerce.number().int().min(0).max(65535);

/**
 * The API key local mode uses when SIGHTLINE_API_KEY is not set. It exists only in local
 * mode: a gateway pointed at an org (SIGHTLINE_ORG) refuses to start without its own key.
 */
export const LOCAL_API_KEY = 'sightline-local-development-key';

/** The local org's organization id (local mode). */
export const LOCAL_ORG_ID = '00D000000000001AAA';

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
    SIGHTLINE_API_KEY: z.string().min(16, 'must be at least 16 characters').optional(),
    /**
     * The Salesforce org to serve: its My Domain (instance) URL or a login URL. Set, the
     * gateway runs in production mode (no local org, no shell, no stand-ins); unset, local mode.
     */
    SIGHTLINE_ORG: z.url({ protocol: /^https?$/ }).optional(),
    /** The external client app's consumer key (JWT bearer or client credentials). */
    SIGHTLINE_ORG_CLIENT_ID: z.string().min(1).optional(),
    /** JWT bearer: the integration user, and the private key whose certificate the app holds. */
    SIGHTLINE_ORG_USERNAME: z.string().min(1).optional(),
    SIGHTLINE_ORG_PRIVATE_KEY_FILE: z.string().min(1).optional(),
    /** Client credentials: the app's consumer secret (the app's Run As user signs in). */
    SIGHTLINE_ORG_CLIENT_SECRET: z.string().min(1).optional(),
    /** `host:port` of the org's Pub/Sub API (Change Data Capture); Salesforce's by default. */
    SIGHTLINE_ORG_PUBSUB_ENDPOINT: z
        .string()
        .regex(/^[^:\s]+:\d+$/, 'host:port')
        .optional(),
    /** The package namespace in the org (a managed package installed in a subscriber org). */
    SIGHTLINE_NAMESPACE: z
        .string()
        .regex(/^[A-Za-z][A-Za-z0-9]{0,14}$/, '1 to 15 letters and digits, starting with a letter')
        .optional(),
    /** The id of the org this gateway serves (18 characters); required with SIGHTLINE_ORG. */
    SIGHTLINE_ORG_ID: z
        .string()
        .regex(/^00D[A-Za-z0-9]{15}$/, 'must be an 18-character organization id (00D…)')
        .optional(),
    /** The org's signing secret (docs/SECURITY.md); local mode generates one per start. */
    SIGHTLINE_SIGNING_SECRET: z
        .string()
        .regex(/^[A-Za-z0-9+/=_-]{43,128}$/, 'must be 43–128 base64 characters (32+ random bytes)')
        .optional(),
    /** Rep and admin actions per second per user (token bucket, burst = 5 s worth). */
    SIGHTLINE_ACTION_RATE_PER_USER: z.coerce.number().positive().default(10),
    /** Addresses whose X-Forwarded-For is believed (comma list). Local mode: loopback only. */
    SIGHTLINE_TRUSTED_PROXIES: z.string().default('127.0.0.1,::1,::ffff:127.0.0.1'),
    /** How long the publisher coalesces changes into one delta per rep. */
    SIGHTLINE_BATCH_WINDOW_MS: z.coerce.number().int().min(0).max(60_000).default(250),
    /**
     * How long the CRM adapter gathers reads (one composite request) and visitor writes (one
     * collection) before asking the org: the org API requests a new visit costs, against how
     * soon a new visit's card shows.
     */
    SIGHTLINE_ORG_WINDOW_MS: z.coerce.number().int().min(1).max(10_000).default(500),
    /**
     * The share (percent) of the org's 100 custom event channels the gateway may create for
     * per-audience filtered channels (docs/GATEWAY.md, "Event channels"); 0: every console
     * on the raw event channel. Past it, reps share filtered channels.
     */
    SIGHTLINE_CHANNEL_SHARE: z.coerce.number().int().min(0).max(100).default(50),
    /** Beacons per second per client IP and per site (token buckets, burst = 5 s worth). */
    SIGHTLINE_RATE_PER_IP: z.coerce.number().positive().default(20),
    SIGHTLINE_RATE_PER_SITE: z.coerce.number().positive().default(2000),
    /** Live visits held at most: past it, new visits are answered 503 + Retry-After (bounded memory under a flood). */
    SIGHTLINE_MAX_LIVE_VISITS: z.coerce.number().int().positive().default(250_000),
    /** Beacons being worked on at once at most (a slow org): past it, 503 + Retry-After instead of a growing queue. */
    SIGHTLINE_MAX_BEACONS_IN_FLIGHT: z.coerce.number().int().positive().default(2_000),
    /**
     * Redis that the gateways behind a balancer share their live state through
     * (`redis://host:port`, `rediss://` for TLS). Unset: the gateway runs alone, state in memory.
     */
    SIGHTLINE_REDIS_URL: z.url({ protocol: /^rediss?$/ }).optional(),
    /** Overrides Sightline_Setting.Default's End_After_Minutes__c. */
    SIGHTLINE_END_AFTER_MINUTES: z.coerce
        .number()
        .positive()
        .max(24 * 60)
        .optional()
});

/** Salesforce's Pub/Sub API endpoint for every production org and sandbox. */
export const SALESFORCE_PUBSUB_ENDPOINT = 'api.pubsub.salesforce.com:7443';

/** Where the org's Pub/Sub API answers (Change Data Capture). */
export interface PubSubSettings {
    /** `host:port` of the Pub/Sub API. */
    endpoint: string;
    /**
     * Accept any TLS certificate: only for the local org on loopback, whose Pub/Sub server
     * presents a self-signed one. A real org's endpoint is verified.
     */
    trustAnyCertificate?: boolean;
}

/** How the gateway signs in to the org (production mode). */
export type OrgSignInSettings =
    | { flow: 'jwt'; clientId: string; username: string; privateKeyFile: string }
    | { flow: 'client_credentials'; clientId: string; clientSecret: string };

export interface GatewayConfig {
    /** 'local': the local org and shell (`npm start`); 'org': a Salesforce org (SIGHTLINE_ORG). */
    mode: 'local' | 'org';
    /** Production mode: the org's instance or login URL. */
    orgUrl?: string;
    orgSignIn?: OrgSignInSettings;
    /** The org's Pub/Sub API, which the adapter follows Change Data Capture on. */
    pubSub?: PubSubSettings;
    namespace?: string;
    port: number;
    /** Local mode: the demo website's port (`npm start` serves it on its own origin). */
    sitePort: number;
    host: string;
    dataDir: string;
    /** Where the force-app metadata lives: the local org's schema comes from it. */
    forceAppDir: string;
    /**
     * Metadata deployed to development orgs but not packaged (the demo site): the local org
     * is such an org, so it reads custom metadata records from here too.
     */
    unpackagedDir: string;
    /** The built local Lightning shell (`npm run build`). */
    shellDir: string;
    logLevel: z.infer<typeof ConfigSchema>['SIGHTLINE_LOG_LEVEL'];
    /** Where request logs go; unset: standard output. */
    logFile?: string;
    apiKey: string;
    /** The org whose signed calls are accepted (local mode: LOCAL_ORG_ID). */
    orgId: string;
    signingSecret: string;
    actionRatePerUser: number;
    trustedProxies: string[];
    batchWindowMs: number;
    orgWindowMs: number;
    /** Percent of the org's custom channel cap the gateway may use (SIGHTLINE_CHANNEL_SHARE). */
    channelSharePercent: number;
    ratePerIp: number;
    ratePerSite: number;
    maxLiveVisits: number;
    maxBeaconsInFlight: number;
    endAfterMinutes?: number;
    /** The Redis shared with the other gateways; unset, this gateway runs alone. */
    redisUrl?: string;
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
    const mode = c.SIGHTLINE_ORG ? 'org' : 'local';
    if (mode === 'org' && !c.SIGHTLINE_API_KEY)
        throw new Error(
            'Invalid settings: SIGHTLINE_API_KEY: required when SIGHTLINE_ORG is set (the secret of the Named Credential the org calls the gateway with; there is no default key outside local mode)'
        );
    // No default signing secret reaches a real org either (docs/SECURITY.md).
    if (mode === 'org' && (!c.SIGHTLINE_ORG_ID || !c.SIGHTLINE_SIGNING_SECRET))
        throw new Error(
            'Invalid settings: SIGHTLINE_ORG_ID and SIGHTLINE_SIGNING_SECRET: required when SIGHTLINE_ORG is set (the org whose signed calls are accepted, and its signing secret; docs/SECURITY.md)'
        );
    const sitePort = c.SIGHTLINE_SITE_PORT ?? (c.SIGHTLINE_PORT === 0 ? 0 : c.SIGHTLINE_PORT + 1);
    if (sitePort > 65535 || (sitePort !== 0 && sitePort === c.SIGHTLINE_PORT))
        throw new Error(
            `Invalid settings: SIGHTLINE_SITE_PORT: the demo website needs a port of its own, not ${sitePort}`
        );
    const orgSignIn = mode === 'org' ? signInSettings(c) : undefined;
    return {
        mode,
        ...(orgSignIn ? { orgSignIn } : {}),
        ...(mode === 'org'
            ? {
                  pubSub: {
                      endpoint: c.SIGHTLINE_ORG_PUBSUB_ENDPOINT ?? SALESFORCE_PUBSUB_ENDPOINT
                  }
              }
            : {}),
        ...(c.SIGHTLINE_NAMESPACE ? { namespace: c.SIGHTLINE_NAMESPACE } : {}),
        ...(c.SIGHTLINE_ORG ? { orgUrl: c.SIGHTLINE_ORG.replace(/\/+$/, '') } : {}),
        port: c.SIGHTLINE_PORT,
        sitePort,
        host: c.SIGHTLINE_HOST,
        dataDir: resolve(root, c.SIGHTLINE_DATA_DIR),
        forceAppDir: resolve(root, 'force-app/main/default'),
        unpackagedDir: resolve(root, 'unpackaged/main/default'),
        shellDir: resolve(root, '.build/shell'),
        logLevel: c.SIGHTLINE_LOG_LEVEL,
        apiKey: c.SIGHTLINE_API_KEY ?? LOCAL_API_KEY,
        orgId: c.SIGHTLINE_ORG_ID ?? LOCAL_ORG_ID,
        // Local mode: a fresh secret each start, shared in-process with the Apex stand-in.
        signingSecret: c.SIGHTLINE_SIGNING_SECRET ?? randomBytes(32).toString('base64url'),
        actionRatePerUser: c.SIGHTLINE_ACTION_RATE_PER_USER,
        trustedProxies: c.SIGHTLINE_TRUSTED_PROXIES.split(',')
            .map((s) => s.trim())
            .filter(Boolean),
        batchWindowMs: c.SIGHTLINE_BATCH_WINDOW_MS,
        orgWindowMs: c.SIGHTLINE_ORG_WINDOW_MS,
        channelSharePercent: c.SIGHTLINE_CHANNEL_SHARE,
        ratePerIp: c.SIGHTLINE_RATE_PER_IP,
        ratePerSite: c.SIGHTLINE_RATE_PER_SITE,
        maxLiveVisits: c.SIGHTLINE_MAX_LIVE_VISITS,
        maxBeaconsInFlight: c.SIGHTLINE_MAX_BEACONS_IN_FLIGHT,
        ...(c.SIGHTLINE_END_AFTER_MINUTES
            ? { endAfterMinutes: c.SIGHTLINE_END_AFTER_MINUTES }
            : {}),
        ...(c.SIGHTLINE_REDIS_URL ? { redisUrl: c.SIGHTLINE_REDIS_URL } : {})
    };
}

/** JWT bearer when a username and key are set, else client credentials; anything less is an error. */
function signInSettings(c: z.infer<typeof ConfigSchema>): OrgSignInSettings {
    const clientId = c.SIGHTLINE_ORG_CLIENT_ID;
    if (!clientId)
        throw new Error(
            'Invalid settings: SIGHTLINE_ORG_CLIENT_ID: required when SIGHTLINE_ORG is set (the consumer key of the external client app)'
        );
    if (c.SIGHTLINE_ORG_USERNAME || c.SIGHTLINE_ORG_PRIVATE_KEY_FILE) {
        if (!c.SIGHTLINE_ORG_USERNAME || !c.SIGHTLINE_ORG_PRIVATE_KEY_FILE)
            throw new Error(
                'Invalid settings: the JWT bearer flow needs both SIGHTLINE_ORG_USERNAME (the integration user) and SIGHTLINE_ORG_PRIVATE_KEY_FILE'
            );
        return {
            flow: 'jwt',
            clientId,
            username: c.SIGHTLINE_ORG_USERNAME,
            privateKeyFile: c.SIGHTLINE_ORG_PRIVATE_KEY_FILE
        };
    }
    if (c.SIGHTLINE_ORG_CLIENT_SECRET)
        return {
            flow: 'client_credentials',
            clientId,
            clientSecret: c.SIGHTLINE_ORG_CLIENT_SECRET
        };
    throw new Error(
        'Invalid settings: SIGHTLINE_ORG needs a sign-in: SIGHTLINE_ORG_USERNAME and SIGHTLINE_ORG_PRIVATE_KEY_FILE (JWT bearer), or SIGHTLINE_ORG_CLIENT_SECRET (client credentials)'
    );
}
