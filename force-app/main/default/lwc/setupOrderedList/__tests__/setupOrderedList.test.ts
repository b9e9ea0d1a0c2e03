import { createElement } from 'lwc';
import SetupOrderedList from 'c/setupOrderedList';

const ITEMS = [
    { id: 'a', title: 'Target Account', color: '#0176D3', active: true },
    { id: 'b', title: 'Open Opportunity', color: '#2E844A', active: true },
    { id: 'c', title: 'Pricing Page', color: '#9050E9', active: false }
];

const flush = () => Promise.resolve();

function mount() {
    const element = createElement('c-setup-ordered-list', { is: SetupOrderedList });
    Object.assign<typeof element, Partial<typeof element>>(element, {
        items: ITEMS,
        label: 'Streams',
        noun: 'stream'
    });
    document.body.appendChild(element);
    const reorder = jest.fn();
    element.addEventListener('reorder', (e) => reorder((e as CustomEvent).detail));
    return { element, reorder, root: element.shadowRoot! };
}

function dragEvent(type: string): Event {
    const event = new CustomEvent(type, { bubbles: true, cancelable: true });
    Object.defineProperty(event, 'dataTransfer', {
        value: { setData: jest.fn(), effectAllowed: '', dropEffect: '' }
    });
    return event;
}

describe('c-setup-ordered-list', () => {
    afterEach(() => {
        while (document.body.firstChild) document.body.removeChild(document.body.firstChild);
    });

    it('renders the items in order, numbered, in a labelled list', () => {
        const { root } = mount();
        expect(root.querySelector('ol')!.getAttribute('aria-label')).toBe('Streams');
        expect(
            Array.from(root.querySelectorAll('[data-id="title"]')).map((t) => t.textContent)
        ).toEqual(['Target Account', 'Open Opportunity', 'Pricing Page']);
        expect(
            Array.from(root.querySelectorAll('[data-id="position"]')).map((t) => t.textContent)
        ).toEqual(['1', '2', '3']);
    });

    it('moves a row with the keyboard buttons and announces the new position', async () => {
        const { root, reorder } = mount();
        const down = root.querySelector(
            'lightning-button-icon[data-id="a"][data-move="down"]'
        ) as HTMLElement;
        expect(
            (
                root.querySelector(
                    'lightning-button-icon[data-id="a"][data-move="up"]'
                ) as unknown as { disabled: boolean }
            ).disabled
        ).toBe(true);
        down.click();
        await flush();
        expect(reorder).toHaveBeenCalledWith({
            ids: ['b', 'a', 'c'],
            movedId: 'a',
            from: 0,
            to: 1
        });
        expect(root.querySelector('[data-id="announcement"]')!.textContent).toBe(
            'Target Account moved to position 2 of 3.'
        );

        (
            root.querySelector('lightning-button-icon[data-id="c"][data-move="up"]') as HTMLElement
        ).click();
        expect(reorder).toHaveBeenLastCalledWith({
            ids: ['a', 'c', 'b'],
            movedId: 'c',
            from: 2,
            to: 1
        });
    });

    it('moves a row by drag and drop', async () => {
        const { root, reorder } = mount();
        const rows = root.querySelectorAll('li');
        rows[2]!.dispatchEvent(dragEvent('dragstart'));
        const over = dragEvent('dragover');
        rows[0]!.dispatchEvent(over);
        expect(over.defaultPrevented).toBe(true);
        await flush();
        expect(rows[0]!.className).toContain('row_drop-target');
        rows[0]!.dispatchEvent(dragEvent('drop'));
        expect(reorder).toHaveBeenCalledWith({
            ids: ['c', 'a', 'b'],
            movedId: 'c',
            from: 2,
            to: 0
        });
        await flush();
        expect(root.querySelector('[data-id="announcement"]')!.textContent).toBe(
            'Pricing Page moved to position 1 of 3.'
        );
    });

    it('emits select and toggleactive with the id', () => {
        const { element, root } = mount();
        const select = jest.fn();
        const toggle = jest.fn();
        element.addEventListener('select', (e) => select((e as CustomEvent).detail));
        element.addEventListener('toggleactive', (e) => toggle((e as CustomEvent).detail));
        (root.querySelector('button.title[data-id="b"]') as HTMLElement).click();
        expect(select).toHaveBeenCalledWith('b');
        const input = root.querySelector('lightning-input[data-id="c"]')!;
        input.dispatchEvent(new CustomEvent('change', { detail: { checked: true } }));
        expect(toggle).toHaveBeenCalledWith({ id: 'c', active: true });
    });
});
