import { createElement } from 'lwc';
import SetupColorPicker from 'c/setupColorPicker';

const flush = () => Promise.resolve();

describe('c-setup-color-picker', () => {
    afterEach(() => {
        while (document.body.firstChild) document.body.removeChild(document.body.firstChild);
    });

    function mount(value: string) {
        const element = createElement('c-setup-color-picker', {
            is: SetupColorPicker
        });
        element.label = 'Colour';
        element.value = value;
        document.body.appendChild(element);
        const changes: string[] = [];
        element.addEventListener('change', (e) =>
            changes.push((e as CustomEvent<{ value: string }>).detail.value)
        );
        const root = element.shadowRoot!;
        const swatches = () => [...root.querySelectorAll('[role="radio"]')] as HTMLButtonElement[];
        const checked = () => swatches().find((s) => s.getAttribute('aria-checked') === 'true');
        return { element, root, changes, swatches, checked };
    }

    it('names every colour to assistive technology, as a radio group with one tab stop', () => {
        const { root, swatches, checked } = mount('#2E844A');
        expect(root.querySelector('[role="radiogroup"]')!.getAttribute('aria-label')).toBe(
            'Colour'
        );
        expect(swatches().map((s) => s.getAttribute('aria-label'))).toEqual([
            'Blue',
            'Dark blue',
            'Teal',
            'Green',
            'Orange',
            'Red',
            'Pink',
            'Purple',
            'Violet',
            'Gray'
        ]);
        expect(checked()!.getAttribute('aria-label')).toBe('Green');
        expect(swatches().filter((s) => s.tabIndex === 0)).toEqual([checked()]);
        expect(root.querySelector('[data-id="color-name"]')!.textContent).toBe('Green');
    });

    it('moves the choice with the arrow keys, wrapping around, and focus follows', async () => {
        const { root, changes, checked } = mount('#0176D3');
        const group = root.querySelector('[role="radiogroup"]')!;
        const press = async (key: string) => {
            group.dispatchEvent(new KeyboardEvent('keydown', { key, bubbles: true }));
            await flush();
            await flush();
        };
        await press('ArrowRight');
        expect(checked()!.getAttribute('aria-label')).toBe('Dark blue');
        expect(root.activeElement).toBe(checked());
        await press('ArrowLeft');
        await press('ArrowUp');
        expect(checked()!.getAttribute('aria-label')).toBe('Gray');
        expect(root.querySelector('[data-id="color-name"]')!.textContent).toBe('Gray');
        await press('Tab');
        expect(changes).toEqual(['#014486', '#0176D3', '#5C5C5C']);
    });

    it('chooses a colour on click, and starts the tab stop on the first swatch for a colour off the palette', async () => {
        const { swatches, changes, checked, root } = mount('#123456');
        expect(checked()).toBeUndefined();
        expect(swatches()[0]!.tabIndex).toBe(0);
        expect(root.querySelector('[data-id="color-name"]')!.textContent).toBe(
            'Custom colour #123456'
        );
        swatches()[7]!.click();
        await flush();
        expect(changes).toEqual(['#7526E3']);
        expect(checked()!.getAttribute('aria-label')).toBe('Purple');
    });
});
