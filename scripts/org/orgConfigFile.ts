/**
 * The gateway's settings for a real org, as `npm run org:connect` writes them: one
 * `SIGHTLINE_*=value` a line, the same names the gateway reads from its environment
 * (docs/GATEWAY.md), so the file works with `npm start -- --org-config <file>`, with
 * `node --env-file` and with any service manager that loads env files.
 *
 * It holds the API key and the signing secret, so it is written readable by its owner only.
 */
import { chmodSync, readFileSync, writeFileSync } from 'node:fs';

const LINE = /^\s*([A-Z][A-Z0-9_]*)\s*=\s*(.*?)\s*$/;

/** Values may not hold line breaks: one setting, one line. */
function checkValue(key: string, value: string): string {
    if (/[\r\n]/.test(value)) throw new Error(`${key}: a value cannot span lines`);
    return value;
}

export function formatOrgConfig(values: Record<string, string>, comment: string[] = []): string {
    const lines = comment.map((c) => `# ${c}`);
    for (const [key, value] of Object.entries(values)) {
        if (!/^SIGHTLINE_[A-Z0-9_]+$/.test(key)) throw new Error(`Not a gateway setting: ${key}`);
        lines.push(`${key}=${checkValue(key, value)}`);
    }
    return `${lines.join('\n')}\n`;
}

export function writeOrgConfig(
    file: string,
    values: Record<string, string>,
    comment: string[] = []
): void {
    writeFileSync(file, formatOrgConfig(values, comment), { mode: 0o600 });
    // An existing file keeps its old mode on write: make it private either way.
    chmodSync(file, 0o600);
}

/** Parses the file's `KEY=value` lines; comments and blank lines are skipped, anything else refused. */
export function parseOrgConfig(text: string, file = 'the org config'): Record<string, string> {
    const values: Record<string, string> = {};
    text.split(/\r?\n/).forEach((line, index) => {
        if (!line.trim() || line.trim().startsWith('#')) return;
        const match = LINE.exec(line);
        if (!match || !match[1]!.startsWith('SIGHTLINE_'))
            throw new Error(
                `${file}, line ${index + 1}: expected SIGHTLINE_NAME=value, found "${line.trim()}"`
            );
        values[match[1]!] = match[2]!;
    });
    return values;
}

export function readOrgConfig(file: string): Record<string, string> {
    let text: string;
    try {
        text = readFileSync(file, 'utf8');
    } catch (error) {
        throw new Error(
            `The org config ${file} cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}): make it with npm run org:connect`
        );
    }
    return parseOrgConfig(text, file);
}
