import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { CollectRequestData } from '../contracts/visitorProtocol';
import { applyBatch, newSession } from './session';

const URL_A = 'https://www.example.com/pricing?plan=team';
const URL_B = 'https://www.example.com/docs/api';

const view = (ts: number, url: string) =>
    ({ type: 'pageview', ts, url, title: '', referrer: '', spa: false }) as const;

function batch(events: CollectRequestData['events']): CollectRequestData {
    return {
        siteKey: 'site',
        visitorId: 'visitor-1',
        sessionId: 'session-1',
        tabId: 'tab-1',
        events
    };
}

describe('applyBatch', () => {
    it('keeps each page view with its URL path, the same path for a URL seen again', () => {
        const session = newSession(batch([]), '', 0);
        applyBatch(session, batch([view(1, URL_A)]), 1);
        applyBatch(session, batch([view(2, 'not a url')]), 2);
        applyBatch(session, batch([view(3, URL_A)]), 3);
        assert.deepEqual(
            session.pages.map((page) => page.path),
            ['/pricing', '/', '/pricing']
        );
    });

    it('puts a scroll on the latest page at its URL, a change only when the card shows it', () => {
        const session = newSession(batch([]), '', 0);
        applyBatch(
            session,
            batch([view(1, URL_A), view(2, URL_B), view(3, URL_A), view(4, URL_B)]),
            4
        );
        // An earlier page, below the 15 % a card tells: kept, not a change.
        const earlier = applyBatch(
            session,
            batch([{ type: 'scroll', ts: 5, url: URL_A, depth: 0.1 }]),
            5
        );
        assert.equal(earlier.changed, false);
        assert.deepEqual(
            session.pages.map((page) => page.scrollDepth),
            [0, 0, 0.1, 0]
        );
        // The current page: a change.
        const current = applyBatch(
            session,
            batch([{ type: 'scroll', ts: 6, url: URL_B, depth: 0.05 }]),
            6
        );
        assert.equal(current.changed, true);
        assert.deepEqual(
            session.pages.map((page) => page.scrollDepth),
            [0, 0, 0.1, 0.05]
        );
    });

    it('a sign of life changes an idle visit, and not an active one', () => {
        const session = newSession(batch([]), '', 0);
        const beat = batch([{ type: 'heartbeat', ts: 1, active: true }]);
        assert.equal(applyBatch(session, beat, 1).changed, false);
        assert.equal(session.lastActivityAt, 1);
        session.active = false;
        session.idleSince = 1;
        assert.equal(applyBatch(session, beat, 2).changed, true);
        assert.equal(session.active, true);
        assert.equal(session.idleSince, undefined);
        assert.equal(session.lastActivityAt, 2);
        // A heartbeat of an idle tab is no sign of life.
        session.active = false;
        const idleBeat = batch([{ type: 'heartbeat', ts: 3, active: false }]);
        assert.equal(applyBatch(session, idleBeat, 3).changed, false);
        assert.equal(session.active, false);
    });
});
