/**
 * The dry run: as the admin edits, which of the current live visitors the criteria would
 * match (the engine's `dryRun`, in the browser, on the visitors `getDryRunVisitors`
 * returned), and for one chosen visitor the full explanation (`describeCriteriaTrace`).
 * Presentational: emits `refresh` when the admin asks for fresh visitors.
 */
import { LightningElement, api } from 'lwc';
import { describeCriteriaTrace, dryRun, type DryRunResult, type Visitor } from 'c/sightlineEngine';
import type { DryRunVisitors } from 'c/setupModel';

export function visitorLabel(visitor: Visitor): string {
    const city = visitor.location?.city;
    return (
        visitor.identity.name ??
        visitor.company?.name ??
        (city ? `Visitor from ${city}` : `Visitor ${visitor.identity.visitorId}`)
    );
}

export default class SetupDryRun extends LightningElement {
    @api criteria = '';
    @api data: DryRunVisitors | undefined;
    /** "stream" or "rule", for the sentences. */
    @api subject = 'stream';
    @api loading = false;

    chosenId: string | undefined;

    get visitors(): Visitor[] {
        return this.data?.visitors ?? [];
    }

    get result(): DryRunResult {
        return dryRun(this.criteria || '{"all":[]}', this.visitors, this.data?.now ?? Date.now());
    }

    get hasVisitors(): boolean {
        return this.visitors.length > 0;
    }

    get summary(): string {
        const total = this.visitors.length;
        if (!this.result.ok)
            return `Fix the criteria to see which of the ${total} live visitors this ${this.subject} would match.`;
        const matched = this.result.matchedVisitorIds.length;
        return `${matched} of ${total} live ${total === 1 ? 'visitor' : 'visitors'} would match this ${this.subject}.`;
    }

    /** Matching visitors first (in the order the gateway listed them), then the others. */
    get rows() {
        const byId = new Map(this.result.visitors.map((v) => [v.visitorId, v.matched]));
        const matchedFirst = [...this.visitors].sort(
            (a, b) =>
                Number(byId.get(b.identity.visitorId) === true) -
                Number(byId.get(a.identity.visitorId) === true)
        );
        return matchedFirst.map((visitor) => {
            const id = visitor.identity.visitorId;
            const matched = byId.get(id) === true;
            const place = [visitor.location?.city, visitor.location?.country]
                .filter(Boolean)
                .join(', ');
            const page =
                visitor.visit?.currentPage?.path ??
                visitor.visit?.pages[visitor.visit.pages.length - 1]?.path ??
                '';
            return {
                id,
                label: visitorLabel(visitor),
                detail: [place, page].filter(Boolean).join(' · '),
                matched,
                icon: matched ? 'utility:success' : 'utility:close',
                iconVariant: matched ? 'success' : '',
                status: matched ? 'Matches' : 'Does not match',
                pressed: id === this.chosenId ? 'true' : 'false',
                className: `visitor slds-button slds-button_reset slds-p-around_x-small${id === this.chosenId ? ' visitor_chosen' : ''}`
            };
        });
    }

    get chosen() {
        const entry = this.result.visitors.find((v) => v.visitorId === this.chosenId);
        const visitor = this.visitors.find((v) => v.identity.visitorId === this.chosenId);
        if (!entry || !visitor) return undefined;
        return {
            label: visitorLabel(visitor),
            lines: describeCriteriaTrace(entry.trace).map((text, index) => ({
                key: `${index}`,
                text
            }))
        };
    }

    handleChoose(event: Event): void {
        const id = (event.currentTarget as HTMLElement).dataset.id;
        this.chosenId = id === this.chosenId ? undefined : id;
    }

    handleRefresh(): void {
        this.dispatchEvent(new CustomEvent('refresh'));
    }
}
