/**
 * Every `npm run <script>` the README and docs tell a reader to type exists in package.json.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { it } from 'node:test';

const root = join(import.meta.dirname, '../..');
const scripts = Object.keys(
    (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { scripts: object }).scripts
);
const docs = [
    'README.md',
    'ARCHITECTURE.md',
    ...readdirSync(join(root, 'docs'))
        .filter((f) => f.endsWith('.md'))
        .map((f) => `docs/${f}`)
];

it('documents only npm scripts that exist', () => {
    const missing: string[] = [];
    let seen = 0;
    for (const doc of docs) {
        const text = readFileSync(join(root, doc), 'utf8');
        for (const [, name] of text.matchAll(/npm run ([a-z][\w:-]*)/g)) {
            seen++;
            if (!scripts.includes(name!)) missing.push(`${doc}: npm run ${name}`);
        }
    }
    assert.ok(seen > 10, `found only ${seen} commands: is the pattern still right?`);
    assert.deepEqual(missing, []);
});
