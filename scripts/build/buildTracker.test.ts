import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, describe, it } from 'node:test';
import { buildTracker, CORE_BUDGET_BYTES } from './buildTracker';

describe('the tracker build', () => {
    const outDir = mkdtempSync(join(tmpdir(), 'sightline-tracker-'));
    after(() => rmSync(outDir, { recursive: true, force: true }));

    it(`keeps the core under ${CORE_BUDGET_BYTES / 1024} KB gzipped, with the chat UI in its own chunk`, async () => {
        const build = await buildTracker({ root: resolve(import.meta.dirname, '../..'), outDir });
        const core = build.files.find((f) => f.name === 'sightline.js')!;
        const chat = build.files.find((f) => f.name === 'sightline-chat.js')!;
        assert.ok(core.gzipBytes < CORE_BUDGET_BYTES, `core is ${core.gzipBytes} bytes gzipped`);
        assert.ok(chat.gzipBytes < 16 * 1024, `chat chunk is ${chat.gzipBytes} bytes gzipped`);
        const source = readFileSync(join(outDir, 'sightline.js'), 'utf8');
        // Only the contract's types reach the browser, never the validation library.
        assert.doesNotMatch(source, /ZodError|zod/);
        assert.doesNotMatch(source, /attachShadow/, 'the chat UI stays out of the core');
        assert.match(source, /sightline-chat\.js/);
    });
});
