/**
 * Traffic like the simulator's, generated on the fly from a seed (so a flood of any length
 * needs no file of bodies): visits start, some from returning visitors (a new session for
 * a visitor seen before), and the live ones send page views, scrolls and heartbeats. About
 * `live` visits are under way at once; each new one replaces the oldest, which goes quiet
 * (and ends once the gateway's idle time passes).
 */
import { beaconFor, random, type Visit } from './benchSupport';

export interface TrafficShape {
    seed: number;
    /** Visits under way at once. */
    live: number;
    /** Share of beacons that start a visit once `live` are under way. */
    newVisitShare: number;
    /** Share of new visits that are a returning visitor's. */
    returningShare: number;
}

export const DEFAULT_TRAFFIC: TrafficShape = {
    seed: 42,
    live: 1_000,
    newVisitShare: 0.05,
    returningShare: 0.3
};

export interface Beacon {
    ip: string;
    body: string;
    /** The visit it belongs to (a balancer keeps a visit's beacons on one gateway by it). */
    sessionId: string;
}

export class ScaleTraffic {
    private readonly next: () => number;
    private readonly underWay: Visit[] = [];
    /** Visitors seen before (id and address), who may come back. */
    private readonly visitors: Pick<Visit, 'visitorId' | 'ip'>[] = [];
    private sessions = 0;
    private beacons = 0;
    /** Where the oldest visit under way is, in `underWay` (a ring once full). */
    private oldest = 0;

    constructor(private readonly shape: TrafficShape = DEFAULT_TRAFFIC) {
        this.next = random(shape.seed);
    }

    get visitsStarted(): number {
        return this.sessions;
    }

    take(): Beacon {
        const n = ++this.beacons;
        const full = this.underWay.length >= this.shape.live;
        if (!full || this.next() < this.shape.newVisitShare) {
            const visit = this.startVisit();
            if (full) {
                this.underWay[this.oldest] = visit;
                this.oldest = (this.oldest + 1) % this.underWay.length;
            } else this.underWay.push(visit);
            return {
                ip: visit.ip,
                body: JSON.stringify(beaconFor(visit, n, this.next, true)),
                sessionId: visit.sessionId
            };
        }
        const visit = this.underWay[Math.floor(this.next() * this.underWay.length)]!;
        return {
            ip: visit.ip,
            body: JSON.stringify(beaconFor(visit, n, this.next)),
            sessionId: visit.sessionId
        };
    }

    private startVisit(): Visit {
        const id = String(++this.sessions).padStart(8, '0');
        const returning =
            this.visitors.length > 0 && this.next() < this.shape.returningShare
                ? this.visitors[Math.floor(this.next() * this.visitors.length)]!
                : undefined;
        const visitor = returning ?? { visitorId: `scale-vis-${id}`, ip: this.address() };
        if (!returning) this.visitors.push(visitor);
        return { ...visitor, sessionId: `scale-ses-${id}`, tabId: `scale-tab-${id}` };
    }

    /** A third from the reserved benchmark range (no company), the rest anywhere. */
    private address(): string {
        const next = this.next;
        const octet = () => Math.floor(next() * 256);
        return next() < 0.3
            ? `198.18.${octet()}.${1 + Math.floor(next() * 250)}`
            : `${1 + Math.floor(next() * 220)}.${octet()}.${octet()}.${1 + Math.floor(next() * 250)}`;
    }
}
