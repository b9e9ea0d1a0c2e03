/**
 * Check 1: the LWC bundles compile with the Salesforce platform compiler.
 *
 * TypeScript is the only source. `tsc` (force-app/main/default/lwc/tsconfig.json) emits
 * each bundle's `.js` in place; a type error fails validation. Then every bundle's
 * deployable files (the `.forceignore` decides: no `.ts`, no tests, no tsconfig) go
 * through `@lwc/sfdc-lwc-compiler`, the compiler the platform runs on deploy.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, dirname, join, relative, resolve } from 'node:path';
import {
    forceIgnoreOf,
    isTsSource,
    listBundles,
    lwcDir,
    lwcTsconfig,
    type Bundle
} from './project';
import { rel, runCheck, type CheckResult, type Finding } from './report';

const require = createRequire(import.meta.url);

interface CompilerDiagnostic {
    code?: number;
    message: string;
    level: number;
    filename?: string;
    location?: { line: number; column: number };
}

interface PlatformCompiler {
    compile(config: {
        bundle: {
            type: 'platform' | 'internal';
            name: string;
            namespace: string;
            files: Record<string, string>;
        };
    }): Promise<{ success: boolean; diagnostics: CompilerDiagnostic[]; version: string }>;
}

/** @lwc/errors DiagnosticLevel: Fatal 0, Error 1, Warning 2, Log 3. */
const WARNING_LEVEL = 2;

export interface LwcCompileOptions {
    /** Run `tsc` first (default true). The tests switch it off only to look at the compiler alone. */
    build?: boolean;
}

export function checkLwcCompile(
    root: string,
    options: LwcCompileOptions = {}
): Promise<CheckResult> {
    return runCheck(
        'lwc-compile',
        'LWC bundles: tsc build + platform compiler',
        rel(root, lwcDir(root)),
        async () => {
            const findings: Finding[] = [];
            const bundles = listBundles(root);
            if (bundles.length === 0) return { findings, summary: 'no LWC bundles' };

            if (options.build !== false) findings.push(...buildTypeScript(root));

            // Re-list after the build: tsc has written the .js files.
            const built = listBundles(root);
            const ignore = forceIgnoreOf(root);
            const compiler = require('@lwc/sfdc-lwc-compiler') as PlatformCompiler;
            let fileCount = 0;
            for (const bundle of built) {
                findings.push(...checkSources(root, bundle));
                const deployable = bundle.files.filter((f) => !ignore.denies(f));
                fileCount += deployable.length;
                findings.push(...(await compileBundle(root, bundle, deployable, compiler)));
            }
            return { findings, summary: `${built.length} bundles, ${fileCount} deployable files` };
        }
    );
}

/** Runs the project's tsc on the LWC tsconfig and turns its diagnostics into findings. */
export function buildTypeScript(root: string): Finding[] {
    const tsconfig = lwcTsconfig(root);
    if (!existsSync(tsconfig)) {
        return [
            {
                severity: 'error',
                file: rel(root, tsconfig),
                message: 'missing: the LWC TypeScript build needs this tsconfig'
            }
        ];
    }
    const tsc = join(dirname(require.resolve('typescript/package.json')), 'bin', 'tsc');
    const run = spawnSync(process.execPath, [tsc, '-p', tsconfig, '--pretty', 'false'], {
        cwd: root,
        encoding: 'utf8',
        maxBuffer: 64 * 1024 * 1024
    });
    if (run.error) throw run.error;
    const findings = parseTscOutput(root, `${run.stdout}${run.stderr}`);
    if (run.status !== 0 && findings.length === 0) {
        findings.push({
            severity: 'error',
            file: rel(root, tsconfig),
            message: `tsc failed (exit ${run.status}): ${(run.stdout + run.stderr).trim() || 'no output'}`
        });
    }
    return findings;
}

const TSC_LINE = /^(.+?)\((\d+),(\d+)\): (error|warning) (TS\d+): (.*)$/;
const TSC_GLOBAL = /^(error|warning) (TS\d+): (.*)$/;

export function parseTscOutput(root: string, output: string): Finding[] {
    const findings: Finding[] = [];
    for (const line of output.split(/\r?\n/)) {
        const located = TSC_LINE.exec(line);
        if (located) {
            const [, file = '', ln = '0', col = '0', level, code, message = ''] = located;
            findings.push({
                severity: level === 'warning' ? 'warning' : 'error',
                file: rel(root, resolve(root, file)),
                line: Number(ln),
                column: Number(col),
                message: `${code} ${message}`
            });
            continue;
        }
        const global = TSC_GLOBAL.exec(line);
        if (global) {
            const [, level, code, message = ''] = global;
            findings.push({
                severity: level === 'warning' ? 'warning' : 'error',
                file: rel(root, lwcTsconfig(root)),
                message: `${code} ${message}`
            });
            continue;
        }
        // Continuation lines (indented) belong to the previous diagnostic.
        const last = findings.at(-1);
        if (last && /^\s+\S/.test(line)) last.message += ` ${line.trim()}`;
    }
    return findings;
}

/**
 * TypeScript is the only source: every `.ts` has its emitted `.js`, every `.js` comes from
 * a `.ts` (a hand-written or stale `.js` would be deployed unseen), and the bundle has its
 * entry module and its `.js-meta.xml`.
 */
function checkSources(root: string, bundle: Bundle): Finding[] {
    const findings: Finding[] = [];
    const files = new Set(bundle.files);
    for (const file of bundle.files) {
        if (isTsSource(file) && !files.has(file.replace(/\.ts$/, '.js'))) {
            findings.push({
                severity: 'error',
                file: rel(root, file),
                message: `no emitted ${basename(file, '.ts')}.js: the platform gets nothing from this source (is it excluded from ${rel(root, lwcTsconfig(root))}?)`
            });
        }
        if (file.endsWith('.js') && !files.has(file.replace(/\.js$/, '.ts'))) {
            findings.push({
                severity: 'error',
                file: rel(root, file),
                message: `no ${basename(file, '.js')}.ts beside it: TypeScript is the only source, a .js without one is hand-written or stale (delete it)`
            });
        }
    }
    const entryTs = join(bundle.dir, `${bundle.name}.ts`);
    if (!files.has(entryTs)) {
        findings.push({
            severity: 'error',
            file: rel(root, bundle.dir),
            message: `bundle has no ${bundle.name}.ts (its entry module)`
        });
    }
    const meta = join(bundle.dir, `${bundle.name}.js-meta.xml`);
    if (!files.has(meta)) {
        findings.push({
            severity: 'error',
            file: rel(root, bundle.dir),
            message: `bundle has no ${bundle.name}.js-meta.xml`
        });
    }
    return findings;
}

async function compileBundle(
    root: string,
    bundle: Bundle,
    deployable: string[],
    compiler: PlatformCompiler
): Promise<Finding[]> {
    const sources: Record<string, string> = {};
    for (const file of deployable)
        sources[relative(bundle.dir, file).split('\\').join('/')] = readFileSync(file, 'utf8');
    if (!sources[`${bundle.name}.js`]) return []; // reported by checkSources; the compiler would only repeat it

    const output = await compiler.compile({
        bundle: { type: 'platform', name: bundle.name, namespace: 'c', files: sources }
    });
    const findings: Finding[] = [];
    for (const d of output.diagnostics) {
        if (d.level > WARNING_LEVEL) continue;
        const file = d.filename ? join(bundle.dir, d.filename) : bundle.dir;
        const fromTs =
            file.endsWith('.js') && existsSync(file.replace(/\.js$/, '.ts'))
                ? ` (emitted from ${basename(file, '.js')}.ts)`
                : '';
        findings.push({
            severity: d.level === WARNING_LEVEL ? 'warning' : 'error',
            file: rel(root, file),
            ...(d.location ? { line: d.location.line, column: d.location.column } : {}),
            message: `${d.message}${fromTs}`
        });
    }
    if (!output.success && !findings.some((f) => f.severity === 'error')) {
        findings.push({
            severity: 'error',
            file: rel(root, bundle.dir),
            message: 'the platform compiler rejected the bundle without a diagnostic'
        });
    }
    return findings;
}
