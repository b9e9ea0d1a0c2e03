/**
 * Check 1 and 2 against fixtures: a broken bundle (bad template directive, `@api` misuse,
 * a type error, a hand-written .js) fails with the file named; lint errors in the
 * emitted .js fail too.
 */
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { createFixtureProject, type FixtureProject } from './fixtureProject';
import { checkLwcCompile } from './lwcCompile';
import { checkLwcLint } from './lwcLint';
import { errorsOf, formatFinding } from './report';

const BUNDLE = 'force-app/main/default/lwc/fixtureCard';

function show(findings: { file: string; message: string }[]): string {
    return findings.map((f) => formatFinding(f as Parameters<typeof formatFinding>[0])).join('\n');
}

describe('LWC bundles: tsc build + platform compiler', () => {
    let project: FixtureProject;
    beforeEach(() => {
        project = createFixtureProject();
    });
    afterEach(() => project.cleanup());

    it('fails on a template directive the platform does not know, naming the .html and line', async () => {
        project.edit(
            `${BUNDLE}/fixtureCard.html`,
            '<p class="count">{count}</p>',
            '<p class="count" lwc:bogus={count}>{count}</p>'
        );
        const errors = errorsOf(await checkLwcCompile(project.root));
        const hit = errors.find((f) => f.file === `${BUNDLE}/fixtureCard.html`);
        assert.ok(hit, `expected an error on fixtureCard.html, got:\n${show(errors)}`);
        assert.equal(hit.line, 2);
        assert.match(hit.message, /lwc:bogus/);
    });

    it('fails on @api misuse the platform compiler rejects, naming the emitted .js and its .ts', async () => {
        // The platform compiler rejects a public property named data-*.
        project.edit(
            `${BUNDLE}/fixtureCard.ts`,
            '    @api recordId: string | undefined;',
            '    @api recordId: string | undefined;\n    @api dataFoo = 1;'
        );
        const errors = errorsOf(await checkLwcCompile(project.root));
        const hit = errors.find((f) => f.file === `${BUNDLE}/fixtureCard.js`);
        assert.ok(hit, `expected an error on fixtureCard.js, got:\n${show(errors)}`);
        assert.ok(hit.line, 'the compiler gives a line');
        assert.match(hit.message, /LWC\d+.*dataFoo/);
        assert.match(hit.message, /emitted from fixtureCard\.ts/);
    });

    it('fails on a TypeScript type error, naming the .ts file and line', async () => {
        project.edit(
            `${BUNDLE}/fixtureCard.ts`,
            'return this.items.length;',
            'const n: string = this.items.length;\n        return Number(n);'
        );
        const errors = errorsOf(await checkLwcCompile(project.root));
        const hit = errors.find((f) => f.file === `${BUNDLE}/fixtureCard.ts`);
        assert.ok(hit, `expected an error on fixtureCard.ts, got:\n${show(errors)}`);
        assert.equal(hit.line, 12);
        assert.match(hit.message, /TS2322/);
    });

    it('fails on a .js with no .ts beside it (TypeScript is the only source)', async () => {
        project.write(`${BUNDLE}/helper.js`, 'export const answer = 42;\n');
        const errors = errorsOf(await checkLwcCompile(project.root));
        const hit = errors.find((f) => f.file === `${BUNDLE}/helper.js`);
        assert.ok(hit, `expected an error on helper.js, got:\n${show(errors)}`);
        assert.match(hit.message, /no helper\.ts/);
    });

    it('fails on a .ts whose .js was not emitted', async () => {
        // The tsconfig excludes *.test.ts only; a source the build skips is the same failure.
        project.edit(
            'force-app/main/default/lwc/tsconfig.json',
            '"exclude": [',
            '"exclude": ["**/helper.ts", '
        );
        project.write(`${BUNDLE}/helper.ts`, 'export const answer: number = 42;\n');
        const errors = errorsOf(await checkLwcCompile(project.root));
        const hit = errors.find((f) => f.file === `${BUNDLE}/helper.ts`);
        assert.ok(hit, `expected an error on helper.ts, got:\n${show(errors)}`);
        assert.match(hit.message, /no emitted helper\.js/);
    });
});

describe('ESLint on the emitted .js', () => {
    let project: FixtureProject;
    beforeEach(() => {
        project = createFixtureProject();
    });
    afterEach(() => project.cleanup());

    it('fails on an LWC rule violation, naming the emitted .js and line', async () => {
        // The platform compiler accepts it; only @lwc/lwc/no-api-reassignments catches it.
        project.edit(
            `${BUNDLE}/fixtureCard.ts`,
            'async connectedCallback(): Promise<void> {',
            "async connectedCallback(): Promise<void> {\n        this.recordId = 'changed';"
        );
        const compile = await checkLwcCompile(project.root);
        assert.deepEqual(errorsOf(compile), []);
        const errors = errorsOf(await checkLwcLint(project.root));
        const hit = errors.find((f) => f.file === `${BUNDLE}/fixtureCard.js`);
        assert.ok(hit, `expected a lint error on fixtureCard.js, got:\n${show(errors)}`);
        assert.equal(hit.line, 14);
        assert.match(hit.message, /@lwc\/lwc\/no-api-reassignments/);
    });
});
