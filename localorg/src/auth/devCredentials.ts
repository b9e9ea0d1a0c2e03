/**
 * The local org's own connected app for local mode: a consumer key and an X.509
 * certificate whose private key the gateway signs JWT bearer assertions with, as an admin
 * sets up an external client app in a real org. Made at first start into the data dir
 * (`<dataDir>/oauth/`, the key readable by its owner only) and never committed.
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export const LOCAL_CONSUMER_KEY = 'SightlineLocalOrgConsumerKey';

export interface DevCredentials {
    consumerKey: string;
    /** PEM of the certificate uploaded to the connected app. */
    certificate: string;
    /** Where the matching private key lives (the gateway's local mode reads it). */
    privateKeyFile: string;
    certificateFile: string;
}

export function ensureDevCredentials(dataDir: string): DevCredentials {
    const dir = join(dataDir, 'oauth');
    const privateKeyFile = join(dir, 'local-org-jwt.key');
    const certificateFile = join(dir, 'local-org-jwt.crt');
    if (!existsSync(privateKeyFile) || !existsSync(certificateFile)) {
        mkdirSync(dir, { recursive: true, mode: 0o700 });
        try {
            execFileSync(
                'openssl',
                [
                    'req',
                    '-x509',
                    '-newkey',
                    'rsa:2048',
                    '-nodes',
                    '-days',
                    '3650',
                    '-subj',
                    '/CN=Sightline local org JWT',
                    '-keyout',
                    privateKeyFile,
                    '-out',
                    certificateFile
                ],
                { stdio: 'pipe' }
            );
        } catch (error) {
            throw new Error(
                `Could not make the local org's JWT certificate with openssl (is it installed?): ${(error as Error).message}`
            );
        }
        chmodSync(privateKeyFile, 0o600);
    }
    return {
        consumerKey: LOCAL_CONSUMER_KEY,
        certificate: readFileSync(certificateFile, 'utf8'),
        privateKeyFile,
        certificateFile
    };
}
