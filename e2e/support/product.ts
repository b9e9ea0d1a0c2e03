/**
 * Starts the real local product as a user would (`npm start`, here without the build step
 * that the test command already ran) on free ports (the gateway's and the demo website's)
 * with its own local org, and stops it.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '../..');
/** Generous: a loaded 2-core machine starts the local org and the gateway slowly. */
const READY_TIMEOUT_MS = 120_000;

export interface RunningProduct {
    /** The rep console: the local org's Lightning shell (its pages, sign-in, UI API, Apex). */
    url: string;
    /** The gateway: the tracker, its beacons and the actions the org calls out to. */
    gatewayUrl: string;
    /** The demo website, on an origin of its own (its pages load the tracker from `url`). */
    siteUrl: string;
    dataDir: string;
    output(): string;
    stop(): Promise<void>;
}

export async function startProduct(
    options: { dataDir?: string; extraArgs?: string[]; simulate?: boolean } = {}
): Promise<RunningProduct> {
    const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'sightline-e2e-'));
    const child: ChildProcess = spawn(
        process.execPath,
        [
            '--import',
            'tsx',
            'scripts/start.ts',
            '--no-build',
            '--port',
            '0',
            ...(options.simulate ? [] : ['--no-sim']),
            ...(options.extraArgs ?? [])
        ],
        {
            cwd: root,
            env: { ...process.env, SIGHTLINE_DATA_DIR: dataDir, SIGHTLINE_LOG_LEVEL: 'warn' },
            stdio: ['ignore', 'pipe', 'pipe']
        }
    );
    let output = '';
    child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));

    const stop = () =>
        new Promise<void>((done) => {
            if (child.exitCode !== null || child.signalCode !== null) return done();
            child.once('exit', () => done());
            child.kill('SIGTERM');
        });
    // A product that never gets ready is stopped, never left running (a test would hang).
    let readyTimer: NodeJS.Timeout | undefined;
    const [url, gatewayUrl, siteUrl] = await new Promise<[string, string, string]>(
        (resolveUrls, reject) => {
            let timedOut = false;
            readyTimer = setTimeout(() => {
                timedOut = true;
                void stop().then(() =>
                    reject(
                        new Error(
                            `The product was not ready after ${READY_TIMEOUT_MS} ms:\n${output}`
                        )
                    )
                );
            }, READY_TIMEOUT_MS);
            const check = () => {
                const console = /Rep console:\s+(http:\/\/\S+?)\/?\s/.exec(output);
                const gateway = /Gateway:\s+(http:\/\/\S+?)\/?\s/.exec(output);
                const site = /Demo website:\s+(http:\/\/\S+?)\/?\s/.exec(output);
                if (console && gateway && site) {
                    child.stdout!.off('data', check);
                    resolveUrls([console[1]!, gateway[1]!, site[1]!]);
                }
            };
            child.stdout!.on('data', check);
            // Stopped for being slow, the product exits too: the timeout's message says why.
            child.once('exit', (code) => {
                if (!timedOut)
                    reject(
                        new Error(`The product exited with ${code} before it was ready:\n${output}`)
                    );
            });
        }
    ).finally(() => clearTimeout(readyTimer));

    return { url, gatewayUrl, siteUrl, dataDir, output: () => output, stop };
}
