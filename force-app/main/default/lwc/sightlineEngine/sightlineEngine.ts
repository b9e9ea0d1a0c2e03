/**
 * Sightline decision engine: streams, routing, visibility, engagement score and the
 * explanations behind them. Pure functions, no I/O and no dependencies, shared by the
 * gateway (Node) and the admin setup LWCs. See docs/ENGINE.md.
 */
export type {
    AccountTeamMember,
    DeviceType,
    IdentityLevel,
    MatchedAccount,
    MatchedContact,
    MatchedLead,
    MatchedOpportunity,
    SalesforceMatches,
    Utm,
    VisitActivity,
    VisitedPage,
    Visitor,
    VisitorBehaviour,
    VisitorCompany,
    VisitorDevice,
    VisitorIdentity,
    VisitorLocation
} from './visitorModel';
export { FIELD_CATALOGUE, OPERATORS_BY_TYPE, fieldByKey } from './fieldCatalogue';
export type {
    FieldDefinition,
    FieldGroup,
    FieldType,
    Operator,
    SalesforceSource
} from './fieldCatalogue';
export { MAX_DEPTH, MAX_NODES, validateCriteria } from './criteria';
export type { ConditionJson, CriteriaError, CriteriaJson, CriteriaValidation } from './criteria';
export { compileCriteria } from './compile';
export type {
    CompiledCriteria,
    ConditionTrace,
    CriteriaTrace,
    GroupTrace,
    InvalidCriteriaTrace
} from './compile';
export { compileWildcard } from './wildcard';
export type { WildcardPattern } from './wildcard';
export { compileStreams, sortIntoStreams } from './streams';
export type { CompiledStream, LiveStream, StreamMembership, StreamTrace } from './streams';
export { availabilityOf, freeSlots } from './availability';
export type { Availability, Rep, RepStatus } from './availability';
export {
    DEFAULT_CHAT_TIMEOUT_SECONDS,
    DEFAULT_OWNER_SOURCES,
    compileRules,
    routeVisitor
} from './routing';
export type {
    CompiledRule,
    Experience,
    OwnerSource,
    RepConsidered,
    RoutingContext,
    RoutingDecision,
    RoutingGroup,
    RoutingOutcome,
    RoutingRule,
    RoutingStrategy,
    RuleTrace,
    UnavailableAction
} from './routing';
export { emptyRoutingState, forgetVisitor } from './routingState';
export type { BacklogEntry, RoutingState, StickyAssignment } from './routingState';
export { backlogPosition, enqueueChat, leaveBacklog, offerFromBacklog } from './backlog';
export type { BacklogOffer, BacklogPass } from './backlog';
export { canSee, visibleTo } from './visibility';
export type { Viewer, VisibleDecision } from './visibility';
export { DEFAULT_SCORE_WEIGHTS, bandFor, compileScorer, resolveScoreWeights } from './score';
export type {
    EngagementScore,
    EngagementScorer,
    ScoreBand,
    ScoreReason,
    ScoreWeights
} from './score';
export { DEFAULT_POUNCE_THRESHOLDS, pounceReadiness, resolvePounceThresholds } from './pounce';
export type {
    PounceCheck,
    PounceCheckKey,
    PounceFacts,
    PounceReadiness,
    PounceThresholds
} from './pounce';
export { describeCondition, describeCriteriaTrace } from './explain';
export { compileRuleSet, decide, dryRun } from './decide';
export type {
    CompiledRuleSet,
    Decision,
    DecisionContext,
    DryRunResult,
    RuleSetInput,
    RuleSetProblem
} from './decide';
