import { createElement } from 'lwc';
import SetupStreamEditor from 'c/setupStreamEditor';

const flush = () => Promise.resolve();

describe('c-setup-stream-editor', () => {
    afterEach(() => {
        while (document.body.firstChild) document.body.removeChild(document.body.firstChild);
    });

    function mount(criteria: string) {
        const element = createElement('c-setup-stream-editor', {
            is: SetupStreamEditor
        });
        element.stream = {
            id: 'a02',
            name: 'Pricing Page',
            color: '#9050E9',
            priority: 4,
            active: true,
            criteria,
            description: ''
        };
        document.body.appendChild(element);
        const saves: unknown[] = [];
        element.addEventListener('save', (e) => saves.push((e as CustomEvent).detail));
        return { element, saves, root: element.shadowRoot! };
    }

    it('refuses to save invalid criteria and says why', async () => {
        const { root, saves } = mount(
            '{"all":[{"field":"company.employees","operator":"contains","value":"x"}]}'
        );
        (root.querySelector('[data-id="save"]') as HTMLElement).click();
        await flush();
        expect(saves).toHaveLength(0);
        const message = root.querySelector('[data-id="save-error"]')!.textContent!;
        expect(message).toContain('not valid, so the stream was not saved');
        expect(message).toContain('does not apply to number field "Employees"');
    });

    it('saves the draft with the chosen colour and edited criteria', async () => {
        const { root, saves } = mount('{"all":[]}');
        root.querySelector('c-setup-color-picker')!.dispatchEvent(
            new CustomEvent('change', { detail: { value: '#2E844A' } })
        );
        root.querySelector('c-criteria-builder')!.dispatchEvent(
            new CustomEvent('change', {
                detail: {
                    criteria: '{"all":[{"field":"utm.medium","operator":"equals","value":"cpc"}]}',
                    valid: true,
                    errors: []
                }
            })
        );
        await flush();
        (root.querySelector('[data-id="save"]') as HTMLElement).click();
        expect(saves).toEqual([
            expect.objectContaining({
                id: 'a02',
                name: 'Pricing Page',
                color: '#2E844A',
                criteria: '{"all":[{"field":"utm.medium","operator":"equals","value":"cpc"}]}'
            })
        ]);
    });
});
