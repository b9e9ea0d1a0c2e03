import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { DEMO_STREAMS } from '../../../../../../localorg/src/seed/demoStreams';
import { compileStreams, sortIntoStreams, type LiveStream } from '../streams';
import {
    NOW,
    openOpportunityVisitor,
    paidVisitor,
    pricingVisitor,
    targetAccountVisitor,
    visitor
} from './fixtures';

const demo = compileStreams(DEMO_STREAMS);

describe('the demo streams', () => {
    it('sorts each kind of visitor into its stream', () => {
        assert.equal(
            sortIntoStreams(demo, targetAccountVisitor('t'), NOW, false).shown,
            'stream-target-account'
        );
        assert.equal(
            sortIntoStreams(demo, openOpportunityVisitor('o'), NOW, false).shown,
            'stream-open-opportunity'
        );
        assert.equal(
            sortIntoStreams(demo, paidVisitor('p'), NOW, false).shown,
            'stream-paid-advertising'
        );
        assert.equal(
            sortIntoStreams(demo, pricingVisitor('q'), NOW, false).shown,
            'stream-pricing-page'
        );
        assert.equal(sortIntoStreams(demo, visitor('nobody'), NOW, false).shown, null);
    });

    it('a visitor fitting several streams is shown in the highest-priority one', () => {
        const both = {
            ...pricingVisitor('both'),
            salesforce: targetAccountVisitor('x').salesforce
        };
        const membership = sortIntoStreams(demo, both, NOW, true);
        assert.deepEqual(membership.matched, ['stream-target-account', 'stream-pricing-page']);
        assert.equal(membership.shown, 'stream-target-account');
        assert.equal(membership.trace.length, 4);
        assert.equal(membership.trace[0]?.criteria?.result, true);
    });

    it('an ad click id in the landing URL counts as paid even without UTM tags', () => {
        const subject = paidVisitor('gclid');
        delete subject.visit?.utm;
        assert.equal(sortIntoStreams(demo, subject, NOW, false).shown, 'stream-paid-advertising');
    });

    it('skips inactive streams', () => {
        const streams = compileStreams(
            DEMO_STREAMS.map((stream) => ({
                ...stream,
                active: stream.id !== 'stream-target-account'
            }))
        );
        assert.equal(sortIntoStreams(streams, targetAccountVisitor('t'), NOW, false).shown, null);
    });
});

describe('stream membership properties', () => {
    const samples = [
        targetAccountVisitor('t'),
        openOpportunityVisitor('o'),
        paidVisitor('p'),
        pricingVisitor('q'),
        visitor('n')
    ];
    const criteriaPool = [
        ...DEMO_STREAMS.map((stream) => stream.criteria),
        { all: [] },
        { any: [] },
        { field: 'nope', operator: 'equals', value: 1 }
    ];
    const streamList = fc.uniqueArray(
        fc.record({
            id: fc.string({ minLength: 1, maxLength: 6 }),
            priority: fc.integer({ min: 1, max: 10 }),
            active: fc.boolean(),
            criteria: fc.constantFrom(...criteriaPool)
        }),
        { selector: (stream) => stream.id, maxLength: 8 }
    );

    it('a visitor is shown in at most one stream: the highest-priority active one it fits', () => {
        fc.assert(
            fc.property(streamList, fc.constantFrom(...samples), (records, subject) => {
                const streams: LiveStream[] = records.map((record) => ({
                    ...record,
                    name: record.id,
                    color: '#000000'
                }));
                const membership = sortIntoStreams(compileStreams(streams), subject, NOW, false);
                const fitting = streams.filter(
                    (stream) => stream.active && membership.matched.includes(stream.id)
                );
                assert.equal(
                    fitting.length,
                    membership.matched.length,
                    'only active streams match'
                );
                if (fitting.length === 0) {
                    assert.equal(membership.shown, null);
                    return;
                }
                const best = Math.min(...fitting.map((stream) => stream.priority));
                const shown = streams.find((stream) => stream.id === membership.shown);
                assert.equal(shown?.priority, best);
                assert.equal(membership.matched[0], membership.shown);
            }),
            { seed: 42, numRuns: 500 }
        );
    });
});
