/**
 * `npm run validate`: offline platform validation of the Salesforce project.
 *
 *   node --import tsx scripts/validate/index.ts [--root <dir>] [--only <check>[,<check>…]]
 *
 * Checks: lwc-compile, eslint, metadata-conversion, metadata-lint (docs/VALIDATION.md).
 * Prints one report; exits 1 when any check reports an error.
 */
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { errorsOf, formatReport } from './report';
import { CHECKS, validateProject, type CheckName } from './validate';

const repoRoot = resolve(fileURLToPath(new URL('../..', import.meta.url)));

async function main(): Promise<number> {
    const { values } = parseArgs({
        options: {
            root: { type: 'string' },
            only: { type: 'string' },
            help: { type: 'boolean', short: 'h' }
        },
        strict: true
    });
    if (values.help) {
        console.log(`usage: npm run validate [-- --root <dir>] [-- --only ${CHECKS.join(',')}]`);
        return 0;
    }
    const only = values.only ? values.only.split(',').map((s) => s.trim()) : [...CHECKS];
    const unknown = only.filter((c) => !(CHECKS as readonly string[]).includes(c));
    if (unknown.length) {
        console.error(`unknown check(s): ${unknown.join(', ')} (known: ${CHECKS.join(', ')})`);
        return 2;
    }
    const root = values.root ? resolve(values.root) : repoRoot;
    console.log(`Validating ${root}\n`);
    const started = performance.now();
    const results = await validateProject(root, only as CheckName[]);
    console.log(formatReport(results, performance.now() - started));
    return errorsOf(results).length > 0 ? 1 : 0;
}

main().then(
    (code) => {
        process.exitCode = code;
    },
    (error: unknown) => {
        console.error(error);
        process.exitCode = 1;
    }
);
