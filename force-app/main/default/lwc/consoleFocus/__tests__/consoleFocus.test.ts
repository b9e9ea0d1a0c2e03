import {
    ArrivalAnnouncer,
    arrivalsText,
    chatRequestText,
    focusFirstOf,
    hasFocus,
    movedIndex,
    neighbourOf,
    rovingMove,
    tabStops,
    tabbablesIn
} from 'c/consoleFocus';

const key = (k: string, mods: Partial<KeyboardEvent> = {}) => ({
    key: k,
    altKey: false,
    ctrlKey: false,
    metaKey: false,
    shiftKey: false,
    ...mods
});

describe('neighbourOf: where focus goes when the focused card leaves', () => {
    const stream = ['a', 'b', 'c', 'd'];

    it('is the next card in the stream that is still shown', () => {
        expect(neighbourOf(stream, 'b', (id) => id !== 'b')).toBe('c');
        expect(neighbourOf(stream, 'b', (id) => id === 'a' || id === 'd')).toBe('d');
    });

    it('is the nearest card before it when it was the last', () => {
        expect(neighbourOf(stream, 'd', (id) => id !== 'd')).toBe('c');
        expect(neighbourOf(stream, 'd', (id) => id === 'a')).toBe('a');
    });

    it('is none when the stream emptied or the card was never in it', () => {
        expect(neighbourOf(stream, 'b', () => false)).toBeUndefined();
        expect(neighbourOf(stream, 'x', () => true)).toBeUndefined();
    });
});

describe('roving focus', () => {
    it('maps the arrow keys, Home and End, and leaves every other key alone', () => {
        expect(rovingMove(key('ArrowDown'))).toBe('next');
        expect(rovingMove(key('ArrowUp'))).toBe('previous');
        expect(rovingMove(key('Home'))).toBe('first');
        expect(rovingMove(key('End'))).toBe('last');
        expect(rovingMove(key('ArrowRight'))).toBe('next-stream');
        expect(rovingMove(key('ArrowLeft'))).toBe('previous-stream');
        expect(rovingMove(key('Tab'))).toBeUndefined();
        expect(rovingMove(key('Enter'))).toBeUndefined();
        // A modified arrow belongs to the browser or the screen reader.
        expect(rovingMove(key('ArrowDown', { altKey: true }))).toBeUndefined();
        expect(rovingMove(key('ArrowDown', { shiftKey: true }))).toBeUndefined();
    });

    it('moves within the list and stops at its ends', () => {
        expect(movedIndex('next', 0, 3)).toBe(1);
        expect(movedIndex('next', 2, 3)).toBe(2);
        expect(movedIndex('previous', 0, 3)).toBe(0);
        expect(movedIndex('previous', 2, 3)).toBe(1);
        expect(movedIndex('first', 2, 3)).toBe(0);
        expect(movedIndex('last', 0, 3)).toBe(2);
        // A card that left meanwhile: the index is clamped into the list.
        expect(movedIndex('next', 7, 3)).toBe(2);
        expect(movedIndex('next', 0, 0)).toBe(-1);
    });

    it('keeps one tab stop per stream: the remembered card while it stays, else the first', () => {
        const streams = [
            { id: 's1', visitorIds: ['a', 'b', 'c'] },
            { id: 's2', visitorIds: ['d'] },
            { id: 's3', visitorIds: [] }
        ];
        const stops = tabStops(
            streams,
            new Map([
                ['s1', 'b'],
                ['s2', 'gone']
            ])
        );
        expect([...stops.entries()]).toEqual([
            ['s1', 'b'],
            ['s2', 'd']
        ]);
    });
});

describe('the dialog focus trap', () => {
    afterEach(() => {
        document.body.innerHTML = '';
    });

    it('finds tabbable elements in order, inside shadow trees, skipping disabled, hidden and negative ones', () => {
        const root = document.createElement('div');
        root.innerHTML = `
            <span tabindex="0" data-focus-trap="start"></span>
            <h2 tabindex="-1">Title</h2>
            <button id="close">Close</button>
            <div class="host"></div>
            <button disabled>Off</button>
            <div hidden><a href="#x" id="hidden">x</a></div>
            <textarea id="composer"></textarea>
            <span tabindex="0" data-focus-trap="end"></span>`;
        document.body.appendChild(root);
        const host = root.querySelector('.host')!;
        const shadow = host.attachShadow({ mode: 'open' });
        shadow.innerHTML = '<button id="inner">Pounce</button><a id="link" href="/r">Record</a>';
        expect(tabbablesIn(root).map((e) => e.id)).toEqual(['close', 'inner', 'link', 'composer']);
    });

    it('focuses the first candidate that takes focus and sees focus through shadow roots', () => {
        const host = document.createElement('div');
        document.body.appendChild(host);
        const shadow = host.attachShadow({ mode: 'open' });
        shadow.innerHTML = '<button id="one">One</button><button id="two">Two</button>';
        const refuses = document.createElement('span'); // not focusable: focus() does nothing
        const two = shadow.getElementById('two') as HTMLElement;
        expect(focusFirstOf([refuses, two], hasFocus)).toBe(true);
        expect(hasFocus(two)).toBe(true);
        expect(hasFocus(shadow.getElementById('one') as HTMLElement)).toBe(false);
        expect(focusFirstOf([refuses], hasFocus)).toBe(false);
    });
});

describe('announcements', () => {
    beforeEach(() => jest.useFakeTimers());
    afterEach(() => jest.useRealTimers());

    it('says arrivals and departures in words', () => {
        expect(arrivalsText(1, 0)).toBe('1 visitor arrived');
        expect(arrivalsText(3, 2)).toBe('3 visitors arrived, 2 visitors left');
        expect(arrivalsText(0, 1)).toBe('1 visitor left');
        expect(arrivalsText(0, 0)).toBe('');
        expect(chatRequestText('Acme', 30)).toBe(
            'Acme asks to chat: 30 seconds to answer. Start a conversation from the card.'
        );
    });

    it('says the first change at once and sums the rest until the interval has passed', () => {
        let now = 0;
        const said: string[] = [];
        const announcer = new ArrivalAnnouncer(
            (t) => said.push(t),
            5000,
            () => now
        );
        announcer.record(['a'], ['a', 'b']);
        expect(said).toEqual(['1 visitor arrived']);

        now = 1000;
        announcer.record(['a', 'b'], ['a', 'b', 'c', 'd']);
        now = 2000;
        announcer.record(['a', 'b', 'c', 'd'], ['b', 'c', 'd']);
        announcer.record(['b'], ['b']); // nothing changed: nothing to say
        expect(said).toHaveLength(1);

        now = 5000;
        jest.advanceTimersByTime(4000);
        expect(said).toEqual(['1 visitor arrived', '2 visitors arrived, 1 visitor left']);

        // Quiet for longer than the interval: the next change is said at once again.
        now = 20000;
        announcer.record(['b'], []);
        expect(said[2]).toBe('1 visitor left');
        announcer.dispose();
    });

    it('says nothing after it is disposed', () => {
        let now = 0;
        const said: string[] = [];
        const announcer = new ArrivalAnnouncer(
            (t) => said.push(t),
            5000,
            () => now
        );
        announcer.record([], ['a']);
        now = 100;
        announcer.record(['a'], ['a', 'b']);
        announcer.dispose();
        jest.advanceTimersByTime(10000);
        expect(said).toEqual(['1 visitor arrived']);
    });
});
