/**
 * The org's daily API request allocation: every REST call counts (a composite or
 * collection call counts once), over a rolling 24 hours. Over the allocation every call
 * is refused with 403 REQUEST_LIMIT_EXCEEDED until the window drains, and every answer
 * carries `Sforce-Limit-Info: api-usage=used/max`, as on the platform.
 */
import { RollingCount } from '../pubsub/eventAllocations';

/** Developer Edition's flat allocation; Enterprise is 100,000 + per-licence calls. */
export const DEFAULT_DAILY_API_REQUESTS = 15_000;

export class ApiUsage {
    private readonly count: RollingCount;
    /** Requests counted since the org started, by kind (`GET query Account`…): the request log's totals. */
    private readonly kinds = new Map<string, number>();

    constructor(
        readonly max: number,
        now: () => number
    ) {
        this.count = new RollingCount(24 * 3_600_000, now);
    }

    used(): number {
        return this.count.total();
    }

    /** Counts one request of `kind`; false (and nothing counted) when the allocation is spent. */
    tryCount(kind = 'other'): boolean {
        if (this.used() >= this.max) return false;
        this.count.add(1);
        this.kinds.set(kind, (this.kinds.get(kind) ?? 0) + 1);
        return true;
    }

    /** The requests counted so far by kind, most first. */
    byKind(): Map<string, number> {
        return new Map([...this.kinds].sort((a, b) => b[1] - a[1]));
    }

    header(): string {
        return `api-usage=${this.used()}/${this.max}`;
    }

    limit(): { Max: number; Remaining: number } {
        return { Max: this.max, Remaining: Math.max(0, this.max - this.used()) };
    }
}
