/**
 * Bounded work under a flood: instead of queueing without bound, the ingest answers
 * 503 + Retry-After (which the tracker retries with backoff) when
 * - more beacons are being worked on at once than `maxInFlight` (a slow org: each new
 *   visit waits for its recognition, and requests would otherwise pile up in memory), or
 * - a beacon would open a new live visit while `maxLiveVisits` are held.
 * Beacons of visits already live still get in at the cap: nobody on the site loses their
 * card. Within the limits, a visit's beacons coalesce (decided once per publish window,
 * one card per rep per window, Last_Seen__c once a minute in batches), so the work per
 * visit does not grow with the beacons it sends.
 */
export interface BackPressureLimits {
    maxInFlight: number;
    maxLiveVisits: number;
}

export type Overload = 'busy' | 'full';

export type Admission = { readonly ok: true } | { readonly ok: false; readonly why: Overload };

// The answers are shared constants: admitting a beacon allocates nothing (it runs per beacon).
const ADMITTED: Admission = Object.freeze({ ok: true });
const BUSY: Admission = Object.freeze({ ok: false, why: 'busy' });
const FULL: Admission = Object.freeze({ ok: false, why: 'full' });

export class BackPressure {
    private inFlight = 0;
    /** Beacons turned away since the gateway started, by reason. */
    readonly refused = { busy: 0, full: 0 };

    constructor(private readonly limits: BackPressureLimits) {}

    /**
     * Whether a beacon may be worked on now; when it may, call `release()` once it is
     * answered (exactly once: the caller's `finally`).
     * `newVisit`: the beacon would open a live visit; `liveVisits`: how many are held.
     */
    admit(newVisit: boolean, liveVisits: number): Admission {
        if (this.inFlight >= this.limits.maxInFlight) {
            this.refused.busy++;
            return BUSY;
        }
        if (newVisit && liveVisits >= this.limits.maxLiveVisits) {
            this.refused.full++;
            return FULL;
        }
        this.inFlight++;
        return ADMITTED;
    }

    /** An admitted beacon was answered. */
    release(): void {
        if (this.inFlight > 0) this.inFlight--;
    }

    get working(): number {
        return this.inFlight;
    }
}
