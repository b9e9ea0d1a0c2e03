import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Activity } from './activity';
import { TabCounter, type TabMessage } from './tabs';

describe('active and idle', () => {
    it('a visible, focused tab with no input goes idle 30 s after the last sign of life', () => {
        let t = 0;
        const a = new Activity(30_000, () => t);
        a.engagement(true);
        assert.equal(a.transition(), 'active');
        t += 29_999;
        assert.equal(a.transition(), undefined);
        t += 1;
        assert.equal(a.transition(), 'idle', 'focus alone is not actively looking');
        t += 70_000;
        assert.equal(a.transition(), undefined, 'still idle at 100 s');
        a.input();
        assert.equal(a.transition(), 'active');
    });

    it('the same rule for a hidden tab: idle 30 s after leaving it or the last input', () => {
        let t = 0;
        const a = new Activity(30_000, () => t);
        a.engagement(true);
        a.transition();
        t += 10_000;
        a.engagement(false);
        t += 29_999;
        assert.equal(a.transition(), undefined, 'leaving the tab counts as the last sign of life');
        t += 1;
        assert.equal(a.transition(), 'idle');
        a.input();
        assert.equal(
            a.transition(),
            'active',
            'input in a background tab (e.g. scroll) is activity'
        );
        t += 30_000;
        assert.equal(a.transition(), 'idle');
        a.engagement(true);
        assert.equal(a.transition(), 'active', 'coming back to the tab is activity');
    });
    it('takes a configured idle time', () => {
        let t = 0;
        const a = new Activity(5000, () => t);
        a.transition();
        t += 5000;
        assert.equal(a.transition(), 'idle');
    });
});

describe('tabs open on the site', () => {
    function network(now: () => number) {
        const tabs: TabCounter[] = [];
        const add = (id: string) => {
            const tab: TabCounter = new TabCounter(id, now, (m: TabMessage) => {
                for (const other of tabs) if (other !== tab) other.receive(structuredClone(m));
            });
            tabs.push(tab);
            return tab;
        };
        return { tabs, add, remove: (tab: TabCounter) => tabs.splice(tabs.indexOf(tab), 1) };
    }
    it('counts peers: a newcomer learns at once, a goodbye or silence removes a tab', () => {
        let t = 0;
        const net = network(() => t);
        const a = net.add('tab-a');
        assert.equal(a.changed(), 1);
        const b = net.add('tab-b');
        b.announce('hello');
        assert.equal(a.count(), 2);
        assert.equal(b.count(), 2);
        const c = net.add('tab-c');
        c.announce('hello');
        assert.deepEqual(
            net.tabs.map((x) => x.count()),
            [3, 3, 3]
        );
        c.announce('bye');
        net.remove(c);
        assert.deepEqual([a.count(), b.count()], [2, 2]);
        // b disappears without a goodbye (crash): stale after 25 s unless it announces.
        net.remove(b);
        t += 26_000;
        assert.equal(a.count(), 1);
        assert.equal(a.changed(), undefined);
    });
    it('ignores its own and malformed messages', () => {
        const tab = new TabCounter(
            'me',
            () => 0,
            () => undefined
        );
        tab.receive({ kind: 'hello', tab: 'me' });
        tab.receive(null);
        tab.receive('hello');
        tab.receive({ kind: 'hello', tab: 42 });
        assert.equal(tab.count(), 1);
    });
});
