/**
 * Check 2: ESLint with Salesforce's recommended LWC rules (`eslint.config.js` at the
 * project root) over the emitted `.js` of every bundle — what the platform sees.
 * Run after the LWC build (check 1), which writes those files.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ESLint } from 'eslint';
import { forceIgnoreOf, listBundles, lwcDir } from './project';
import { rel, runCheck, type CheckResult, type Finding } from './report';

export function checkLwcLint(root: string): Promise<CheckResult> {
    return runCheck(
        'eslint',
        'ESLint (LWC recommended) on the emitted .js',
        'eslint.config.js',
        async () => {
            const config = join(root, 'eslint.config.js');
            if (!existsSync(config)) {
                return {
                    findings: [
                        {
                            severity: 'error',
                            file: 'eslint.config.js',
                            message: 'missing: the LWC lint configuration lives here'
                        }
                    ],
                    summary: 'no config'
                };
            }
            const ignore = forceIgnoreOf(root);
            const files = listBundles(root)
                .flatMap((b) => b.files)
                .filter((f) => f.endsWith('.js') && !ignore.denies(f));
            if (files.length === 0)
                return { findings: [], summary: `no emitted .js under ${rel(root, lwcDir(root))}` };

            const eslint = new ESLint({
                cwd: root,
                overrideConfigFile: config,
                errorOnUnmatchedPattern: false
            });
            const results = await eslint.lintFiles(files);
            const findings: Finding[] = [];
            for (const result of results) {
                for (const m of result.messages) {
                    findings.push({
                        severity: m.severity === 2 || m.fatal ? 'error' : 'warning',
                        file: rel(root, result.filePath),
                        ...(m.line ? { line: m.line, column: m.column } : {}),
                        message: `${m.message}${m.ruleId ? ` (${m.ruleId})` : ''}`
                    });
                }
            }
            return { findings, summary: `${results.length} files` };
        }
    );
}
