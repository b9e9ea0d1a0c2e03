/**
 * `npm run org:connect`: connects the gateway to a Salesforce org. It signs in as the
 * integration user exactly as the gateway will (OAuth 2.0 JWT bearer, or client
 * credentials), checks the package and the user's permission set, and writes the gateway's
 * settings to a file (`npm start -- --org-config <file>`). Missing values are asked for
 * on a terminal, with the Setup steps that produce them; elsewhere they are flags.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes, createPrivateKey } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline/promises';
import { OrgSignInError, signIn, type OrgAuth } from '../../gateway/src/crm/salesforce/signIn';
import { parseCommandLine } from './commandLine';
import { checkIntegrationUser, OrgCheckError, type IntegrationUser } from './integrationCheck';
import { readOrgConfig, writeOrgConfig } from './orgConfigFile';
import { readSfOrg } from './sfAlias';

const root = resolve(import.meta.dirname, '../..');
export const DEFAULT_OUT = '.data/org.env';

export const USAGE = `Usage: npm run org:connect -- [options]

Signs in to a Salesforce org as the gateway's integration user, checks that the Sightline
package is installed and the user has the Sightline_Integration permission set, and writes
the gateway's settings (npm start -- --org-config <file>).

Sign-in (JWT bearer, recommended):
  --login-url <url>      https://login.salesforce.com (default), https://test.salesforce.com
                         for a sandbox, or the org's My Domain URL
  --client-id <key>      the external client app's consumer key
  --username <user>      the integration user
  --private-key <file>   the PEM private key whose certificate the app holds
  --target-org <alias>   take all four from an org the sf CLI signed in to with
                         sf org login jwt (the CLI's store is read; sf itself is not run)
Sign-in (client credentials, the app's Run As user):
  --client-secret <s>    instead of --username and --private-key

  --new-key <dir>        make a private key and certificate for the app in <dir>, and stop
  --namespace <ns>       the package namespace expected (default: read from the org)
  --pubsub-endpoint <h:p> the org's Pub/Sub API (default api.pubsub.salesforce.com:7443)
  --out <file>           where the settings go (default ${DEFAULT_OUT}); an existing
                         file's API key and signing secret are kept
  -h, --help             this help`;

const SETUP_STEPS = `Before connecting, in the org's Setup (docs/PACKAGE.md, "The integration user"):
  1. Make a key pair: npm run org:connect -- --new-key .data/org
  2. External Client App Manager → New: OAuth on, "Use digital signatures" with the
     certificate (.crt), scopes api and refresh_token; OAuth policies: "Admin approved users
     are pre-authorized". Copy its consumer key.
  3. The integration user: the Sightline_Integration permission set, plus the profile or
     permission set in docs/PACKAGE.md (API Enabled, View Setup and Configuration, the
     standard objects); add that profile or permission set to the app's policies.`;

const OPTIONS = {
    help: { type: 'boolean', short: 'h', default: false },
    'login-url': { type: 'string' },
    'client-id': { type: 'string' },
    username: { type: 'string' },
    'private-key': { type: 'string' },
    'client-secret': { type: 'string' },
    'target-org': { type: 'string' },
    'new-key': { type: 'string' },
    namespace: { type: 'string' },
    'pubsub-endpoint': { type: 'string' },
    out: { type: 'string' }
} as const;

/** A problem in how the command was called (exit 2), not in the org (exit 1). */
export class UsageError extends Error {}

export interface ConnectIo {
    log(line: string): void;
    /** Asks a question on a terminal; undefined when there is none (flags only). */
    ask?: (question: string) => Promise<string>;
}

type Values = { -readonly [K in keyof typeof OPTIONS]?: string | boolean };

/** Makes a 2048-bit RSA key and a self-signed certificate for the external client app. */
export function makeKeyPair(dir: string): { keyFile: string; certificateFile: string } {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const keyFile = join(dir, 'sightline-gateway.key');
    const certificateFile = join(dir, 'sightline-gateway.crt');
    if (existsSync(keyFile))
        throw new UsageError(`${keyFile} exists already: use it, or choose another directory.`);
    execFileSync(
        'openssl',
        [
            'req',
            '-x509',
            '-newkey',
            'rsa:2048',
            '-nodes',
            '-days',
            '730',
            '-subj',
            '/CN=Sightline gateway',
            '-keyout',
            keyFile,
            '-out',
            certificateFile
        ],
        { stdio: 'pipe' }
    );
    chmodSync(keyFile, 0o600);
    return { keyFile, certificateFile };
}

/** The private key, read and checked before the org is asked: a bad key says so itself. */
function readPrivateKey(file: string): string {
    let pem: string;
    try {
        pem = readFileSync(file, 'utf8');
    } catch (error) {
        throw new OrgSignInError(
            `The private key file ${file} cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}).`,
            'bad_key'
        );
    }
    let type: string | undefined;
    try {
        type = createPrivateKey(pem).asymmetricKeyType;
    } catch {
        throw new OrgSignInError(
            `${file} is not a PEM private key (a certificate or public key will not do: the gateway signs with the private half).`,
            'bad_key'
        );
    }
    if (type !== 'rsa')
        throw new OrgSignInError(
            `${file} holds an ${type ?? 'unknown'} key: the JWT bearer flow signs with RS256, which needs an RSA key.`,
            'bad_key'
        );
    return pem;
}

async function valueOf(
    values: Values,
    name: keyof typeof OPTIONS,
    question: string,
    io: ConnectIo
): Promise<string | undefined> {
    const given = values[name];
    if (typeof given === 'string' && given.trim()) return given.trim();
    if (!io.ask) return undefined;
    const answer = (await io.ask(`${question}: `)).trim();
    return answer || undefined;
}

/** The sign-in the flags (or the sf alias, or the answers) describe. */
async function authFrom(values: Values, io: ConnectIo): Promise<OrgAuth> {
    if (typeof values['target-org'] === 'string') {
        const sf = await readSfOrg(values['target-org']).catch((error: unknown) => {
            throw new UsageError((error as Error).message);
        });
        if (!sf.clientId || !sf.privateKeyFile)
            throw new UsageError(
                `${values['target-org']} (${sf.username}) was not signed in with the JWT bearer flow, which the gateway needs to sign in unattended: sign the integration user in with sf org login jwt --client-id <key> --jwt-key-file <file> --username <user> --alias ${values['target-org']}, or pass --client-id, --username and --private-key.`
            );
        values['login-url'] ??= sf.loginUrl;
        values['client-id'] ??= sf.clientId;
        values.username ??= sf.username;
        values['private-key'] ??= sf.privateKeyFile;
    }
    if (io.ask && !values['client-id'] && !values['client-secret']) io.log(SETUP_STEPS);
    const loginUrl =
        (await valueOf(
            values,
            'login-url',
            'Login URL [https://login.salesforce.com; https://test.salesforce.com for a sandbox]',
            io
        )) ?? 'https://login.salesforce.com';
    if (!/^https?:\/\/[^\s/]+\/?$/.test(loginUrl))
        throw new UsageError(
            `--login-url ${loginUrl}: a login URL is just the scheme and host, such as https://login.salesforce.com`
        );
    const clientId = await valueOf(
        values,
        'client-id',
        "The external client app's consumer key",
        io
    );
    if (!clientId) throw new UsageError(`--client-id is required.\n\n${USAGE}`);
    if (values['client-secret'] && !values.username)
        return {
            flow: 'client_credentials',
            loginUrl: loginUrl.replace(/\/+$/, ''),
            clientId,
            clientSecret: String(values['client-secret'])
        };
    const username = await valueOf(values, 'username', 'The integration user (username)', io);
    const keyFile = await valueOf(values, 'private-key', 'The private key file (PEM)', io);
    if (!username || !keyFile)
        throw new UsageError(
            `The JWT bearer flow needs --username and --private-key (or --client-secret for client credentials).\n\n${USAGE}`
        );
    return {
        flow: 'jwt',
        loginUrl: loginUrl.replace(/\/+$/, ''),
        clientId,
        username,
        privateKey: readPrivateKey(keyFile)
    };
}

/** The settings the gateway needs, secrets kept from an earlier run of the same file. */
function gatewaySettings(
    auth: OrgAuth,
    keyFile: string | undefined,
    user: IntegrationUser,
    values: Values,
    previous: Record<string, string>
): Record<string, string> {
    const secret = () => randomBytes(32).toString('base64url');
    return {
        SIGHTLINE_ORG: auth.loginUrl,
        SIGHTLINE_ORG_CLIENT_ID: auth.clientId,
        ...(auth.flow === 'jwt'
            ? {
                  SIGHTLINE_ORG_USERNAME: auth.username,
                  SIGHTLINE_ORG_PRIVATE_KEY_FILE: resolve(keyFile!)
              }
            : { SIGHTLINE_ORG_CLIENT_SECRET: auth.clientSecret }),
        SIGHTLINE_ORG_ID: user.orgId,
        ...(user.namespace ? { SIGHTLINE_NAMESPACE: user.namespace } : {}),
        ...(typeof values['pubsub-endpoint'] === 'string'
            ? { SIGHTLINE_ORG_PUBSUB_ENDPOINT: values['pubsub-endpoint'] }
            : {}),
        SIGHTLINE_API_KEY: previous.SIGHTLINE_API_KEY ?? secret(),
        SIGHTLINE_SIGNING_SECRET: previous.SIGHTLINE_SIGNING_SECRET ?? secret()
    };
}

/** Runs the command; resolves to the exit code (0 connected, 1 the org refused, 2 usage). */
export async function connect(argv: string[], io: ConnectIo): Promise<number> {
    const values = parseCommandLine(argv, OPTIONS, USAGE, (line) => io.log(line));
    if (typeof values === 'number') return values;
    try {
        if (typeof values['new-key'] === 'string') {
            const { keyFile, certificateFile } = makeKeyPair(resolve(values['new-key']));
            io.log(`Private key:  ${keyFile} (keep it on the gateway's machine only)`);
            io.log(`Certificate:  ${certificateFile} (upload it to the external client app)`);
            return 0;
        }
        if (
            typeof values.namespace === 'string' &&
            !/^[A-Za-z][A-Za-z0-9]{0,14}$/.test(values.namespace)
        )
            throw new UsageError(
                `--namespace ${values.namespace}: 1 to 15 letters and digits, starting with a letter`
            );
        const out = resolve(root, typeof values.out === 'string' ? values.out : DEFAULT_OUT);
        const auth = await authFrom(values, io);
        io.log(
            `Signing in to ${auth.loginUrl} as ${auth.flow === 'jwt' ? auth.username : "the app's Run As user"}…`
        );
        const conn = await signIn(auth);
        const user = await checkIntegrationUser(
            conn,
            typeof values.namespace === 'string' ? values.namespace : undefined
        );
        const previous = existsSync(out) ? readOrgConfig(out) : {};
        mkdirSync(resolve(out, '..'), { recursive: true });
        writeOrgConfig(
            out,
            gatewaySettings(
                auth,
                typeof values['private-key'] === 'string' ? values['private-key'] : undefined,
                user,
                values,
                previous
            ),
            [
                `Sightline gateway settings for org ${user.orgId}, written by npm run org:connect.`,
                'Secrets: keep this file private (mode 600) and out of version control.'
            ]
        );
        io.log(
            `Connected: org ${user.orgId}, integration user ${user.username}${user.namespace ? `, package namespace ${user.namespace}` : ', no namespace'}.`
        );
        io.log(
            user.siteNames.length
                ? `Websites registered: ${user.siteNames.join(', ')}.`
                : 'No website is registered yet: Setup → Custom Metadata Types → Sightline Site → New (docs/PACKAGE.md, step 6).'
        );
        io.log(`Gateway settings written to ${out}.`);
        io.log('Next:');
        io.log("  1. Setup → Named Credentials → Sightline Gateway: the gateway's https:// URL;");
        io.log(
            `     External Credentials → Sightline Gateway → Gateway_Service: ApiKey = SIGHTLINE_API_KEY from ${out}.`
        );
        io.log(
            '  2. As a Sightline admin, store SIGHTLINE_SIGNING_SECRET in the org (docs/SECURITY.md).'
        );
        io.log(`  3. npm start -- --org-config ${out}`);
        return 0;
    } catch (error) {
        if (error instanceof UsageError) {
            io.log(error.message);
            return 2;
        }
        if (error instanceof OrgSignInError || error instanceof OrgCheckError) {
            io.log(error.message);
            return 1;
        }
        throw error;
    }
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(import.meta.filename)) {
    const terminal = process.stdin.isTTY
        ? createInterface({ input: process.stdin, output: process.stdout })
        : undefined;
    const code = await connect(process.argv.slice(2), {
        log: (line) => console.log(line),
        ...(terminal ? { ask: (q: string) => terminal.question(q) } : {})
    }).catch((error: unknown) => {
        console.error((error as Error).message);
        return 1;
    });
    terminal?.close();
    process.exitCode = code;
}
