/**
 * LOCAL MODE: the CRM port straight over the local org's store (SQLite), until the gateway
 * reaches the local org through the Salesforce adapter like any org. Reads and writes go
 * through LocalOrg, so the org's own checks (fields, picklists, unique keys, references)
 * apply as they would on the platform.
 */
import type { AccountTeamMember, MatchedOpportunity, RepStatus } from '../engine';
import type {
    PurgedVisitorData,
    BusyInterval,
    CrmAccount,
    CrmAvailability,
    CrmChangeListener,
    CrmConversation,
    CrmMessage,
    CrmPerson,
    CrmPort,
    CrmUser,
    CrmUserAccess,
    RecordAccount,
    RoutingConfig,
    VisitorRecord,
    VisitorRecordFields
} from '../crm/crmPort';
import type { LocalOrg, SObject } from '../../../localorg/src/store/localOrg';
import { sumObjectAccess, type ObjectAccessByUser } from '../crm/objectAccess';
import { groupsFromRecords, ruleFromRecord, streamFromRecord } from '../crm/routingRecords';
import {
    customPermissionHolders,
    SIGHTLINE_ACCESS,
    SIGHTLINE_ADMIN_ACCESS
} from '../../../localorg/src/store/customPermissions';

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

export class LocalOrgCrm implements CrmPort {
    private userNames: Map<string, string> | undefined;

    constructor(
        readonly org: LocalOrg,
        private readonly settings: { scoreWeightsJson?: string } = {}
    ) {
        org.onChange(({ object }) => {
            if (object === 'User') this.userNames = undefined;
        });
    }

    private userName(id: unknown): string | undefined {
        if (typeof id !== 'string') return undefined;
        if (!this.userNames) {
            this.userNames = new Map(
                this.org.find('User').map((u) => [u.Id as string, String(u.Name ?? '')])
            );
        }
        return this.userNames.get(id);
    }

    private account(record: SObject): CrmAccount {
        return {
            id: record.Id as string,
            name: String(record.Name ?? ''),
            domain: str(record.Domain__c),
            industry: str(record.Industry),
            employees: num(record.NumberOfEmployees),
            annualRevenue: num(record.AnnualRevenue),
            country: str(record.BillingCountry),
            ownerId: str(record.OwnerId),
            ownerName: this.userName(record.OwnerId),
            targetAccount: record.Target_Account__c === true
        };
    }

    async findAccountByDomain(domain: string): Promise<CrmAccount | undefined> {
        const record = this.org.find(
            'Account',
            { Domain__c: domain.toLowerCase() },
            { limit: 1 }
        )[0];
        return record ? this.account(record) : undefined;
    }

    async getAccount(accountId: string): Promise<CrmAccount | undefined> {
        const record = this.org.get('Account', accountId);
        return record ? this.account(record) : undefined;
    }

    async recordAccount(recordId: string): Promise<RecordAccount | undefined> {
        const prefix = recordId.slice(0, 3);
        if (prefix === '001')
            return this.org.get('Account', recordId)
                ? { kind: 'Account', accountId: recordId }
                : undefined;
        if (prefix === '006' || prefix === '003') {
            const kind = prefix === '006' ? 'Opportunity' : 'Contact';
            const record = this.org.get(kind, recordId);
            if (!record) return undefined;
            const accountId = str(record.AccountId);
            return { kind, ...(accountId ? { accountId } : {}) };
        }
        if (prefix === '00Q') {
            const lead = this.org.get('Lead', recordId);
            if (!lead) return undefined;
            const email = str(lead.Email);
            return { kind: 'Lead', leadId: recordId, ...(email ? { email } : {}) };
        }
        return undefined;
    }

    async findPersonByEmail(email: string): Promise<{ lead?: CrmPerson; contact?: CrmPerson }> {
        const address = email.trim().toLowerCase();
        const contact = this.byEmail('Contact', address);
        const lead = this.byEmail('Lead', address);
        return {
            ...(contact ? { contact: this.person('Contact', contact) } : {}),
            ...(lead ? { lead: this.person('Lead', lead) } : {})
        };
    }

    /** The first record with this email, ignoring case as SOQL's `Email = '…'` does. */
    private byEmail(object: 'Lead' | 'Contact', address: string): SObject | undefined {
        const row = this.org.db
            .prepare(`SELECT Id FROM "${object}" WHERE lower("Email") = ? ORDER BY Id LIMIT 1`)
            .get(address) as { Id: string } | undefined;
        return row ? this.org.get(object, row.Id) : undefined;
    }

    private person(kind: 'Lead' | 'Contact', record: SObject): CrmPerson {
        return {
            kind,
            id: record.Id as string,
            name: String(record.Name ?? ''),
            email: String(record.Email ?? ''),
            firstName: str(record.FirstName),
            lastName: str(record.LastName),
            company: str(record.Company),
            status: str(record.Status),
            accountId: str(record.AccountId),
            ownerId: str(record.OwnerId),
            ownerName: this.userName(record.OwnerId)
        };
    }

    async getLead(leadId: string): Promise<CrmPerson | undefined> {
        const record = this.org.get('Lead', leadId);
        return record ? this.person('Lead', record) : undefined;
    }

    async openOpportunities(accountId: string): Promise<MatchedOpportunity[]> {
        return this.org
            .find('Opportunity', { AccountId: accountId, IsClosed: false })
            .map((o) => ({
                id: o.Id as string,
                name: str(o.Name),
                stage: str(o.StageName),
                amount: num(o.Amount),
                ownerId: str(o.OwnerId),
                ownerName: this.userName(o.OwnerId),
                isClosed: false
            }))
            .sort((a, b) => (b.amount ?? 0) - (a.amount ?? 0));
    }

    async accountTeam(accountId: string): Promise<AccountTeamMember[]> {
        return this.org
            .find('AccountTeamMember', { AccountId: accountId })
            .map((m) => ({ userId: String(m.UserId), role: String(m.TeamMemberRole ?? '') }));
    }

    async users(): Promise<CrmUser[]> {
        // Sightline's own custom permissions define reps and admins, never permission set names.
        const admins = customPermissionHolders(this.org, SIGHTLINE_ADMIN_ACCESS);
        const reps = customPermissionHolders(this.org, SIGHTLINE_ACCESS);
        return this.org.find('User', { IsActive: true }, { orderBy: 'Name' }).map((u) => ({
            id: u.Id as string,
            name: String(u.Name ?? ''),
            title: String(u.Title ?? ''),
            isAdmin: admins.has(u.Id as string),
            // A rep takes visitors: a Sightline user who is not an admin.
            isRep: reps.has(u.Id as string) && !admins.has(u.Id as string),
            managerId: str(u.ManagerId),
            timeZone: str(u.TimeZoneSidKey)
        }));
    }

    async objectAccess(
        userIds: readonly string[],
        objects: readonly string[]
    ): Promise<ObjectAccessByUser> {
        const assignments = userIds.flatMap((userId) =>
            this.org.find('PermissionSetAssignment', { AssigneeId: userId }).flatMap((a) => {
                const permissionSetId = str(a.PermissionSetId);
                return permissionSetId ? [{ userId, permissionSetId }] : [];
            })
        );
        const setIds = new Set(assignments.map((a) => a.permissionSetId));
        const permissions = objects.flatMap((object) =>
            this.org
                .find('ObjectPermissions', { SobjectType: object })
                .filter((p) => setIds.has(String(p.ParentId)))
                .map((p) => ({
                    permissionSetId: String(p.ParentId),
                    object,
                    read: p.PermissionsRead === true,
                    create: p.PermissionsCreate === true,
                    edit: p.PermissionsEdit === true
                }))
        );
        return sumObjectAccess(assignments, permissions);
    }

    async userAccess(userId: string): Promise<CrmUserAccess | undefined> {
        const user = this.org.get('User', userId, ['Id', 'Name', 'IsActive']);
        if (!user) return undefined;
        const id = user.Id as string;
        return {
            id,
            name: String(user.Name ?? ''),
            active: user.IsActive === true,
            sightline: customPermissionHolders(this.org, SIGHTLINE_ACCESS).has(id),
            admin: customPermissionHolders(this.org, SIGHTLINE_ADMIN_ACCESS).has(id)
        };
    }

    async availability(): Promise<CrmAvailability[]> {
        return this.org.find('Rep_Availability__c').map((r) => ({
            userId: String(r.User__c),
            status: STATUS_FROM_RECORD[String(r.Status__c)] ?? 'offline',
            capacity: num(r.Capacity__c) ?? 3
        }));
    }

    async setAvailability(
        userId: string,
        status: RepStatus,
        capacity?: number
    ): Promise<CrmAvailability> {
        const existing = this.org.find('Rep_Availability__c', { User__c: userId }, { limit: 1 })[0];
        const fields: SObject = {
            Status__c: STATUS_TO_RECORD[status],
            ...(capacity !== undefined ? { Capacity__c: capacity } : {})
        };
        const record = existing
            ? this.org.update('Rep_Availability__c', existing.Id as string, fields, { userId })
            : this.org.insert('Rep_Availability__c', { User__c: userId, ...fields }, { userId });
        return { userId, status, capacity: num(record.Capacity__c) ?? 3 };
    }

    async routingConfig(): Promise<RoutingConfig> {
        return {
            streams: this.org.find('Live_Stream__c').map(streamFromRecord),
            rules: this.org.find('Routing_Rule__c').map(ruleFromRecord),
            groups: groupsFromRecords(
                this.org.find('Routing_Group__c'),
                this.org.find('Routing_Group_Member__c')
            ),
            ...(this.settings.scoreWeightsJson
                ? { scoreWeightsJson: this.settings.scoreWeightsJson }
                : {})
        };
    }

    async routingState(): Promise<Map<string, string>> {
        return new Map(
            this.org
                .find('Routing_State__c')
                .map((r) => [String(r.Key__c), String(r.Value__c ?? '')])
        );
    }

    async putRoutingState(
        entries: readonly { key: string; value: string | null }[]
    ): Promise<void> {
        if (entries.length === 0) return;
        const select = this.org.db.prepare('SELECT Id FROM "Routing_State__c" WHERE "Key__c" = ?');
        this.org.transaction(() => {
            for (const { key, value } of entries) {
                const row = select.get(key) as { Id: string } | undefined;
                if (value === null) {
                    if (row) this.org.delete('Routing_State__c', row.Id);
                } else if (row) {
                    this.org.update('Routing_State__c', row.Id, { Value__c: value });
                } else {
                    this.org.insert('Routing_State__c', { Key__c: key, Value__c: value });
                }
            }
        });
    }

    async findVisitor(visitorKey: string): Promise<VisitorRecord | undefined> {
        const record = this.org.find(
            'Website_Visitor__c',
            { Visitor_Key__c: visitorKey },
            { limit: 1 }
        )[0];
        return record ? visitorFromRecord(record) : undefined;
    }

    async upsertVisitor(visitorKey: string, fields: VisitorRecordFields): Promise<VisitorRecord> {
        const values: SObject = {};
        const set = (name: string, value: string | number | undefined) => {
            if (value !== undefined) values[name] = value;
        };
        set('Name', fields.name?.slice(0, 80));
        set('Identity_Level__c', fields.identityLevel);
        set('Email__c', fields.email);
        set('Company_Name__c', fields.companyName?.slice(0, 255));
        set('Company_Domain__c', fields.companyDomain?.slice(0, 255));
        set('First_Seen__c', fields.firstSeen);
        set('Last_Seen__c', fields.lastSeen);
        set('Visit_Count__c', fields.visitCount);
        set('Lead__c', fields.leadId);
        set('Contact__c', fields.contactId);
        set('Account__c', fields.accountId);
        return this.org.transaction(() => {
            const existing = this.org.find(
                'Website_Visitor__c',
                { Visitor_Key__c: visitorKey },
                { limit: 1 }
            )[0];
            const record = existing
                ? this.org.update('Website_Visitor__c', existing.Id as string, values)
                : this.org.insert('Website_Visitor__c', {
                      Name: `Visitor ${visitorKey.slice(0, 8)}`,
                      Visitor_Key__c: visitorKey,
                      ...values
                  });
            return visitorFromRecord(record);
        });
    }

    async createConversation(fields: Omit<CrmConversation, 'id'>): Promise<CrmConversation> {
        return conversationFromRecord(
            this.org.insert(
                'Conversation__c',
                conversationToRecord(fields),
                fields.repId ? { userId: fields.repId } : {}
            )
        );
    }

    async updateConversation(
        id: string,
        fields: Partial<Omit<CrmConversation, 'id'>>
    ): Promise<CrmConversation> {
        return conversationFromRecord(
            this.org.update('Conversation__c', id, conversationToRecord(fields))
        );
    }

    async getConversation(id: string): Promise<CrmConversation | undefined> {
        const record = this.org.get('Conversation__c', id);
        return record ? conversationFromRecord(record) : undefined;
    }

    async openConversations(): Promise<CrmConversation[]> {
        return [
            ...this.org.find('Conversation__c', { Status__c: 'Requested' }),
            ...this.org.find('Conversation__c', { Status__c: 'Active' })
        ]
            .map(conversationFromRecord)
            .sort((a, b) => (a.id < b.id ? 1 : -1));
    }

    async addMessage(
        fields: Omit<CrmMessage, 'id'>
    ): Promise<{ message: CrmMessage; duplicate: boolean }> {
        return this.org.transaction(() => {
            if (fields.clientMessageId) {
                const existing = this.org.find(
                    'Conversation_Message__c',
                    { Client_Message_Id__c: fields.clientMessageId },
                    { limit: 1 }
                )[0];
                if (existing) return { message: messageFromRecord(existing), duplicate: true };
            }
            const record = this.org.insert('Conversation_Message__c', {
                Conversation__c: fields.conversationId,
                Sender__c: fields.sender,
                Sender_User__c: fields.senderUserId ?? null,
                Body__c: fields.body,
                Sent_At__c: fields.sentAt,
                Client_Message_Id__c: fields.clientMessageId ?? null
            });
            return { message: messageFromRecord(record), duplicate: false };
        });
    }

    async messages(conversationId: string): Promise<CrmMessage[]> {
        return this.org
            .find(
                'Conversation_Message__c',
                { Conversation__c: conversationId },
                { orderBy: 'Sent_At__c' }
            )
            .map(messageFromRecord);
    }

    async touchVisitors(records: readonly { id: string; lastSeen: string }[]): Promise<void> {
        if (records.length === 0) return;
        this.org.transaction(() => {
            for (const { id, lastSeen } of records)
                this.org.update('Website_Visitor__c', id, { Last_Seen__c: lastSeen });
        });
    }

    async purgeVisitorData(lastSeenBefore: string, limit: number): Promise<PurgedVisitorData> {
        const ids = (sql: string, ...params: (string | number)[]) =>
            (this.org.db.prepare(sql).all(...params) as { Id: string }[]).map((r) => r.Id);
        return this.org.transaction(() => {
            const visitors = ids(
                `SELECT Id FROM "Website_Visitor__c" WHERE COALESCE("Last_Seen__c", "CreatedDate") < ? ORDER BY "Last_Seen__c" LIMIT ?`,
                lastSeenBefore,
                limit
            );
            const conversations = new Set<string>();
            const ofVisitor = this.org.db.prepare(
                'SELECT Id FROM "Conversation__c" WHERE "Website_Visitor__c" = ?'
            );
            for (const visitor of visitors)
                for (const row of ofVisitor.all(visitor) as { Id: string }[])
                    conversations.add(row.Id);
            for (const orphan of ids(
                `SELECT Id FROM "Conversation__c" WHERE "Website_Visitor__c" IS NULL AND "Status__c" IN ('Ended', 'Missed') AND COALESCE("Ended_At__c", "Started_At__c", "CreatedDate") < ? LIMIT ?`,
                lastSeenBefore,
                limit
            ))
                conversations.add(orphan);
            const ofConversation = this.org.db.prepare(
                'SELECT Id FROM "Conversation_Message__c" WHERE "Conversation__c" = ?'
            );
            let messages = 0;
            for (const conversation of conversations) {
                // Master-detail: the platform deletes the messages with their conversation;
                // the local org deletes them itself, first.
                for (const row of ofConversation.all(conversation) as { Id: string }[]) {
                    this.org.delete('Conversation_Message__c', row.Id);
                    messages++;
                }
                this.org.delete('Conversation__c', conversation);
            }
            for (const visitor of visitors) this.org.delete('Website_Visitor__c', visitor);
            return { visitors: visitors.length, conversations: conversations.size, messages };
        });
    }

    async busyTimes(userId: string, from: string, to: string): Promise<BusyInterval[]> {
        const rows = this.org.db
            .prepare(
                'SELECT "StartDateTime" AS s, "EndDateTime" AS e FROM "Event" WHERE "OwnerId" = ? AND "EndDateTime" > ? AND "StartDateTime" < ? ORDER BY "StartDateTime"'
            )
            .all(userId, from, to) as { s: string; e: string }[];
        return rows.map((r) => ({ start: r.s, end: r.e }));
    }

    async createEvent(fields: {
        ownerId: string;
        subject: string;
        start: string;
        end: string;
        leadId?: string;
        accountId?: string;
    }): Promise<{ id: string }> {
        const record = this.org.insert(
            'Event',
            {
                Subject: fields.subject.slice(0, 255),
                StartDateTime: fields.start,
                EndDateTime: fields.end,
                OwnerId: fields.ownerId,
                WhoId: fields.leadId ?? null,
                WhatId: fields.accountId ?? null
            },
            { userId: fields.ownerId }
        );
        return { id: record.Id as string };
    }

    async createLead(fields: Parameters<CrmPort['createLead']>[0]): Promise<{ id: string }> {
        const record = this.org.insert(
            'Lead',
            {
                FirstName: fields.firstName ?? null,
                LastName: fields.lastName,
                Company: fields.company,
                Email: fields.email,
                Status: 'Open - Not Contacted',
                LeadSource: 'Web',
                Visitor_Key__c: fields.visitorKey ?? null,
                Source_Stream__c: fields.sourceStream?.slice(0, 80) ?? null,
                First_Page__c: fields.firstPage?.slice(0, 255) ?? null,
                UTM_Source__c: fields.utm?.source ?? null,
                UTM_Medium__c: fields.utm?.medium ?? null,
                UTM_Campaign__c: fields.utm?.campaign ?? null,
                UTM_Term__c: fields.utm?.term ?? null,
                UTM_Content__c: fields.utm?.content ?? null,
                Engagement_Score__c: fields.engagementScore ?? null
            },
            fields.ownerId ? { userId: fields.ownerId } : {}
        );
        return { id: record.Id as string };
    }

    onChange(listener: CrmChangeListener): () => void {
        return this.org.onChange(({ object }) => listener(object));
    }
}

function visitorFromRecord(r: SObject): VisitorRecord {
    return {
        id: r.Id as string,
        visitorKey: String(r.Visitor_Key__c),
        name: String(r.Name ?? ''),
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
    const out: SObject = {};
    if (c.visitorRecordId !== undefined) out.Website_Visitor__c = c.visitorRecordId;
    if (c.repId !== undefined) out.Rep__c = c.repId;
    if (c.status !== undefined) out.Status__c = c.status;
    if (c.origin !== undefined) out.Origin__c = c.origin;
    if (c.streamId !== undefined) out.Live_Stream__c = c.streamId;
    if (c.startedAt !== undefined) out.Started_At__c = c.startedAt;
    if (c.endedAt !== undefined) out.Ended_At__c = c.endedAt;
    if (c.visitorReplied !== undefined) out.Visitor_Replied__c = c.visitorReplied ? 1 : 0;
    return out;
}

function conversationFromRecord(r: SObject): CrmConversation {
    return {
        id: r.Id as string,
        visitorRecordId: str(r.Website_Visitor__c),
        repId: str(r.Rep__c),
        status: (str(r.Status__c) ?? 'Requested') as CrmConversation['status'],
        origin: (str(r.Origin__c) ?? 'Pounce') as CrmConversation['origin'],
        streamId: str(r.Live_Stream__c),
        startedAt: str(r.Started_At__c),
        endedAt: str(r.Ended_At__c),
        visitorReplied: num(r.Visitor_Replied__c) === 1
    };
}

function messageFromRecord(r: SObject): CrmMessage {
    return {
        id: r.Id as string,
        conversationId: String(r.Conversation__c),
        sender: (str(r.Sender__c) ?? 'System') as CrmMessage['sender'],
        senderUserId: str(r.Sender_User__c),
        body: String(r.Body__c ?? ''),
        sentAt: String(r.Sent_At__c ?? ''),
        clientMessageId: str(r.Client_Message_Id__c)
    };
}
