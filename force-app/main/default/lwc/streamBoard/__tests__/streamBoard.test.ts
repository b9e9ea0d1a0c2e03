import { createElement } from 'lwc';
import StreamBoard from 'c/streamBoard';
import { groupByStream } from 'c/visitorFormat';
import type { StreamSummary, VisitorCard } from '../../sightlineLive/liveContract';

const flush = () => Promise.resolve();
const STREAMS: StreamSummary[] = [
    { id: 's-target', name: 'Target Account', color: '#0176D3', priority: 1 },
    { id: 's-paid', name: 'Paid Advertising', color: '#2e844a', priority: 2 },
    { id: 's-pricing', name: 'Pricing Page', color: '#8c4b02', priority: 3 }
] as StreamSummary[];

function card(id: string, streamId: string): VisitorCard {
    return {
        id,
        visitorKey: `key-${id}`,
        streamId,
        identity: 'company',
        displayName: `Company ${id}`,
        currentPage: { url: 'http://127.0.0.1/pricing', path: '/pricing', title: 'Pricing' },
        startedAt: '2026-01-01T10:00:00.000Z',
        lastSeenAt: '2026-01-01T10:00:00.000Z',
        pageCount: 1,
        active: true,
        score: { value: 40, band: 'Warm' },
        chat: { state: 'none' },
        salesforce: {},
        routing: { experience: 'unrouted', reason: '', routedTo: [] }
    } as unknown as VisitorCard;
}

const VISITORS = [
    card('a', 's-target'),
    card('b', 's-target'),
    card('c', 's-target'),
    card('d', 's-pricing')
];

type Board = HTMLElement & {
    groups: unknown;
    focusVisitor(id: string): boolean;
};

function mount(visitors = VISITORS): Board {
    const element = createElement('c-stream-board', { is: StreamBoard }) as unknown as Board;
    Object.assign(element, { groups: groupByStream(STREAMS, visitors), repId: '005x' });
    document.body.appendChild(element);
    return element;
}

const hostOf = (el: HTMLElement, id: string) =>
    el.shadowRoot!.querySelector(`c-visitor-card[data-visitor-id="${id}"]`) as HTMLElement & {
        outsideTabOrder: boolean;
    };
const articleOf = (el: HTMLElement, id: string) =>
    hostOf(el, id).shadowRoot!.querySelector('[data-id="visitor-card"]') as HTMLElement;
/** The visit id of the focused card, or the focused heading's stream. */
function focused(el: HTMLElement): string | undefined {
    const active = el.shadowRoot!.activeElement as HTMLElement | null;
    return (
        active?.dataset.visitorId ?? (active ? `heading:${active.dataset.headingFor}` : undefined)
    );
}
function press(el: HTMLElement, id: string, key: string) {
    articleOf(el, id).dispatchEvent(
        new KeyboardEvent('keydown', { key, bubbles: true, composed: true })
    );
}

describe('c-stream-board', () => {
    afterEach(() => {
        while (document.body.firstChild) document.body.removeChild(document.body.firstChild);
    });

    it('names each column by its heading (a region, not a list item) and says the count', () => {
        const el = mount();
        const sections = Array.from(el.shadowRoot!.querySelectorAll('section'));
        expect(sections.map((s) => s.getAttribute('role'))).toEqual([null, null, null]);
        const heading = sections[0]!.querySelector('h2')!;
        expect(sections[0]!.getAttribute('aria-labelledby')).toBe(heading.id);
        expect(heading.textContent).toBe('Target Account, 3 visitors');
        expect(el.shadowRoot!.querySelector('[role="list"]')).toBeNull();
    });

    it('puts one card per stream in the tab order and moves between cards and streams with the arrow keys', async () => {
        const el = mount();
        await flush();
        expect(['a', 'b', 'c', 'd'].map((id) => hostOf(el, id).outsideTabOrder)).toEqual([
            false,
            true,
            true,
            false
        ]);
        articleOf(el, 'a').focus();
        await flush();
        press(el, 'a', 'ArrowDown');
        expect(focused(el)).toBe('b');
        await flush();
        // The card last used is the stream's tab stop from now on.
        expect(hostOf(el, 'b').outsideTabOrder).toBe(false);
        expect(hostOf(el, 'a').outsideTabOrder).toBe(true);
        press(el, 'b', 'End');
        expect(focused(el)).toBe('c');
        press(el, 'c', 'ArrowDown');
        expect(focused(el)).toBe('c');
        press(el, 'c', 'Home');
        expect(focused(el)).toBe('a');
        // Right skips the empty Paid Advertising stream.
        press(el, 'a', 'ArrowRight');
        expect(focused(el)).toBe('d');
        press(el, 'd', 'ArrowLeft');
        await flush();
        expect(focused(el)).toBe('a');
    });

    it('keeps focus on the board when a live update removes or moves the focused card', async () => {
        const el = mount();
        await flush();
        articleOf(el, 'b').focus();
        await flush();
        expect(focused(el)).toBe('b');

        // b leaves: focus goes to the next card of its stream.
        el.groups = groupByStream(STREAMS, [
            card('a', 's-target'),
            card('c', 's-target'),
            card('d', 's-pricing')
        ]);
        await flush();
        expect(focused(el)).toBe('c');

        // c moves to another stream: focus stays in the stream it was in (the card before it).
        el.groups = groupByStream(STREAMS, [
            card('a', 's-target'),
            card('c', 's-paid'),
            card('d', 's-pricing')
        ]);
        await flush();
        expect(focused(el)).toBe('a');

        // The stream empties: its heading takes focus.
        el.groups = groupByStream(STREAMS, [card('c', 's-paid'), card('d', 's-pricing')]);
        await flush();
        expect(focused(el)).toBe('heading:s-target');
    });

    it('leaves focus alone when it is elsewhere on the page', async () => {
        const el = mount();
        const outside = document.createElement('button');
        document.body.appendChild(outside);
        await flush();
        articleOf(el, 'b').focus();
        await flush();
        outside.focus();
        el.groups = groupByStream(STREAMS, [card('a', 's-target'), card('d', 's-pricing')]);
        await flush();
        expect(document.activeElement).toBe(outside);
    });

    it('focuses a visitor on request, and says when it is not on the board', async () => {
        const el = mount();
        await flush();
        expect(el.focusVisitor('c')).toBe(true);
        expect(focused(el)).toBe('c');
        expect(el.focusVisitor('zzz')).toBe(false);
    });
});
