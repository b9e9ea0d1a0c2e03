/**
 * The `limits` resource: the API allocation this server counts, and what other parts of
 * the local org report through `LimitSource` (the event bus reports its delivery and
 * publish allocations). Entries no source reports yet stand at their allocation, unused.
 */
import type { LimitValue } from '../rest/dataApi';
import { ok, type Router } from '../rest/dataApi';
import type { ApiUsage } from './apiUsage';

/** Anything that owns some of the org's allocations (e.g. `EventAllocations`). */
export interface LimitSource {
    limits(): Partial<Record<string, LimitValue>>;
}

/** Enterprise Edition's event allocations, before any source reports usage. */
const IDLE_ALLOCATIONS: Record<string, LimitValue> = {
    DailyDeliveredPlatformEvents: { Max: 25_000, Remaining: 25_000 },
    HourlyPublishedPlatformEvents: { Max: 250_000, Remaining: 250_000 },
    DailyStandardVolumePlatformEvents: { Max: 25_000, Remaining: 25_000 },
    HourlyPublishedStandardVolumePlatformEvents: { Max: 50_000, Remaining: 50_000 }
};

export class OrgLimits {
    private readonly sources: LimitSource[] = [];

    constructor(private readonly api: ApiUsage) {}

    addSource(source: LimitSource): void {
        this.sources.push(source);
    }

    snapshot(): Record<string, LimitValue> {
        const out: Record<string, LimitValue> = {
            DailyApiRequests: this.api.limit(),
            ...IDLE_ALLOCATIONS
        };
        for (const source of this.sources) {
            for (const [name, value] of Object.entries(source.limits()))
                if (value) out[name] = value;
        }
        return Object.fromEntries(Object.entries(out).sort(([a], [b]) => a.localeCompare(b)));
    }
}

export function limitsResource(router: Router): void {
    router.add('GET', /^\/limits\/?$/, (_req, _m, ctx) => ok(ctx.limits()));
}
