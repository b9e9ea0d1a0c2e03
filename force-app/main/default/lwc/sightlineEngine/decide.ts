/**
 * The gateway's one call per visitor update: which streams the visitor fits, where it is
 * shown, who it is routed to, its engagement score, and why. Rule sets are compiled once
 * (`compileRuleSet`) and recompiled when a stream or rule record changes.
 */
import { compileCriteria, type CriteriaTrace } from './compile';
import type { CriteriaError } from './criteria';
import { leaveBacklog } from './backlog';
import {
    compileRules,
    routeVisitor,
    type CompiledRule,
    type RoutingContext,
    type RoutingDecision,
    type RoutingOutcome,
    type RoutingRule
} from './routing';
import type { RoutingState } from './routingState';
import {
    compileScorer,
    type EngagementScore,
    type EngagementScorer,
    type ScoreWeights
} from './score';
import {
    compileStreams,
    sortIntoStreams,
    type CompiledStream,
    type LiveStream,
    type StreamMembership
} from './streams';
import type { Visitor } from './visitorModel';

export interface RuleSetInput {
    streams: readonly LiveStream[];
    rules: readonly RoutingRule[];
    scoreWeights?: ScoreWeights;
}

/** An active stream or rule whose criteria is invalid: it matches nobody until fixed. */
export interface RuleSetProblem {
    kind: 'stream' | 'rule';
    id: string;
    name: string;
    errors: CriteriaError[];
}

export interface CompiledRuleSet {
    streams: CompiledStream[];
    rules: CompiledRule[];
    score: EngagementScorer;
    problems: RuleSetProblem[];
}

export function compileRuleSet(input: RuleSetInput): CompiledRuleSet {
    const streams = compileStreams(input.streams);
    const rules = compileRules(input.rules);
    const problems: RuleSetProblem[] = [
        ...streams
            .filter(({ criteria }) => !criteria.ok)
            .map(({ stream, criteria }) => ({
                kind: 'stream' as const,
                id: stream.id,
                name: stream.name,
                errors: criteria.errors
            })),
        ...rules
            .filter(({ criteria }) => !criteria.ok)
            .map(({ rule, criteria }) => ({
                kind: 'rule' as const,
                id: rule.id,
                name: rule.name,
                errors: criteria.errors
            }))
    ];
    return { streams, rules, score: compileScorer(input.scoreWeights), problems };
}

export interface DecisionContext extends RoutingContext {
    /** Include condition-by-condition traces (default true). The hot path can turn them off. */
    explain?: boolean;
}

export interface Decision {
    visitorId: string;
    streams: StreamMembership;
    routing: RoutingDecision;
    score: EngagementScore;
    /** Store this and pass it to the next decision: the engine never mutates state. */
    nextRoutingState: RoutingState;
}

export const UNSEEN_CHAT_REASON =
    'Fits no stream, so no rep can see this visitor; the chat request goes to the meeting booker (add a catch-all stream to route every chat)';

/**
 * A chat request from a visitor shown in no stream: no rep may see it (visibility needs a
 * stream), so offering it would only let the countdown run out on reps who cannot accept.
 * It goes to the meeting booker at once, takes no round-robin turn and no backlog place.
 */
function unseenChat(visitorId: string, context: RoutingContext): RoutingOutcome {
    return {
        routing: {
            ruleId: null,
            ruleName: null,
            strategy: null,
            offeredTo: [],
            experience: 'meeting-booker',
            reason: UNSEEN_CHAT_REASON,
            fallbackApplied: false,
            trace: []
        },
        nextRoutingState: leaveBacklog(context.routingState, visitorId)
    };
}

export function decide(
    ruleSet: CompiledRuleSet,
    visitor: Visitor,
    context: DecisionContext
): Decision {
    const explain = context.explain !== false;
    const visitorId = visitor.identity.visitorId;
    const streams = sortIntoStreams(ruleSet.streams, visitor, context.now, explain);
    const { routing, nextRoutingState } =
        streams.shown === null && visitor.behaviour?.chatRequested === true
            ? unseenChat(visitorId, context)
            : routeVisitor(ruleSet.rules, visitor, context, explain);
    return {
        visitorId,
        streams,
        routing,
        score: ruleSet.score(visitor, context.now),
        nextRoutingState
    };
}

export interface DryRunResult {
    ok: boolean;
    errors: CriteriaError[];
    matchedVisitorIds: string[];
    visitors: { visitorId: string; matched: boolean; trace: CriteriaTrace }[];
}

/** For the admin builders: which of the current visitors a draft criteria matches, and why. */
export function dryRun(
    criteriaJson: unknown,
    visitors: readonly Visitor[],
    now: number = Date.now()
): DryRunResult {
    const criteria = compileCriteria(criteriaJson);
    const results = visitors.map((visitor) => {
        const trace = criteria.explain(visitor, now);
        return { visitorId: visitor.identity.visitorId, matched: trace.result, trace };
    });
    return {
        ok: criteria.ok,
        errors: criteria.errors,
        matchedVisitorIds: results
            .filter((result) => result.matched)
            .map((result) => result.visitorId),
        visitors: results
    };
}
