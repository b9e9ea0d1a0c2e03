/**
 * A palette of named colours as a radio group: arrow keys move the choice, each swatch
 * says its name to assistive technology, and the chosen one shows a check.
 * Emits `change` with `{ value }` (`#rrggbb`).
 */
import { LightningElement, api } from 'lwc';
import { PALETTE, colorName } from 'c/setupModel';

export default class SetupColorPicker extends LightningElement {
    @api label = 'Colour';
    selected = '#0176D3';

    @api
    get value(): string {
        return this.selected;
    }
    set value(v: string) {
        this.selected = v || '#0176D3';
    }

    get selectedName(): string {
        return colorName(this.value);
    }

    get swatches() {
        const current = (this.value ?? '').toLowerCase();
        const anySelected = PALETTE.some((c) => c.value.toLowerCase() === current);
        return PALETTE.map((color, index) => {
            const selected = color.value.toLowerCase() === current;
            return {
                ...color,
                selected,
                ariaChecked: selected ? 'true' : 'false',
                tabIndex: selected || (!anySelected && index === 0) ? '0' : '-1',
                style: `background-color: ${color.value}`,
                className: `swatch${selected ? ' swatch_selected' : ''}`
            };
        });
    }

    handleClick(event: Event): void {
        this.choose((event.currentTarget as HTMLElement).dataset.value ?? '');
    }

    handleKeyDown(event: KeyboardEvent): void {
        const step = { ArrowRight: 1, ArrowDown: 1, ArrowLeft: -1, ArrowUp: -1 }[event.key];
        if (!step) return;
        event.preventDefault();
        const index = PALETTE.findIndex(
            (c) => c.value.toLowerCase() === (this.value ?? '').toLowerCase()
        );
        const next = PALETTE[(index + step + PALETTE.length) % PALETTE.length]!;
        this.choose(next.value);
        // Focus follows the choice, as in a native radio group.
        Promise.resolve().then(() =>
            (
                this.template?.querySelector(`[data-value="${next.value}"]`) as HTMLElement | null
            )?.focus()
        );
    }

    private choose(value: string): void {
        if (!value || value === this.selected) return;
        this.selected = value;
        this.dispatchEvent(new CustomEvent('change', { detail: { value } }));
    }
}
