/**
 * The live view: a column per stream, left to right in priority order, each with its name,
 * colour and count, and a card per visitor. Cards are keyed by visit id, so a change
 * re-renders only that card and a card moving streams leaves one column for another
 * without the rest moving.
 *
 * Keyboard: one card per stream is in the tab order (Tab moves between streams), the arrow
 * keys move between cards (c/consoleFocus), and a live update that removes the focused
 * card hands focus to its neighbour instead of dropping it on the page.
 */
import { LightningElement, api } from 'lwc';
import type { StreamGroup } from 'c/visitorFormat';
import { StreamFocus, type StreamCards } from 'c/consoleFocus';

export default class StreamBoard extends LightningElement {
    /** Streams in priority order with their visitors (see visitorFormat.groupByStream). */
    @api groups: StreamGroup[] = [];
    @api repId = '';

    /** Bumped when the tab stops change, so the template reads them again. */
    stopsVersion = 0;
    private readonly focusKeeper = new StreamFocus(
        () => this.template,
        () => {
            this.stopsVersion += 1;
        }
    );

    get hasStreams(): boolean {
        return this.groups.length > 0;
    }

    get streamCards(): StreamCards[] {
        return this.groups.map((g) => ({ id: g.id, visitorIds: g.visitors.map((v) => v.id) }));
    }

    get columns() {
        // Read here so the template re-renders when the tab stops change.
        const stopsVersion = this.stopsVersion;
        this.focusKeeper.beforeRender();
        const stops = this.focusKeeper.stops(this.streamCards);
        return this.groups.map((group) => ({
            ...group,
            stopsVersion,
            headingId: `stream-${group.id}`,
            cards: group.visitors.map((card) => ({
                id: card.id,
                card,
                outsideTabOrder: stops.get(group.id) !== card.id
            }))
        }));
    }

    /** Focuses a visitor's card; false when it is not on the board. */
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

    /** Re-emits a card's `open` / `pounce` / `accept` (the visit id as detail). */
    forward(event: CustomEvent<string>): void {
        event.stopPropagation();
        this.dispatchEvent(new CustomEvent(event.type, { detail: event.detail }));
    }
}
