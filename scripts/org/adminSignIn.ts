/**
 * How `org:deploy` and `org:seed` sign in: as an admin of the org (deploying metadata and
 * creating streams is nothing the least-privileged integration user may do), either
 * through an org the sf CLI is signed in to (`--target-org`, its store read through
 * `@salesforce/core`, `sf` itself not run) or by JWT bearer with the same flags
 * `org:connect` takes, for an admin pre-authorized on the app.
 */
import { AuthInfo, Connection as CoreConnection } from '@salesforce/core';
import { readFileSync } from 'node:fs';
import { API_VERSION, signIn } from '../../gateway/src/crm/salesforce/signIn';
import { readSfOrg } from './sfAlias';

export const ADMIN_OPTIONS = {
    'target-org': { type: 'string' },
    'login-url': { type: 'string' },
    'client-id': { type: 'string' },
    username: { type: 'string' },
    'private-key': { type: 'string' }
} as const;

export const ADMIN_USAGE = `Sign-in, as an admin of the org:
  --target-org <alias>   an org the sf CLI signed in to (sf org login web|jwt --alias …)
or by JWT bearer (an admin pre-authorized on the external client app):
  --login-url <url> --client-id <key> --username <admin> --private-key <file>`;

export type AdminValues = { [K in keyof typeof ADMIN_OPTIONS]?: string };

/** Wrong or missing sign-in flags (exit 2). */
export class AdminUsageError extends Error {}

/**
 * A connection of `@salesforce/core` (what source-deploy-retrieve deploys with; it extends
 * jsforce's), signed in as the flags say.
 */
export async function adminConnection(values: AdminValues): Promise<CoreConnection> {
    let authInfo: AuthInfo;
    if (values['target-org']) {
        const org = await readSfOrg(values['target-org']).catch((error: unknown) => {
            throw new AdminUsageError((error as Error).message);
        });
        authInfo = await AuthInfo.create({ username: org.username });
    } else {
        const { username, 'client-id': clientId, 'private-key': keyFile } = values;
        const loginUrl = values['login-url'] ?? 'https://login.salesforce.com';
        if (!username || !clientId || !keyFile)
            throw new AdminUsageError(
                `Say which org: --target-org, or --client-id, --username and --private-key.\n\n${ADMIN_USAGE}`
            );
        let privateKey: string;
        try {
            privateKey = readFileSync(keyFile, 'utf8');
        } catch (error) {
            throw new AdminUsageError(
                `The private key file ${keyFile} cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}).`
            );
        }
        // Signed in as the gateway signs in (its refusals explained), then handed over.
        const signedIn = await signIn({
            flow: 'jwt',
            loginUrl: loginUrl.replace(/\/+$/, ''),
            clientId,
            username,
            privateKey
        });
        authInfo = await AuthInfo.create({
            accessTokenOptions: {
                accessToken: signedIn.accessToken!,
                instanceUrl: signedIn.instanceUrl,
                loginUrl
            }
        });
    }
    const conn = await CoreConnection.create({ authInfo });
    conn.setApiVersion(API_VERSION);
    return conn;
}
