import { createElement } from 'lwc';
import PounceSignal from 'c/pounceSignal';

const READY = {
    ready: true,
    checks: [
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
            answer: 'Yes: Pricing Page'
        },
        {
            key: 'reading',
            question: 'Scrolled past 15%?',
            ok: true,
            answer: 'Yes: scrolled 40% of /pricing'
        }
    ]
};
const NOT_READY = {
    ready: false,
    checks: READY.checks.map((c) =>
        c.key === 'reading' ? { ...c, ok: false, answer: 'No: scrolled 5% of /pricing' } : c
    )
};

function mount(props: Record<string, unknown>) {
    const el = createElement('c-pounce-signal', { is: PounceSignal }) as unknown as HTMLElement &
        Record<string, unknown>;
    Object.assign(el, props);
    document.body.appendChild(el);
    return el;
}

describe('c-pounce-signal', () => {
    afterEach(() => {
        while (document.body.firstChild) document.body.removeChild(document.body.firstChild);
    });

    it('badge: shows "Ready to pounce" with every answer on hover, only when ready', () => {
        const ready = mount({ signal: READY });
        const badge = ready.shadowRoot!.querySelector('[data-id="ready-badge"]') as HTMLElement;
        expect(badge.textContent!.trim()).toBe('Ready to pounce');
        expect(badge.title).toContain('Yes: scrolled 40% of /pricing');
        const notReady = mount({ signal: NOT_READY });
        expect(notReady.shadowRoot!.querySelector('[data-id="ready-badge"]')).toBeNull();
        const unknown = mount({});
        expect(unknown.shadowRoot!.querySelector('[data-id="ready-badge"]')).toBeNull();
    });

    it("checklist: the four questions with the visitor's answers and a verdict", () => {
        const el = mount({ signal: NOT_READY, variant: 'checklist' });
        expect(el.shadowRoot!.querySelector('[data-id="verdict"]')!.textContent).toBe(
            'Not yet: 1 of 4 not met'
        );
        const answers = Array.from(el.shadowRoot!.querySelectorAll('[data-check]')).map((li) => [
            (li as HTMLElement).dataset.check,
            li.querySelector('[data-id="answer"]')!.textContent
        ]);
        expect(answers).toEqual([
            ['active', 'Yes: active now on /pricing'],
            ['unengaged', 'Yes: no rep is engaging'],
            ['highIntent', 'Yes: Pricing Page'],
            ['reading', 'No: scrolled 5% of /pricing']
        ]);
        expect(el.shadowRoot!.querySelector('[data-id="ready-badge"]')).toBeNull();
    });
});
