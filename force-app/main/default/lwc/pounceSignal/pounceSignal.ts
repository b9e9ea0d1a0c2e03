/**
 * Pounce readiness as a rep reads it: on a card, a "Ready to pounce" badge (only when
 * ready, so a column is not a wall of "not ready"); in the Visitor 360, the guide's four
 * questions with the visitor's own answers. The gateway computes it (engine pounce.ts).
 */
import { LightningElement, api } from 'lwc';
import type { PounceSignal as Signal } from '../sightlineLive/liveContract';

export default class PounceSignal extends LightningElement {
    @api signal: Signal | undefined;
    /** `badge` (cards) or `checklist` (Visitor 360). */
    @api variant: 'badge' | 'checklist' = 'badge';

    get isChecklist(): boolean {
        return this.variant === 'checklist';
    }

    get showBadge(): boolean {
        return this.variant === 'badge' && this.signal?.ready === true;
    }

    get ready(): boolean {
        return this.signal?.ready === true;
    }

    /** The badge's hover text: every answer, so a rep sees why without opening the 360. */
    get badgeTitle(): string {
        return (this.signal?.checks ?? []).map((c) => c.answer).join('\n');
    }

    get verdict(): string {
        if (!this.signal) return 'Readiness not known yet';
        if (this.signal.ready) return 'Ready to pounce';
        const missing = this.signal.checks.filter((c) => !c.ok).length;
        return missing === 1 ? 'Not yet: 1 of 4 not met' : `Not yet: ${missing} of 4 not met`;
    }

    get verdictClass(): string {
        return this.ready ? 'verdict verdict_ready' : 'verdict';
    }

    get checks() {
        return (this.signal?.checks ?? []).map((c) => ({
            ...c,
            icon: c.ok ? 'utility:success' : 'utility:close',
            iconVariant: c.ok ? 'success' : '',
            iconText: c.ok ? 'Yes' : 'No',
            itemClass: c.ok ? 'check check_ok' : 'check'
        }));
    }
}
