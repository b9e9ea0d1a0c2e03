/** Process settings, validated once at boot: a bad value stops start-up with a clear message. */
import { resolve } from 'node:path';
import { z } from 'zod';

const port = z.coerce.number().int().min(0).max(65535);

const ConfigSchema = z.object({
    SIGHTLINE_PORT: port.default(4300),
    SIGHTLINE_HOST: z.string().min(1).default('127.0.0.1'),
    SIGHTLINE_DATA_DIR: z.string().min(1).default('.data'),
    SIGHTLINE_LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info')
});

export interface GatewayConfig {
    port: number;
    host: string;
    dataDir: string;
    /** Where the force-app metadata lives: the local org's schema comes from it. */
    forceAppDir: string;
    /** The built local Lightning shell (`npm run build`). */
    shellDir: string;
    logLevel: z.infer<typeof ConfigSchema>['SIGHTLINE_LOG_LEVEL'];
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env, root = process.cwd()): GatewayConfig {
    const parsed = ConfigSchema.safeParse(env);
    if (!parsed.success) {
        const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
        throw new Error(`Invalid settings: ${problems}`);
    }
    const c = parsed.data;
    return {
        port: c.SIGHTLINE_PORT,
        host: c.SIGHTLINE_HOST,
        dataDir: resolve(root, c.SIGHTLINE_DATA_DIR),
        forceAppDir: resolve(root, 'force-app/main/default'),
        shellDir: resolve(root, '.build/shell'),
        logLevel: c.SIGHTLINE_LOG_LEVEL
    };
}
