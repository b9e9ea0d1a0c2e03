/**
 * What the admin actions answer (`getRoutingConfig`, `getDryRunVisitors`, `getHealth`),
 * defined once: the gateway builds these objects (gateway/src/admin) and the setup pages
 * render them. Types only, so the gateway can import them from here.
 */
import type { RoutingGroup, RoutingRule, Visitor } from '../sightlineEngine/sightlineEngine';

export interface SetupStream {
    id: string;
    name: string;
    color: string;
    priority: number;
    active: boolean;
    /** Criteria JSON as stored (text). */
    criteria: string;
    description: string;
}

export type SetupRule = Omit<RoutingRule, 'criteria'> & { criteria: string };

export interface SetupUser {
    id: string;
    name: string;
    title: string;
}

export interface SetupRoutingConfig {
    /** Priority order (1 first). */
    streams: SetupStream[];
    /** Rule order (1 first). */
    rules: SetupRule[];
    groups: RoutingGroup[];
    /** Users a rule may target: active holders of the Sightline_Rep permission set, by name. */
    users: SetupUser[];
}

export interface DryRunVisitors {
    /** Always the gateway's live sessions. */
    source: 'live';
    generatedAt: string;
    /** The time the visitors were captured (epoch ms): evaluate "within the last N minutes" against it. */
    now: number;
    visitors: Visitor[];
    /** More live visitors than the gateway lists: the most recent ones are listed. */
    truncated: boolean;
}

/** Counted by the ingest's screening (gateway/src/ingest/screening.ts). */
export interface KeptOut {
    botBeacons: number;
    botEvents: number;
    doNotTrack: number;
    noConsent: number;
    rejectedEvents: number;
}

export interface DeliveryUsage {
    /** Deliveries counted in the last 24 hours. */
    usedToday: number;
    /** What the governor allows itself: allocation × budget share. */
    budget: number;
    /** The org's daily delivery allocation, when known. */
    allocation?: number;
    /** The batch window the governor currently uses, in ms. */
    batchWindowMs?: number;
    /** Deliveries a rolling day would use at the current rates and window (the governor's projection). */
    projectedDay?: number;
    /** Consoles subscribed to notifications (on the raw or their own filtered channel). */
    subscribers?: number;
    /**
     * Deliveries one notification costs: every subscriber on the raw channel, about one on
     * per-audience filtered channels.
     */
    deliveriesPerNotification?: number;
    /** `org`: the org's own figure (`/limits`, everything in the org counted); `gateway`: the gateway's count. */
    usedSource?: 'org' | 'gateway';
}

export interface HealthError {
    at: string;
    message: string;
    code?: string;
}

/** A standard-object permission a Sightline user needs and the org does not grant them. */
export interface PermissionGap {
    userId: string;
    name: string;
    /** Which Sightline role needs it. */
    role: 'Rep' | 'Admin';
    /** A standard object's API name: `Lead`, `Account`. */
    object: string;
    missing: ('Read' | 'Create' | 'Edit')[];
}

/** The profile permissions the package cannot carry, checked in the org for every Sightline user. */
export interface PermissionHealth {
    /** Sightline users checked (holders of the Sightline permission sets). */
    checkedUsers: number;
    gaps: PermissionGap[];
}

/** The org writes waiting to be replayed (the org unreachable or over its API allocation). */
export interface OrgWriteHealth {
    /** Writes waiting. */
    depth: number;
    /** When the oldest waiting write was queued (ISO); null when none waits. */
    oldestAt: string | null;
    /** The last refusal or failure met writing to the org; null when none. */
    lastError: HealthError | null;
    /** Writes the org refused for good, set aside and never retried. */
    deadLetters: number;
}

export interface GatewayHealth {
    /**
     * 'down' when a write has waited for the org more than 10 minutes; 'degraded' when
     * writes wait, errors are recent, the event budget is nearly spent or permissions lack.
     */
    status: 'ok' | 'degraded' | 'down';
    mode: 'local' | 'org';
    startedAt: string;
    generatedAt: string;
    uptimeSeconds: number;
    liveSessions: number | null;
    /**
     * When the gateway last applied the org's streams, rules and groups (ISO): an admin's
     * edit is routing visitors once this is later than the save. Null before the first load.
     */
    routingAppliedAt: string | null;
    events: (DeliveryUsage & { share: number }) | null;
    keptOut: KeptOut | null;
    /** Null when the org could not be asked (the error is in lastErrors). */
    permissions: PermissionHealth | null;
    /** Null when the gateway writes to its local org (nothing is deferred). */
    orgWrites: OrgWriteHealth | null;
    lastErrors: HealthError[];
}
