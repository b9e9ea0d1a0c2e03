import { createElement } from 'lwc';
import FreshnessIndicator from 'c/freshnessIndicator';

const NOW = new Date('2026-01-01T10:00:00.000Z').getTime();
const flush = () => Promise.resolve();

function mount(props: Record<string, unknown>) {
    const element = createElement('c-freshness-indicator', {
        is: FreshnessIndicator
    });
    Object.assign(element, props);
    document.body.appendChild(element);
    return element;
}

const pill = (el: HTMLElement) =>
    el.shadowRoot!.querySelector('[data-id="freshness"]') as HTMLElement;
const label = (el: HTMLElement) => el.shadowRoot!.querySelector('.freshness__label')!.textContent;

describe('c-freshness-indicator', () => {
    beforeEach(() => {
        jest.useFakeTimers();
        jest.setSystemTime(NOW);
    });
    afterEach(() => {
        while (document.body.firstChild) document.body.removeChild(document.body.firstChild);
        jest.useRealTimers();
    });

    it.each([
        ['connecting', 'Connecting…', 'Connecting to live updates.'],
        ['live', 'Live', 'Connected: every change appears as it happens.'],
        [
            'catching-up',
            'Catching up…',
            'Some updates were missed: reloading the current visitors.'
        ],
        [
            'reconnecting',
            'Reconnecting… data is 12s old',
            'The connection to live updates was lost. Retrying; what you see may be out of date.'
        ]
    ])('%s reads "%s", with the detail for screen readers', (state, text, detail) => {
        const el = mount({ state, updatedAt: NOW - 12_000 });
        expect(label(el)).toBe(text);
        expect(pill(el).getAttribute('role')).toBe('status');
        expect(pill(el).dataset.state).toBe(state);
        expect(pill(el).title).toBe(detail);
        expect(el.shadowRoot!.querySelector('.slds-assistive-text')!.textContent).toBe(detail);
    });

    it('when throttled, says how old the data is and how often batches come, the age ticking', async () => {
        const el = mount({ state: 'throttled', updatedAt: NOW - 4_000, windowMs: 5_000 });
        expect(label(el)).toBe('Batched · updated 4s ago');
        expect(pill(el).title).toContain('updates arrive in batches every 5 s');
        jest.advanceTimersByTime(61_000);
        await flush();
        expect(label(el)).toBe('Batched · updated 1m 05s ago');
    });

    it.each([
        ['socket', 'Live · direct', 'Connected directly to the gateway'],
        ['events', 'Live · via events', 'Connected through Platform Events']
    ])('live via %s says so', (via, text, detail) => {
        const el = mount({ state: 'live', via });
        expect(label(el)).toBe(text);
        expect(pill(el).dataset.via).toBe(via);
        expect(pill(el).title).toContain(detail);
    });

    it("when throttled, says the governor's projected day against the budget", () => {
        const el = mount({
            state: 'throttled',
            updatedAt: NOW,
            windowMs: 12_000,
            projectedDay: 18_420,
            budget: 20_000
        });
        expect(pill(el).title).toBe(
            "Connected. To stay within the org's event allocation, updates arrive in batches every 12 s. Projected today: 18,420 of 20,000 deliveries."
        );
    });

    it('a lost connection never reads as live, even with no data yet', () => {
        const el = mount({ state: 'reconnecting', updatedAt: 0 });
        expect(label(el)).toBe('Reconnecting…');
        expect(pill(el).className).toBe('freshness freshness_reconnecting');
    });

    it('stops its clock when removed', () => {
        const el = mount({ state: 'throttled', updatedAt: NOW });
        document.body.removeChild(el);
        expect(jest.getTimerCount()).toBe(0);
    });
});
