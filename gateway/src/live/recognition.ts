/**
 * Recognition: who a visit is. A new visit is matched to its Website_Visitor__c (a
 * returning visitor continues or starts a visit), located and attributed to a company;
 * the company's domain finds the Account (owner, target flag, open Opportunities) and an
 * email finds the Lead or Contact. Everything reads through the enricher's caches and the
 * CRM port; the session is updated in place.
 */
import { UserFacingError } from '../actions/userFacingError';
import type { GatewaySettings } from '../crm/customMetadata';
import type { CrmPerson, CrmPort } from '../crm/crmPort';
import type { Enricher } from '../enrich/enricher';
import type { Clock } from './clock';
import type { Decisions } from './decisions';
import type { LiveSession } from './session';
import { visitorRecordFields } from './visits';

export class Recognition {
    constructor(
        private readonly crm: CrmPort,
        private readonly enricher: Enricher,
        private readonly decisions: Decisions,
        private readonly clock: Clock,
        private readonly settings: GatewaySettings,
        private readonly onError: (error: unknown) => void
    ) {}

    /** New visit: returning-visitor recognition (Website_Visitor__c), location and company; stores the visit. */
    async recognise(session: LiveSession): Promise<void> {
        const now = this.clock.now();
        // No address (the site skips IP enrichment): no location, no company from the IP.
        const ip = session.ip ? this.enricher.ip(session.ip) : {};
        if (ip.location) session.location = ip.location;
        try {
            // The IP's company is known before any round trip: its Account's matches are
            // asked for in the same read window as the visitor record (one composite call).
            // An error surfaces where the lookup is awaited again (`applyDomain`).
            if (ip.companyDomain) this.enricher.domain(ip.companyDomain).catch(() => {});
            const record = await this.crm.findVisitor(session.visitorKey);
            const lastSeen = record?.lastSeen ? Date.parse(record.lastSeen) : 0;
            const continuing =
                record !== undefined &&
                record.visitCount > 0 &&
                now - lastSeen < this.settings.endAfterMs;
            session.visitCount = continuing ? record.visitCount : (record?.visitCount ?? 0) + 1;
            if (record?.email) session.email = record.email;
            if (record?.leadId) session.linkedLeadId = record.leadId;
            const domain = ip.companyDomain ?? record?.companyDomain;
            if (domain) await this.applyDomain(session, domain);
            if (session.email) await this.applyEmail(session, session.email);
            const claim = this.decisions.claimOf(session.sessionId);
            if (claim) {
                // A claim that survived a restart: the chat goes on with the same rep.
                session.chat = {
                    state: 'conversation',
                    conversationId: claim.conversationId,
                    repId: claim.userId,
                    repName: claim.userName,
                    repTitle: this.decisions.user(claim.userId)?.title ?? ''
                };
            }
            const saved = await this.crm.upsertVisitor(session.visitorKey, {
                ...visitorRecordFields(session),
                visitCount: session.visitCount,
                firstSeen: record?.firstSeen ?? new Date(now).toISOString(),
                lastSeen: new Date(now).toISOString()
            });
            session.visitorRecordId = saved.id;
            session.lastPersistedAt = now;
        } catch (error) {
            this.onError(error);
            throw new UserFacingError('The visit could not be stored: try again shortly.', 503);
        }
    }

    /** The visitor filled in a form: their Lead or Contact, and the company behind the email. */
    async identify(
        session: LiveSession,
        identified: { email: string; company?: string }
    ): Promise<void> {
        await this.applyEmail(session, identified.email);
        // The org's Account name wins; otherwise the name the visitor typed beats a bare domain.
        const company = session.company;
        if (identified.company && !company?.name) {
            session.company = { ...company, name: identified.company };
        }
    }

    /** A rep linked the visit to a Lead: the card shows it and the visitor record keeps it. */
    linkLead(session: LiveSession, lead: CrmPerson): void {
        session.linkedLeadId = lead.id;
        session.salesforce = {
            ...session.salesforce,
            lead: {
                id: lead.id,
                ...(lead.name ? { name: lead.name } : {}),
                ...(lead.ownerId ? { ownerId: lead.ownerId } : {}),
                ...(lead.ownerName ? { ownerName: lead.ownerName } : {}),
                ...(lead.status ? { status: lead.status } : {})
            }
        };
        if (!session.email && lead.email) session.email = lead.email.toLowerCase();
        if (!session.personName && lead.name) session.personName = lead.name;
    }

    private async applyDomain(session: LiveSession, domain: string): Promise<void> {
        const found = await this.enricher.domain(domain);
        session.company = found.company;
        session.salesforce = { ...session.salesforce, ...found.salesforce };
        if (!found.salesforce.account) {
            const rest = { ...session.salesforce };
            delete rest.account;
            delete rest.opportunities;
            session.salesforce = rest;
        }
    }

    private async applyEmail(session: LiveSession, email: string): Promise<void> {
        const found = await this.enricher.email(email);
        const sf = { ...session.salesforce };
        if (found.lead)
            sf.lead = {
                id: found.lead.id,
                ...(found.lead.name ? { name: found.lead.name } : {}),
                ...(found.lead.ownerId ? { ownerId: found.lead.ownerId } : {}),
                ...(found.lead.ownerName ? { ownerName: found.lead.ownerName } : {}),
                ...(found.lead.status ? { status: found.lead.status } : {})
            };
        if (found.contact)
            sf.contact = {
                id: found.contact.id,
                ...(found.contact.name ? { name: found.contact.name } : {}),
                ...(found.contact.ownerId ? { ownerId: found.contact.ownerId } : {}),
                ...(found.contact.ownerName ? { ownerName: found.contact.ownerName } : {})
            };
        session.salesforce = sf;
        if (!session.personName) {
            const person = found.contact ?? found.lead;
            if (person?.name) session.personName = person.name;
        }
        let domain = found.domain;
        if (found.contact?.accountId)
            domain = (await this.crm.getAccount(found.contact.accountId))?.domain ?? domain;
        if (domain && domain !== session.company?.domain) await this.applyDomain(session, domain);
    }
}
