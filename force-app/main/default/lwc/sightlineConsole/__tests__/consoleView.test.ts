import { consoleView, liveAvailability, withCommittees } from '../consoleView';
import SNAPSHOT from './data/snapshot.json';
import type { ConsoleSnapshot, VisitorCard } from '../../sightlineLive/liveContract';

const ME = '005000000000007AAA';
const OTHER = { id: '005000000000008AAA', name: 'Maya Chen' };
const clone = (): ConsoleSnapshot => JSON.parse(JSON.stringify(SNAPSHOT));
const ids = (cards: VisitorCard[]) => cards.map((c) => c.id);
const ALL = { showIdle: false, readyOnly: false };

describe('consoleView: what every view shows and the header counts', () => {
    it('a rep: "N visitors routed to you", idle hidden noted', () => {
        const view = consoleView(clone(), ALL, ME);
        expect(ids(view.shown)).toEqual(['sess-1', 'sess-2', 'sess-3']);
        expect(view.summary).toBe('3 visitors routed to you · 1 idle hidden');
    });

    it('an admin: visitors in no stream are shown nowhere and not counted; the header says how many', () => {
        const snapshot = clone();
        snapshot.user.isAdmin = true;
        const stray = { ...snapshot.visitors[0]!, id: 'sess-nostream', streamId: '' };
        const gone = { ...snapshot.visitors[0]!, id: 'sess-oldstream', streamId: 's-deleted' };
        snapshot.visitors.push(stray, gone);
        snapshot.visitors[2]!.routing.routedTo = [OTHER];
        const view = consoleView(snapshot, ALL, ME);
        expect(ids(view.shown)).toEqual(['sess-1', 'sess-2', 'sess-3']);
        expect(view.summary).toBe(
            '3 visitors in all streams · 2 routed to you · 1 idle hidden · 2 visitors in no stream not shown'
        );
    });

    it('a manager (sees visitors routed to the team): worded for the team', () => {
        const snapshot = clone();
        snapshot.visitors[0]!.routing.routedTo = [OTHER];
        expect(consoleView(snapshot, ALL, ME).summary).toBe(
            '3 visitors routed to you and your team · 2 to you · 1 idle hidden'
        );
    });

    it('ready to pounce only: the rest are hidden and counted as such', () => {
        const snapshot = clone();
        snapshot.visitors[1]!.pounce = { ready: true, checks: [] };
        const view = consoleView(snapshot, { showIdle: false, readyOnly: true }, ME);
        expect(ids(view.shown)).toEqual(['sess-2']);
        expect(view.summary).toBe('1 visitor routed to you · 1 idle hidden · 2 not ready hidden');
    });

    it('availability: the conversations are counted live from the cards the rep engages', () => {
        const snapshot = clone();
        expect(liveAvailability(snapshot, ME)).toBeUndefined();
        snapshot.user.availability = { status: 'available', capacity: 3, activeConversations: 0 };
        snapshot.visitors[0]!.engagedBy = { id: ME, name: 'Aiko Tanaka' };
        snapshot.visitors[1]!.engagedBy = OTHER;
        expect(liveAvailability(snapshot, ME)).toEqual({
            status: 'available',
            capacity: 3,
            activeConversations: 1
        });
    });

    it('a buying committee: each card from the same Account says how many and names the others; unchanged cards keep their object', () => {
        const snapshot = clone();
        const acme = { id: '001000000000001AAA', name: 'Acme', targetAccount: true };
        for (const i of [0, 1, 3]) snapshot.visitors[i]!.salesforce = { account: acme };
        snapshot.visitors[2]!.salesforce = {};
        const first = consoleView(snapshot, ALL, ME).shown;
        expect(first.map((c) => c.committee?.count)).toEqual([3, 3, undefined]);
        expect(first[0]!.committee!.others.map((o) => o.id)).toEqual(['sess-2', 'sess-4']);
        const again = consoleView(snapshot, ALL, ME).shown;
        expect(again[0]).toBe(first[0]);
        expect(again[2]).toBe(snapshot.visitors[2]);
        expect(withCommittees([snapshot.visitors[2]!], snapshot.visitors)[0]).toBe(
            snapshot.visitors[2]
        );
    });
});
