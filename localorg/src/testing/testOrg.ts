/**
 * Test support: a local org on a fresh data dir and a free port, and a jsforce connection
 * signed in the way the gateway signs in (JWT bearer with the dev connected app's key).
 */
import { createSign } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import jsforce, { type Connection } from 'jsforce';
import { startLocalOrg, type LocalOrgOptions, type RunningLocalOrg } from '../server';

export const FORCE_APP_DIR = resolve(import.meta.dirname, '../../../force-app/main/default');
export const API_VERSION = '62.0';
export const JWT_GRANT = 'urn:ietf:params:oauth:grant-type:jwt-bearer';
/** The demo company's admin (an active user the seed always has). */
export const ADMIN_USERNAME = 'priya.raman@lumendata.example.sightline';

export interface TestOrg extends RunningLocalOrg {
    dataDir: string;
}

export async function startTestOrg(options: Partial<LocalOrgOptions> = {}): Promise<TestOrg> {
    const dataDir = mkdtempSync(join(tmpdir(), 'localorg-'));
    const org = await startLocalOrg({
        dataDir,
        forceAppDir: FORCE_APP_DIR,
        port: 0,
        logLevel: 'silent',
        ...options
    });
    return {
        ...org,
        dataDir,
        async close() {
            await org.close();
            rmSync(dataDir, { recursive: true, force: true });
        }
    };
}

export interface AssertionClaims {
    iss?: string;
    aud?: string;
    sub?: string;
    exp?: number;
}

/** An RS256 JWT bearer assertion, signed with `privateKeyPem`. */
export function signAssertion(claims: AssertionClaims, privateKeyPem: string): string {
    const encode = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
    const unsigned = `${encode({ alg: 'RS256' })}.${encode(claims)}`;
    const signature = createSign('RSA-SHA256')
        .update(unsigned)
        .sign(privateKeyPem)
        .toString('base64url');
    return `${unsigned}.${signature}`;
}

/** Claims that the dev connected app accepts for `username`. */
export function validClaims(org: RunningLocalOrg, username = ADMIN_USERNAME): AssertionClaims {
    return {
        iss: org.credentials!.consumerKey,
        aud: org.url(),
        sub: username,
        exp: Math.floor(Date.now() / 1000) + 120
    };
}

export function devPrivateKey(org: RunningLocalOrg): string {
    return readFileSync(org.credentials!.privateKeyFile, 'utf8');
}

/** A jsforce connection signed in by JWT bearer, as the gateway's Salesforce adapter does. */
export async function jwtConnection(
    org: RunningLocalOrg,
    username = ADMIN_USERNAME
): Promise<Connection> {
    const conn = new jsforce.Connection({ loginUrl: org.url(), version: API_VERSION });
    await conn.authorize({
        grant_type: JWT_GRANT,
        assertion: signAssertion(validClaims(org, username), devPrivateKey(org))
    });
    return conn;
}
