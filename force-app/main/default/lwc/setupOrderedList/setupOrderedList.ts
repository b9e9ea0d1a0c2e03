/**
 * An ordered list (streams by priority, rules by order) that can be reordered by drag and
 * drop or, without a mouse, with each row's move up / move down buttons; every move is
 * announced in a live region. Presentational: it emits `reorder` with
 * `{ ids, movedId, from, to }` and the container decides what to save.
 * Also emits `select` (detail: id) and `toggleactive` (`{ id, active }`).
 */
import { LightningElement, api } from 'lwc';

export interface OrderedItem {
    id: string;
    title: string;
    subtitle?: string;
    color?: string;
    active: boolean;
}

export default class SetupOrderedList extends LightningElement {
    @api items: OrderedItem[] = [];
    @api selectedId: string | undefined;
    @api label = 'Items';
    /** Singular, for labels: "Move stream Pricing Page up". */
    @api noun = 'item';

    announcement = '';
    draggingId: string | undefined;
    dropTargetId: string | undefined;
    private pendingFocus: { id: string; direction: 'up' | 'down' } | undefined;

    get rows() {
        const items = this.items ?? [];
        return items.map((item, index) => ({
            ...item,
            position: index + 1,
            isFirst: index === 0,
            isLast: index === items.length - 1,
            upLabel: `Move ${this.noun} ${item.title} up`,
            downLabel: `Move ${this.noun} ${item.title} down`,
            activeLabel: `${item.title} active`,
            dotStyle: item.color ? `background-color: ${item.color}` : 'display: none',
            ariaCurrent: item.id === this.selectedId ? 'true' : undefined,
            className: [
                'row slds-p-vertical_x-small slds-p-horizontal_small',
                item.id === this.selectedId ? 'row_selected' : '',
                item.id === this.draggingId ? 'row_dragging' : '',
                item.id === this.dropTargetId && item.id !== this.draggingId
                    ? 'row_drop-target'
                    : '',
                item.active ? '' : 'row_inactive'
            ]
                .filter(Boolean)
                .join(' ')
        }));
    }

    get isEmpty(): boolean {
        return (this.items ?? []).length === 0;
    }

    renderedCallback(): void {
        if (!this.pendingFocus) return;
        const { id, direction } = this.pendingFocus;
        this.pendingFocus = undefined;
        const row = this.template?.querySelector(`li[data-id="${id}"]`);
        const wanted = row?.querySelector(`[data-move="${direction}"]`) as
            (HTMLElement & { disabled?: boolean }) | null;
        const other = row?.querySelector(
            `[data-move="${direction === 'up' ? 'down' : 'up'}"]`
        ) as HTMLElement | null;
        (wanted && !wanted.disabled ? wanted : other)?.focus();
    }

    handleSelect(event: Event): void {
        const id = (event.currentTarget as HTMLElement).dataset.id;
        if (id) this.dispatchEvent(new CustomEvent('select', { detail: id }));
    }

    handleToggle(event: CustomEvent<{ checked: boolean }>): void {
        const id = (event.currentTarget as HTMLElement).dataset.id;
        if (id)
            this.dispatchEvent(
                new CustomEvent('toggleactive', { detail: { id, active: event.detail.checked } })
            );
    }

    handleMoveUp(event: Event): void {
        this.moveBy((event.currentTarget as HTMLElement).dataset.id, -1);
    }

    handleMoveDown(event: Event): void {
        this.moveBy((event.currentTarget as HTMLElement).dataset.id, 1);
    }

    handleDragStart(event: DragEvent): void {
        const id = (event.currentTarget as HTMLElement).dataset.id;
        this.draggingId = id;
        if (event.dataTransfer && id) {
            event.dataTransfer.effectAllowed = 'move';
            event.dataTransfer.setData('text/plain', id);
        }
    }

    handleDragOver(event: DragEvent): void {
        if (!this.draggingId) return;
        event.preventDefault();
        if (event.dataTransfer) event.dataTransfer.dropEffect = 'move';
        this.dropTargetId = (event.currentTarget as HTMLElement).dataset.id;
    }

    handleDrop(event: DragEvent): void {
        event.preventDefault();
        const targetId = (event.currentTarget as HTMLElement).dataset.id;
        const movedId = this.draggingId;
        this.draggingId = undefined;
        this.dropTargetId = undefined;
        if (!movedId || !targetId) return;
        const ids = (this.items ?? []).map((i) => i.id);
        this.move(movedId, ids.indexOf(movedId), ids.indexOf(targetId));
    }

    handleDragEnd(): void {
        this.draggingId = undefined;
        this.dropTargetId = undefined;
    }

    private moveBy(id: string | undefined, step: number): void {
        if (!id) return;
        const from = (this.items ?? []).findIndex((i) => i.id === id);
        this.pendingFocus = { id, direction: step < 0 ? 'up' : 'down' };
        this.move(id, from, from + step);
    }

    private move(movedId: string, from: number, to: number): void {
        const items = this.items ?? [];
        if (from < 0 || to < 0 || to >= items.length || from === to) return;
        const ids = items.map((i) => i.id);
        ids.splice(from, 1);
        ids.splice(to, 0, movedId);
        const title = items[from]!.title;
        this.announcement = `${title} moved to position ${to + 1} of ${items.length}.`;
        this.dispatchEvent(new CustomEvent('reorder', { detail: { ids, movedId, from, to } }));
    }
}
