/**
 * The CRM port: everything the gateway reads from or writes to the system of record, so
 * sessions, routing and chat never know which org they talk to. Methods are asynchronous
 * because an org is across the network.
 */
import type {
    AccountTeamMember,
    LiveStream,
    MatchedOpportunity,
    RepStatus,
    RoutingGroup,
    RoutingRule
} from '../engine';
import type { ObjectAccessByUser } from './objectAccess';
import type { PresenceRow } from './omniPresence';

export interface RecordAccount {
    kind: 'Account' | 'Opportunity' | 'Contact' | 'Lead';
    accountId?: string;
    /** For a Lead: the Lead itself and its email (its company domain stands for the account). */
    leadId?: string;
    email?: string;
}

export interface CrmAccount {
    id: string;
    name: string;
    domain?: string;
    industry?: string;
    employees?: number;
    annualRevenue?: number;
    country?: string;
    ownerId?: string;
    ownerName?: string;
    targetAccount: boolean;
}

export interface CrmPerson {
    kind: 'Lead' | 'Contact';
    id: string;
    name: string;
    email: string;
    firstName?: string;
    lastName?: string;
    company?: string;
    status?: string;
    accountId?: string;
    ownerId?: string;
    ownerName?: string;
}

export interface CrmUser {
    id: string;
    name: string;
    title: string;
    isAdmin: boolean;
    isRep: boolean;
    managerId?: string;
    timeZone?: string;
}

/** What the org says about a user right now: the gateway re-checks it on every signed call. */
export interface CrmUserAccess {
    id: string;
    name: string;
    active: boolean;
    /** Holds the Sightline_Access custom permission (directly or through a group). */
    sightline: boolean;
    /** Holds the Sightline_Admin_Access custom permission. */
    admin: boolean;
}

export interface CrmAvailability {
    userId: string;
    status: RepStatus;
    capacity: number;
}

/** A stream as stored: the engine's model plus what only the setup pages show. */
export type CrmStream = LiveStream & { description?: string };

export interface RoutingConfig {
    streams: CrmStream[];
    rules: RoutingRule[];
    groups: RoutingGroup[];
    /** Sightline_Setting__mdt.Score_Weights__c, raw JSON. */
    scoreWeightsJson?: string;
}

export type ConversationStatus = 'Requested' | 'Active' | 'Ended' | 'Missed';

export interface CrmConversation {
    id: string;
    visitorRecordId?: string;
    repId?: string;
    status: ConversationStatus;
    origin: 'Pounce' | 'Chat_Request';
    streamId?: string;
    startedAt?: string;
    endedAt?: string;
    /** The visitor sent a message: the pounce (or request) became a conversation (reports). */
    visitorReplied?: boolean;
}

export interface CrmMessage {
    id: string;
    conversationId: string;
    sender: 'Visitor' | 'Rep' | 'Bot' | 'System';
    senderUserId?: string;
    body: string;
    sentAt: string;
    clientMessageId?: string;
}

export interface VisitorRecord {
    id: string;
    visitorKey: string;
    name: string;
    identityLevel: 'Anonymous' | 'Company_Known' | 'Person_Known';
    email?: string;
    companyName?: string;
    companyDomain?: string;
    firstSeen?: string;
    lastSeen?: string;
    visitCount: number;
    leadId?: string;
    contactId?: string;
    accountId?: string;
}

export type VisitorRecordFields = Partial<Omit<VisitorRecord, 'id' | 'visitorKey'>>;

/** What one retention purge deleted. */
export interface PurgedVisitorData {
    visitors: number;
    conversations: number;
    messages: number;
}

export interface BusyInterval {
    start: string;
    end: string;
}

/**
 * A completed Task on the timeline (Status Completed, subtype Task). WhoId is a Lead or a
 * Contact; WhatId (an Account) only with a Contact or alone: the org refuses a Lead with a
 * Related To record.
 */
export interface CrmTask {
    ownerId: string;
    subject: string;
    /** At most 32,000 characters. */
    description: string;
    /** YYYY-MM-DD. */
    activityDate: string;
    whoId?: string;
    whatId?: string;
}

/** What changed in the CRM, for caches: the object's API name. */
export type CrmChangeListener = (objectApiName: string) => void;

export interface CrmPort {
    findAccountByDomain(domain: string): Promise<CrmAccount | undefined>;
    getAccount(accountId: string): Promise<CrmAccount | undefined>;
    /**
     * What a record page is about, for "on the website now": the Account of an Account,
     * Opportunity or Contact record (by its AccountId), or a Lead with its email. Undefined
     * when the record does not exist.
     */
    recordAccount(recordId: string): Promise<RecordAccount | undefined>;
    findPersonByEmail(email: string): Promise<{ lead?: CrmPerson; contact?: CrmPerson }>;
    openOpportunities(accountId: string): Promise<MatchedOpportunity[]>;
    accountTeam(accountId: string): Promise<AccountTeamMember[]>;

    /** Active users, with whether they hold the Sightline_Admin / Sightline_Rep permission sets. */
    users(): Promise<CrmUser[]>;
    /** One user's status and Sightline custom permissions, read from the org (not cached). */
    userAccess(userId: string): Promise<CrmUserAccess | undefined>;
    /** What these users may do on these objects, summed over profile and permission sets. */
    objectAccess(
        userIds: readonly string[],
        objects: readonly string[]
    ): Promise<ObjectAccessByUser>;
    /**
     * Of these records, the ones the user may read by the org's sharing (UserRecordAccess:
     * owner, role hierarchy, teams, sharing rules, View All), asked as the integration user.
     */
    readableRecords(userId: string, recordIds: readonly string[]): Promise<Set<string>>;
    /**
     * Of these fields (`Object.Field`, the package's names), the ones the user's field-level
     * security lets them read (FieldPermissions over their profile and permission sets).
     */
    readableFields(userId: string, fields: readonly string[]): Promise<Set<string>>;
    availability(): Promise<CrmAvailability[]>;
    /** Current Omni-Channel presences (UserServicePresence, IsCurrentState = true). */
    omniChannelPresence(): Promise<PresenceRow[]>;
    setAvailability(userId: string, status: RepStatus, capacity?: number): Promise<CrmAvailability>;

    routingConfig(): Promise<RoutingConfig>;
    /** Routing_State__c: every key with its value. */
    routingState(): Promise<Map<string, string>>;
    /** Writes (value) or deletes (null) routing state keys, all or nothing. */
    putRoutingState(entries: readonly { key: string; value: string | null }[]): Promise<void>;

    findVisitor(visitorKey: string): Promise<VisitorRecord | undefined>;
    /** Creates or updates the Website_Visitor__c with this key. */
    upsertVisitor(visitorKey: string, fields: VisitorRecordFields): Promise<VisitorRecord>;

    createConversation(fields: Omit<CrmConversation, 'id'>): Promise<CrmConversation>;
    updateConversation(
        id: string,
        fields: Partial<Omit<CrmConversation, 'id'>>
    ): Promise<CrmConversation>;
    getConversation(id: string): Promise<CrmConversation | undefined>;
    /** Conversations that are not over (Requested or Active), newest first. */
    openConversations(): Promise<CrmConversation[]>;
    /** Adds a message; a message whose clientMessageId is already stored is returned as it is. */
    addMessage(
        fields: Omit<CrmMessage, 'id'>
    ): Promise<{ message: CrmMessage; duplicate: boolean }>;
    messages(conversationId: string): Promise<CrmMessage[]>;

    /** Event records of the user overlapping [from, to). */
    busyTimes(userId: string, from: string, to: string): Promise<BusyInterval[]>;
    createEvent(fields: {
        ownerId: string;
        subject: string;
        start: string;
        end: string;
        /** The Lead or Contact met (Event.WhoId). */
        whoId?: string;
        /** The Account (Event.WhatId): not with a Lead, which the org refuses. */
        accountId?: string;
    }): Promise<{ id: string }>;
    /** Logs a completed activity (an ended conversation) on the timeline. */
    createTask(fields: CrmTask): Promise<{ id: string }>;
    createLead(fields: {
        firstName?: string;
        lastName: string;
        company: string;
        email: string;
        ownerId?: string;
        visitorKey?: string;
        sourceStream?: string;
        firstPage?: string;
        utm?: {
            source?: string;
            medium?: string;
            campaign?: string;
            term?: string;
            content?: string;
        };
        engagementScore?: number;
    }): Promise<{ id: string }>;
    getLead(leadId: string): Promise<CrmPerson | undefined>;

    /** Sets Last_Seen__c of visitor records by id, all in one request (at most 200). */
    touchVisitors(records: readonly { id: string; lastSeen: string }[]): Promise<void>;

    /**
     * Retention: deletes at most `limit` Website_Visitor__c records last seen before
     * `lastSeenBefore` (ISO), with their conversations and the conversations' messages,
     * and ended or missed conversations without a visitor that ended (or started) before
     * it. Leads, Contacts and Events the visitor became are the CRM's and stay.
     */
    purgeVisitorData(lastSeenBefore: string, limit: number): Promise<PurgedVisitorData>;

    onChange(listener: CrmChangeListener): () => void;
}
