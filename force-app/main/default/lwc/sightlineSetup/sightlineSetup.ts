/**
 * Sightline Setup, the admin's page: streams and routing rules (ordered lists, editors
 * with the criteria builder and a dry run on live visitors) and gateway health.
 *
 * The container: it reads through the gateway's admin actions (`getRoutingConfig`,
 * `getDryRunVisitors`, `getHealth`) — the UI API has no list query — and writes through
 * `lightning/uiRecordApi`, so the platform enforces CRUD, FLS and the validation rules on
 * every save. The gateway recompiles routing when the records change.
 */
import { LightningElement } from 'lwc';
import { reduceErrors } from 'c/ldsUtils';
import { createRecord, updateRecord } from 'lightning/uiRecordApi';
import { ShowToastEvent } from 'lightning/platformShowToastEvent';
import getRoutingConfig from '@salesforce/apex/SightlineGatewayController.getRoutingConfig';
import getDryRunVisitors from '@salesforce/apex/SightlineGatewayController.getDryRunVisitors';
import getHealth from '@salesforce/apex/SightlineGatewayController.getHealth';
import LIVE_STREAM_OBJECT from '@salesforce/schema/Live_Stream__c';
import STREAM_NAME from '@salesforce/schema/Live_Stream__c.Name';
import STREAM_COLOR from '@salesforce/schema/Live_Stream__c.Color__c';
import STREAM_PRIORITY from '@salesforce/schema/Live_Stream__c.Priority__c';
import STREAM_CRITERIA from '@salesforce/schema/Live_Stream__c.Criteria__c';
import STREAM_ACTIVE from '@salesforce/schema/Live_Stream__c.Active__c';
import STREAM_DESCRIPTION from '@salesforce/schema/Live_Stream__c.Description__c';
import ROUTING_RULE_OBJECT from '@salesforce/schema/Routing_Rule__c';
import RULE_NAME from '@salesforce/schema/Routing_Rule__c.Name';
import RULE_ORDER from '@salesforce/schema/Routing_Rule__c.Order__c';
import RULE_CRITERIA from '@salesforce/schema/Routing_Rule__c.Criteria__c';
import RULE_ACTIVE from '@salesforce/schema/Routing_Rule__c.Active__c';
import RULE_STRATEGY from '@salesforce/schema/Routing_Rule__c.Strategy__c';
import RULE_OWNER_SOURCES from '@salesforce/schema/Routing_Rule__c.Owner_Sources__c';
import RULE_TEAM_ROLE from '@salesforce/schema/Routing_Rule__c.Team_Role__c';
import RULE_TARGET_GROUP from '@salesforce/schema/Routing_Rule__c.Target_Group__c';
import RULE_TARGET_USERS from '@salesforce/schema/Routing_Rule__c.Target_User_Ids__c';
import RULE_UNAVAILABLE_ACTION from '@salesforce/schema/Routing_Rule__c.Unavailable_Action__c';
import RULE_FALLBACK_GROUP from '@salesforce/schema/Routing_Rule__c.Fallback_Group__c';
import RULE_CHAT_TIMEOUT from '@salesforce/schema/Routing_Rule__c.Chat_Timeout_Seconds__c';
import { validateCriteria } from 'c/sightlineEngine';
import {
    colorName,
    type DryRunVisitors,
    type GatewayHealth,
    type SetupRoutingConfig,
    type SetupRule,
    type SetupStream
} from 'c/setupModel';

type Tab = 'streams' | 'rules' | 'health';
type SchemaField = { fieldApiName?: string };

const api = (field: SchemaField): string => field.fieldApiName ?? '';
const STRATEGY_LABELS: Record<string, string> = {
    Record_Owner: 'Record owner',
    Account_Team: 'Account team',
    Round_Robin: 'Round robin',
    First_Available: 'First available',
    Named_Reps: 'Named reps'
};

export default class SightlineSetup extends LightningElement {
    activeTab: Tab = 'streams';
    config: SetupRoutingConfig | undefined;
    loadError: string | undefined;
    dryRun: DryRunVisitors | undefined;
    dryRunLoading = false;
    health: GatewayHealth | undefined;
    healthError: string | undefined;

    selectedStream: SetupStream | undefined;
    selectedRule: SetupRule | undefined;
    saving = false;
    saveError: string | undefined;

    connectedCallback(): void {
        this.loadConfig();
        this.loadVisitors();
        this.loadHealth();
    }

    // Tabs

    get tabs() {
        const tabs: { id: Tab; label: string }[] = [
            { id: 'streams', label: 'Streams' },
            { id: 'rules', label: 'Routing rules' },
            { id: 'health', label: 'Health' }
        ];
        return tabs.map((t) => ({
            ...t,
            selected: t.id === this.activeTab ? 'true' : 'false',
            tabIndex: t.id === this.activeTab ? '0' : '-1',
            className: `slds-tabs_default__item${t.id === this.activeTab ? ' slds-is-active' : ''}`
        }));
    }
    get isStreams(): boolean {
        return this.activeTab === 'streams';
    }
    get isRules(): boolean {
        return this.activeTab === 'rules';
    }
    get isHealth(): boolean {
        return this.activeTab === 'health';
    }
    get isLoading(): boolean {
        return !this.config && !this.loadError;
    }

    handleTab(event: Event): void {
        event.preventDefault();
        this.activeTab = ((event.currentTarget as HTMLElement).dataset.tab as Tab) ?? 'streams';
        this.saveError = undefined;
        if (this.activeTab === 'health') this.loadHealth();
    }

    // Lists

    get streamItems() {
        return (this.config?.streams ?? []).map((s) => ({
            id: s.id!,
            title: s.name,
            subtitle: `${colorName(s.color)}${s.description ? ` · ${s.description}` : ''}`,
            color: s.color,
            active: s.active
        }));
    }

    get ruleItems() {
        const groups = new Map((this.config?.groups ?? []).map((g) => [g.id, g.name]));
        return (this.config?.rules ?? []).map((r) => ({
            id: r.id!,
            title: r.name,
            subtitle: [
                STRATEGY_LABELS[r.strategy] ?? r.strategy,
                r.targetGroupId ? groups.get(r.targetGroupId) : undefined
            ]
                .filter(Boolean)
                .join(' · '),
            active: r.active
        }));
    }

    get selectedStreamId(): string | undefined {
        return this.selectedStream?.id;
    }
    get selectedRuleId(): string | undefined {
        return this.selectedRule?.id;
    }
    get groups() {
        return this.config?.groups ?? [];
    }
    get users() {
        return this.config?.users ?? [];
    }

    handleSelectStream(event: CustomEvent<string>): void {
        this.selectedStream = this.config?.streams.find((s) => s.id === event.detail);
        this.saveError = undefined;
    }

    handleNewStream(): void {
        const next = (this.config?.streams.length ?? 0) + 1;
        this.selectedStream = {
            name: '',
            color: '#0176D3',
            priority: next,
            active: true,
            criteria: '{"all":[]}',
            description: ''
        };
        this.saveError = undefined;
    }

    handleSelectRule(event: CustomEvent<string>): void {
        this.selectedRule = this.config?.rules.find((r) => r.id === event.detail);
        this.saveError = undefined;
    }

    handleNewRule(): void {
        const next = (this.config?.rules.length ?? 0) + 1;
        this.selectedRule = {
            name: '',
            order: next,
            active: true,
            criteria: '{"all":[]}',
            strategy: 'Round_Robin',
            unavailableAction: 'Next_Rule',
            chatTimeoutSeconds: 30,
            targetUserIds: []
        };
        this.saveError = undefined;
    }

    handleCancel(): void {
        this.selectedStream = undefined;
        this.selectedRule = undefined;
        this.saveError = undefined;
    }

    // Reordering: renumber every record whose position changed, 1 = first.

    async handleReorderStreams(event: CustomEvent<{ ids: string[] }>): Promise<void> {
        if (!this.config) return;
        const ids = event.detail.ids;
        const streams = ids
            .map((id) => this.config!.streams.find((s) => s.id === id)!)
            .filter(Boolean);
        const changes = streams.flatMap((s, i) =>
            s.priority === i + 1 ? [] : [{ id: s.id!, position: i + 1 }]
        );
        this.config = {
            ...this.config,
            streams: streams.map((s, i) => ({ ...s, priority: i + 1 }))
        };
        await this.write(
            changes.map((c) => ({ fields: { Id: c.id, [api(STREAM_PRIORITY)]: c.position } })),
            'Stream priorities saved'
        );
    }

    async handleReorderRules(event: CustomEvent<{ ids: string[] }>): Promise<void> {
        if (!this.config) return;
        const rules = event.detail.ids
            .map((id) => this.config!.rules.find((r) => r.id === id)!)
            .filter(Boolean);
        const changes = rules.flatMap((r, i) =>
            r.order === i + 1 ? [] : [{ id: r.id!, position: i + 1 }]
        );
        this.config = { ...this.config, rules: rules.map((r, i) => ({ ...r, order: i + 1 })) };
        await this.write(
            changes.map((c) => ({ fields: { Id: c.id, [api(RULE_ORDER)]: c.position } })),
            'Rule order saved'
        );
    }

    async handleToggleStream(event: CustomEvent<{ id: string; active: boolean }>): Promise<void> {
        await this.write(
            [{ fields: { Id: event.detail.id, [api(STREAM_ACTIVE)]: event.detail.active } }],
            event.detail.active ? 'Stream activated' : 'Stream deactivated'
        );
        if (this.selectedStream?.id === event.detail.id)
            this.openEditor('c-setup-stream-editor')?.applyActive(event.detail.active);
    }

    async handleToggleRule(event: CustomEvent<{ id: string; active: boolean }>): Promise<void> {
        await this.write(
            [{ fields: { Id: event.detail.id, [api(RULE_ACTIVE)]: event.detail.active } }],
            event.detail.active ? 'Rule activated' : 'Rule deactivated'
        );
        if (this.selectedRule?.id === event.detail.id)
            this.openEditor('c-setup-rule-editor')?.applyActive(event.detail.active);
    }

    private openEditor(selector: string): { applyActive(active: boolean): void } | null {
        return (this.template?.querySelector(selector) ?? null) as unknown as {
            applyActive(active: boolean): void;
        } | null;
    }

    // Saving

    async handleSaveStream(event: CustomEvent<SetupStream>): Promise<void> {
        const stream = event.detail;
        if (!this.criteriaSavable(stream.criteria)) return;
        const fields: Record<string, unknown> = {
            [api(STREAM_NAME)]: stream.name,
            [api(STREAM_COLOR)]: stream.color,
            [api(STREAM_CRITERIA)]: stream.criteria,
            [api(STREAM_DESCRIPTION)]: stream.description || null
        };
        // The list owns positions; Active is written only when it differs from what is stored
        // (the list's switch updates an open editor), so an editor cannot undo a reorder or a toggle.
        if (!stream.id) fields[api(STREAM_PRIORITY)] = stream.priority;
        if (
            !stream.id ||
            stream.active !== this.config?.streams.find((s) => s.id === stream.id)?.active
        )
            fields[api(STREAM_ACTIVE)] = stream.active;
        await this.saveRecord(
            stream.id,
            LIVE_STREAM_OBJECT.objectApiName,
            fields,
            `Stream "${stream.name}" saved`,
            (id) => {
                this.selectedStream = this.config?.streams.find((s) => s.id === id);
            }
        );
    }

    async handleSaveRule(event: CustomEvent<SetupRule>): Promise<void> {
        const rule = event.detail;
        if (!this.criteriaSavable(rule.criteria)) return;
        const fields: Record<string, unknown> = {
            [api(RULE_NAME)]: rule.name,
            [api(RULE_CRITERIA)]: rule.criteria,
            [api(RULE_STRATEGY)]: rule.strategy,
            [api(RULE_OWNER_SOURCES)]: rule.ownerSources?.length
                ? rule.ownerSources.join(',')
                : null,
            [api(RULE_TEAM_ROLE)]: rule.teamRole || null,
            [api(RULE_TARGET_GROUP)]: rule.targetGroupId || null,
            [api(RULE_TARGET_USERS)]: rule.targetUserIds?.length
                ? rule.targetUserIds.join(',')
                : null,
            [api(RULE_UNAVAILABLE_ACTION)]: rule.unavailableAction,
            [api(RULE_FALLBACK_GROUP)]: rule.fallbackGroupId || null,
            [api(RULE_CHAT_TIMEOUT)]: rule.chatTimeoutSeconds ?? 30
        };
        // As for streams: positions belong to the list; Active is written only when it changes.
        if (!rule.id) fields[api(RULE_ORDER)] = rule.order;
        if (!rule.id || rule.active !== this.config?.rules.find((r) => r.id === rule.id)?.active)
            fields[api(RULE_ACTIVE)] = rule.active;
        await this.saveRecord(
            rule.id,
            ROUTING_RULE_OBJECT.objectApiName,
            fields,
            `Rule "${rule.name}" saved`,
            (id) => {
                this.selectedRule = this.config?.rules.find((r) => r.id === id);
            }
        );
    }

    /** Invalid criteria are never stored: the editors check first, and so does the page. */
    private criteriaSavable(criteria: string): boolean {
        const { ok, errors } = validateCriteria(criteria);
        if (!ok)
            this.saveError = `Not saved: the criteria are not valid. ${errors.map((e) => e.message).join('; ')}`;
        return ok;
    }

    private async saveRecord(
        id: string | undefined,
        objectApiName: string,
        fields: Record<string, unknown>,
        success: string,
        reselect: (id: string) => void
    ): Promise<void> {
        this.saving = true;
        this.saveError = undefined;
        try {
            const record = id
                ? await updateRecord({ fields: { Id: id, ...fields } })
                : await createRecord({ apiName: objectApiName, fields });
            this.toast(success, 'success');
            await this.loadConfig();
            reselect(record.id);
        } catch (error) {
            this.saveError = reduceErrors(error);
        } finally {
            this.saving = false;
        }
    }

    private async write(
        updates: { fields: Record<string, unknown> }[],
        success: string
    ): Promise<void> {
        if (updates.length === 0) return;
        try {
            await Promise.all(updates.map((update) => updateRecord(update)));
            this.toast(success, 'success');
        } catch (error) {
            this.toast(reduceErrors(error), 'error');
        }
        await this.loadConfig();
    }

    // Loading

    async loadConfig(): Promise<void> {
        try {
            this.config = await getRoutingConfig();
            this.loadError = undefined;
        } catch (error) {
            this.loadError = reduceErrors(error);
        }
    }

    async loadVisitors(): Promise<void> {
        this.dryRunLoading = true;
        try {
            this.dryRun = await getDryRunVisitors();
        } catch {
            this.dryRun = undefined;
        } finally {
            this.dryRunLoading = false;
        }
    }

    async loadHealth(): Promise<void> {
        try {
            this.health = await getHealth();
            this.healthError = undefined;
        } catch (error) {
            this.health = undefined;
            this.healthError = reduceErrors(error);
        }
    }

    handleRefreshVisitors(): void {
        this.loadVisitors();
    }

    handleRefreshHealth(): void {
        this.loadHealth();
    }

    private toast(title: string, variant: 'success' | 'error'): void {
        this.dispatchEvent(new ShowToastEvent({ title, variant }));
    }
}
