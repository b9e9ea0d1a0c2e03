/**
 * The live view: a column per stream, left to right in priority order, each with its name,
 * colour and count, and a card per visitor. Cards are keyed by visit id, so a change
 * re-renders only that card and a card moving streams leaves one column for another
 * without the rest moving.
 */
import { LightningElement, api } from 'lwc';
import type { StreamGroup } from 'c/visitorFormat';

export default class StreamBoard extends LightningElement {
    /** Streams in priority order with their visitors (see visitorFormat.groupByStream). */
    @api groups: StreamGroup[] = [];
    @api repId = '';

    get hasStreams(): boolean {
        return this.groups.length > 0;
    }

    /** Re-emits a card's `open` / `pounce` / `accept` (the visit id as detail). */
    forward(event: CustomEvent<string>): void {
        event.stopPropagation();
        this.dispatchEvent(new CustomEvent(event.type, { detail: event.detail }));
    }
}
