/**
 * Builds the website tracker: `sightline.js` (the core, one script tag) and
 * `sightline-chat.js` (the chat UI, loaded lazily by the core), minified IIFE bundles in
 * `.build/tracker/`. Reports gzipped sizes; the budget is enforced by a test.
 *
 *   node --import tsx scripts/build/buildTracker.ts
 */
import { build } from 'esbuild';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';

/** Gzipped bytes the core may weigh (the chat chunk is separate and loaded lazily). */
export const CORE_BUDGET_BYTES = 10 * 1024;

export interface TrackerBuild {
    outDir: string;
    files: { name: string; bytes: number; gzipBytes: number }[];
}

export async function buildTracker({
    root,
    outDir = join(root, '.build/tracker')
}: {
    root: string;
    outDir?: string;
}): Promise<TrackerBuild> {
    rmSync(outDir, { recursive: true, force: true });
    mkdirSync(outDir, { recursive: true });
    await build({
        entryPoints: {
            sightline: join(root, 'tracker/src/index.ts'),
            'sightline-chat': join(root, 'tracker/src/chat/chat.ts')
        },
        outdir: outDir,
        bundle: true,
        format: 'iife',
        minify: true,
        target: 'es2019',
        legalComments: 'none',
        charset: 'utf8',
        sourcemap: false,
        logLevel: 'silent'
    });
    const files = ['sightline.js', 'sightline-chat.js'].map((name) => {
        const content = readFileSync(join(outDir, name));
        return { name, bytes: content.length, gzipBytes: gzipSync(content, { level: 9 }).length };
    });
    return { outDir, files };
}

export function describeTrackerBuild(result: TrackerBuild): string {
    return result.files
        .map(
            (f) =>
                `${f.name} ${(f.gzipBytes / 1024).toFixed(1)} KB gzipped (${(f.bytes / 1024).toFixed(1)} KB)`
        )
        .join(', ');
}

if (import.meta.url === `file://${process.argv[1]}`) {
    const result = await buildTracker({ root: resolve(import.meta.dirname, '../..') });
    console.log(`Tracker: ${describeTrackerBuild(result)}`);
}
