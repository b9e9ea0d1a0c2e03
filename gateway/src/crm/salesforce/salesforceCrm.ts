/**
 * The CRM port over a Salesforce org's REST API, through jsforce: SOQL for reads, sObject
 * collections for writes. Reads that many visits ask at once (visitor keys, domains) are
 * gathered over a short window into one `IN (…)` query; configuration and people are read
 * once and kept until they change; visitor writes are gathered into one collection upsert
 * by `Visitor_Key__c` (200 records a call). Custom names go through `OrgNames`, so the same
 * code serves an org with the package's namespace.
 */
import { randomUUID } from 'node:crypto';
import type { Connection } from 'jsforce';
import type { AccountTeamMember, MatchedOpportunity, RepStatus } from '../../engine';
import type {
    PurgedVisitorData,
    BusyInterval,
    CrmAccount,
    CrmAvailability,
    CrmChangeListener,
    CrmConversation,
    CrmMessage,
    CrmPerson,
    RecordAccount,
    CrmPort,
    CrmTask,
    CrmUser,
    CrmUserAccess,
    RoutingConfig,
    VisitorRecord,
    VisitorRecordFields
} from '../crmPort';
import {
    groupsFromRecords,
    ruleFromRecord,
    streamFromRecord,
    type SObject
} from '../routingRecords';
import { sumObjectAccess, type ObjectAccessByUser } from '../objectAccess';
import { AccountIndex } from './accountIndex';
import { Batcher } from './batcher';
import { isRecordId } from './recordId';
import { ReadWindow, type SaveResult } from './readWindow';
import { OrgRequestError, runWindowCalls } from './windowCalls';
import { literal, literals, OrgNames } from './orgNames';
import { text } from '../textValue';
import { taskRecord } from '../taskRecord';
import { CURRENT_PRESENCE_SOQL, type PresenceRow } from '../omniPresence';
import { recordOf, replayWrites, type QueuedWritePayload } from './queuedWrites';
import {
    isRetryable,
    WriteQueue,
    type WriteQueueHealth,
    type WriteQueueOptions
} from './writeQueue';

const str = (value: unknown): string | undefined =>
    typeof value === 'string' && value !== '' ? value : undefined;
const num = (value: unknown): number | undefined =>
    typeof value === 'number' && Number.isFinite(value) ? value : undefined;

const STATUS_TO_RECORD: Record<RepStatus, string> = {
    available: 'Available',
    away: 'Away',
    offline: 'Offline'
};
const STATUS_FROM_RECORD: Record<string, RepStatus> = {
    Available: 'available',
    Away: 'away',
    Offline: 'offline'
};
/** sObject collections take at most 200 records a call. */
const COLLECTION_SIZE = 200;
/** UserRecordAccess: one user, at most 200 RecordId values a query. */
const USER_RECORD_ACCESS_BATCH = 200;
const ACCOUNT_FIELDS =
    'Id, Name, Domain__c, Industry, NumberOfEmployees, AnnualRevenue, BillingCountry, OwnerId, Owner.Name, Target_Account__c';
const PERSON_FIELDS = 'Id, Name, Email, FirstName, LastName, OwnerId, Owner.Name';
const VISITOR_FIELDS =
    'Id, Visitor_Key__c, Name, Identity_Level__c, Email__c, Company_Name__c, Company_Domain__c, First_Seen__c, Last_Seen__c, Visit_Count__c, Lead__c, Contact__c, Account__c';
const CONVERSATION_FIELDS =
    'Id, Website_Visitor__c, Rep__c, Status__c, Origin__c, Live_Stream__c, Started_At__c, Ended_At__c, Visitor_Replied__c';
const MESSAGE_FIELDS =
    'Id, Conversation__c, Sender__c, Sender_User__c, Body__c, Sent_At__c, Client_Message_Id__c';

export interface SalesforceCrmOptions {
    /** The package namespace in this org, if any. */
    namespace?: string;
    /**
     * How long reads and visitor writes are gathered before one request goes (ms): the
     * reads of a window (visitor records, open Opportunities, account teams) go together
     * in one composite request.
     */
    batchWindowMs?: number;
    /** Sightline_Setting__mdt.Score_Weights__c, read with the settings. */
    scoreWeightsJson?: string;
    /**
     * Where the writes the org cannot take now wait (visitors, Last_Seen__c, routing state,
     * conversation updates and messages), replayed in order once it answers; without it
     * such a write fails as the org's error. Timing options are for tests.
     */
    writeQueue?: { file: string } & Pick<
        WriteQueueOptions,
        'firstRetryMs' | 'maxRetryMs' | 'limitProbeMs' | 'onError'
    >;
}

/** Visitor keys → record ids remembered for a queued write's answer (the oldest forgotten past this). */
const REMEMBERED_VISITORS = 100_000;

function failed(result: SaveResult, what: string): OrgRequestError {
    const error = result.errors?.[0];
    return new OrgRequestError(
        `${what}: ${error?.message ?? 'the org refused the write'}`,
        error?.statusCode ?? 'UNKNOWN_EXCEPTION'
    );
}

export class SalesforceCrm implements CrmPort {
    readonly names: OrgNames;
    private readonly listeners = new Set<CrmChangeListener>();
    private usersCache: Promise<CrmUser[]> | undefined;
    private availabilityCache: Promise<CrmAvailability[]> | undefined;
    private readonly reads: ReadWindow;
    private readonly visitorReads: Batcher<string, VisitorRecord | undefined>;
    /** Domain → Account, read once and kept current by Account change events. */
    private readonly accounts: AccountIndex;
    private readonly opportunityReads: Batcher<string, MatchedOpportunity[]>;
    private readonly teamReads: Batcher<string, AccountTeamMember[]>;
    private readonly visitorWrites: Batcher<
        { key: string; fields: VisitorRecordFields },
        VisitorRecord
    >;
    private readonly writeQueue: WriteQueue | undefined;
    /** Visitor_Key__c → Id of the records read or written: a queued upsert answers with it. */
    private readonly visitorIds = new Map<string, string>();
    /** Conversations as last read or written: a queued update answers (and reads) from here. */
    private readonly conversationsSeen = new Map<string, CrmConversation>();
    /** The write under way per record: the next write of that record waits for it, so order holds. */
    private readonly writing = new Map<string, Promise<unknown>>();

    constructor(
        private readonly conn: Connection,
        private readonly options: SalesforceCrmOptions = {}
    ) {
        this.names = new OrgNames(options.namespace);
        const windowMs = options.batchWindowMs ?? 20;
        this.reads = new ReadWindow(windowMs, (calls) => runWindowCalls(this.conn, calls));
        this.visitorReads = new Batcher(this.reads, COLLECTION_SIZE, (keys) =>
            this.readVisitors(keys)
        );
        this.accounts = new AccountIndex(async (where) =>
            (
                await this.query(`SELECT ${ACCOUNT_FIELDS} FROM Account WHERE ${where} ORDER BY Id`)
            ).map((r) => this.account(r))
        );
        this.opportunityReads = new Batcher(this.reads, COLLECTION_SIZE, (accountIds) =>
            this.readOpportunities(accountIds)
        );
        this.teamReads = new Batcher(this.reads, COLLECTION_SIZE, (accountIds) =>
            this.readTeams(accountIds)
        );
        // Visitor writes go in the same window as the reads: one composite call for both.
        this.visitorWrites = new Batcher(this.reads, COLLECTION_SIZE, (writes) =>
            this.writeVisitors(writes)
        );
        const queue = options.writeQueue;
        this.writeQueue = queue
            ? WriteQueue.open({
                  ...queue,
                  send: (kind, payloads) =>
                      replayWrites(
                          { conn, names: this.names, changed: (object) => this.changed(object) },
                          kind,
                          payloads
                      ),
                  hasApiRoom: async () => {
                      const limits = (await this.conn.limits()) as unknown as {
                          DailyApiRequests?: { Remaining?: number };
                      };
                      return (limits.DailyApiRequests?.Remaining ?? 0) > 0;
                  }
              })
            : undefined;
    }

    /** The deferred writes: depth, oldest entry, last error, dead letters (undefined without a queue). */
    writeQueueHealth(): WriteQueueHealth | undefined {
        return this.writeQueue?.health();
    }

    /** Resolves once no deferred write waits (tests; shutdown reports). */
    writesDrained(): Promise<void> {
        return this.writeQueue?.drained() ?? Promise.resolve();
    }

    /** Replays the deferred writes now rather than at the next retry. */
    retryWrites(): Promise<void> {
        return this.writeQueue?.retryNow() ?? Promise.resolve();
    }

    close(): void {
        this.writeQueue?.close();
    }

    // ── Deferred writes ───────────────────────────────────────────────────────

    /** Runs `write` after the write of `record` under way (if any): a record's writes keep their order. */
    private inOrder<T>(record: string, write: () => Promise<T>): Promise<T> {
        const previous = this.writing.get(record) ?? Promise.resolve();
        const next = previous.then(write, write);
        const settled = next.then(
            () => undefined,
            () => undefined
        );
        this.writing.set(record, settled);
        void settled.then(() => {
            if (this.writing.get(record) === settled) this.writing.delete(record);
        });
        return next;
    }

    /**
     * A write that may wait: to the org at once, unless its record has writes queued (then
     * behind them); queued when the org refuses for now (unreachable, over its allocation,
     * a locked row). The caller gets `answer` for a queued write: what the org will hold.
     * Any other refusal, or a write without a queue, fails as the org's error.
     */
    private async deferrable<T>(
        write: QueuedWritePayload,
        record: string,
        direct: () => Promise<T>,
        answer: () => T
    ): Promise<T> {
        const queue = this.writeQueue;
        if (!queue) return direct();
        if (queue.has(record)) {
            queue.enqueue(record, write.kind, write);
            return answer();
        }
        try {
            return await direct();
        } catch (error) {
            if (!isRetryable(error)) throw error;
            queue.enqueue(record, write.kind, write, error);
            return answer();
        }
    }

    private rememberVisitor(key: string, id: string): void {
        this.visitorIds.delete(key);
        this.visitorIds.set(key, id);
        if (this.visitorIds.size > REMEMBERED_VISITORS)
            this.visitorIds.delete(this.visitorIds.keys().next().value!);
    }

    private rememberConversation(conversation: CrmConversation): CrmConversation {
        this.conversationsSeen.set(conversation.id, conversation);
        return conversation;
    }

    // ── Plumbing ──────────────────────────────────────────────────────────────

    /**
     * Every record of a SOQL query (all pages), with the package's names unprefixed. Issued
     * synchronously (before any `await`), so a closing read window gathers it.
     */
    private async query(soql: string): Promise<SObject[]> {
        const records = await this.reads.query(this.names.soql(soql));
        return records.map((r) => this.names.in(r));
    }

    private object(name: string) {
        return this.conn.sobject(this.names.of(name));
    }

    private async create(
        object: string,
        fields: SObject,
        headers?: Record<string, string>
    ): Promise<string> {
        const result = (await this.object(object).create(
            this.names.out(fields),
            headers ? { headers } : {}
        )) as SaveResult;
        if (!result.success || !result.id) throw failed(result, `Creating a ${object}`);
        this.changed(object);
        return result.id;
    }

    private async update(object: string, id: string, fields: SObject): Promise<void> {
        const result = (await this.object(object).update({
            Id: id,
            ...this.names.out(fields)
        })) as SaveResult;
        if (!result.success) throw failed(result, `Updating the ${object} ${id}`);
        this.changed(object);
    }

    /**
     * The adapter's own writes, told to the listeners at once; Change Data Capture tells the
     * rest, with the changed records' ids.
     */
    changed(object: string, recordIds?: readonly string[]): void {
        // Before the listeners: a lookup they start waits for the index to take the change.
        if (object === 'Account') this.accounts.changed(recordIds);
        if (object === 'User' || object === 'PermissionSetAssignment') this.usersCache = undefined;
        if (object === 'Rep_Availability__c') this.availabilityCache = undefined;
        for (const listener of this.listeners) listener(object);
    }

    onChange(listener: CrmChangeListener): () => void {
        this.listeners.add(listener);
        return () => this.listeners.delete(listener);
    }

    // ── Accounts and people ───────────────────────────────────────────────────

    private account(r: SObject): CrmAccount {
        const owner = r.Owner as { Name?: unknown } | null | undefined;
        return {
            id: String(r.Id),
            name: text(r.Name),
            domain: str(r.Domain__c),
            industry: str(r.Industry),
            employees: num(r.NumberOfEmployees),
            annualRevenue: num(r.AnnualRevenue),
            country: str(r.BillingCountry),
            ownerId: str(r.OwnerId),
            ownerName: str(owner?.Name),
            targetAccount: r.Target_Account__c === true
        };
    }

    findAccountByDomain(domain: string): Promise<CrmAccount | undefined> {
        return this.accounts.find(domain);
    }

    async getAccount(accountId: string): Promise<CrmAccount | undefined> {
        if (!isRecordId(accountId)) return undefined;
        const [record] = await this.query(
            `SELECT ${ACCOUNT_FIELDS} FROM Account WHERE Id = ${literal(accountId)}`
        );
        return record ? this.account(record) : undefined;
    }

    async recordAccount(recordId: string): Promise<RecordAccount | undefined> {
        if (!isRecordId(recordId)) return undefined;
        const id = literal(recordId);
        switch (recordId.slice(0, 3)) {
            case '001': {
                const [r] = await this.query(`SELECT Id FROM Account WHERE Id = ${id}`);
                return r ? { kind: 'Account', accountId: String(r.Id) } : undefined;
            }
            case '006':
            case '003': {
                const kind = recordId.startsWith('006') ? 'Opportunity' : 'Contact';
                const [r] = await this.query(`SELECT AccountId FROM ${kind} WHERE Id = ${id}`);
                if (!r) return undefined;
                const accountId = str(r.AccountId);
                return { kind, ...(accountId ? { accountId } : {}) };
            }
            case '00Q': {
                const [r] = await this.query(`SELECT Email FROM Lead WHERE Id = ${id}`);
                if (!r) return undefined;
                const email = str(r.Email);
                return { kind: 'Lead', leadId: recordId, ...(email ? { email } : {}) };
            }
            default:
                return undefined;
        }
    }

    private person(kind: 'Lead' | 'Contact', r: SObject): CrmPerson {
        const owner = r.Owner as { Name?: unknown } | null | undefined;
        return {
            kind,
            id: String(r.Id),
            name: text(r.Name),
            email: text(r.Email),
            firstName: str(r.FirstName),
            lastName: str(r.LastName),
            company: str(r.Company),
            status: str(r.Status),
            accountId: str(r.AccountId),
            ownerId: str(r.OwnerId),
            ownerName: str(owner?.Name)
        };
    }

    async findPersonByEmail(email: string): Promise<{ lead?: CrmPerson; contact?: CrmPerson }> {
        // SOQL compares email without case, as the duplicate check wants.
        const address = literal(email.trim());
        const [contacts, leads] = await Promise.all([
            this.query(
                `SELECT ${PERSON_FIELDS}, AccountId FROM Contact WHERE Email = ${address} ORDER BY Id LIMIT 1`
            ),
            this.query(
                `SELECT ${PERSON_FIELDS}, Company, Status FROM Lead WHERE Email = ${address} ORDER BY Id LIMIT 1`
            )
        ]);
        return {
            ...(contacts[0] ? { contact: this.person('Contact', contacts[0]) } : {}),
            ...(leads[0] ? { lead: this.person('Lead', leads[0]) } : {})
        };
    }

    async getLead(leadId: string): Promise<CrmPerson | undefined> {
        if (!isRecordId(leadId)) return undefined;
        const [record] = await this.query(
            `SELECT ${PERSON_FIELDS}, Company, Status FROM Lead WHERE Id = ${literal(leadId)}`
        );
        return record ? this.person('Lead', record) : undefined;
    }

    openOpportunities(accountId: string): Promise<MatchedOpportunity[]> {
        return this.opportunityReads.load(accountId);
    }

    /** The open opportunities of many accounts in one query, largest first per account. */
    private async readOpportunities(
        accountIds: readonly string[]
    ): Promise<Map<string, MatchedOpportunity[]>> {
        const records = await this.query(
            `SELECT Id, AccountId, Name, StageName, Amount, OwnerId, Owner.Name FROM Opportunity WHERE AccountId IN ${literals(accountIds)} AND IsClosed = false ORDER BY Amount DESC`
        );
        const found = new Map<string, MatchedOpportunity[]>(accountIds.map((id) => [id, []]));
        for (const o of records) {
            found.get(String(o.AccountId))?.push({
                id: String(o.Id),
                name: str(o.Name),
                stage: str(o.StageName),
                amount: num(o.Amount),
                ownerId: str(o.OwnerId),
                ownerName: str((o.Owner as { Name?: unknown } | null)?.Name),
                isClosed: false
            });
        }
        return found;
    }

    accountTeam(accountId: string): Promise<AccountTeamMember[]> {
        return this.teamReads.load(accountId);
    }

    private async readTeams(
        accountIds: readonly string[]
    ): Promise<Map<string, AccountTeamMember[]>> {
        const records = await this.query(
            `SELECT AccountId, UserId, TeamMemberRole FROM AccountTeamMember WHERE AccountId IN ${literals(accountIds)}`
        );
        const found = new Map<string, AccountTeamMember[]>(accountIds.map((id) => [id, []]));
        for (const m of records)
            found
                .get(String(m.AccountId))
                ?.push({ userId: String(m.UserId), role: text(m.TeamMemberRole) });
        return found;
    }

    // ── Users, permissions, availability ──────────────────────────────────────

    /**
     * The signed caller's status and Sightline custom permissions, read from the org: through
     * a permission set that enables the custom permission, or a permission set group that has
     * such a set as a component (docs/SECURITY.md).
     */
    async userAccess(userId: string): Promise<CrmUserAccess | undefined> {
        if (!isRecordId(userId)) return undefined;
        const [user] = await this.query(
            `SELECT Id, Name, IsActive FROM User WHERE Id = ${literal(userId)}`
        );
        if (!user) return undefined;
        const namespace = this.options.namespace ?? null;
        const permissions = (
            await this.query(
                `SELECT Id, DeveloperName, NamespacePrefix FROM CustomPermission WHERE DeveloperName IN ('Sightline_Access', 'Sightline_Admin_Access')`
            )
        ).filter((p) => (p.NamespacePrefix ?? null) === namespace);
        const assignments = await this.query(
            `SELECT PermissionSetId, PermissionSetGroupId FROM PermissionSetAssignment WHERE AssigneeId = ${literal(String(user.Id))}`
        );
        const holds = async (developerName: string): Promise<boolean> => {
            const permission = permissions.find((p) => p.DeveloperName === developerName);
            if (!permission || assignments.length === 0) return false;
            const sets = (
                await this.query(
                    `SELECT ParentId FROM SetupEntityAccess WHERE SetupEntityId = ${literal(String(permission.Id))}`
                )
            ).map((a) => String(a.ParentId));
            if (sets.length === 0) return false;
            if (assignments.some((a) => sets.includes(String(a.PermissionSetId)))) return true;
            const groups = (
                await this.query(
                    `SELECT PermissionSetGroupId FROM PermissionSetGroupComponent WHERE PermissionSetId IN (${sets.map(literal).join(', ')})`
                )
            ).map((c) => String(c.PermissionSetGroupId));
            return assignments.some((a) => groups.includes(String(a.PermissionSetGroupId)));
        };
        const [sightline, admin] = await Promise.all([
            holds('Sightline_Access'),
            holds('Sightline_Admin_Access')
        ]);
        return {
            id: String(user.Id),
            name: text(user.Name),
            active: user.IsActive === true,
            sightline,
            admin
        };
    }

    users(): Promise<CrmUser[]> {
        this.usersCache ??= this.readUsers().catch((error: unknown) => {
            this.usersCache = undefined;
            throw error;
        });
        return this.usersCache;
    }

    /**
     * Who holds the Sightline permission sets, directly or through a permission set group.
     * In a subscriber org a packaged permission set keeps its bare Name and carries the
     * namespace in NamespacePrefix.
     */
    private async readUsers(): Promise<CrmUser[]> {
        const namespace = this.names.namespace ?? null;
        const sightline = (set: unknown): string | undefined => {
            const s = set as { Name?: unknown; NamespacePrefix?: unknown } | null;
            return (str(s?.NamespacePrefix) ?? null) === namespace ? str(s?.Name) : undefined;
        };
        const SETS = "PermissionSet.Name IN ('Sightline_Admin', 'Sightline_Rep')";
        const [users, assignments, components] = await Promise.all([
            this.query(
                'SELECT Id, Name, Title, ManagerId, TimeZoneSidKey FROM User WHERE IsActive = true ORDER BY Name'
            ),
            this.query(
                `SELECT AssigneeId, PermissionSet.Name, PermissionSet.NamespacePrefix FROM PermissionSetAssignment WHERE ${SETS}`
            ),
            this.query(
                `SELECT PermissionSetGroupId, PermissionSet.Name, PermissionSet.NamespacePrefix FROM PermissionSetGroupComponent WHERE ${SETS}`
            )
        ]);
        const held = new Map<string, Set<string>>();
        const grant = (userId: string, name: string) => {
            const names = held.get(userId) ?? new Set<string>();
            names.add(name);
            held.set(userId, names);
        };
        for (const a of assignments) {
            const name = sightline(a.PermissionSet);
            if (name) grant(String(a.AssigneeId), name);
        }
        const groups = new Map<string, string[]>();
        for (const c of components) {
            const name = sightline(c.PermissionSet);
            const group = str(c.PermissionSetGroupId);
            if (name && group) groups.set(group, [...(groups.get(group) ?? []), name]);
        }
        if (groups.size > 0) {
            const members = await this.query(
                `SELECT AssigneeId, PermissionSetGroupId FROM PermissionSetAssignment WHERE PermissionSetGroupId IN ${literals(groups.keys())}`
            );
            for (const m of members)
                for (const name of groups.get(String(m.PermissionSetGroupId)) ?? [])
                    grant(String(m.AssigneeId), name);
        }
        return users.map((u) => ({
            id: String(u.Id),
            name: text(u.Name),
            title: text(u.Title),
            isAdmin: held.get(String(u.Id))?.has('Sightline_Admin') ?? false,
            isRep: held.get(String(u.Id))?.has('Sightline_Rep') ?? false,
            managerId: str(u.ManagerId),
            timeZone: str(u.TimeZoneSidKey)
        }));
    }

    async readableRecords(userId: string, recordIds: readonly string[]): Promise<Set<string>> {
        const readable = new Set<string>();
        const ids = [...new Set(recordIds)];
        // The org answers UserRecordAccess for one user and at most 200 records a query.
        for (let start = 0; start < ids.length; start += USER_RECORD_ACCESS_BATCH) {
            const batch = ids.slice(start, start + USER_RECORD_ACCESS_BATCH);
            const rows = await this.query(
                `SELECT RecordId, HasReadAccess FROM UserRecordAccess WHERE UserId = ${literal(userId)} AND RecordId IN ${literals(batch)}`
            );
            for (const row of rows)
                if (row.HasReadAccess === true) readable.add(String(row.RecordId));
        }
        return readable;
    }

    async readableFields(userId: string, fields: readonly string[]): Promise<Set<string>> {
        // A user's assignments include their profile's own permission set.
        const assignments = await this.query(
            `SELECT PermissionSetId FROM PermissionSetAssignment WHERE AssigneeId = ${literal(userId)}`
        );
        const setIds = [...new Set(assignments.map((a) => str(a.PermissionSetId)))].filter(
            (id): id is string => id !== undefined
        );
        if (setIds.length === 0 || fields.length === 0) return new Set();
        // FieldPermissions.Field holds the org's names: `Account.sline__Target_Account__c`.
        const orgName = new Map<string, string>(
            fields.map((f) => {
                const [object = '', field = ''] = f.split('.');
                return [`${this.names.of(object)}.${this.names.of(field)}`, f];
            })
        );
        const rows = await this.query(
            `SELECT Field FROM FieldPermissions WHERE ParentId IN ${literals(setIds)} AND Field IN ${literals(orgName.keys())} AND PermissionsRead = true`
        );
        const readable = new Set<string>();
        for (const row of rows) {
            const field = orgName.get(String(row.Field));
            if (field) readable.add(field);
        }
        return readable;
    }

    async objectAccess(
        userIds: readonly string[],
        objects: readonly string[]
    ): Promise<ObjectAccessByUser> {
        if (userIds.length === 0 || objects.length === 0) return new Map();
        // A user's assignments include their profile's own permission set.
        const assignments = await this.query(
            `SELECT AssigneeId, PermissionSetId FROM PermissionSetAssignment WHERE AssigneeId IN ${literals(userIds)}`
        );
        const rows = assignments.flatMap((a) => {
            const permissionSetId = str(a.PermissionSetId);
            return permissionSetId ? [{ userId: String(a.AssigneeId), permissionSetId }] : [];
        });
        const setIds = [...new Set(rows.map((a) => a.permissionSetId))];
        const permissions = setIds.length
            ? await this.query(
                  `SELECT ParentId, SobjectType, PermissionsRead, PermissionsCreate, PermissionsEdit FROM ObjectPermissions WHERE ParentId IN ${literals(setIds)} AND SobjectType IN ${literals(objects)}`
              )
            : [];
        return sumObjectAccess(
            rows,
            permissions.map((p) => ({
                permissionSetId: String(p.ParentId),
                object: String(p.SobjectType),
                read: p.PermissionsRead === true,
                create: p.PermissionsCreate === true,
                edit: p.PermissionsEdit === true
            }))
        );
    }

    availability(): Promise<CrmAvailability[]> {
        this.availabilityCache ??= this.query(
            'SELECT User__c, Status__c, Capacity__c FROM Rep_Availability__c'
        ).then(
            (records) =>
                records.map((r) => ({
                    userId: String(r.User__c),
                    status: STATUS_FROM_RECORD[String(r.Status__c)] ?? 'offline',
                    capacity: num(r.Capacity__c) ?? 3
                })),
            (error: unknown) => {
                this.availabilityCache = undefined;
                throw error;
            }
        );
        return this.availabilityCache;
    }

    async omniChannelPresence(): Promise<PresenceRow[]> {
        return (await this.query(CURRENT_PRESENCE_SOQL)).map((r) => ({
            userId: String(r.UserId),
            isAway: r.IsAway === true,
            ...(num(r.ConfiguredCapacity)
                ? { configuredCapacity: num(r.ConfiguredCapacity)! }
                : {}),
            ...(r.ServicePresenceStatus
                ? {
                      statusName: text(
                          (r.ServicePresenceStatus as { DeveloperName?: unknown }).DeveloperName
                      )
                  }
                : {})
        }));
    }

    async setAvailability(
        userId: string,
        status: RepStatus,
        capacity?: number
    ): Promise<CrmAvailability> {
        const [existing] = await this.query(
            `SELECT Id, Capacity__c FROM Rep_Availability__c WHERE User__c = ${literal(userId)} LIMIT 1`
        );
        const fields: SObject = {
            Status__c: STATUS_TO_RECORD[status],
            ...(capacity !== undefined ? { Capacity__c: capacity } : {})
        };
        if (existing) await this.update('Rep_Availability__c', String(existing.Id), fields);
        else await this.create('Rep_Availability__c', { User__c: userId, ...fields });
        return { userId, status, capacity: capacity ?? num(existing?.Capacity__c) ?? 3 };
    }

    // ── Configuration and routing state ───────────────────────────────────────

    async routingConfig(): Promise<RoutingConfig> {
        const [streams, rules, groups, members] = await Promise.all([
            this.query(
                'SELECT Id, Name, Color__c, Priority__c, Active__c, Criteria__c, Description__c FROM Live_Stream__c'
            ),
            this.query(
                'SELECT Id, Name, Order__c, Active__c, Criteria__c, Strategy__c, Owner_Sources__c, Team_Role__c, Target_Group__c, Target_User_Ids__c, Unavailable_Action__c, Fallback_Group__c, Chat_Timeout_Seconds__c FROM Routing_Rule__c'
            ),
            this.query('SELECT Id, Name FROM Routing_Group__c'),
            this.query('SELECT Routing_Group__c, User__c FROM Routing_Group_Member__c')
        ]);
        return {
            streams: streams.map(streamFromRecord),
            rules: rules.map(ruleFromRecord),
            groups: groupsFromRecords(groups, members),
            ...(this.options.scoreWeightsJson
                ? { scoreWeightsJson: this.options.scoreWeightsJson }
                : {})
        };
    }

    async routingState(): Promise<Map<string, string>> {
        const records = await this.query('SELECT Key__c, Value__c FROM Routing_State__c');
        return new Map(records.map((r) => [String(r.Key__c), text(r.Value__c)]));
    }

    /**
     * One upsert by Key__c for the values, one delete for the removed keys (all or none
     * each). A key with writes queued goes behind them; when the org refuses for now, the
     * batch is queued (each key in its order).
     */
    async putRoutingState(
        entries: readonly { key: string; value: string | null }[]
    ): Promise<void> {
        if (entries.length === 0) return;
        const latest = [...new Map(entries.map((e) => [e.key, e.value]))].map(
            ([key, value]): QueuedWritePayload => ({ kind: 'routingState', key, value })
        );
        const queue = this.writeQueue;
        if (!queue) return this.writeRoutingState(latest);
        const now = latest.filter((w) => !queue.has(recordOf(w)));
        for (const w of latest) if (queue.has(recordOf(w))) queue.enqueue(recordOf(w), w.kind, w);
        try {
            await this.writeRoutingState(now);
        } catch (error) {
            if (!isRetryable(error)) throw error;
            for (const w of now) queue.enqueue(recordOf(w), w.kind, w, error);
        }
    }

    private async writeRoutingState(writes: readonly QueuedWritePayload[]): Promise<void> {
        if (writes.length === 0) return;
        const latest = new Map(
            writes.map((w) => {
                const { key, value } = w as { key: string; value: string | null };
                return [key, value];
            })
        );
        const puts = [...latest].filter(([, v]) => v !== null) as [string, string][];
        const removed = [...latest].filter(([, v]) => v === null).map(([k]) => k);
        for (let i = 0; i < puts.length; i += COLLECTION_SIZE) {
            const results = (await this.object('Routing_State__c').upsert(
                puts
                    .slice(i, i + COLLECTION_SIZE)
                    .map(([key, value]) => this.names.out({ Key__c: key, Value__c: value })),
                this.names.of('Key__c'),
                { allOrNone: true }
            )) as SaveResult[];
            const bad = results.find((r) => !r.success);
            if (bad) throw failed(bad, 'Saving the routing state');
        }
        if (removed.length > 0) {
            const rows = await this.query(
                `SELECT Id FROM Routing_State__c WHERE Key__c IN ${literals(removed)}`
            );
            for (let i = 0; i < rows.length; i += COLLECTION_SIZE) {
                const ids = rows.slice(i, i + COLLECTION_SIZE).map((r) => String(r.Id));
                const results = (await this.object('Routing_State__c').destroy(ids, {
                    allOrNone: true
                })) as SaveResult[];
                const bad = results.find((r) => !r.success);
                if (bad) throw failed(bad, 'Clearing the routing state');
            }
        }
    }

    // ── Visitors ──────────────────────────────────────────────────────────────

    private async readVisitors(
        keys: readonly string[]
    ): Promise<Map<string, VisitorRecord | undefined>> {
        const records = await this.query(
            `SELECT ${VISITOR_FIELDS} FROM Website_Visitor__c WHERE Visitor_Key__c IN ${literals(keys)}`
        );
        const visitors = records.map(visitorFromRecord);
        for (const v of visitors) this.rememberVisitor(v.visitorKey, v.id);
        return new Map(visitors.map((v) => [v.visitorKey, v]));
    }

    findVisitor(visitorKey: string): Promise<VisitorRecord | undefined> {
        return this.visitorReads.load(visitorKey);
    }

    /**
     * Gathered into the window's collection upsert. A visitor whose record id is known (read
     * or written before) may wait in the queue when the org refuses for now; a visitor never
     * stored cannot be answered without the org, and fails as its error.
     */
    upsertVisitor(visitorKey: string, fields: VisitorRecordFields): Promise<VisitorRecord> {
        const id = this.visitorIds.get(visitorKey);
        const direct = () => this.visitorWrites.load({ key: visitorKey, fields });
        if (id === undefined) return direct();
        const write: QueuedWritePayload = {
            kind: 'visitor',
            record: visitorToRecord(visitorKey, fields)
        };
        return this.deferrable(write, recordOf(write, id), direct, () =>
            savedVisitor(id, visitorKey, fields)
        );
    }

    /** One collection upsert by Visitor_Key__c for every visitor written in the window. */
    private async writeVisitors(
        writes: readonly { key: string; fields: VisitorRecordFields }[]
    ): Promise<Map<{ key: string; fields: VisitorRecordFields }, VisitorRecord>> {
        // Several writes of one visitor in a window become one record, later fields winning.
        const merged = new Map<string, VisitorRecordFields>();
        for (const { key, fields } of writes) merged.set(key, { ...merged.get(key), ...fields });
        const keys = [...merged.keys()];
        const results = await this.reads.upsert(
            this.names.of('Website_Visitor__c'),
            this.names.of('Visitor_Key__c'),
            keys.map((key) => this.names.out(visitorToRecord(key, merged.get(key)!)))
        );
        const saved = new Map<string, VisitorRecord>();
        keys.forEach((key, i) => {
            const result = results[i];
            if (!result?.success || !result.id) return;
            this.rememberVisitor(key, result.id);
            saved.set(key, savedVisitor(result.id, key, merged.get(key)!));
        });
        const answers = new Map<{ key: string; fields: VisitorRecordFields }, VisitorRecord>();
        for (const write of writes) {
            const record = saved.get(write.key);
            if (!record) {
                const result = results[keys.indexOf(write.key)];
                throw failed(result ?? { success: false }, `Saving the visitor ${write.key}`);
            }
            answers.set(write, record);
        }
        return answers;
    }

    // ── Conversations and messages ────────────────────────────────────────────

    /** Never queued: the conversation's id is its chat's, which the rep's console waits for. */
    async createConversation(fields: Omit<CrmConversation, 'id'>): Promise<CrmConversation> {
        const id = await this.create('Conversation__c', conversationToRecord(fields));
        return this.rememberConversation({ id, ...fields });
    }

    /**
     * Queued when the org refuses for now and the conversation is known (read or written by
     * this gateway): the answer is the conversation as it will be once replayed.
     */
    async updateConversation(
        id: string,
        fields: Partial<Omit<CrmConversation, 'id'>>
    ): Promise<CrmConversation> {
        const write: QueuedWritePayload = {
            kind: 'conversation',
            id,
            fields: conversationToRecord(fields)
        };
        const record = recordOf(write);
        return this.inOrder(record, async () => {
            const known = this.conversationsSeen.get(id);
            const direct = async () => {
                await this.update('Conversation__c', id, write.fields);
                const conversation = await this.readConversation(id);
                if (!conversation) throw new OrgRequestError(`No conversation ${id}`, 'NOT_FOUND');
                return conversation;
            };
            if (!known) return direct();
            return this.deferrable(write, record, direct, () =>
                this.rememberConversation({ ...known, ...withoutUndefined(fields) })
            );
        });
    }

    /**
     * From the org; while the conversation has writes queued, or the org is out of reach,
     * as this gateway last knew it (with its queued writes).
     */
    async getConversation(id: string): Promise<CrmConversation | undefined> {
        if (!isRecordId(id)) return undefined;
        const known = this.conversationsSeen.get(id);
        if (known && this.writeQueue?.has(`Conversation__c/${id}`)) return known;
        try {
            return await this.readConversation(id);
        } catch (error) {
            // The org is out of reach for now: the conversation as this gateway last knew it.
            if (known && this.writeQueue && isRetryable(error)) return known;
            throw error;
        }
    }

    private async readConversation(id: string): Promise<CrmConversation | undefined> {
        const [record] = await this.query(
            `SELECT ${CONVERSATION_FIELDS} FROM Conversation__c WHERE Id = ${literal(id)}`
        );
        return record ? this.rememberConversation(conversationFromRecord(record)) : undefined;
    }

    async openConversations(): Promise<CrmConversation[]> {
        const records = await this.query(
            `SELECT ${CONVERSATION_FIELDS} FROM Conversation__c WHERE Status__c IN ('Requested', 'Active') ORDER BY Id DESC`
        );
        return records.map(conversationFromRecord);
    }

    /**
     * In its conversation's order: queued behind the conversation's waiting writes, or when
     * the org refuses for now. A queued message carries a Client_Message_Id__c (the
     * sender's, or one made here) so its replay is stored once; until then its id is that.
     */
    addMessage(
        fields: Omit<CrmMessage, 'id'>
    ): Promise<{ message: CrmMessage; duplicate: boolean }> {
        const clientMessageId = fields.clientMessageId ?? `sl-${randomUUID()}`;
        const write: QueuedWritePayload = {
            kind: 'message',
            record: messageToRecord({ ...fields, clientMessageId })
        };
        const record = recordOf(write);
        return this.inOrder(record, () =>
            this.deferrable(
                write,
                record,
                () => this.storeMessage(fields),
                () => ({ message: { id: clientMessageId, ...fields }, duplicate: false })
            )
        );
    }

    private async storeMessage(
        fields: Omit<CrmMessage, 'id'>
    ): Promise<{ message: CrmMessage; duplicate: boolean }> {
        if (fields.clientMessageId) {
            const [existing] = await this.query(
                `SELECT ${MESSAGE_FIELDS} FROM Conversation_Message__c WHERE Client_Message_Id__c = ${literal(fields.clientMessageId)} LIMIT 1`
            );
            if (existing) return { message: messageFromRecord(existing), duplicate: true };
        }
        const id = await this.create('Conversation_Message__c', messageToRecord(fields));
        return { message: { id, ...fields }, duplicate: false };
    }

    async messages(conversationId: string): Promise<CrmMessage[]> {
        const records = await this.query(
            `SELECT ${MESSAGE_FIELDS} FROM Conversation_Message__c WHERE Conversation__c = ${literal(conversationId)} ORDER BY Sent_At__c`
        );
        return records.map(messageFromRecord);
    }

    // ── Last seen and retention ───────────────────────────────────────────────

    /**
     * One sObject collections update (at most 200 records; the caller batches). A record
     * with writes queued goes behind them; when the org refuses for now, the batch is queued.
     */
    async touchVisitors(records: readonly { id: string; lastSeen: string }[]): Promise<void> {
        const queue = this.writeQueue;
        if (!queue) return this.writeLastSeen(records);
        const writes = records.map((r): QueuedWritePayload => ({
            kind: 'lastSeen',
            id: r.id,
            lastSeen: r.lastSeen
        }));
        const now = writes.filter((w) => !queue.has(recordOf(w)));
        for (const w of writes) if (queue.has(recordOf(w))) queue.enqueue(recordOf(w), w.kind, w);
        try {
            await this.writeLastSeen(records.filter((_, i) => now.includes(writes[i]!)));
        } catch (error) {
            if (!isRetryable(error)) throw error;
            for (const w of now) queue.enqueue(recordOf(w), w.kind, w, error);
        }
    }

    private async writeLastSeen(
        records: readonly { id: string; lastSeen: string }[]
    ): Promise<void> {
        if (records.length === 0) return;
        const results = (await this.object('Website_Visitor__c').update(
            records.map((r) => ({ Id: r.id, ...this.names.out({ Last_Seen__c: r.lastSeen }) }))
        )) as SaveResult[];
        const bad = results.find((r) => !r.success);
        if (bad) throw failed(bad, 'Updating Last_Seen__c of visitor records');
        this.changed('Website_Visitor__c');
    }

    async purgeVisitorData(lastSeenBefore: string, limit: number): Promise<PurgedVisitorData> {
        const cutoff = soqlDateTime(lastSeenBefore);
        const visitors = (
            await this.query(
                `SELECT Id FROM Website_Visitor__c WHERE Last_Seen__c < ${cutoff} OR (Last_Seen__c = null AND CreatedDate < ${cutoff}) ORDER BY Last_Seen__c LIMIT ${Math.floor(limit)}`
            )
        ).map((r) => String(r.Id));
        const conversations = new Set<string>();
        if (visitors.length > 0)
            for (const r of await this.query(
                `SELECT Id FROM Conversation__c WHERE Website_Visitor__c IN ${literals(visitors)}`
            ))
                conversations.add(String(r.Id));
        for (const r of await this.query(
            `SELECT Id FROM Conversation__c WHERE Website_Visitor__c = null AND Status__c IN ('Ended', 'Missed') AND CreatedDate < ${cutoff} LIMIT ${Math.floor(limit)}`
        ))
            conversations.add(String(r.Id));
        let messages = 0;
        if (conversations.size > 0)
            messages = (
                await this.query(
                    `SELECT Id FROM Conversation_Message__c WHERE Conversation__c IN ${literals([...conversations])}`
                )
            ).length;
        // Master-detail: deleting a conversation deletes its messages on the platform.
        await this.destroy('Conversation__c', [...conversations]);
        await this.destroy('Website_Visitor__c', visitors);
        for (const id of conversations) this.conversationsSeen.delete(id);
        // The journal's dead letters are the gateway's own copy of such data: same retention.
        this.writeQueue?.purgeDeadLetters(new Date(lastSeenBefore).getTime());
        // Keys of deleted records must not answer a later upsert with a deleted id.
        if (visitors.length > 0) this.visitorIds.clear();
        return { visitors: visitors.length, conversations: conversations.size, messages };
    }

    private async destroy(object: string, ids: readonly string[]): Promise<void> {
        for (let i = 0; i < ids.length; i += 200) {
            const results = (await this.object(object).destroy([
                ...ids.slice(i, i + 200)
            ])) as SaveResult[];
            const bad = results.find((r) => !r.success);
            if (bad) throw failed(bad, `Deleting ${object} records`);
        }
        if (ids.length > 0) this.changed(object);
    }

    // ── Calendar and Leads ────────────────────────────────────────────────────

    async busyTimes(userId: string, from: string, to: string): Promise<BusyInterval[]> {
        const records = await this.query(
            `SELECT StartDateTime, EndDateTime FROM Event WHERE OwnerId = ${literal(userId)} AND EndDateTime > ${soqlDateTime(from)} AND StartDateTime < ${soqlDateTime(to)} ORDER BY StartDateTime`
        );
        return records.map((r) => ({ start: String(r.StartDateTime), end: String(r.EndDateTime) }));
    }

    async createEvent(fields: Parameters<CrmPort['createEvent']>[0]): Promise<{ id: string }> {
        const id = await this.create('Event', {
            Subject: fields.subject.slice(0, 255),
            StartDateTime: fields.start,
            EndDateTime: fields.end,
            OwnerId: fields.ownerId,
            ...(fields.whoId ? { WhoId: fields.whoId } : {}),
            ...(fields.accountId ? { WhatId: fields.accountId } : {})
        });
        return { id };
    }

    async createTask(fields: CrmTask): Promise<{ id: string }> {
        return { id: await this.create('Task', taskRecord(fields)) };
    }

    async createLead(fields: Parameters<CrmPort['createLead']>[0]): Promise<{ id: string }> {
        const record: SObject = {
            FirstName: fields.firstName,
            LastName: fields.lastName,
            Company: fields.company,
            Email: fields.email,
            Status: 'Open - Not Contacted',
            LeadSource: 'Web',
            OwnerId: fields.ownerId,
            Visitor_Key__c: fields.visitorKey,
            Source_Stream__c: fields.sourceStream?.slice(0, 80),
            First_Page__c: fields.firstPage?.slice(0, 255),
            UTM_Source__c: fields.utm?.source,
            UTM_Medium__c: fields.utm?.medium,
            UTM_Campaign__c: fields.utm?.campaign,
            UTM_Term__c: fields.utm?.term,
            UTM_Content__c: fields.utm?.content,
            Engagement_Score__c: fields.engagementScore
        };
        return {
            id: await this.create('Lead', withoutUndefined(record), LEAD_FROM_BOOKING_HEADERS)
        };
    }
}

/**
 * A Lead the visitor made by booking a meeting: owned by the rep they booked with (the
 * REST API runs the active assignment rule unless told FALSE), and saved past an Allow
 * duplicate rule (the email was checked first; a namesake at the same company is the
 * visitor's to be, not a reason to lose the booking).
 */
const LEAD_FROM_BOOKING_HEADERS = {
    'Sforce-Auto-Assign': 'FALSE',
    'Sforce-Duplicate-Rule-Header': 'allowSave=true'
};

function withoutUndefined<T extends object>(value: T): T {
    return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

/** SOQL datetime literals are unquoted ISO 8601 in UTC. */
function soqlDateTime(iso: string): string {
    const date = new Date(iso);
    if (Number.isNaN(date.getTime())) throw new Error(`Not a date and time: ${iso}`);
    return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function visitorToRecord(key: string, f: VisitorRecordFields): SObject {
    return withoutUndefined({
        Visitor_Key__c: key,
        Name: f.name?.slice(0, 80),
        Identity_Level__c: f.identityLevel,
        Email__c: f.email,
        Company_Name__c: f.companyName?.slice(0, 255),
        Company_Domain__c: f.companyDomain?.slice(0, 255),
        First_Seen__c: f.firstSeen,
        Last_Seen__c: f.lastSeen,
        Visit_Count__c: f.visitCount,
        Lead__c: f.leadId,
        Contact__c: f.contactId,
        Account__c: f.accountId
    });
}

/** The record a visitor write leaves: what the upsert answers, and a queued one's answer. */
function savedVisitor(id: string, key: string, fields: VisitorRecordFields): VisitorRecord {
    return {
        id,
        visitorKey: key,
        name: fields.name ?? '',
        identityLevel: fields.identityLevel ?? 'Anonymous',
        visitCount: fields.visitCount ?? 0,
        ...withoutUndefined(fields)
    };
}

function messageToRecord(m: Omit<CrmMessage, 'id'>): SObject {
    return {
        Conversation__c: m.conversationId,
        Sender__c: m.sender,
        Sender_User__c: m.senderUserId ?? null,
        Body__c: m.body,
        Sent_At__c: m.sentAt,
        Client_Message_Id__c: m.clientMessageId ?? null
    };
}

function visitorFromRecord(r: SObject): VisitorRecord {
    return {
        id: String(r.Id),
        visitorKey: String(r.Visitor_Key__c),
        name: text(r.Name),
        identityLevel: (str(r.Identity_Level__c) ?? 'Anonymous') as VisitorRecord['identityLevel'],
        email: str(r.Email__c),
        companyName: str(r.Company_Name__c),
        companyDomain: str(r.Company_Domain__c),
        firstSeen: str(r.First_Seen__c),
        lastSeen: str(r.Last_Seen__c),
        visitCount: num(r.Visit_Count__c) ?? 0,
        leadId: str(r.Lead__c),
        contactId: str(r.Contact__c),
        accountId: str(r.Account__c)
    };
}

function conversationToRecord(c: Partial<Omit<CrmConversation, 'id'>>): SObject {
    return withoutUndefined({
        Website_Visitor__c: c.visitorRecordId,
        Rep__c: c.repId,
        Status__c: c.status,
        Origin__c: c.origin,
        Live_Stream__c: c.streamId,
        Started_At__c: c.startedAt,
        Ended_At__c: c.endedAt,
        Visitor_Replied__c: c.visitorReplied === undefined ? undefined : c.visitorReplied ? 1 : 0
    });
}

function conversationFromRecord(r: SObject): CrmConversation {
    return {
        id: String(r.Id),
        visitorRecordId: str(r.Website_Visitor__c),
        repId: str(r.Rep__c),
        status: (str(r.Status__c) ?? 'Requested') as CrmConversation['status'],
        origin: (str(r.Origin__c) ?? 'Pounce') as CrmConversation['origin'],
        streamId: str(r.Live_Stream__c),
        startedAt: str(r.Started_At__c),
        endedAt: str(r.Ended_At__c),
        visitorReplied: r.Visitor_Replied__c === 1
    };
}

function messageFromRecord(r: SObject): CrmMessage {
    return {
        id: String(r.Id),
        conversationId: String(r.Conversation__c),
        sender: (str(r.Sender__c) ?? 'System') as CrmMessage['sender'],
        senderUserId: str(r.Sender_User__c),
        body: text(r.Body__c),
        sentAt: text(r.Sent_At__c),
        clientMessageId: str(r.Client_Message_Id__c)
    };
}
