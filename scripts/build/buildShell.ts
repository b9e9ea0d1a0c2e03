/**
 * Builds the local Lightning shell: our LWCs (the `.js` that tsc emitted from the `.ts`,
 * exactly what is deployed) compiled by LWC OSS with lightning-base-components, the shell's
 * own components, and the stand-ins for platform modules.
 */
import lwc from '@lwc/rollup-plugin';
import nodeResolve from '@rollup/plugin-node-resolve';
import replace from '@rollup/plugin-replace';
import { copyFileSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { rollup, type RollupLog } from 'rollup';
import { readOrgSchema } from '../../localorg/src/store/objectMetadata';
import { salesforceModules } from './salesforceModules';

const BASE_COMPONENTS = '**/node_modules/lightning-base-components/**';

export interface ShellBuildOptions {
    root: string;
    outDir?: string;
}

export async function buildShell({
    root,
    outDir = join(root, '.build/shell')
}: ShellBuildOptions): Promise<void> {
    const lwcDir = join(root, 'force-app/main/default/lwc');
    const components = readdirSync(lwcDir, { withFileTypes: true })
        .filter((entry) => entry.isDirectory() && !entry.name.startsWith('__'))
        .map((entry) => ({
            name: `c/${entry.name}`,
            path: join(lwcDir, entry.name, `${entry.name}.js`)
        }));

    const modules = [
        ...components,
        { dir: join(root, 'shell/modules') },
        { npm: 'lightning-base-components' }
    ];

    rmSync(outDir, { recursive: true, force: true });
    const bundle = await rollup({
        input: join(root, 'shell/src/main.js'),
        plugins: [
            salesforceModules(readOrgSchema(join(root, 'force-app/main/default'))),
            // Lightning Experience renders its base components under synthetic shadow with
            // ElementInternals available to them (lightning-combobox attaches internals), while
            // a custom component calling attachInternals() there is refused. Two compilations
            // keep both halves: the base components get the platform's allowance, ours do not.
            lwc({
                rootDir: root,
                modules,
                include: [BASE_COMPONENTS],
                enableSyntheticElementInternals: true
            }),
            lwc({
                rootDir: root,
                modules,
                exclude: [
                    BASE_COMPONENTS,
                    '**/node_modules/d3-*/**',
                    '**/node_modules/topojson-client/**'
                ]
            }),
            replace({
                preventAssignment: true,
                values: {
                    'process.env.NODE_ENV': JSON.stringify('production'),
                    'import.meta.env.SSR': 'false'
                }
            }),
            nodeResolve({ browser: true })
        ],
        onwarn(warning: RollupLog, warn) {
            // A missing module would only fail in the browser: make it fail the build.
            if (warning.code === 'UNRESOLVED_IMPORT')
                throw new Error(`Unresolved import: ${warning.message}`);
            if (warning.code === 'CIRCULAR_DEPENDENCY' || warning.code === 'THIS_IS_UNDEFINED')
                return;
            // Template notes on the base components are theirs to fix, not ours: keep the output ours.
            if (
                warning.plugin === 'rollup-plugin-lwc-compiler' &&
                warning.id?.includes('/node_modules/lightning-base-components/')
            )
                return;
            warn(warning);
        }
    });
    await bundle.write({
        dir: join(outDir, 'app'),
        format: 'es',
        entryFileNames: 'main.js',
        chunkFileNames: 'chunks/[name]-[hash].js'
    });
    await bundle.close();
    mkdirSync(outDir, { recursive: true });
    copyFileSync(join(root, 'shell/index.html'), join(outDir, 'index.html'));
}

if (import.meta.url === `file://${process.argv[1]}`) {
    const started = Date.now();
    await buildShell({ root: resolve(import.meta.dirname, '../..') });
    console.log(`Local shell built in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}
