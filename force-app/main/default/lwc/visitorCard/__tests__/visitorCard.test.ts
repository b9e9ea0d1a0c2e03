import { createElement } from 'lwc';
import VisitorCard from 'c/visitorCard';
import type { PounceSignal, VisitorCard as Card } from '../../sightlineLive/liveContract';
import CARD_JSON from './data/card.json';
import ANONYMOUS_JSON from './data/anonymousCard.json';

// JSON imports widen string unions to string: the fixtures are typed here once.
const CARD = CARD_JSON as Card;
const ANONYMOUS = ANONYMOUS_JSON as Card;

const REP = '005000000000007AAA';
const flush = () => Promise.resolve();

function mount(card: Card, props: Record<string, unknown> = {}) {
    const element = createElement('c-visitor-card', { is: VisitorCard });
    Object.assign<typeof element, Partial<typeof element>>(element, {
        card,
        streamName: 'Target Account',
        streamColor: '#0176D3',
        repId: REP,
        ...props
    });
    document.body.appendChild(element);
    return element;
}

const $ = (el: HTMLElement, id: string) =>
    el.shadowRoot!.querySelector(`[data-id="${id}"]`) as HTMLElement | null;

describe('c-visitor-card', () => {
    beforeEach(() => {
        jest.useFakeTimers();
        jest.setSystemTime(new Date('2026-01-01T10:04:05.000Z'));
    });
    afterEach(() => {
        while (document.body.firstChild) document.body.removeChild(document.body.firstChild);
        jest.useRealTimers();
    });

    it('shows who, where, what page, how long, Salesforce badges and routing', () => {
        const el = mount(CARD);
        expect($(el, 'name')!.textContent).toBe('Dana Whitfield');
        expect(el.shadowRoot!.textContent).toContain('Nova Robotics');
        expect(el.shadowRoot!.textContent).toContain('Amsterdam, Netherlands');
        expect($(el, 'page')!.textContent).toBe('Pricing');
        expect($(el, 'time-on-site')!.textContent).toBe('4m 05s');
        expect($(el, 'page-count')!.textContent).toBe('4 pages');
        expect($(el, 'band')!.textContent).toBe('Hot 72');
        const badges = Array.from(el.shadowRoot!.querySelectorAll('[data-badge]')).map(
            (b) => b.textContent
        );
        expect(badges).toEqual([
            'Target account',
            'Negotiation/Review · $405K',
            'Lead · Working',
            'Owner: Aiko Tanaka'
        ]);
        expect($(el, 'routing-status')!.textContent).toBe('Routed to you');
        expect($(el, 'experience')!.textContent).toBe('Chat routed to a rep');
        expect($(el, 'reason')!.textContent).toContain('Account owner Aiko Tanaka is available');
        expect($(el, 'routed-to')!.textContent).toBe('Aiko Tanaka');
    });

    it('shows "Ready to pounce" when the gateway says so, and not otherwise', () => {
        const checks: PounceSignal['checks'] = [
            {
                key: 'active',
                question: 'Actively looking at the site?',
                ok: true,
                answer: 'Yes: active now on /pricing'
            },
            {
                key: 'unengaged',
                question: 'Not engaged with another rep?',
                ok: true,
                answer: 'Yes: no rep is engaging'
            },
            {
                key: 'highIntent',
                question: 'In a high-intent stream?',
                ok: true,
                answer: 'Yes: Target Account'
            },
            {
                key: 'reading',
                question: 'Scrolled past 15%?',
                ok: true,
                answer: 'Yes: scrolled 40% of /pricing'
            }
        ];
        const badge = (el: HTMLElement) =>
            el
                .shadowRoot!.querySelector('c-pounce-signal')!
                .shadowRoot!.querySelector('[data-id="ready-badge"]');
        expect(badge(mount({ ...CARD, pounce: { ready: true, checks } }))).not.toBeNull();
        expect(badge(mount({ ...CARD, pounce: { ready: false, checks } }))).toBeNull();
    });

    it('names the matched record and shows what the visitor typed as typed', () => {
        const el = mount({ ...CARD, typedName: 'Mickey Mouse' });
        expect($(el, 'name')!.textContent).toBe('Dana Whitfield');
        expect(el.shadowRoot!.textContent).toContain('Nova Robotics · typed “Mickey Mouse”');
    });

    it('says "3 from Acme on the site" on a buying committee\'s cards, naming the others on hover', () => {
        const el = mount({
            ...CARD,
            committee: {
                accountName: 'Acme',
                count: 3,
                others: [
                    { id: 'b', name: 'Ana' },
                    { id: 'c', name: 'Ben' }
                ]
            }
        });
        expect($(el, 'committee')!.textContent).toBe('3 from Acme on the site');
        expect($(el, 'committee')!.title).toBe('Also on the site: Ana, Ben');
        expect($(mount(CARD), 'committee')).toBeNull();
    });

    it('ticks the time on site every second', async () => {
        const el = mount(CARD);
        jest.advanceTimersByTime(2000);
        await flush();
        expect($(el, 'time-on-site')!.textContent).toBe('4m 07s');
    });

    it('reads well for an unknown company with no location and no Salesforce data', () => {
        const el = mount(ANONYMOUS);
        expect(el.shadowRoot!.textContent).toContain('Unknown company');
        expect(el.shadowRoot!.textContent).toContain('Location unknown');
        expect(el.shadowRoot!.querySelectorAll('[data-badge]')).toHaveLength(0);
        expect($(el, 'activity')!.textContent).toBe('Idle');
        expect($(el, 'page')!.textContent).toBe('/site/');
        expect($(el, 'reason')!.textContent).toBe('No routing rule matched.');
    });

    it('truncates a very long name but keeps it whole in the title and label', () => {
        const long = 'Maximiliana Alexandrina Montgomery-Fitzwilliam-Ravenscroft of Lower Wallop';
        const el = mount({ ...CARD, displayName: long });
        const name = $(el, 'name')!;
        expect(name.classList.contains('slds-truncate')).toBe(true);
        expect(name.getAttribute('title')).toBe(long);
        expect($(el, 'visitor-card')!.getAttribute('aria-label')).toContain(long);
    });

    it('is focusable, names its stream beside the colour, and opens on Enter', () => {
        const el = mount(CARD);
        const handler = jest.fn();
        el.addEventListener('open', handler);
        const card = $(el, 'visitor-card')!;
        expect(card.getAttribute('tabindex')).toBe('0');
        expect(card.getAttribute('aria-label')).toContain('stream Target Account');
        card.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter' }));
        expect(handler).toHaveBeenCalledTimes(1);
        expect(handler.mock.calls[0][0].detail).toBe('sess-0001');
    });

    it('leaves the tab order with its buttons when its stream roves to another card, and focuses on request', async () => {
        const el = mount(CARD, { outsideTabOrder: true });
        await flush();
        const card = $(el, 'visitor-card')!;
        expect(card.getAttribute('tabindex')).toBe('-1');
        expect($(el, 'pin')!.getAttribute('tabindex')).toBe('-1');
        expect($(el, 'pounce')!.getAttribute('tabindex')).toBe('-1');
        (el as unknown as { focus(): void }).focus();
        expect(el.shadowRoot!.activeElement).toBe(card);
        el.outsideTabOrder = false;
        await flush();
        expect(card.getAttribute('tabindex')).toBe('0');
        expect($(el, 'pounce')!.getAttribute('tabindex')).toBe('0');
    });

    it('emits pounce with the visit id, and not open', () => {
        const el = mount(CARD);
        const pounce = jest.fn();
        const open = jest.fn();
        el.addEventListener('pounce', pounce);
        el.addEventListener('open', open);
        $(el, 'pounce')!.click();
        expect(pounce.mock.calls[0][0].detail).toBe('sess-0001');
        expect(open).not.toHaveBeenCalled();
    });

    it('shows who is engaging and disables pounce when another rep has the visitor', () => {
        const el = mount({
            ...CARD,
            engagedBy: { id: '005000000000009AAA', name: 'Emma Lindqvist' }
        });
        expect($(el, 'engaged')!.textContent).toBe('Emma Lindqvist is engaging');
        expect(($(el, 'pounce') as HTMLButtonElement).disabled).toBe(true);
    });

    it('counts a chat request down to the meeting booker', async () => {
        const chat: Card['chat'] = {
            state: 'requested',
            requestedAt: '2026-01-01T10:04:00.000Z',
            deadline: '2026-01-01T10:04:30.000Z',
            secondsTotal: 30
        };
        const el = mount({ ...CARD, chat });
        expect($(el, 'countdown')!.textContent).toContain('0:25');
        const accept = jest.fn();
        el.addEventListener('accept', accept);
        $(el, 'accept')!.click();
        expect(accept.mock.calls[0][0].detail).toBe('sess-0001');

        jest.advanceTimersByTime(10000);
        await flush();
        expect($(el, 'countdown')!.textContent).toContain('0:15');

        jest.advanceTimersByTime(16000);
        await flush();
        expect($(el, 'countdown')).toBeNull();
        expect($(el, 'accept')).toBeNull();
        expect($(el, 'booker')!.textContent).toContain('Went to the meeting booker');
    });

    it('ticks only while on screen, and shows the current time again when it comes back', async () => {
        let report: (entries: { target: Element; isIntersecting: boolean }[]) => void = () =>
            undefined;
        (globalThis as { IntersectionObserver?: unknown }).IntersectionObserver = class {
            constructor(callback: typeof report) {
                report = callback;
            }
            observe() {}
            unobserve() {}
        };
        try {
            const el = mount(CARD);
            report([{ target: el, isIntersecting: true }]);
            jest.advanceTimersByTime(1000);
            await flush();
            expect($(el, 'time-on-site')!.textContent).toBe('4m 06s');
            report([{ target: el, isIntersecting: false }]);
            jest.advanceTimersByTime(5000);
            await flush();
            expect($(el, 'time-on-site')!.textContent).toBe('4m 06s');
            report([{ target: el, isIntersecting: true }]);
            await flush();
            expect($(el, 'time-on-site')!.textContent).toBe('4m 11s');
        } finally {
            delete (globalThis as { IntersectionObserver?: unknown }).IntersectionObserver;
        }
    });

    it('starts a new countdown at its timeout, between two ticks of the shared clock', async () => {
        const el = mount(CARD);
        jest.advanceTimersByTime(900);
        el.card = {
            ...CARD,
            chat: {
                state: 'requested',
                requestedAt: '2026-01-01T10:04:05.900Z',
                deadline: '2026-01-01T10:04:11.900Z',
                secondsTotal: 6
            }
        };
        await flush();
        expect($(el, 'countdown')!.textContent).toContain('0:06');
    });

    it('shows the meeting booker when the gateway says so, in one line', () => {
        const el = mount({
            ...CARD,
            chat: { state: 'meeting-booker', at: '2026-01-01T10:04:00.000Z' }
        });
        expect($(el, 'booker')!.textContent).toBe('Went to the meeting booker');
        expect($(el, 'chat-state')).toBeNull();
        expect(el.shadowRoot!.textContent!.match(/meeting booker/g)).toHaveLength(1);
    });

    it('condenses into a row for the list view', () => {
        const el = mount(CARD, { variant: 'row' });
        expect($(el, 'visitor-card')!.classList.contains('visitor_row')).toBe(true);
        expect($(el, 'visitor-card')!.getAttribute('aria-label')).toContain(
            'stream Target Account'
        );
    });
});
