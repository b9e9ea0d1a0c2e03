/**
 * Routing state the caller stores between decisions (Routing_State__c): round-robin
 * pointers, which rep a round-robin visitor was given, and the chat backlog. Engine
 * functions never mutate it; they return the next state.
 */

export interface StickyAssignment {
    ruleId: string;
    userId: string;
}

/** A chat request waiting for a rep to free up. */
export interface BacklogEntry {
    visitorId: string;
    ruleId: string;
    /** The reps it waits for, in the rule's order. */
    candidateUserIds: string[];
    enqueuedAt: number;
    /** When the countdown ends and the visitor is offered the meeting booker. */
    expiresAt: number;
}

export interface RoutingState {
    /** Rule id → the user who received that rule's last round-robin visitor. */
    roundRobin: Record<string, string>;
    /** Visitor id → their round-robin rep, so later updates of the same visit stay with that rep. */
    assignments: Record<string, StickyAssignment>;
    /** Waiting chat requests, oldest first. */
    backlog: BacklogEntry[];
}

export function emptyRoutingState(): RoutingState {
    return { roundRobin: {}, assignments: {}, backlog: [] };
}

/** Reads a record entry without falling through to Object.prototype (ids are caller data). */
export function ownEntry<T>(record: Record<string, T>, key: string): T | undefined {
    return Object.prototype.hasOwnProperty.call(record, key) ? record[key] : undefined;
}

/** Copy of the record with `key` set; a computed key always creates an own property. */
export function withEntry<T>(record: Record<string, T>, key: string, value: T): Record<string, T> {
    return { ...record, [key]: value };
}

function withoutEntry<T>(record: Record<string, T>, key: string): Record<string, T> {
    if (!Object.prototype.hasOwnProperty.call(record, key)) {
        return record;
    }
    const copy = { ...record };
    delete copy[key];
    return copy;
}

/** The visit ended: drop its round-robin assignment and its place in the backlog. */
export function forgetVisitor(state: RoutingState, visitorId: string): RoutingState {
    return {
        roundRobin: state.roundRobin,
        assignments: withoutEntry(state.assignments, visitorId),
        backlog: state.backlog.filter((entry) => entry.visitorId !== visitorId)
    };
}
