/**
 * `npm run build`: TypeScript LWCs → the `.js` the platform deploys (in place, gitignored),
 * the shell's own TypeScript, then the local shell bundle.
 */
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import { buildShell } from './buildShell';
import { buildTracker, describeTrackerBuild, type TrackerBuild } from './buildTracker';

const require = createRequire(import.meta.url);
const tsc = require.resolve('typescript/bin/tsc');

export function compileTypeScript(root: string, project: string): void {
    try {
        execFileSync(process.execPath, [tsc, '-p', project, '--pretty'], {
            cwd: root,
            stdio: 'pipe'
        });
    } catch (error) {
        const output = (error as { stdout?: Buffer }).stdout?.toString() ?? String(error);
        throw new Error(`TypeScript errors in ${project}:\n${output}`);
    }
}

export async function buildAll(root: string): Promise<{ tracker: TrackerBuild }> {
    compileTypeScript(root, 'force-app/main/default/lwc/tsconfig.json');
    compileTypeScript(root, 'shell/tsconfig.json');
    await buildShell({ root });
    return { tracker: await buildTracker({ root }) };
}

if (import.meta.url === `file://${process.argv[1]}`) {
    const started = Date.now();
    try {
        const { tracker } = await buildAll(resolve(import.meta.dirname, '../..'));
        console.log(
            `Built LWCs, the local shell and the tracker in ${((Date.now() - started) / 1000).toFixed(1)} s`
        );
        console.log(`Tracker: ${describeTrackerBuild(tracker)}`);
    } catch (error) {
        console.error((error as Error).message);
        process.exit(1);
    }
}
