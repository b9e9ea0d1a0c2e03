/**
 * What every check returns, and how the entry prints it. A finding always names the file
 * it is about (relative to the project root) and the line when it is known.
 */
import { relative, sep } from 'node:path';

export type Severity = 'error' | 'warning';

export interface Finding {
    severity: Severity;
    /** Path relative to the project root, with forward slashes. */
    file: string;
    line?: number;
    column?: number;
    message: string;
}

export interface CheckResult {
    /** Short, stable name: `lwc-compile`, `eslint`, `metadata-conversion`, `metadata-lint`. */
    name: string;
    title: string;
    findings: Finding[];
    /** One line on what was looked at, e.g. "2 bundles, 21 files". */
    summary: string;
    durationMs: number;
}

export function errorsOf(result: CheckResult | CheckResult[]): Finding[] {
    const all = Array.isArray(result) ? result.flatMap((r) => r.findings) : result.findings;
    return all.filter((f) => f.severity === 'error');
}

/** Project-relative path with forward slashes, whatever the platform. */
export function rel(root: string, path: string): string {
    const r = relative(root, path);
    return (r === '' ? '.' : r).split(sep).join('/');
}

export function location(f: Finding): string {
    if (f.line === undefined) return f.file;
    return f.column === undefined ? `${f.file}:${f.line}` : `${f.file}:${f.line}:${f.column}`;
}

export function formatFinding(f: Finding): string {
    return `${location(f)}: ${f.severity}: ${f.message}`;
}

export function formatReport(results: CheckResult[], totalMs: number): string {
    const lines: string[] = [];
    for (const r of results) {
        const errors = r.findings.filter((f) => f.severity === 'error').length;
        const warnings = r.findings.length - errors;
        const status = errors > 0 ? 'FAIL' : 'ok  ';
        const counts = [
            errors ? `${errors} error${errors === 1 ? '' : 's'}` : '',
            warnings ? `${warnings} warning${warnings === 1 ? '' : 's'}` : ''
        ]
            .filter(Boolean)
            .join(', ');
        lines.push(
            `${status} ${r.title} — ${r.summary}${counts ? ` — ${counts}` : ''} (${(r.durationMs / 1000).toFixed(1)} s)`
        );
        const sorted = [...r.findings].sort((a, b) =>
            a.severity === b.severity
                ? location(a).localeCompare(location(b), 'en', { numeric: true })
                : a.severity === 'error'
                  ? -1
                  : 1
        );
        for (const f of sorted) lines.push(`     ${formatFinding(f)}`);
    }
    const errors = results.reduce(
        (n, r) => n + r.findings.filter((f) => f.severity === 'error').length,
        0
    );
    const failed = results.filter((r) => r.findings.some((f) => f.severity === 'error')).length;
    lines.push('');
    lines.push(
        errors === 0
            ? `Validation passed: ${results.length} checks in ${(totalMs / 1000).toFixed(1)} s.`
            : `Validation FAILED: ${errors} error${errors === 1 ? '' : 's'} in ${failed} of ${results.length} checks (${(totalMs / 1000).toFixed(1)} s).`
    );
    return lines.join('\n');
}

/** Times a check and turns an unexpected exception into a finding, so one broken check never hides the others. */
export async function runCheck(
    name: string,
    title: string,
    fallbackFile: string,
    body: () => Promise<{ findings: Finding[]; summary: string }>
): Promise<CheckResult> {
    const started = performance.now();
    try {
        const { findings, summary } = await body();
        return { name, title, findings, summary, durationMs: performance.now() - started };
    } catch (error) {
        const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
        return {
            name,
            title,
            findings: [
                {
                    severity: 'error',
                    file: fallbackFile,
                    message: `the check itself crashed: ${message}`
                }
            ],
            summary: 'crashed',
            durationMs: performance.now() - started
        };
    }
}
