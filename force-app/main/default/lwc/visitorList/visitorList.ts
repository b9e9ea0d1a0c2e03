/**
 * The list view: one column of condensed rows grouped by stream, groups in priority order,
 * sortable within each group. The groups (the segmentation) come from the console as in
 * the live view; only the order inside a group changes here.
 */
import { LightningElement, api } from 'lwc';
import { COMPARATORS, type SortKey, type StreamGroup } from 'c/visitorFormat';
import { StreamFocus, type StreamCards } from 'c/consoleFocus';

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
    /** Bumped when the tab stops change, so the template reads them again. */
    stopsVersion = 0;
    /** One row per group in the tab order, arrow keys within it (c/consoleFocus). */
    private readonly focusKeeper = new StreamFocus(
        () => this.template,
        () => {
            this.stopsVersion += 1;
        }
    );

    get sortOptions(): { label: string; value: SortKey }[] {
        return SORT_OPTIONS;
    }

    private get sorted(): StreamGroup[] {
        const compare = COMPARATORS[this.sortBy];
        return this.groups.map((group) => ({
            ...group,
            visitors: [...group.visitors].sort(compare)
        }));
    }

    private get streamCards(): StreamCards[] {
        return this.sorted.map((g) => ({ id: g.id, visitorIds: g.visitors.map((v) => v.id) }));
    }

    get sortedGroups() {
        // Read here so the template re-renders when the tab stops change.
        const stopsVersion = this.stopsVersion;
        this.focusKeeper.beforeRender();
        const groups = this.sorted;
        const stops = this.focusKeeper.stops(
            groups.map((g) => ({ id: g.id, visitorIds: g.visitors.map((v) => v.id) }))
        );
        return groups.map((group) => ({
            ...group,
            stopsVersion,
            headingId: `group-${group.id}`,
            cards: group.visitors.map((card) => ({
                id: card.id,
                card,
                outsideTabOrder: stops.get(group.id) !== card.id
            }))
        }));
    }

    /** Focuses a visitor's row; false when it is not in the list. */
    @api
    focusVisitor(visitId: string): boolean {
        return this.focusKeeper.focusCard(visitId);
    }

    /** Focuses a stream's heading (or the first one); false when there is none. */
    @api
    focusStream(streamId?: string): boolean {
        const id = streamId ?? this.groups[0]?.id;
        return id ? this.focusKeeper.focusHeading(id) : false;
    }

    renderedCallback(): void {
        this.focusKeeper.afterRender(this.streamCards);
    }

    handleFocusIn(event: FocusEvent): void {
        this.focusKeeper.handleFocusIn(event);
    }

    handleFocusOut(event: FocusEvent): void {
        this.focusKeeper.handleFocusOut(event);
    }

    handleKeydown(event: KeyboardEvent): void {
        this.focusKeeper.handleKeydown(event, this.streamCards);
    }

    get hasStreams(): boolean {
        return this.groups.length > 0;
    }

    handleSort(event: CustomEvent<{ value: string }>): void {
        event.stopPropagation(); // composed: the console has no use for it
        const value = event.detail.value;
        if (value in COMPARATORS) this.sortBy = value as SortKey;
    }

    forward(event: CustomEvent<string>): void {
        event.stopPropagation();
        this.dispatchEvent(new CustomEvent(event.type, { detail: event.detail }));
    }
}
