import { createElement } from 'lwc';
import SetupDryRun from 'c/setupDryRun';
import type { DryRunVisitors } from '../../setupModel/setupModel';

const NOW = Date.UTC(2026, 10, 25, 9, 0, 0);
const DATA: DryRunVisitors = {
    source: 'live',
    generatedAt: new Date(NOW).toISOString(),
    now: NOW,
    truncated: false,
    visitors: [
        {
            identity: { level: 'company', visitorId: 'v1' },
            company: { name: 'Acme', domain: 'acme.com' },
            location: { city: 'Paris', country: 'France' }
        },
        { identity: { level: 'anonymous', visitorId: 'v2' }, location: { city: 'Oslo' } }
    ]
};

const flush = () => Promise.resolve();

describe('c-setup-dry-run', () => {
    afterEach(() => {
        while (document.body.firstChild) document.body.removeChild(document.body.firstChild);
    });

    it('says which live visitors match, and explains one when chosen', async () => {
        const element = createElement('c-setup-dry-run', { is: SetupDryRun });
        Object.assign<typeof element, Partial<typeof element>>(element, {
            data: DATA,
            criteria: '{"all":[{"field":"company.domain","operator":"equals","value":"acme.com"}]}'
        });
        document.body.appendChild(element);
        const root = element.shadowRoot!;
        expect(root.querySelector('[data-id="dry-run-summary"]')!.textContent).toBe(
            '1 of 2 live visitors would match this stream.'
        );
        expect(
            Array.from(root.querySelectorAll('li')).map((li) => li.getAttribute('data-matched'))
        ).toEqual(['true', 'false']);

        (root.querySelector('button[data-id="v2"]') as HTMLElement).click();
        await flush();
        const trace = root.querySelector('[data-id="trace"]')!.textContent!;
        expect(trace).toContain('Visitor from Oslo');
        expect(trace).toContain('✗ all of');
        expect(trace).toContain('Company domain equals "acme.com"');

        element.criteria = '{"all":[{"field":"company.domain","operator":"gt","value":1}]}';
        await flush();
        expect(root.querySelector('[data-id="dry-run-summary"]')!.textContent).toContain(
            'Fix the criteria'
        );
    });

    it('lists the matching visitors first', () => {
        const element = createElement('c-setup-dry-run', { is: SetupDryRun });
        Object.assign<typeof element, Partial<typeof element>>(element, {
            data: DATA,
            criteria: '{"all":[{"field":"location.city","operator":"equals","value":"Oslo"}]}'
        });
        document.body.appendChild(element);
        const rows = Array.from(element.shadowRoot!.querySelectorAll('li'));
        expect(
            rows.map((li) => [li.getAttribute('data-id'), li.getAttribute('data-matched')])
        ).toEqual([
            ['v2', 'true'],
            ['v1', 'false']
        ]);
    });

    it('says when nobody is on the site', async () => {
        const element = createElement('c-setup-dry-run', { is: SetupDryRun });
        Object.assign<typeof element, Partial<typeof element>>(element, {
            data: DATA,
            criteria: '{"all":[]}',
            subject: 'rule'
        });
        document.body.appendChild(element);
        expect(element.shadowRoot!.querySelector('[data-id="dry-run-summary"]')!.textContent).toBe(
            '2 of 2 live visitors would match this rule.'
        );
        element.data = { ...DATA, visitors: [] };
        await flush();
        expect(element.shadowRoot!.querySelector('[data-id="no-visitors"]')).not.toBeNull();
    });
});
