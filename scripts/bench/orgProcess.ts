/**
 * The local org of a benchmark, in a process of its own. In production the org is
 * Salesforce's servers, not the gateway's process: run inside the benchmark, its SQLite
 * cache, its request handling and its garbage would count as the gateway's memory and CPU.
 * The gateway reaches it over HTTP and gRPC as it reaches any org; the benchmark asks it
 * over IPC what an org's admin could read from its own tools (API usage by kind).
 *
 *   → { start: OrgStart }        ← { ready: LocalOrgSignIn }
 *   → { id, ask: 'usage' }       ← { id, usage: OrgUsage }
 *   → { close: true }            closes the org and exits
 *
 * The org exits when its parent goes away (the IPC channel closes), so a benchmark that
 * fails or is interrupted leaves no org behind.
 */
import { fork } from 'node:child_process';
import { localOrgSignIn, type LocalOrgSignIn } from '../../gateway/src/local/localMode';
import { startLocalOrg, type RunningLocalOrg } from '../../localorg/src/server';

export interface OrgStart {
    dataDir: string;
    forceAppDir: string;
    dailyApiRequests: number;
}

/** API requests counted since the org started: the total and by kind (`GET query Account`…). */
export interface OrgUsage {
    used: number;
    byKind: [kind: string, count: number][];
}

type Request = { start: OrgStart } | { id: number; ask: 'usage' } | { close: true };
type Answer = { ready: LocalOrgSignIn } | { id: number; usage: OrgUsage } | { failed: string };

/** The parent's handle on the org process. */
export interface OrgProcess {
    signIn: LocalOrgSignIn;
    pid: number;
    usage(): Promise<OrgUsage>;
    close(): Promise<void>;
}

export async function startOrgProcess(start: OrgStart): Promise<OrgProcess> {
    const child = fork(import.meta.filename, [], {
        execArgv: ['--import', 'tsx'],
        stdio: ['ignore', 'inherit', 'inherit', 'ipc']
    });
    // Whatever ends the benchmark (an exception, process.exit), the org goes with it.
    const killOrg = () => child.kill();
    process.once('exit', killOrg);
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));

    const signIn = await new Promise<LocalOrgSignIn>((resolve, reject) => {
        child.once('message', (answer: Answer) =>
            'ready' in answer
                ? resolve(answer.ready)
                : reject(new Error(`The local org did not start: ${JSON.stringify(answer)}`))
        );
        child.once('exit', (code) =>
            reject(new Error(`The local org exited (${code}) before it was ready`))
        );
        child.send({ start } satisfies Request);
    });

    let nextId = 0;
    const waiting = new Map<number, (usage: OrgUsage) => void>();
    child.on('message', (answer: Answer) => {
        if ('usage' in answer) {
            waiting.get(answer.id)?.(answer.usage);
            waiting.delete(answer.id);
        }
    });
    return {
        signIn,
        pid: child.pid!,
        usage() {
            const id = nextId++;
            return new Promise((resolve) => {
                waiting.set(id, resolve);
                child.send({ id, ask: 'usage' } satisfies Request);
            });
        },
        async close() {
            if (child.exitCode === null && child.connected) child.send({ close: true });
            await exited;
            process.off('exit', killOrg);
        }
    };
}

/** The child: one local org, driven by its parent. */
function serveOrg(): void {
    let org: RunningLocalOrg | undefined;
    const send = (answer: Answer) => process.send!(answer);
    process.on('disconnect', () => process.exit(0));
    process.on('message', (request: Request) => {
        if ('start' in request) {
            void startLocalOrg({
                dataDir: request.start.dataDir,
                forceAppDir: request.start.forceAppDir,
                port: 0,
                logLevel: 'silent',
                dailyApiRequests: request.start.dailyApiRequests
            }).then(
                (started) => {
                    org = started;
                    // WAL with synchronous=NORMAL: durable across a process crash (the restart
                    // case), not across a power cut; the benchmark measures the gateway, not
                    // the disk's fsync.
                    org.store.db.pragma('synchronous = NORMAL');
                    send({ ready: localOrgSignIn(org) });
                },
                (error: unknown) => send({ failed: String(error) })
            );
        } else if ('ask' in request) {
            send({
                id: request.id,
                usage: {
                    used: org?.usage.used() ?? 0,
                    byKind: [...(org?.usage.byKind() ?? [])]
                }
            });
        } else {
            void (org?.close() ?? Promise.resolve()).finally(() => process.exit(0));
        }
    });
}

if (process.send && process.argv[1] === import.meta.filename) serveOrg();
