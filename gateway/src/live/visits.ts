/**
 * The live visits: the in-memory store, the sweep that ages them (active → idle → ended),
 * and their persistence to Website_Visitor__c (at most once a minute while a visit is live,
 * and once more when it ends).
 */
import type { GatewaySettings } from '../crm/customMetadata';
import type { CrmPort, VisitorRecordFields } from '../crm/crmPort';
import type { Decision, Visitor } from '../engine';
import { displayName } from './cards';
import type { Clock, TimerHandle } from './clock';
import { LastSeenWriter } from './lastSeenWriter';
import { toVisitor, type LiveSession } from './session';

/** How often Last_Seen__c of a live visit is written at most. */
const PERSIST_EVERY_MS = 60_000;

export interface LiveVisit {
    session: LiveSession;
    /** Settles once the visit is recognised (returning visitor, company, CRM matches). */
    ready: Promise<void>;
    /** The org failed to recognise the visit: its next beacon asks again (its pages are kept). */
    recognitionFailed?: boolean;
    decision?: Decision;
    deadlineTimer?: TimerHandle;
    /**
     * With other gateways: the gateway that owns this visit, when it is not this one. Held
     * here only to be read (a console's card, a rep's action); its owner ages and ends it.
     */
    mirrorOf?: string;
}

/** What the sweep found: visits that just went idle, and visits that ended (already removed, timers cancelled). */
export interface SweepResult {
    idled: LiveVisit[];
    ended: LiveVisit[];
}

/** The Website_Visitor__c fields a live session determines. */
export function visitorRecordFields(session: LiveSession): VisitorRecordFields {
    const sf = session.salesforce;
    return {
        name: displayName(session),
        identityLevel: session.email
            ? 'Person_Known'
            : session.company?.domain
              ? 'Company_Known'
              : 'Anonymous',
        ...(session.email ? { email: session.email } : {}),
        ...(session.company?.name ? { companyName: session.company.name } : {}),
        ...(session.company?.domain ? { companyDomain: session.company.domain } : {}),
        ...(sf?.account ? { accountId: sf.account.id } : {}),
        ...(sf?.lead ? { leadId: sf.lead.id } : {}),
        ...(sf?.contact ? { contactId: sf.contact.id } : {})
    };
}

export class LiveVisits {
    private readonly byId = new Map<string, LiveVisit>();
    private readonly lastSeen: LastSeenWriter;

    constructor(
        private readonly crm: CrmPort,
        private readonly clock: Clock,
        private readonly settings: GatewaySettings,
        private readonly onError: (error: unknown) => void
    ) {
        this.lastSeen = new LastSeenWriter(crm, clock, onError);
    }

    get size(): number {
        return this.byId.size;
    }

    /** The visit, read from another gateway's copy if this gateway does not hold it. */
    get(visitId: string): LiveVisit | undefined {
        return this.byId.get(visitId) ?? this.elsewhere?.visit(visitId);
    }

    /** The visit if this gateway holds it (no copy read). */
    held(visitId: string): LiveVisit | undefined {
        return this.byId.get(visitId);
    }

    /** With other gateways: their visits, read when something here needs one. */
    elsewhere:
        | {
              visit(visitId: string): LiveVisit | undefined;
              visitOfConversation(conversationId: string): LiveVisit | undefined;
          }
        | undefined;

    add(visit: LiveVisit): void {
        this.byId.set(visit.session.sessionId, visit);
    }

    /** Forgets this visit (and only this one: a newer visit under the same id stays). */
    drop(visit: LiveVisit): void {
        if (this.byId.get(visit.session.sessionId) === visit)
            this.byId.delete(visit.session.sessionId);
    }

    /** Whether this very visit is still the live one under its id. */
    isLive(visit: LiveVisit): boolean {
        return this.byId.get(visit.session.sessionId) === visit;
    }

    values(): IterableIterator<LiveVisit> {
        return this.byId.values();
    }

    /** The most recently seen live visits as engine `Visitor` models (the setup pages' dry run). */
    recent(limit: number): Visitor[] {
        const now = this.clock.now();
        return [...this.byId.values()]
            .map((visit) => visit.session)
            .sort((a, b) => b.lastSeenAt - a.lastSeenAt)
            .slice(0, limit)
            .map((session) => toVisitor(session, now));
    }

    /** The live visit chatting in this conversation, if any. */
    ofConversation(conversationId: string): LiveVisit | undefined {
        for (const visit of this.byId.values()) {
            const chat = visit.session.chat;
            if ('conversationId' in chat && chat.conversationId === conversationId) return visit;
        }
        return this.elsewhere?.visitOfConversation(conversationId);
    }

    /** Active → idle after `idleAfterMs` without activity; ended after `endAfterMs` without a beacon. */
    sweep(): SweepResult {
        const now = this.clock.now();
        const result: SweepResult = { idled: [], ended: [] };
        for (const visit of [...this.byId.values()]) {
            // Another gateway's visit is aged by its owner, which announces the change.
            if (visit.mirrorOf) continue;
            const s = visit.session;
            if (now - s.lastSeenAt >= this.settings.endAfterMs) {
                this.byId.delete(s.sessionId);
                visit.deadlineTimer?.cancel();
                result.ended.push(visit);
            } else if (s.active && now - s.lastActivityAt >= this.settings.idleAfterMs) {
                s.active = false;
                s.idleSince = s.lastActivityAt + this.settings.idleAfterMs;
                result.idled.push(visit);
            }
        }
        return result;
    }

    /** Writes the visit's record now (identity, company, matches, Last_Seen__c). */
    async persist(visit: LiveVisit): Promise<void> {
        const session = visit.session;
        session.lastPersistedAt = this.clock.now();
        const saved = await this.crm.upsertVisitor(session.visitorKey, {
            ...visitorRecordFields(session),
            lastSeen: new Date(session.lastSeenAt).toISOString()
        });
        session.visitorRecordId = saved.id;
    }

    /**
     * When the last write is older than a minute: a recognised visit's Last_Seen__c goes
     * with the next batch of the LastSeenWriter (not from inside the beacon's request);
     * a visit without its record yet is persisted whole, in the background.
     */
    maybePersist(visit: LiveVisit, now: number): void {
        const session = visit.session;
        if (now - session.lastPersistedAt < PERSIST_EVERY_MS) return;
        session.lastPersistedAt = now;
        if (session.visitorRecordId)
            this.lastSeen.touch(session.visitorRecordId, session.lastSeenAt);
        else this.persist(visit).catch(this.onError);
    }

    /** Writes the Last_Seen__c values still waiting for their batch. */
    flushLastSeen(): Promise<void> {
        return this.lastSeen.flush();
    }

    /**
     * On shutdown: every stored visit's Last_Seen__c, so a restart continues the visits —
     * through the Last_Seen__c writer, 200 records a call, not one upsert per visit.
     */
    saveAll(): Promise<void> {
        for (const visit of this.byId.values())
            if (visit.session.visitorRecordId && !visit.mirrorOf)
                this.lastSeen.touch(visit.session.visitorRecordId, visit.session.lastSeenAt);
        return this.lastSeen.flush();
    }

    cancelTimers(): void {
        for (const visit of this.byId.values()) visit.deadlineTimer?.cancel();
    }

    /** Last_Seen__c of an ended visit, in the background. */
    saveLastSeen(session: LiveSession): void {
        this.crm
            .upsertVisitor(session.visitorKey, {
                lastSeen: new Date(session.lastSeenAt).toISOString()
            })
            .catch(this.onError);
    }
}

/** The live gateway's pipeline as the desks see it: decide a visit, publish its card. */
export interface VisitPipeline {
    /** The visit's decision, deciding now a change still waiting for the window. */
    current(visit: LiveVisit): Decision | undefined;
    /**
     * Decide again without publishing: for a change completed from the decision itself (a
     * chat request's deadline is the routing rule's), so no console sees it half done.
     */
    decide(visit: LiveVisit): Decision;
    /** Decide again and publish the card to whoever may see it. */
    refresh(visit: LiveVisit): Decision;
    /** Offers waiting chats to reps who became free, expires stale ones. */
    passBacklog(): void;
    /**
     * Resolves once the visits changed so far are shared with the other gateways (at once
     * for a gateway alone): a request that changed a visit answers after it.
     */
    shared(): Promise<void>;
}
