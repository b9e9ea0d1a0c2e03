import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { compileWildcard } from '../wildcard';

/** Reference semantics, via a regex built from a trusted (test-generated) pattern. */
function referenceMatch(pattern: string, text: string): boolean {
    const source = [...pattern]
        .map((c) => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
        .join('');
    return new RegExp(`^${source}$`, 'is').test(text);
}

describe('wildcard', () => {
    it('matches * and ? case-insensitively', () => {
        assert.equal(compileWildcard('/pricing*').matches('/Pricing/enterprise'), true);
        assert.equal(compileWildcard('/pricing*').matches('/about/pricing'), false);
        assert.equal(compileWildcard('*.acme.com').matches('eu.ACME.com'), true);
        assert.equal(compileWildcard('/blog/????/*').matches('/blog/2025/post'), true);
        assert.equal(compileWildcard('/blog/????/*').matches('/blog/25/post'), false);
        assert.equal(compileWildcard('a*b*c').matches('abc'), true);
        assert.equal(compileWildcard('a*b*c').matches('acb'), false);
        assert.equal(compileWildcard('*').matches(''), true);
        assert.equal(compileWildcard('exact').matches('exact'), true);
        assert.equal(compileWildcard('exact').matches('exactly'), false);
    });

    it('handles segments longer than one 32-bit word', () => {
        const long = 'x'.repeat(40) + '?' + 'y'.repeat(30);
        assert.equal(
            compileWildcard(`*${long}*`).matches(`aa${'x'.repeat(40)}Z${'y'.repeat(30)}bb`),
            true
        );
        assert.equal(
            compileWildcard(`*${long}*`).matches(`aa${'x'.repeat(39)}Z${'y'.repeat(30)}bb`),
            false
        );
    });

    it('agrees with a reference matcher on arbitrary patterns and texts', () => {
        const text = fc.string({ unit: fc.constantFrom('a', 'b', 'A', '/'), maxLength: 40 });
        const pattern = fc.string({
            unit: fc.constantFrom('a', 'b', '/', '*', '?'),
            maxLength: 12
        });
        fc.assert(
            fc.property(
                pattern,
                text,
                (p, t) => compileWildcard(p).matches(t) === referenceMatch(p, t)
            ),
            { seed: 42, numRuns: 2000 }
        );
    });

    it('stays fast on patterns that make backtracking matchers explode', () => {
        const pattern = compileWildcard(`${'*a'.repeat(40)}*b*`);
        const text = 'a'.repeat(20_000);
        const started = performance.now();
        assert.equal(pattern.matches(text), false);
        // A generous bound: linear matching takes about a millisecond here.
        assert.ok(performance.now() - started < 1000);
    });
});
