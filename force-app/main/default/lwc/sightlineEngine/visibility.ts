/**
 * Who may see a visitor. The one check the gateway applies to everything it sends
 * (snapshots, deltas, chat requests), so a rep never receives a visitor that was not
 * routed to them. Every input is checked for its exact type: a missing or malformed
 * field denies, it never allows.
 */

export interface Viewer {
    userId: string;
    /** Holds the Sightline_Admin permission set: sees every visitor. */
    isAdmin: boolean;
    /** Users this viewer manages: the viewer also sees visitors routed to them. */
    isManagerOf?: readonly string[];
    /** Configured to watch every visitor shown in a stream (e.g. a sales director). */
    seeAll?: boolean;
}

/** The part of a decision visibility depends on. */
export interface VisibleDecision {
    streams: { shown: string | null };
    routing: { offeredTo: readonly string[]; assignedTo?: string };
}

function isNonEmptyString(value: unknown): value is string {
    return typeof value === 'string' && value.length > 0;
}

function routedUsers(decision: VisibleDecision): string[] {
    const routing: unknown = decision.routing;
    if (typeof routing !== 'object' || routing === null) {
        return [];
    }
    const { offeredTo, assignedTo } = routing as { offeredTo?: unknown; assignedTo?: unknown };
    const users = Array.isArray(offeredTo) ? offeredTo.filter(isNonEmptyString) : [];
    return isNonEmptyString(assignedTo) ? [...users, assignedTo] : users;
}

export function canSee(viewer: Viewer, decision: VisibleDecision): boolean {
    if (typeof viewer !== 'object' || viewer === null || !isNonEmptyString(viewer.userId)) {
        return false;
    }
    if (viewer.isAdmin === true) {
        return true;
    }
    if (
        typeof decision !== 'object' ||
        decision === null ||
        typeof decision.streams !== 'object' ||
        decision.streams === null ||
        !isNonEmptyString(decision.streams.shown)
    ) {
        return false;
    }
    if (viewer.seeAll === true) {
        return true;
    }
    const routedTo = routedUsers(decision);
    if (routedTo.includes(viewer.userId)) {
        return true;
    }
    const reports = Array.isArray(viewer.isManagerOf) ? viewer.isManagerOf : [];
    return routedTo.some((userId) => reports.includes(userId));
}

export function visibleTo<T extends VisibleDecision>(viewer: Viewer, decisions: readonly T[]): T[] {
    return decisions.filter((decision) => canSee(viewer, decision));
}
