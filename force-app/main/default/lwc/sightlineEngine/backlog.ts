/**
 * The chat backlog: when every eligible rep is at capacity, a chat request waits here,
 * first in first out, until a rep frees up or its countdown ends (then the visitor is
 * offered the meeting booker). Pure functions over the caller's routing state.
 */
import { availabilityOf, freeSlots, type Rep } from './availability';
import type { BacklogEntry, RoutingState } from './routingState';

export interface BacklogOffer {
    visitorId: string;
    ruleId: string;
    /** Reps who may accept now; the first to accept wins. */
    offeredTo: string[];
    expiresAt: number;
}

export interface BacklogPass {
    offers: BacklogOffer[];
    /** Requests whose countdown ended: offer these visitors the meeting booker. */
    expired: BacklogEntry[];
    state: RoutingState;
}

/** Adds the request at the back; a visitor already waiting keeps their place and countdown. */
export function enqueueChat(state: RoutingState, entry: BacklogEntry): RoutingState {
    if (state.backlog.some((waiting) => waiting.visitorId === entry.visitorId)) {
        return state;
    }
    return { ...state, backlog: [...state.backlog, entry] };
}

export function leaveBacklog(state: RoutingState, visitorId: string): RoutingState {
    if (!state.backlog.some((waiting) => waiting.visitorId === visitorId)) {
        return state;
    }
    return {
        ...state,
        backlog: state.backlog.filter((waiting) => waiting.visitorId !== visitorId)
    };
}

/** 1-based place in the queue, or undefined when not waiting. */
export function backlogPosition(state: RoutingState, visitorId: string): number | undefined {
    const index = state.backlog.findIndex((waiting) => waiting.visitorId === visitorId);
    return index < 0 ? undefined : index + 1;
}

/**
 * Walks the queue oldest first: expired requests leave for the meeting booker; a request
 * with at least one free candidate is offered to every free candidate and leaves the
 * queue. Each offer reserves one free slot of each rep it goes to, so a freed slot is
 * never promised to two waiting visitors, and an older request always gets it first.
 */
export function offerFromBacklog(
    state: RoutingState,
    reps: readonly Rep[],
    now: number
): BacklogPass {
    const repsById = new Map(reps.map((rep) => [rep.userId, rep]));
    const slotsLeft = new Map<string, number>();
    for (const rep of reps) {
        if (availabilityOf(rep) === 'free') {
            slotsLeft.set(rep.userId, freeSlots(rep));
        }
    }
    const offers: BacklogOffer[] = [];
    const expired: BacklogEntry[] = [];
    const stillWaiting: BacklogEntry[] = [];
    for (const entry of state.backlog) {
        if (now >= entry.expiresAt) {
            expired.push(entry);
            continue;
        }
        const offeredTo = entry.candidateUserIds.filter(
            (userId) => repsById.has(userId) && (slotsLeft.get(userId) ?? 0) > 0
        );
        if (offeredTo.length === 0) {
            stillWaiting.push(entry);
            continue;
        }
        for (const userId of offeredTo) {
            slotsLeft.set(userId, (slotsLeft.get(userId) ?? 0) - 1);
        }
        offers.push({
            visitorId: entry.visitorId,
            ruleId: entry.ruleId,
            offeredTo,
            expiresAt: entry.expiresAt
        });
    }
    return { offers, expired, state: { ...state, backlog: stillWaiting } };
}
