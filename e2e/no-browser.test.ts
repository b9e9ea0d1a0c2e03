/**
 * A machine without Chromium: an end-to-end test file fails, and stops the product it
 * started, instead of hanging (a test that hangs would run CI past its limit).
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { it } from 'node:test';

const root = resolve(import.meta.dirname, '..');
const LIMIT_MS = 120_000;

it('fails fast, leaving nothing running, when SIGHTLINE_CHROMIUM names a missing browser', async () => {
    const child = spawn(
        process.execPath,
        ['--import', 'tsx', '--test', '--test-reporter=tap', 'e2e/shell.test.ts'],
        {
            cwd: root,
            // Without NODE_TEST_CONTEXT, which would make the child skip its tests.
            env: {
                ...Object.fromEntries(
                    Object.entries(process.env).filter(([k]) => k !== 'NODE_TEST_CONTEXT')
                ),
                SIGHTLINE_CHROMIUM: '/nonexistent/chromium'
            },
            stdio: ['ignore', 'pipe', 'pipe']
        }
    );
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    let timer: NodeJS.Timeout | undefined;
    const outcome = await Promise.race([
        new Promise<number | null>((done) => child.once('exit', (code) => done(code))),
        new Promise<'hung'>((done) => (timer = setTimeout(() => done('hung'), LIMIT_MS)))
    ]);
    clearTimeout(timer);
    if (outcome === 'hung') child.kill('SIGKILL');
    assert.notEqual(outcome, 'hung', `still running after ${LIMIT_MS} ms:\n${output}`);
    assert.notEqual(outcome, 0, output);
    assert.match(output, /SIGHTLINE_CHROMIUM=\/nonexistent\/chromium is not an executable program/);
});
