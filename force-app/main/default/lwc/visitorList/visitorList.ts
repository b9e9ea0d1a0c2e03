/**
 * The list view: one column of condensed rows grouped by stream, groups in priority order,
 * sortable within each group. The groups (the segmentation) come from the console as in
 * the live view; only the order inside a group changes here.
 */
import { LightningElement, api } from 'lwc';
import { COMPARATORS, type SortKey, type StreamGroup } from 'c/visitorFormat';

const SORT_OPTIONS: { label: string; value: SortKey }[] = [
    { label: 'Time on site', value: 'timeOnSite' },
    { label: 'Engagement score', value: 'score' },
    { label: 'Name', value: 'name' },
    { label: 'Ready to pounce first', value: 'ready' }
];

export default class VisitorList extends LightningElement {
    @api groups: StreamGroup[] = [];
    @api repId = '';

    sortBy: SortKey = 'timeOnSite';

    get sortOptions() {
        return SORT_OPTIONS.map((o) => ({ ...o, selected: o.value === this.sortBy }));
    }

    get sortedGroups(): StreamGroup[] {
        const compare = COMPARATORS[this.sortBy];
        return this.groups.map((group) => ({
            ...group,
            visitors: [...group.visitors].sort(compare)
        }));
    }

    get hasStreams(): boolean {
        return this.groups.length > 0;
    }

    handleSort(event: Event): void {
        const value = (event.target as HTMLSelectElement).value as SortKey;
        if (value in COMPARATORS) this.sortBy = value;
    }

    forward(event: CustomEvent<string>): void {
        event.stopPropagation();
        this.dispatchEvent(new CustomEvent(event.type, { detail: event.detail }));
    }
}
