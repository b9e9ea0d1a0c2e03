import { createElement } from 'lwc';
import WebsiteVisitorsNow from 'c/websiteVisitorsNow';
import { subscribe } from 'lightning/empApi';
import getAccountVisitors from '@salesforce/apex/SightlineGatewayController.getAccountVisitors';
import pounce from '@salesforce/apex/SightlineGatewayController.pounce';
import CARD from '../../visitorCard/__tests__/data/card.json';

jest.mock(
    '@salesforce/apex/SightlineGatewayController.getAccountVisitors',
    () => ({ default: jest.fn() }),
    { virtual: true }
);
jest.mock('@salesforce/apex/SightlineGatewayController.pounce', () => ({ default: jest.fn() }), {
    virtual: true
});

const mocked = (fn: unknown) => fn as jest.Mock;
const flush = async () => {
    for (let i = 0; i < 6; i++) await Promise.resolve();
};
const STREAMS = [{ id: 's-target', name: 'Target Account', color: '#0176D3', priority: 1 }];
const card = (id: string) => ({ ...CARD, id, streamId: 's-target' });
let onEvent: (() => void) | undefined;

async function mount(recordId = '001000000000001AAA') {
    const el = createElement('c-website-visitors-now', {
        is: WebsiteVisitorsNow
    }) as unknown as HTMLElement & Record<string, unknown>;
    el.recordId = recordId;
    document.body.appendChild(el);
    await flush();
    return el;
}
const $ = (el: HTMLElement, id: string) =>
    el.shadowRoot!.querySelector(`[data-id="${id}"]`) as HTMLElement | null;
const $$ = (el: HTMLElement, id: string) =>
    [...el.shadowRoot!.querySelectorAll(`[data-id="${id}"]`)] as (HTMLElement &
        Record<string, unknown>)[];

describe('c-website-visitors-now', () => {
    beforeEach(() => {
        jest.useFakeTimers({ doNotFake: ['queueMicrotask', 'nextTick'] });
        mocked(subscribe).mockImplementation((_c: string, _r: number, callback: () => void) => {
            onEvent = callback;
            return Promise.resolve({ id: 'sub', channel: _c, replayId: -1 });
        });
    });
    afterEach(() => {
        while (document.body.firstChild) document.body.removeChild(document.body.firstChild);
        jest.clearAllMocks();
        jest.useRealTimers();
    });

    it('a buying committee: "3 from Acme on the site", the cards the user may see, and the rest counted', async () => {
        mocked(getAccountVisitors).mockResolvedValue({
            matchedOn: 'Acme',
            streams: STREAMS,
            visitors: [card('a'), card('b')],
            otherReps: 1
        });
        const el = await mount();
        expect(getAccountVisitors).toHaveBeenCalledWith({ recordId: '001000000000001AAA' });
        expect($(el, 'committee')!.textContent).toBe('3 from Acme on the site');
        const cards = $$(el, 'visitor');
        expect(cards.map((c) => (c.card as { id: string }).id)).toEqual(['a', 'b']);
        expect(cards[0]!.streamName).toBe('Target Account');
        expect($(el, 'others')!.textContent).toBe('1 more, routed to another rep');
    });

    it('nobody on the site says so; a live update refetches after a short pause', async () => {
        mocked(getAccountVisitors).mockResolvedValue({
            matchedOn: 'Acme',
            streams: STREAMS,
            visitors: [],
            otherReps: 0
        });
        const el = await mount();
        expect($(el, 'headline')!.textContent).toBe('Nobody from Acme is on the website right now');
        mocked(getAccountVisitors).mockResolvedValue({
            matchedOn: 'Acme',
            streams: STREAMS,
            visitors: [card('a')],
            otherReps: 0
        });
        onEvent!();
        onEvent!();
        jest.advanceTimersByTime(1000);
        await flush();
        expect(getAccountVisitors).toHaveBeenCalledTimes(2);
        expect($(el, 'headline')!.textContent).toBe('1 from Acme on the site');
    });

    it('pounces from the record page and says who is engaging when another rep won', async () => {
        mocked(getAccountVisitors).mockResolvedValue({
            matchedOn: 'Acme',
            streams: STREAMS,
            visitors: [card('a')],
            otherReps: 0
        });
        mocked(pounce).mockResolvedValue({
            ok: false,
            engagedBy: { id: 'u2', name: 'Maya Chen' },
            message: 'Maya Chen is engaging.'
        });
        const el = await mount();
        const toasts = jest.fn();
        el.addEventListener('lightning__showtoast', toasts);
        $$(el, 'visitor')[0]!.dispatchEvent(new CustomEvent('pounce', { detail: 'a' }));
        await flush();
        expect(pounce).toHaveBeenCalledWith({ visitorId: 'a' });
        expect(toasts.mock.calls[0][0].detail.title).toBe('Maya Chen is engaging');
    });

    it('shows what went wrong', async () => {
        mocked(getAccountVisitors).mockRejectedValue({
            body: { message: 'You cannot see that record.' }
        });
        const el = await mount();
        expect($(el, 'error')!.textContent).toBe('You cannot see that record.');
    });
});
