/**
 * Routing: ordered rules, first active matching rule wins. A rule names who should get
 * the visitor (its strategy) and what to do when nobody it names is free (its
 * unavailable action). The result says who the visitor is offered to, the experience
 * the visitor gets, and a sentence explaining why.
 */
import { availabilityOf, describeAvailability, type Availability, type Rep } from './availability';
import { enqueueChat, leaveBacklog, backlogPosition } from './backlog';
import { compileCriteria, type CompiledCriteria, type CriteriaTrace } from './compile';
import { ownEntry, withEntry, type RoutingState } from './routingState';
import type { Visitor } from './visitorModel';

export type RoutingStrategy =
    'Record_Owner' | 'Account_Team' | 'Round_Robin' | 'First_Available' | 'Named_Reps';
export type OwnerSource = 'Opportunity' | 'Account' | 'Lead' | 'Contact';
export type UnavailableAction = 'Next_Rule' | 'Fallback_Group' | 'Meeting_Booker';

/** A Routing_Rule__c record. */
export interface RoutingRule {
    id: string;
    name: string;
    order: number;
    active: boolean;
    /** Criteria JSON text or object (see criteria.ts). */
    criteria: unknown;
    strategy: RoutingStrategy;
    /** Record_Owner: whose owner to try, in order. Defaults to Opportunity, Account, Lead, Contact. */
    ownerSources?: OwnerSource[];
    /** Account_Team: the team role to offer to; every member when empty. */
    teamRole?: string;
    targetGroupId?: string;
    targetUserIds?: string[];
    unavailableAction: UnavailableAction;
    fallbackGroupId?: string;
    chatTimeoutSeconds?: number;
}

export interface RoutingGroup {
    id: string;
    name: string;
    memberIds: string[];
}

export interface CompiledRule {
    rule: RoutingRule;
    criteria: CompiledCriteria;
}

export interface RoutingContext {
    reps: readonly Rep[];
    groups: readonly RoutingGroup[];
    routingState: RoutingState;
    now: number;
}

/** What the visitor experiences. `offeredTo` reps see the visitor in every case but `unrouted`. */
export type Experience =
    'chat-routed' | 'chat-queued' | 'pounce-only' | 'meeting-booker' | 'unrouted';

export interface RepConsidered {
    userId: string;
    name: string;
    /** Why this rep was a candidate, e.g. "Account owner" or "Inbound SDRs member". */
    role: string;
    availability: Availability;
    outcome: 'chosen' | 'offered' | 'skipped';
    why: string;
}

export interface RuleTrace {
    ruleId: string;
    ruleName: string;
    matched: boolean;
    /** Condition by condition. */
    criteria: CriteriaTrace;
    repsConsidered: RepConsidered[];
    outcome: string;
}

export interface RoutingDecision {
    ruleId: string | null;
    ruleName: string | null;
    strategy: RoutingStrategy | null;
    /** The reps the visitor is routed to: they see the visitor; for a chat request, any of them may accept. */
    offeredTo: string[];
    /** Set when one rep was chosen (record owner, round robin). */
    assignedTo?: string;
    experience: Experience;
    reason: string;
    fallbackApplied: boolean;
    /** End of the chat countdown (epoch ms) when the visitor requested a chat. */
    chatDeadline?: number;
    queuePosition?: number;
    /** Each rule tested, when the decision was asked to explain itself; else empty. */
    trace: RuleTrace[];
}

export const DEFAULT_CHAT_TIMEOUT_SECONDS = 30;
export const DEFAULT_OWNER_SOURCES: readonly OwnerSource[] = [
    'Opportunity',
    'Account',
    'Lead',
    'Contact'
];

/** Active rules, compiled, in evaluation order (order ascending, then id for a stable tie-break). */
export function compileRules(rules: readonly RoutingRule[]): CompiledRule[] {
    return rules
        .filter((rule) => rule.active === true)
        .sort((a, b) => a.order - b.order || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
        .map((rule) => ({ rule, criteria: compileCriteria(rule.criteria) }));
}

interface Candidate {
    userId: string;
    name: string;
    role: string;
}

interface Targets {
    candidates: Candidate[];
    /** How the candidates are described in a sentence, e.g. "Inbound SDRs". */
    poolName: string;
    /** Why there are no candidates at all. */
    missing?: string;
}

class Directory {
    private readonly reps: Map<string, Rep>;
    private readonly groups: Map<string, RoutingGroup>;

    constructor(reps: readonly Rep[], groups: readonly RoutingGroup[]) {
        this.reps = new Map(reps.map((rep) => [rep.userId, rep]));
        this.groups = new Map(groups.map((group) => [group.id, group]));
    }

    rep(userId: string): Rep | undefined {
        return this.reps.get(userId);
    }

    group(groupId: string | undefined): RoutingGroup | undefined {
        return groupId === undefined ? undefined : this.groups.get(groupId);
    }

    candidate(userId: string, role: string, knownName?: string): Candidate {
        return { userId, role, name: this.reps.get(userId)?.name ?? knownName ?? userId };
    }
}

/**
 * The gateway passes the same reps and groups arrays until they change: build their
 * lookup maps once per array rather than once per decision.
 */
const directories = new WeakMap<
    readonly Rep[],
    { groups: readonly RoutingGroup[]; directory: Directory }
>();
function directoryOf(reps: readonly Rep[], groups: readonly RoutingGroup[]): Directory {
    const cached = directories.get(reps);
    if (cached && cached.groups === groups) {
        return cached.directory;
    }
    const directory = new Directory(reps, groups);
    directories.set(reps, { groups, directory });
    return directory;
}

function uniqueByUser(candidates: Candidate[]): Candidate[] {
    const seen = new Set<string>();
    const unique: Candidate[] = [];
    for (const candidate of candidates) {
        if (!seen.has(candidate.userId)) {
            seen.add(candidate.userId);
            unique.push(candidate);
        }
    }
    return unique;
}

function ownerCandidates(rule: RoutingRule, visitor: Visitor, directory: Directory): Targets {
    const sources =
        rule.ownerSources && rule.ownerSources.length > 0
            ? rule.ownerSources
            : DEFAULT_OWNER_SOURCES;
    const matches = visitor.salesforce;
    const candidates: Candidate[] = [];
    for (const source of sources) {
        if (source === 'Opportunity') {
            // Largest open deal first: its owner has the most at stake.
            const open = (matches?.opportunities ?? []).filter(
                (opportunity) => !opportunity.isClosed
            );
            open.sort((a, b) => (b.amount ?? 0) - (a.amount ?? 0));
            for (const opportunity of open) {
                if (opportunity.ownerId) {
                    candidates.push(
                        directory.candidate(
                            opportunity.ownerId,
                            'Opportunity owner',
                            opportunity.ownerName
                        )
                    );
                }
            }
        } else {
            const record =
                source === 'Account'
                    ? matches?.account
                    : source === 'Lead'
                      ? matches?.lead
                      : matches?.contact;
            if (record?.ownerId) {
                candidates.push(
                    directory.candidate(record.ownerId, `${source} owner`, record.ownerName)
                );
            }
        }
    }
    const unique = uniqueByUser(candidates);
    return unique.length > 0
        ? { candidates: unique, poolName: 'record owners' }
        : {
              candidates: [],
              poolName: 'record owners',
              missing: `the visitor matches no ${sources.join(', ')} with an owner`
          };
}

function teamCandidates(rule: RoutingRule, visitor: Visitor, directory: Directory): Targets {
    const role = (rule.teamRole ?? '').trim().toLowerCase();
    const team = visitor.salesforce?.account?.team ?? [];
    const members = team.filter((member) => role === '' || member.role.toLowerCase() === role);
    const poolName = role === '' ? 'the account team' : `the account team (${rule.teamRole ?? ''})`;
    const candidates = uniqueByUser(
        members.map((member) => directory.candidate(member.userId, `Account team ${member.role}`))
    );
    return candidates.length > 0
        ? { candidates, poolName }
        : { candidates, poolName, missing: `${poolName} has no members for this visitor` };
}

function groupCandidates(groupId: string | undefined, directory: Directory): Targets {
    const group = directory.group(groupId);
    if (!group) {
        return {
            candidates: [],
            poolName: 'the group',
            missing: groupId
                ? `routing group "${groupId}" was not found`
                : 'no routing group is set'
        };
    }
    const candidates = uniqueByUser(
        group.memberIds.map((userId) => directory.candidate(userId, `${group.name} member`))
    );
    return candidates.length > 0
        ? { candidates, poolName: group.name }
        : { candidates, poolName: group.name, missing: `${group.name} has no members` };
}

function namedCandidates(rule: RoutingRule, directory: Directory): Targets {
    const candidates = uniqueByUser(
        (rule.targetUserIds ?? []).map((userId) => directory.candidate(userId, 'Named rep'))
    );
    return candidates.length > 0
        ? { candidates, poolName: 'the named reps' }
        : { candidates, poolName: 'the named reps', missing: 'no reps are named' };
}

function resolveTargets(rule: RoutingRule, visitor: Visitor, directory: Directory): Targets {
    switch (rule.strategy) {
        case 'Record_Owner':
            return ownerCandidates(rule, visitor, directory);
        case 'Account_Team':
            return teamCandidates(rule, visitor, directory);
        case 'Named_Reps':
            return namedCandidates(rule, directory);
        case 'Round_Robin':
        case 'First_Available':
            return (rule.targetUserIds ?? []).length > 0
                ? namedCandidates(rule, directory)
                : groupCandidates(rule.targetGroupId, directory);
        default:
            // Records can hold a value newer than this engine: route nobody rather than guess.
            return {
                candidates: [],
                poolName: 'this rule',
                missing: `the strategy "${String(rule.strategy)}" is not supported`
            };
    }
}

interface Assessed extends Candidate {
    availability: Availability;
}

function assess(candidates: Candidate[], directory: Directory): Assessed[] {
    // Spelled out rather than spread: this runs for every candidate of every decision.
    return candidates.map(({ userId, name, role }) => ({
        userId,
        name,
        role,
        availability: availabilityOf(directory.rep(userId))
    }));
}

function skipped(candidate: Assessed, directory: Directory, why?: string): RepConsidered {
    return {
        ...candidate,
        outcome: 'skipped',
        why:
            why ??
            `${candidate.name} ${describeAvailability(candidate.availability, directory.rep(candidate.userId))}`
    };
}

const AVAILABILITY_WORDS: Readonly<Record<Availability, string>> = {
    free: 'available',
    'at-capacity': 'at capacity',
    away: 'away',
    offline: 'offline',
    unknown: 'not Sightline reps'
};

/** "Account owner Maya Chen is offline" or "none of the 4 reps in Inbound SDRs is available (2 offline, 2 at capacity)". */
function describeNobodyFree(assessed: Assessed[], targets: Targets, directory: Directory): string {
    if (assessed.length === 0) {
        return targets.missing ?? `${targets.poolName} has nobody to offer to`;
    }
    const only = assessed.length === 1 ? assessed[0] : undefined;
    if (only) {
        return `${only.role} ${only.name} ${describeAvailability(only.availability, directory.rep(only.userId))}`;
    }
    const counts = new Map<Availability, number>();
    for (const candidate of assessed) {
        counts.set(candidate.availability, (counts.get(candidate.availability) ?? 0) + 1);
    }
    const breakdown = [...counts]
        .map(([availability, count]) => `${count} ${AVAILABILITY_WORDS[availability]}`)
        .join(', ');
    return `none of the ${assessed.length} reps in ${targets.poolName} is available (${breakdown})`;
}

type RuleAttempt =
    | {
          kind: 'routed';
          offeredTo: string[];
          assignedTo?: string;
          summary: string;
          fallbackApplied: boolean;
          considered: RepConsidered[];
          state: RoutingState;
      }
    | { kind: 'passOn'; why: string; considered: RepConsidered[] }
    | {
          kind: 'nobodyFree';
          busy: string[];
          why: string;
          fallbackApplied: boolean;
          considered: RepConsidered[];
      };

function listed(explain: boolean, build: () => RepConsidered[]): RepConsidered[] {
    return explain ? build() : [];
}

function offerToAll(free: Assessed[], targets: Targets): { offeredTo: string[]; summary: string } {
    const only = free.length === 1 ? free[0] : undefined;
    const summary = only
        ? `offered to ${only.role} ${only.name}, the only available rep in ${targets.poolName}`
        : `offered to ${free.length} available reps in ${targets.poolName}; the first to accept wins`;
    return { offeredTo: free.map((candidate) => candidate.userId), summary };
}

/** Next free rep after the last one this rule gave a visitor; a returning update of the same visit keeps its rep. */
function pickRoundRobin(
    rule: RoutingRule,
    assessed: Assessed[],
    visitorId: string,
    state: RoutingState
): { chosen: Assessed; sticky: boolean; state: RoutingState } | undefined {
    const sticky = ownEntry(state.assignments, visitorId);
    const kept =
        sticky && sticky.ruleId === rule.id
            ? assessed.find(
                  (candidate) =>
                      candidate.userId === sticky.userId && candidate.availability === 'free'
              )
            : undefined;
    if (kept) {
        return { chosen: kept, sticky: true, state };
    }
    const lastUserId = ownEntry(state.roundRobin, rule.id);
    const start =
        lastUserId === undefined
            ? 0
            : assessed.findIndex((candidate) => candidate.userId === lastUserId) + 1;
    for (let step = 0; step < assessed.length; step++) {
        const candidate = assessed[(start + step) % assessed.length];
        if (candidate?.availability === 'free') {
            return {
                chosen: candidate,
                sticky: false,
                state: {
                    ...state,
                    roundRobin: withEntry(state.roundRobin, rule.id, candidate.userId),
                    assignments: withEntry(state.assignments, visitorId, {
                        ruleId: rule.id,
                        userId: candidate.userId
                    })
                }
            };
        }
    }
    return undefined;
}

/**
 * Tries one matching rule. The reps considered (with a sentence each) are only listed when
 * explaining: the decision itself needs just who is free or busy and the summary.
 */
function attemptRule(
    rule: RoutingRule,
    visitor: Visitor,
    directory: Directory,
    state: RoutingState,
    explain: boolean
): RuleAttempt {
    const targets = resolveTargets(rule, visitor, directory);
    const assessed = assess(targets.candidates, directory);
    const free = assessed.filter((candidate) => candidate.availability === 'free');

    if (free.length > 0) {
        if (rule.strategy === 'Record_Owner' || rule.strategy === 'Round_Robin') {
            const pick =
                rule.strategy === 'Round_Robin'
                    ? pickRoundRobin(rule, assessed, visitor.identity.visitorId, state)
                    : { chosen: free[0] as Assessed, sticky: false, state };
            if (pick) {
                const { chosen } = pick;
                const considered = listed(explain, () =>
                    assessed.map((candidate) =>
                        candidate === chosen
                            ? {
                                  ...candidate,
                                  outcome: 'chosen' as const,
                                  why: `${candidate.name} is available`
                              }
                            : skipped(
                                  candidate,
                                  directory,
                                  candidate.availability === 'free'
                                      ? `${candidate.name} is available but ${rule.strategy === 'Round_Robin' ? 'not next in turn' : 'comes later in the owner order'}`
                                      : undefined
                              )
                    )
                );
                const summary =
                    rule.strategy === 'Round_Robin'
                        ? `round robin in ${targets.poolName} ${pick.sticky ? 'kept' : 'picked'} ${chosen.name}${pick.sticky ? ' (assigned earlier in this visit)' : ''}`
                        : `${chosen.role} ${chosen.name} is available`;
                return {
                    kind: 'routed',
                    offeredTo: [chosen.userId],
                    assignedTo: chosen.userId,
                    summary,
                    fallbackApplied: false,
                    considered,
                    state: pick.state
                };
            }
        }
        const offer = offerToAll(free, targets);
        const considered = listed(explain, () =>
            assessed.map((candidate) =>
                candidate.availability === 'free'
                    ? {
                          ...candidate,
                          outcome: 'offered' as const,
                          why: `${candidate.name} is available`
                      }
                    : skipped(candidate, directory)
            )
        );
        return { kind: 'routed', ...offer, fallbackApplied: false, considered, state };
    }

    const why = describeNobodyFree(assessed, targets, directory);
    const considered = listed(explain, () =>
        assessed.map((candidate) => skipped(candidate, directory))
    );
    const busy = assessed
        .filter((candidate) => candidate.availability === 'at-capacity')
        .map((candidate) => candidate.userId);

    if (rule.unavailableAction === 'Next_Rule') {
        return { kind: 'passOn', why, considered };
    }
    if (rule.unavailableAction === 'Fallback_Group') {
        const fallback = groupCandidates(rule.fallbackGroupId, directory);
        const fallbackAssessed = assess(fallback.candidates, directory);
        const fallbackFree = fallbackAssessed.filter(
            (candidate) => candidate.availability === 'free'
        );
        const fallbackConsidered = listed(explain, () =>
            fallbackAssessed.map((candidate) =>
                candidate.availability === 'free'
                    ? {
                          ...candidate,
                          outcome: 'offered' as const,
                          why: `${candidate.name} is available (fallback group)`
                      }
                    : skipped(candidate, directory)
            )
        );
        if (fallbackFree.length > 0) {
            const offer = offerToAll(fallbackFree, fallback);
            return {
                kind: 'routed',
                offeredTo: offer.offeredTo,
                summary: `${why}; fallback: ${offer.summary}`,
                fallbackApplied: true,
                considered: [...considered, ...fallbackConsidered],
                state
            };
        }
        const fallbackBusy = fallbackAssessed
            .filter((candidate) => candidate.availability === 'at-capacity')
            .map((candidate) => candidate.userId);
        return {
            kind: 'nobodyFree',
            busy: [...new Set([...busy, ...fallbackBusy])],
            why: `${why}, and in the fallback group ${describeNobodyFree(fallbackAssessed, fallback, directory)}`,
            fallbackApplied: true,
            considered: [...considered, ...fallbackConsidered]
        };
    }
    return { kind: 'nobodyFree', busy, why, fallbackApplied: false, considered };
}

function chatTimeoutMs(rule: RoutingRule): number {
    const seconds = rule.chatTimeoutSeconds;
    return (
        (typeof seconds === 'number' && Number.isFinite(seconds) && seconds > 0
            ? seconds
            : DEFAULT_CHAT_TIMEOUT_SECONDS) * 1000
    );
}

interface RuleBase {
    rule: RoutingRule;
    fallbackApplied: boolean;
    trace: RuleTrace[];
    chatDeadline: number | undefined;
}

interface RuleResult {
    offeredTo: string[];
    assignedTo?: string | undefined;
    experience: Experience;
    reason: string;
    queuePosition?: number;
}

/** The decision of the rule that decided; optional fields are left out rather than set to undefined. */
function ruleDecision(base: RuleBase, result: RuleResult): RoutingDecision {
    const routing: RoutingDecision = {
        ruleId: base.rule.id,
        ruleName: base.rule.name,
        strategy: base.rule.strategy,
        offeredTo: result.offeredTo,
        experience: result.experience,
        reason: result.reason,
        fallbackApplied: base.fallbackApplied,
        trace: base.trace
    };
    if (result.assignedTo !== undefined) {
        routing.assignedTo = result.assignedTo;
    }
    if (base.chatDeadline !== undefined) {
        routing.chatDeadline = base.chatDeadline;
    }
    if (result.queuePosition !== undefined) {
        routing.queuePosition = result.queuePosition;
    }
    return routing;
}

export interface RoutingOutcome {
    routing: RoutingDecision;
    nextRoutingState: RoutingState;
}

/**
 * First active matching rule wins. `explain` adds `trace`: each rule tested, its
 * condition-by-condition trace, the reps considered and its outcome. Without it `trace` is
 * empty and everything else is the same.
 */
export function routeVisitor(
    rules: readonly CompiledRule[],
    visitor: Visitor,
    context: RoutingContext,
    explain: boolean
): RoutingOutcome {
    const { now } = context;
    const directory = directoryOf(context.reps, context.groups);
    const visitorId = visitor.identity.visitorId;
    const chatRequested = visitor.behaviour?.chatRequested === true;
    const trace: RuleTrace[] = [];
    const passedOn: string[] = [];

    for (const { rule, criteria } of rules) {
        const matched = criteria.matches(visitor, now);
        const ruleTrace: RuleTrace | undefined = explain
            ? {
                  ruleId: rule.id,
                  ruleName: rule.name,
                  matched,
                  criteria: criteria.explain(visitor, now),
                  repsConsidered: [],
                  outcome: matched
                      ? ''
                      : criteria.ok
                        ? 'Criteria did not match'
                        : 'Criteria is invalid and matches nobody'
              }
            : undefined;
        if (ruleTrace) {
            trace.push(ruleTrace);
        }
        if (!matched) {
            continue;
        }
        const attempt = attemptRule(rule, visitor, directory, context.routingState, explain);
        if (ruleTrace) {
            ruleTrace.repsConsidered = attempt.considered;
        }
        if (attempt.kind === 'passOn') {
            if (ruleTrace) {
                ruleTrace.outcome = `Nobody available (${attempt.why}); trying the next rule`;
            }
            passedOn.push(`rule "${rule.name}" passed it on because ${attempt.why}`);
            continue;
        }
        const earlier = passedOn.length > 0 ? ` (earlier, ${passedOn.join('; ')})` : '';
        const chatDeadline = chatRequested
            ? (visitor.behaviour?.chatRequestedAt ?? now) + chatTimeoutMs(rule)
            : undefined;
        const countdownOver = chatDeadline !== undefined && now >= chatDeadline;
        const base = { rule, fallbackApplied: attempt.fallbackApplied, trace, chatDeadline };

        if (attempt.kind === 'routed') {
            const experience = !chatRequested
                ? 'pounce-only'
                : countdownOver
                  ? 'meeting-booker'
                  : 'chat-routed';
            const tail = countdownOver
                ? '; nobody accepted the chat in time, so the visitor is offered the meeting booker'
                : '';
            if (ruleTrace) {
                ruleTrace.outcome = `Routed: ${attempt.summary}`;
            }
            return {
                routing: ruleDecision(base, {
                    offeredTo: attempt.offeredTo,
                    assignedTo: attempt.assignedTo,
                    experience,
                    reason: `Matched rule "${rule.name}": ${attempt.summary}${tail}${earlier}`
                }),
                nextRoutingState: leaveBacklog(attempt.state, visitorId)
            };
        }

        if (attempt.busy.length > 0 && chatRequested && !countdownOver) {
            const queued = enqueueChat(context.routingState, {
                visitorId,
                ruleId: rule.id,
                candidateUserIds: attempt.busy,
                enqueuedAt: now,
                expiresAt: chatDeadline ?? now
            });
            const queuePosition = backlogPosition(queued, visitorId) ?? 1;
            if (ruleTrace) {
                ruleTrace.outcome = `Queued: ${attempt.why}`;
            }
            return {
                routing: ruleDecision(base, {
                    offeredTo: attempt.busy,
                    experience: 'chat-queued',
                    queuePosition,
                    reason: `Matched rule "${rule.name}": ${attempt.why}; the chat request waits in the queue (position ${queuePosition}) until a rep frees up${earlier}`
                }),
                nextRoutingState: queued
            };
        }
        if (attempt.busy.length > 0 && !chatRequested) {
            if (ruleTrace) {
                ruleTrace.outcome = `Shown to busy reps: ${attempt.why}`;
            }
            return {
                routing: ruleDecision(base, {
                    offeredTo: attempt.busy,
                    experience: 'pounce-only',
                    reason: `Matched rule "${rule.name}": ${attempt.why}; shown to them to pounce once they have room${earlier}`
                }),
                nextRoutingState: leaveBacklog(context.routingState, visitorId)
            };
        }
        if (ruleTrace) {
            ruleTrace.outcome = `Meeting booker: ${attempt.why}`;
        }
        return {
            routing: ruleDecision(base, {
                offeredTo: countdownOver ? attempt.busy : [],
                experience: 'meeting-booker',
                reason: `Matched rule "${rule.name}": ${attempt.why}; the visitor is offered the meeting booker${earlier}`
            }),
            nextRoutingState: leaveBacklog(context.routingState, visitorId)
        };
    }

    const reason =
        passedOn.length > 0
            ? `No rep available: ${passedOn.join('; ')}`
            : rules.length > 0
              ? 'No active routing rule matched'
              : 'There are no active routing rules';
    return {
        routing: {
            ruleId: null,
            ruleName: null,
            strategy: null,
            offeredTo: [],
            experience: 'unrouted',
            reason,
            fallbackApplied: false,
            trace
        },
        nextRoutingState: leaveBacklog(context.routingState, visitorId)
    };
}
