/**
 * Runs Node's test runner over every `*.test.ts` under the given folders, and the given
 * test files (Node 20's `--test` does not expand globs itself), with tsx for TypeScript.
 *
 *   node --import tsx scripts/test/runNodeTests.ts gateway scripts e2e/setup.test.ts
 */
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

function findTests(dir: string): string[] {
    return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
        const path = join(dir, entry.name);
        if (entry.isDirectory())
            return entry.name === 'node_modules' || entry.name.startsWith('.')
                ? []
                : findTests(path);
        return entry.name.endsWith('.test.ts') ? [path] : [];
    });
}

const folders = process.argv.slice(2);
if (folders.length === 0) {
    console.error('Usage: runNodeTests.ts <folder or test file> […]');
    process.exit(2);
}
const files = folders
    .flatMap((path) => (statSync(path).isFile() ? [path] : findTests(path)))
    .sort();
if (files.length === 0) {
    console.error(`No *.test.ts files under ${folders.join(', ')}`);
    process.exit(1);
}
const result = spawnSync(
    process.execPath,
    [
        '--import',
        'tsx',
        '--test',
        '--test-reporter=spec',
        ...files.map((f) => relative(process.cwd(), f))
    ],
    {
        stdio: 'inherit',
        env: { ...process.env, SIGHTLINE_LOG_LEVEL: process.env.SIGHTLINE_LOG_LEVEL ?? 'silent' }
    }
);
process.exit(result.status ?? 1);
