import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { bandFor, compileScorer, DEFAULT_SCORE_WEIGHTS, resolveScoreWeights } from '../score';
import { NOW, page, pricingVisitor, visitor } from './fixtures';

const score = compileScorer();

describe('engagement score', () => {
    it('bands: Cold 0–19, Warm 20–50, Hot 51–79, On Fire 80–100', () => {
        assert.deepEqual([0, 19, 20, 50, 51, 79, 80, 100].map(bandFor), [
            'Cold',
            'Cold',
            'Warm',
            'Warm',
            'Hot',
            'Hot',
            'On Fire',
            'On Fire'
        ]);
    });

    it('a quick look at the home page is cold', () => {
        const result = score(visitor('v'), NOW);
        assert.equal(result.band, 'Cold');
        assert.deepEqual(result.reasons, [{ label: 'Viewed 1 page', points: 2 }]);
    });

    it('pricing pages weigh heavily, and reading (a scroll past 15%) counts', () => {
        const result = score(pricingVisitor('p'), NOW);
        assert.deepEqual(result.reasons, [
            { label: 'Visited 1 high-intent page (/pricing/enterprise)', points: 20 },
            { label: 'Viewed 2 pages', points: 4 },
            { label: 'Read 1 page (scrolled past 15%)', points: 3 }
        ]);
        assert.equal(result.score, 27);
        assert.equal(result.band, 'Warm');
    });

    it('is capped at 100 and deterministic', () => {
        const eager = visitor('hot', {
            visit: {
                pages: ['/pricing', '/demo', '/contact', '/a', '/b', '/c'].map((path) =>
                    page(path, { scrollDepth: 0.9 })
                ),
                pageCount: 12,
                timeOnSiteMs: 20 * 60_000,
                visitCount: 5
            },
            behaviour: { active: true, formSubmitted: true, chatRequested: true, botEngaged: true }
        });
        const first = score(eager, NOW);
        assert.equal(first.score, 100);
        assert.equal(first.band, 'On Fire');
        assert.deepEqual(score(eager, NOW), first);
    });

    it('admin weights override defaults; malformed pieces keep their default', () => {
        const weights = resolveScoreWeights(
            '{"formSubmitted": 40, "pagesViewed": {"points": "lots"}, "highIntentPages": {"patterns": ["/quote*"]}}'
        );
        assert.equal(weights.formSubmitted, 40);
        assert.deepEqual(weights.pagesViewed, DEFAULT_SCORE_WEIGHTS.pagesViewed);
        assert.deepEqual(weights.highIntentPages.patterns, ['/quote*']);
        assert.deepEqual(resolveScoreWeights('not json'), DEFAULT_SCORE_WEIGHTS);
    });
});
