import { createElement } from 'lwc';
import VisitorList from 'c/visitorList';
import { groupByStream } from 'c/visitorFormat';
import type { StreamSummary, VisitorCard } from '../../sightlineLive/liveContract';

const flush = () => Promise.resolve();
const STREAMS: StreamSummary[] = [
    { id: 's-pricing', name: 'Pricing Page', color: '#8c4b02', priority: 4 },
    { id: 's-target', name: 'Target Account', color: '#0176D3', priority: 1 },
    { id: 's-paid', name: 'Paid Advertising', color: '#2e844a', priority: 3 }
] as StreamSummary[];

function card(
    id: string,
    streamId: string,
    displayName: string,
    startedAt: string,
    score: number
): VisitorCard {
    return {
        id,
        visitorKey: `key-${id}`,
        streamId,
        identity: 'company',
        displayName,
        currentPage: {
            url: 'http://127.0.0.1:4300/pricing.html',
            path: '/pricing.html',
            title: 'Pricing'
        },
        startedAt,
        lastSeenAt: startedAt,
        pageCount: 1,
        active: true,
        score: { value: score, band: 'Warm' },
        chat: { state: 'none' },
        salesforce: {},
        routing: { experience: 'unrouted', reason: '', routedTo: [] }
    } as unknown as VisitorCard;
}

const VISITORS = [
    card('a', 's-target', 'zeta Labs', '2026-01-01T10:01:00.000Z', 90),
    card('b', 's-target', 'Acme', '2026-01-01T10:02:00.000Z', 50),
    card('c', 's-target', 'Bright Co', '2026-01-01T10:00:00.000Z', 10),
    card('d', 's-pricing', 'Delta', '2026-01-01T10:03:00.000Z', 5)
];

function mount(groups = groupByStream(STREAMS, VISITORS)) {
    const element = createElement('c-visitor-list', { is: VisitorList });
    Object.assign<typeof element, Partial<typeof element>>(element, {
        groups,
        repId: '005000000000007AAA'
    });
    document.body.appendChild(element);
    return element;
}

const sections = (el: HTMLElement) =>
    Array.from(el.shadowRoot!.querySelectorAll('section')) as HTMLElement[];
const rowIds = (section: Element) =>
    (
        Array.from(section.querySelectorAll('c-visitor-card')) as (HTMLElement & {
            card: VisitorCard;
        })[]
    ).map((c) => c.card.id);
async function sortBy(el: HTMLElement, value: string) {
    // What lightning-combobox does when the user picks an option: a composed, bubbling change.
    el.shadowRoot!.querySelector('[data-id="sort"]')!.dispatchEvent(
        new CustomEvent('change', { detail: { value }, bubbles: true, composed: true })
    );
    await flush();
}

describe('c-visitor-list', () => {
    afterEach(() => {
        while (document.body.firstChild) document.body.removeChild(document.body.firstChild);
    });

    it('groups rows by stream in priority order, each with its name beside its colour and its count, empty streams saying so', () => {
        const el = mount();
        const groups = sections(el);
        // Each group is a region named by its heading, which says the count to a screen reader.
        expect(groups.map((s) => s.querySelector('h2')!.childNodes[0]!.textContent)).toEqual([
            'Target Account',
            'Paid Advertising',
            'Pricing Page'
        ]);
        expect(groups.map((s) => s.getAttribute('aria-labelledby'))).toEqual(
            groups.map((s) => s.querySelector('h2')!.id)
        );
        expect(groups.map((s) => s.querySelector('[data-id="count"]')!.textContent)).toEqual([
            '3',
            '0',
            '1'
        ]);
        expect(groups[0]!.querySelector('h2')!.textContent).toBe('Target Account, 3 visitors');
        expect(groups[0]!.querySelector('[data-id="count"]')!.getAttribute('aria-hidden')).toBe(
            'true'
        );
        expect(groups[1]!.textContent).toContain('No visitors in this stream right now');
        const rows = Array.from(groups[0]!.querySelectorAll('c-visitor-card')) as (HTMLElement &
            Record<string, unknown>)[];
        expect(rows[0]!.variant).toBe('row');
        expect(rows[0]!.streamName).toBe('Target Account');
        expect(rows[0]!.streamColor).toBe('#0176D3');
    });

    it('sorts within each group by time on site (longest first), score or name, never moving a row to another group', async () => {
        const el = mount();
        expect(rowIds(sections(el)[0]!)).toEqual(['c', 'a', 'b']);
        await sortBy(el, 'score');
        expect(rowIds(sections(el)[0]!)).toEqual(['a', 'b', 'c']);
        await sortBy(el, 'name'); // case-insensitive
        expect(rowIds(sections(el)[0]!)).toEqual(['b', 'c', 'a']);
        expect(rowIds(sections(el)[2]!)).toEqual(['d']);
        await sortBy(el, 'nonsense');
        expect(rowIds(sections(el)[0]!)).toEqual(['b', 'c', 'a']);
        const control = el.shadowRoot!.querySelector('[data-id="sort"]') as HTMLElement & {
            value: string;
            label: string;
            options: { value: string }[];
        };
        expect(control.value).toBe('name');
        expect(control.label).toBe('Sort within each stream');
        expect(control.options.map((o) => o.value)).toEqual([
            'timeOnSite',
            'score',
            'name',
            'ready'
        ]);
    });

    it('forwards open, pounce and accept from a row with the visit id', () => {
        const el = mount();
        const opened = jest.fn();
        const pounced = jest.fn();
        el.addEventListener('open', opened);
        el.addEventListener('pounce', pounced);
        const row = sections(el)[0]!.querySelector('c-visitor-card')!;
        row.dispatchEvent(new CustomEvent('open', { detail: 'b' }));
        row.dispatchEvent(new CustomEvent('pounce', { detail: 'b' }));
        expect(opened.mock.calls[0][0].detail).toBe('b');
        expect(pounced.mock.calls[0][0].detail).toBe('b');
    });

    it('renders 500 visitors, each once, in their groups', () => {
        const many = Array.from({ length: 500 }, (_, i) =>
            card(
                `v${i}`,
                STREAMS[i % 3]!.id,
                `Company ${i}`,
                new Date(Date.UTC(2026, 0, 1, 10, 0, i)).toISOString(),
                i % 100
            )
        );
        const el = mount(groupByStream(STREAMS, many));
        const ids = sections(el).flatMap(rowIds);
        expect(ids).toHaveLength(500);
        expect(new Set(ids).size).toBe(500);
        expect(sections(el).map((s) => s.querySelector('[data-id="count"]')!.textContent)).toEqual([
            '167',
            '166',
            '167'
        ]);
    });

    it('says so when there are no streams', () => {
        const el = mount([]);
        expect(el.shadowRoot!.textContent).toContain('No live streams yet.');
    });
});
