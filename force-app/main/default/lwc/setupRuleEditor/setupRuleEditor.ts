/**
 * Edits one routing rule: criteria (with the dry run), strategy, who it targets (reps,
 * a routing group, the record owners in a chosen order, or an account team role), what to
 * do when nobody is free, and the chat countdown (5–300 s). Presentational: `save`
 * carries the draft (`SetupRule`) once it passes the same checks as the record's
 * validation rules and valid criteria; also emits `cancel` and `refreshvisitors`.
 */
import { LightningElement, api } from 'lwc';
import { validateCriteria } from 'c/sightlineEngine';
import type LightningCombobox from 'lightning/combobox';
import type {
    DryRunVisitors,
    OwnerSource,
    RoutingStrategy,
    SetupGroup,
    SetupRule,
    SetupUser,
    UnavailableAction
} from 'c/setupModel';

const STRATEGIES: { value: RoutingStrategy; label: string }[] = [
    { value: 'Record_Owner', label: 'Record owner' },
    { value: 'Account_Team', label: 'Account team' },
    { value: 'Round_Robin', label: 'Round robin' },
    { value: 'First_Available', label: 'First available' },
    { value: 'Named_Reps', label: 'Named reps' }
];

const ACTIONS: { value: UnavailableAction; label: string }[] = [
    { value: 'Next_Rule', label: 'Try the next matching rule' },
    { value: 'Fallback_Group', label: 'Offer to a fallback group' },
    { value: 'Meeting_Booker', label: 'Offer the meeting booker' }
];

type ComboboxOption = LightningCombobox['options'][number];

const repCount = (n: number): string => (n === 1 ? '1 rep' : `${n} reps`);

const OWNER_SOURCES: OwnerSource[] = ['Opportunity', 'Account', 'Lead', 'Contact'];

export default class SetupRuleEditor extends LightningElement {
    @api saving = false;
    @api dryRunData: DryRunVisitors | undefined;
    @api dryRunLoading = false;
    @api saveError: string | undefined;
    @api groups: SetupGroup[] = [];
    @api users: SetupUser[] = [];

    draft: SetupRule = {
        name: '',
        order: 1,
        active: true,
        criteria: '{"all":[]}',
        strategy: 'Round_Robin',
        unavailableAction: 'Next_Rule',
        chatTimeoutSeconds: 30
    };
    refusal: string | undefined;

    @api
    get rule(): SetupRule {
        return this.draft;
    }
    set rule(value: SetupRule) {
        this.draft = {
            ...value,
            criteria: value.criteria || '{"all":[]}',
            ownerSources: value.ownerSources?.length ? [...value.ownerSources] : [...OWNER_SOURCES],
            targetUserIds: [...(value.targetUserIds ?? [])],
            chatTimeoutSeconds: value.chatTimeoutSeconds ?? 30
        };
        this.refusal = undefined;
    }

    get heading(): string {
        return this.draft.id ? `Edit rule: ${this.draft.name}` : 'New routing rule';
    }
    get saveLabel(): string {
        return this.saving ? 'Saving…' : 'Save rule';
    }
    get errorMessage(): string | undefined {
        return this.refusal ?? this.saveError;
    }

    get strategyOptions(): ComboboxOption[] {
        return STRATEGIES;
    }
    get actionOptions(): ComboboxOption[] {
        return ACTIONS;
    }
    /** Both group choices offer the same list; '' (None) stands for no group. */
    get groupOptions(): ComboboxOption[] {
        return [
            { value: '', label: 'None' },
            ...(this.groups ?? []).map((g) => ({
                value: g.id,
                label: `${g.name} (${repCount(g.memberIds.length)})`
            }))
        ];
    }
    get targetGroupValue(): string {
        return this.draft.targetGroupId ?? '';
    }
    get fallbackGroupValue(): string {
        return this.draft.fallbackGroupId ?? '';
    }
    get userOptions() {
        return (this.users ?? []).map((u) => ({
            value: u.id,
            label: u.title ? `${u.name} · ${u.title}` : u.name
        }));
    }
    get ownerSourceOptions() {
        return OWNER_SOURCES.map((s) => ({ value: s, label: s }));
    }

    get isRecordOwner(): boolean {
        return this.draft.strategy === 'Record_Owner';
    }
    get isAccountTeam(): boolean {
        return this.draft.strategy === 'Account_Team';
    }
    get usesGroup(): boolean {
        return this.draft.strategy === 'Round_Robin' || this.draft.strategy === 'First_Available';
    }
    get usesUsers(): boolean {
        return this.usesGroup || this.draft.strategy === 'Named_Reps';
    }
    get needsFallbackGroup(): boolean {
        return this.draft.unavailableAction === 'Fallback_Group';
    }

    handleName(event: CustomEvent<{ value: string }>): void {
        this.draft = { ...this.draft, name: event.detail.value };
    }
    /** The list's switch changed this record: show it, keeping the rest of the draft. */
    @api
    applyActive(active: boolean): void {
        this.draft = { ...this.draft, active };
    }

    handleActive(event: CustomEvent<{ checked: boolean }>): void {
        this.draft = { ...this.draft, active: event.detail.checked };
    }
    handleCriteria(event: CustomEvent<{ criteria: string; valid: boolean }>): void {
        this.draft = { ...this.draft, criteria: event.detail.criteria };
        if (event.detail.valid) this.refusal = undefined;
    }
    // lightning-combobox's change is composed and bubbles; the editor's parent hears `save`.
    handleStrategy(event: CustomEvent<{ value: RoutingStrategy }>): void {
        event.stopPropagation();
        this.draft = { ...this.draft, strategy: event.detail.value };
    }
    handleOwnerSources(event: CustomEvent<{ value: OwnerSource[] }>): void {
        this.draft = { ...this.draft, ownerSources: [...event.detail.value] };
    }
    handleTeamRole(event: CustomEvent<{ value: string }>): void {
        this.draft = { ...this.draft, teamRole: event.detail.value };
    }
    handleTargetGroup(event: CustomEvent<{ value: string }>): void {
        event.stopPropagation();
        this.draft = { ...this.draft, targetGroupId: event.detail.value || undefined };
    }
    handleTargetUsers(event: CustomEvent<{ value: string[] }>): void {
        this.draft = { ...this.draft, targetUserIds: [...event.detail.value] };
    }
    handleAction(event: CustomEvent<{ value: UnavailableAction }>): void {
        event.stopPropagation();
        this.draft = { ...this.draft, unavailableAction: event.detail.value };
    }
    handleFallbackGroup(event: CustomEvent<{ value: string }>): void {
        event.stopPropagation();
        this.draft = { ...this.draft, fallbackGroupId: event.detail.value || undefined };
    }
    handleTimeout(event: CustomEvent<{ value: string }>): void {
        const text = String(event.detail.value ?? '').trim();
        this.draft = { ...this.draft, chatTimeoutSeconds: text === '' ? undefined : Number(text) };
    }

    /** The same checks as the Routing_Rule__c validation rules, said before the round trip. */
    problems(): string[] {
        const d = this.draft;
        const problems: string[] = [];
        if (!(d.name ?? '').trim()) problems.push('Give the rule a name.');
        const criteria = validateCriteria(d.criteria);
        if (!criteria.ok)
            problems.push(
                `The criteria are not valid: ${criteria.errors.map((e) => e.message).join('; ')}`
            );
        const t = d.chatTimeoutSeconds;
        if (t === undefined || !Number.isInteger(t) || t < 5 || t > 300)
            problems.push('Chat timeout must be a whole number of seconds from 5 to 300.');
        if (
            (d.strategy === 'Round_Robin' || d.strategy === 'First_Available') &&
            !d.targetGroupId &&
            !(d.targetUserIds ?? []).length
        ) {
            problems.push('Choose a routing group or at least one rep.');
        }
        if (d.strategy === 'Named_Reps' && !(d.targetUserIds ?? []).length)
            problems.push('Choose at least one rep.');
        if (d.unavailableAction === 'Fallback_Group' && !d.fallbackGroupId)
            problems.push('Choose the fallback group.');
        return problems;
    }

    handleSave(): void {
        const problems = this.problems();
        if (problems.length) {
            this.refusal = `The rule was not saved. ${problems.join(' ')}`;
            return;
        }
        this.refusal = undefined;
        const d = this.draft;
        this.dispatchEvent(
            new CustomEvent('save', {
                detail: {
                    ...d,
                    name: d.name.trim(),
                    // Only what the strategy uses is kept, so a stale target never routes anyone.
                    ownerSources: d.strategy === 'Record_Owner' ? d.ownerSources : undefined,
                    teamRole: d.strategy === 'Account_Team' ? d.teamRole : undefined,
                    targetGroupId: this.usesGroup ? d.targetGroupId : undefined,
                    targetUserIds: this.usesUsers ? d.targetUserIds : [],
                    fallbackGroupId:
                        d.unavailableAction === 'Fallback_Group' ? d.fallbackGroupId : undefined
                }
            })
        );
    }

    handleCancel(): void {
        this.dispatchEvent(new CustomEvent('cancel'));
    }

    handleRefreshVisitors(): void {
        this.dispatchEvent(new CustomEvent('refreshvisitors'));
    }
}
