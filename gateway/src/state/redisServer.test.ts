import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { resolve } from 'node:path';
import { describe, it } from 'node:test';

const root = resolve(import.meta.dirname, '../../..');

/** Whether a process with this id is still running. */
function alive(pid: number): boolean {
    try {
        process.kill(pid, 0);
        return true;
    } catch {
        return false;
    }
}

async function until(what: string, check: () => boolean, timeoutMs = 15_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!check()) {
        if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
        await new Promise((r) => setTimeout(r, 100));
    }
}

describe('the local redis-server', () => {
    it('stops when the process that started it is killed outright (SIGKILL runs no exit hook)', async () => {
        const parent = spawn(
            process.execPath,
            [
                '--import',
                'tsx',
                '--input-type=module',
                '-e',
                `import { startRedisServer } from './gateway/src/state/redisServer.ts';
const redis = await startRedisServer();
console.log('redis-pid=' + redis.pid());
setInterval(() => {}, 1000);`
            ],
            { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] }
        );
        let output = '';
        parent.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
        await until('the parent to start Redis', () => /redis-pid=\d+/.test(output), 60_000);
        const redisPid = Number(/redis-pid=(\d+)/.exec(output)![1]);
        assert.ok(alive(redisPid), 'Redis runs');

        parent.kill('SIGKILL');
        await once(parent, 'exit');
        await until('Redis to stop after its parent', () => !alive(redisPid));
    });
});
