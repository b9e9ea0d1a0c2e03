import { createElement } from 'lwc';
import VisitorMap from 'c/visitorMap';
import { readFileSync } from 'fs';
import { join } from 'path';
import type { VisitorCard } from '../../sightlineLive/liveContract';
import CARD_JSON from '../../visitorCard/__tests__/data/card.json';

const CARD = CARD_JSON as VisitorCard;

const WORLD = JSON.parse(
    readFileSync(join(__dirname, '../../../staticresources/sightlineWorldMap.json'), 'utf8')
);
const STREAMS = [
    { id: 's-target', name: 'Target Account', color: '#0176D3', priority: 1 },
    { id: 's-opp', name: 'Open Opportunity', color: '#2E844A', priority: 2 }
];
const flush = async () => {
    for (let i = 0; i < 6; i++) await Promise.resolve();
};

function visitors(): VisitorCard[] {
    const amsterdam = Array.from({ length: 12 }, (_, i) => ({
        ...CARD,
        id: `ams-${i}`,
        displayName: `Amsterdam ${i}`
    }));
    const tokyo = {
        ...CARD,
        id: 'tokyo',
        streamId: 's-opp',
        displayName: 'Tokyo One',
        location: { city: 'Tokyo', country: 'Japan', lat: 35.68, lon: 139.69 }
    };
    const nowhere = { ...CARD, id: 'nowhere', location: undefined };
    return [...amsterdam, tokyo, nowhere];
}

async function mount() {
    const element = createElement('c-visitor-map', { is: VisitorMap });
    Object.assign<typeof element, Partial<typeof element>>(element, {
        visitors: visitors(),
        streams: STREAMS,
        repId: '005000000000007AAA'
    });
    document.body.appendChild(element);
    await flush();
    return element;
}

describe('c-visitor-map', () => {
    beforeEach(() => {
        (globalThis as { fetch?: unknown }).fetch = jest.fn(() =>
            Promise.resolve({ ok: true, json: () => Promise.resolve(WORLD) })
        );
    });
    afterEach(() => {
        while (document.body.firstChild) document.body.removeChild(document.body.firstChild);
    });

    it('draws the world from the static resource and a dot per place, many visitors in one city as one dot with a count', async () => {
        const el = await mount();
        const land = el.shadowRoot!.querySelector('.map__land')!;
        expect(land.getAttribute('d')!.length).toBeGreaterThan(10000);
        const dots = Array.from(el.shadowRoot!.querySelectorAll('[data-id="dot"]'));
        expect(dots).toHaveLength(2);
        const labels = dots.map((d) => d.getAttribute('aria-label'));
        expect(labels).toContain('12 visitors near Amsterdam');
        expect(labels).toContain('Tokyo One, Tokyo, stream Open Opportunity');
        expect(el.shadowRoot!.querySelector('.dot__count')!.textContent).toBe('12');
        expect(el.shadowRoot!.querySelector('[data-id="unplaced"]')!.textContent).toContain(
            '1 visitor without a known location'
        );
        const tokyo = dots.find((d) => d.getAttribute('data-visitor-ids') === 'tokyo')!;
        expect(tokyo.querySelector('circle')!.getAttribute('fill')).toBe('#2E844A');
    });

    it('shows the card on hover and opens the Visitor 360 on click', async () => {
        const el = await mount();
        const open = jest.fn();
        el.addEventListener('open', open);
        const tokyo = el.shadowRoot!.querySelector('[data-visitor-ids="tokyo"]') as HTMLElement;
        tokyo.dispatchEvent(new CustomEvent('mouseenter'));
        await flush();
        const cards = el.shadowRoot!.querySelectorAll('[data-id="map-popover"] c-visitor-card');
        expect(cards).toHaveLength(1);
        tokyo.dispatchEvent(new CustomEvent('click'));
        expect(open.mock.calls[0][0].detail).toBe('tokyo');
    });

    it('keeps a busy dot readable: three cards and how many more', async () => {
        const el = await mount();
        const busy = Array.from(el.shadowRoot!.querySelectorAll('[data-id="dot"]')).find((d) =>
            d.getAttribute('aria-label')!.startsWith('12')
        )! as HTMLElement;
        busy.dispatchEvent(new CustomEvent('click'));
        await flush();
        const popover = el.shadowRoot!.querySelector('[data-id="map-popover"]')!;
        expect(popover.querySelectorAll('c-visitor-card')).toHaveLength(3);
        expect(popover.textContent).toContain('and 9 more');
    });
    it('keeps focus on the map when a live update removes the focused dot, and leaves it alone otherwise', async () => {
        const el = await mount();
        const root = el.shadowRoot!;
        const dotOf = (id: string) =>
            Array.from(root.querySelectorAll('[data-id="dot"]')).find((d) =>
                d.getAttribute('data-visitor-ids')!.split(' ').includes(id)
            ) as HTMLElement | undefined;
        dotOf('tokyo')!.focus();
        expect(root.activeElement).toBe(dotOf('tokyo'));

        // The Tokyo visitor is now placed in Amsterdam: their own dot is gone, focus follows them.
        const moved = visitors().map((v) =>
            v.id === 'tokyo' ? { ...v, location: visitors()[0]!.location } : v
        );
        el.visitors = moved;
        await flush();
        expect(root.querySelectorAll('[data-id="dot"]')).toHaveLength(1);
        expect(root.activeElement).toBe(dotOf('tokyo'));
        expect(root.activeElement!.getAttribute('aria-label')).toBe('13 visitors near Amsterdam');

        // A visitor alone on a dot leaves: focus goes to the map, not to the page.
        el.visitors = visitors();
        await flush();
        dotOf('tokyo')!.focus();
        el.visitors = visitors().filter((v) => v.id !== 'tokyo');
        await flush();
        expect(root.activeElement).toBe(root.querySelector('[data-id="map"]'));

        // Focus let go of on purpose (a click on the page) is not taken back by an update.
        dotOf('ams-0')!.focus();
        dotOf('ams-0')!.blur();
        el.visitors = visitors().filter((v) => v.id !== 'ams-3');
        await flush();
        expect(root.activeElement).toBeNull();
    });
});
