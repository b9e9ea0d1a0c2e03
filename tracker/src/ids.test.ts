import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Identity, KEYS, memoryStore, newId, safeStore, SESSION_TIMEOUT_MS } from './ids';

let counter = 0;
const makeId = () => `id${String(++counter).padStart(8, '0')}`;

describe('first-party ids', () => {
    it('keeps the visitor id forever and the tab id per tab', () => {
        const local = memoryStore();
        let t = 0;
        const a = new Identity(local, memoryStore(), () => t, makeId);
        const b = new Identity(local, memoryStore(), () => t, makeId);
        t += 365 * 86_400_000;
        assert.equal(a.visitorId, b.visitorId);
        assert.notEqual(a.tabId, b.tabId);
        assert.equal(a.tabId, a.tabId);
    });

    it('rotates the session after 30 minutes without activity, not before', () => {
        let t = 1000;
        const id = new Identity(memoryStore(), memoryStore(), () => t, makeId);
        const first = id.session();
        assert.equal(first.isNew, true);
        t += SESSION_TIMEOUT_MS - 1;
        id.touch();
        t += SESSION_TIMEOUT_MS - 1;
        assert.deepEqual(id.session(), { id: first.id, isNew: false });
        t += 2;
        const second = id.session();
        assert.equal(second.isNew, true);
        assert.notEqual(second.id, first.id);
        assert.deepEqual(id.session(), { id: second.id, isNew: false });
    });

    it('replaces malformed stored values and clears everything on request', () => {
        const local = memoryStore();
        local.setItem(KEYS.visitor, 'bad id!');
        local.setItem(KEYS.session, '{not json');
        const id = new Identity(local, memoryStore(), () => 0, makeId);
        assert.match(id.visitorId, /^[A-Za-z0-9_-]{8,64}$/);
        assert.equal(id.session().isNew, true);
        id.clear();
        assert.equal(local.getItem(KEYS.visitor), null);
        assert.equal(local.getItem(KEYS.session), null);
    });

    it('makes URL-safe ids of 22 characters', () => {
        const id = newId((n) => Uint8Array.from({ length: n }, (_, i) => i * 37));
        assert.match(id, /^[A-Za-z0-9_-]{22}$/);
    });

    it('falls back to memory when the browser storage throws', () => {
        const store = safeStore(() => {
            throw new Error('SecurityError');
        });
        store.setItem('k', 'v');
        assert.equal(store.getItem('k'), 'v');
        store.removeItem('k');
        assert.equal(store.getItem('k'), null);
    });
});
