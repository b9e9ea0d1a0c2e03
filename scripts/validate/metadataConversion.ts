/**
 * Check 3: the source converts to Metadata API format with Salesforce's own library
 * (`@salesforce/source-deploy-retrieve`, what `sf project deploy` uses), honouring
 * `.forceignore`, into a temporary directory that is removed afterwards. Also proves the
 * `.forceignore` held: no TypeScript, test or tsconfig file may reach the package.
 */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { rel, runCheck, type CheckResult, type Finding } from './report';

const require = createRequire(import.meta.url);

interface SourceComponent {
    type: { name: string };
    fullName: string;
    xml?: string;
    content?: string;
}

interface Sdr {
    ComponentSet: {
        fromSource(path: string): {
            size: number;
            getSourceComponents(): { toArray(): SourceComponent[] };
        };
    };
    MetadataConverter: new () => {
        convert(
            cs: unknown,
            format: 'metadata',
            output: { type: 'directory'; outputDirectory: string; genUniqueDir: boolean }
        ): Promise<unknown>;
    };
}

const NEVER_DEPLOYED = [
    /\.ts$/,
    /(^|\/)__tests__\//,
    /(^|\/)tsconfig\.json$/,
    /(^|\/)jsconfig\.json$/
];

export function checkMetadataConversion(root: string): Promise<CheckResult> {
    return runCheck(
        'metadata-conversion',
        'Conversion to Metadata API format (source-deploy-retrieve)',
        'force-app',
        async () => {
            const sdr = require('@salesforce/source-deploy-retrieve') as Sdr;
            const forceApp = join(root, 'force-app');
            const outputDirectory = mkdtempSync(join(tmpdir(), 'sightline-mdapi-'));
            try {
                let components: SourceComponent[];
                let cs: ReturnType<Sdr['ComponentSet']['fromSource']>;
                try {
                    cs = sdr.ComponentSet.fromSource(forceApp);
                    components = cs.getSourceComponents().toArray();
                } catch (error) {
                    return {
                        findings: [sdrFinding(root, error, 'force-app')],
                        summary: 'could not read the source'
                    };
                }
                try {
                    await new sdr.MetadataConverter().convert(cs, 'metadata', {
                        type: 'directory',
                        outputDirectory,
                        genUniqueDir: false
                    });
                } catch (error) {
                    return {
                        findings: [sdrFinding(root, error, 'force-app')],
                        summary: `${components.length} components, conversion failed`
                    };
                }
                const findings: Finding[] = [];
                for (const file of walk(outputDirectory)) {
                    const path = relative(outputDirectory, file).split('\\').join('/');
                    if (NEVER_DEPLOYED.some((re) => re.test(path))) {
                        findings.push({
                            severity: 'error',
                            file: '.forceignore',
                            message: `${path} reached the Metadata API package: the .forceignore must exclude it`
                        });
                    }
                }
                const types = new Set(components.map((c) => c.type.name));
                return {
                    findings,
                    summary: `${components.length} components of ${types.size} types converted`
                };
            } finally {
                rmSync(outputDirectory, { recursive: true, force: true });
            }
        }
    );
}

/** SDR errors name the offending path in their message; pull it out so the report points at it. */
function sdrFinding(root: string, error: unknown, fallback: string): Finding {
    const err = error as { name?: string; message?: string; actions?: string[] };
    const message = `${err.name && err.name !== 'Error' ? `${err.name}: ` : ''}${err.message ?? String(error)}${err.actions?.length ? ` — ${err.actions.join(' ')}` : ''}`;
    const path = findPath(root, message);
    return { severity: 'error', file: path ?? fallback, message };
}

function findPath(root: string, message: string): string | undefined {
    const escaped = root.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    const match = new RegExp(`${escaped}[\\\\/][^\\s"'\`,;:]+`).exec(message);
    return match ? rel(root, match[0].replace(/[.)\]]+$/, '')) : undefined;
}

function walk(dir: string): string[] {
    return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
        e.isDirectory() ? walk(join(dir, e.name)) : [join(dir, e.name)]
    );
}
