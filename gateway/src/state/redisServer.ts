/**
 * A `redis-server` child process on loopback (the tests, `npm start -- --gateways 2` and the
 * bench start their own). Durable as the shared state needs it: the append-only file,
 * fsynced on every write, so a restart (even a kill) keeps every answered claim. The process
 * is stopped when the parent exits, whatever happened, even a SIGKILL of the parent.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface RunningRedis {
    url: string;
    port: number;
    dir: string;
    /** The server's process id (for its CPU time). */
    pid(): number | undefined;
    /** Kills the process (SIGKILL: no chance to save anything more) and waits for it to go. */
    kill(): Promise<void>;
    /** Starts it again on the same port and folder (after `kill` or `stop`). */
    restart(): Promise<void>;
    /** Stops it (SIGTERM) and waits for it to go. */
    stop(): Promise<void>;
}

const running = new Set<ChildProcess>();
let exitHookInstalled = false;

function installExitHook(): void {
    if (exitHookInstalled) return;
    exitHookInstalled = true;
    process.once('exit', () => {
        for (const child of running) child.kill('SIGKILL');
    });
}

/** A port nobody listens on now, on loopback. */
export function freePort(): Promise<number> {
    return new Promise((resolve, reject) => {
        const server = createServer();
        server.once('error', reject);
        server.listen(0, '127.0.0.1', () => {
            const address = server.address();
            const port = typeof address === 'object' && address ? address.port : 0;
            server.close(() => resolve(port));
        });
    });
}

/**
 * A parent killed outright (SIGKILL, the OOM killer) runs no exit hook, and Redis, in a
 * process group of its own, would stay running. A watchdog shell checks every second that
 * both are alive, and kills Redis once its parent is gone (it exits with Redis otherwise).
 */
function watchParent(child: ChildProcess): void {
    if (child.pid === undefined) return;
    spawn(
        'sh',
        [
            '-c',
            'while kill -0 "$1" 2>/dev/null && kill -0 "$2" 2>/dev/null; do sleep 1; done; kill -9 "$2" 2>/dev/null',
            'sightline-redis-watchdog',
            String(process.pid),
            String(child.pid)
        ],
        { stdio: 'ignore', detached: true }
    ).unref();
}

function launch(port: number, dir: string): Promise<ChildProcess> {
    const child = spawn(
        'redis-server',
        [
            '--port',
            String(port),
            '--bind',
            '127.0.0.1',
            '--dir',
            dir,
            '--save',
            '',
            '--appendonly',
            'yes',
            '--appendfsync',
            'always',
            '--daemonize',
            'no',
            '--logfile',
            ''
        ],
        // A process group of its own: Ctrl+C in the terminal reaches the gateways, which close
        // (writing to Redis as they do), and Redis is stopped after them.
        { stdio: ['ignore', 'pipe', 'pipe'], detached: true }
    );
    running.add(child);
    installExitHook();
    watchParent(child);
    child.once('exit', () => running.delete(child));
    return new Promise((resolve, reject) => {
        let output = '';
        const onData = (chunk: Buffer) => {
            output += chunk.toString();
            if (output.includes('Ready to accept connections')) {
                child.stdout?.off('data', onData);
                // Keep draining so a full pipe never blocks the server.
                child.stdout?.resume();
                resolve(child);
            }
        };
        child.stdout?.on('data', onData);
        child.stderr?.resume();
        child.once('error', (error) =>
            reject(
                new Error(
                    `redis-server did not start (${error.message}): install it with \`apt-get install redis-server\``
                )
            )
        );
        child.once('exit', (code) => {
            if (!output.includes('Ready to accept connections'))
                reject(new Error(`redis-server exited (${code}) before it was ready:\n${output}`));
        });
    });
}

function exited(child: ChildProcess | undefined, signal: NodeJS.Signals): Promise<void> {
    if (!child || child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
    return new Promise((resolve) => {
        child.once('exit', () => resolve());
        child.kill(signal);
    });
}

export async function startRedisServer(
    options: { port?: number; dir?: string } = {}
): Promise<RunningRedis> {
    const dir = options.dir ?? mkdtempSync(join(tmpdir(), 'sightline-redis-'));
    const port = options.port ?? (await freePort());
    let child: ChildProcess | undefined = await launch(port, dir);
    return {
        url: `redis://127.0.0.1:${port}`,
        port,
        dir,
        pid: () => child?.pid,
        async kill() {
            await exited(child, 'SIGKILL');
            child = undefined;
        },
        async restart() {
            await exited(child, 'SIGTERM');
            child = await launch(port, dir);
        },
        async stop() {
            await exited(child, 'SIGTERM');
            child = undefined;
        }
    };
}
