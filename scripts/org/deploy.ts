/**
 * `npm run org:deploy`: builds the LWCs (TypeScript → the .js the platform deploys) and
 * deploys `force-app` and `unpackaged` to an org through the Metadata API, with
 * source-deploy-retrieve's own deploy (the library `sf project deploy start` uses), so no
 * `sf` release has to run on this Node. `.forceignore` keeps the TypeScript and tests out.
 */
import { resolve } from 'node:path';
import {
    ComponentSet,
    ComponentStatus,
    type FileResponse
} from '@salesforce/source-deploy-retrieve';
import { API_VERSION } from '../../gateway/src/crm/salesforce/signIn';
import { buildAll } from '../build/build';
import { parseCommandLine } from './commandLine';
import { ADMIN_OPTIONS, ADMIN_USAGE, AdminUsageError, adminConnection } from './adminSignIn';

const root = resolve(import.meta.dirname, '../..');
/** The package directories of sfdx-project.json. */
export const SOURCE_DIRS = ['force-app', 'unpackaged'].map((dir) => resolve(root, dir));

export const USAGE = `Usage: npm run org:deploy -- [options]

Builds, then deploys force-app and unpackaged (the demo site) to an org through the
Metadata API, as sf project deploy start does, and waits for the result.

${ADMIN_USAGE}

  --check-only   validate the deployment without saving it
  --dry-run      list what would be deployed, and ask no org
  --no-build     reuse the last npm run build
  -h, --help     this help`;

const OPTIONS = {
    ...ADMIN_OPTIONS,
    help: { type: 'boolean', short: 'h', default: false },
    'check-only': { type: 'boolean', default: false },
    'dry-run': { type: 'boolean', default: false },
    'no-build': { type: 'boolean', default: false }
} as const;

/** Everything the deploy sends, by metadata type, read the way the Metadata API will get it. */
export function deployableComponents(): ComponentSet {
    const set = ComponentSet.fromSource(SOURCE_DIRS);
    set.sourceApiVersion = API_VERSION;
    return set;
}

function summary(set: ComponentSet): string[] {
    const byType = new Map<string, number>();
    for (const component of set.toArray())
        byType.set(component.type.name, (byType.get(component.type.name) ?? 0) + 1);
    return [...byType].sort(([a], [b]) => a.localeCompare(b)).map(([t, n]) => `  ${t}: ${n}`);
}

function failures(responses: FileResponse[]): string[] {
    return responses
        .filter((r) => r.state === ComponentStatus.Failed)
        .map((r) => {
            const where = 'lineNumber' in r && r.lineNumber ? `:${r.lineNumber}` : '';
            const error = 'error' in r ? r.error : '';
            return `  ${r.type} ${r.fullName} (${r.filePath ?? ''}${where}): ${error}`;
        });
}

/** Runs the command; resolves to the exit code (0 deployed, 1 the org refused, 2 usage). */
export async function deploy(argv: string[], log: (line: string) => void): Promise<number> {
    const values = parseCommandLine(argv, OPTIONS, USAGE, log);
    if (typeof values === 'number') return values;
    try {
        if (!values['no-build'] && !values['dry-run']) {
            log('Building the LWCs…');
            await buildAll(root);
        }
        const set = deployableComponents();
        if (values['dry-run']) {
            log(`Would deploy ${set.size} components (API ${API_VERSION}):`);
            for (const line of summary(set)) log(line);
            return 0;
        }
        const conn = await adminConnection(values);
        log(
            `${values['check-only'] ? 'Validating' : 'Deploying'} ${set.size} components to ${conn.instanceUrl} as ${conn.getUsername() ?? 'the admin'}…`
        );
        const operation = await set.deploy({
            usernameOrConnection: conn,
            apiOptions: { checkOnly: values['check-only'], rollbackOnError: true }
        });
        let last = '';
        operation.onUpdate((status) => {
            const line = `  ${status.status}: ${status.numberComponentsDeployed}/${status.numberComponentsTotal} components`;
            if (line !== last) log(line);
            last = line;
        });
        const result = await operation.pollStatus(2000, 3600); // every 2 s, for up to an hour
        if (result.response.success) {
            log(values['check-only'] ? 'Validated: the org would accept it.' : 'Deployed.');
            return 0;
        }
        log(`The org refused the deployment (${result.response.status}):`);
        for (const line of failures(result.getFileResponses())) log(line);
        if (result.response.errorMessage) log(`  ${result.response.errorMessage}`);
        return 1;
    } catch (error) {
        if (error instanceof AdminUsageError) {
            log(error.message);
            return 2;
        }
        log(`The deployment could not run: ${(error as Error).message}`);
        return 1;
    }
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(import.meta.filename)) {
    process.exitCode = await deploy(process.argv.slice(2), (line) => console.log(line));
}
