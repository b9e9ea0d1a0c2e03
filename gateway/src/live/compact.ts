/**
 * Keeping 100,000 live visits small. A heap snapshot of the session benchmark showed where
 * a visit's ~3.3 KB went: a Map per visit for tab ids nobody read, a decision copied with
 * its score reasons and empty trace arrays, the same routing-reason sentences, stream-id
 * lists, rep lists, device descriptions and page URLs allocated again for every visit.
 * Here a visit keeps one copy of each repeated value (interned in small bounded tables)
 * and a decision only what the card and `canSee` read; Visitor 360 recomputes the
 * traces and score reasons on demand.
 */
import {
    emptyRoutingState,
    type Decision,
    type EngagementScore,
    type RoutingDecision,
    type StreamMembership
} from '../engine';

const NO_STATE = emptyRoutingState();
const NONE: never[] = [];
Object.freeze(NONE);

/**
 * A bounded table of shared values: past `capacity` it starts afresh (values already
 * shared stay shared; new ones are shared from then on), so hostile input cannot grow it.
 */
export class Interner<T> {
    private table = new Map<string, T>();
    constructor(private readonly capacity: number) {}

    get(key: string, make: () => T): T {
        let value = this.table.get(key);
        if (value === undefined) {
            if (this.table.size >= this.capacity) this.table = new Map();
            value = make();
            this.table.set(key, value);
        }
        return value;
    }
}

const texts = new Interner<string>(20_000);
const lists = new Interner<readonly string[]>(5_000);

/** One shared copy of a short repeated string (a URL, a path, a title, a reason). */
export function shared(text: string): string {
    return text.length > 512 ? text : texts.get(text, () => text);
}

/** One shared, frozen copy of a list of ids (matched streams, offered reps). */
export function sharedList(ids: readonly string[]): string[] {
    if (ids.length === 0) return NONE;
    return lists.get(ids.join('\u0000'), () => Object.freeze([...ids])) as string[];
}

/**
 * Decisions repeat: a few streams, rules, reps and score bands make most of them. A slim
 * decision's parts are shared, frozen copies (so no caller can change a part many visits
 * hold); a visit's own decision is then a small object of five references. A routing with
 * a chat countdown (its deadline and queue position are the visit's own) is kept as it is.
 */
const memberships = new Interner<StreamMembership>(5_000);
const routings = new Interner<RoutingDecision>(5_000);
const scores = new Interner<EngagementScore>(1_000);

function slimMembership(streams: StreamMembership): StreamMembership {
    const matched = sharedList(streams.matched);
    return memberships.get(`${streams.shown ?? ''}\u0001${matched.join('\u0000')}`, () =>
        Object.freeze({ matched, shown: streams.shown, trace: NONE })
    );
}

function slimRouting(routing: RoutingDecision): RoutingDecision {
    const slim: RoutingDecision = {
        ...routing,
        offeredTo: sharedList(routing.offeredTo),
        reason: shared(routing.reason),
        trace: NONE
    };
    if (routing.chatDeadline !== undefined || routing.queuePosition !== undefined) return slim;
    // JSON keeps null, '' and a missing rep apart.
    const key = JSON.stringify([
        slim.ruleId,
        slim.ruleName,
        slim.strategy,
        slim.offeredTo,
        slim.assignedTo ?? null,
        slim.experience,
        slim.reason,
        slim.fallbackApplied
    ]);
    return routings.get(key, () => Object.freeze(slim));
}

function slimScore(score: EngagementScore): EngagementScore {
    return scores.get(`${score.score}\u0001${score.band}`, () =>
        Object.freeze({ score: score.score, band: score.band, reasons: NONE })
    );
}

/**
 * What a live visit keeps of its decision: everything but the traces, the score reasons
 * (Visitor 360 recomputes them) and the routing state (the Decisions service holds it),
 * its parts shared with every visit decided the same way.
 */
export function slimDecision(decision: Decision): Decision {
    return {
        visitorId: decision.visitorId,
        streams: slimMembership(decision.streams),
        routing: slimRouting(decision.routing),
        score: slimScore(decision.score),
        nextRoutingState: NO_STATE
    };
}
