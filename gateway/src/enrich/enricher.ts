/**
 * Identification and enrichment: where a visitor is (IP → GeoIP, or the company
 * provider's own location), which company (IP → provider; email → domain), and what the
 * CRM knows (domain → Account, owner, team, target flag, open Opportunities; email →
 * Lead/Contact). Results are cached; a CRM change to those objects clears the cache.
 */
import type { MatchedAccount, SalesforceMatches, VisitorCompany, VisitorLocation } from '../engine';
import type { CrmAccount, CrmPerson, CrmPort } from '../crm/crmPort';
import type { Clock } from '../live/clock';
import type { CompanyProvider } from './companyProvider';
import { locateIp } from './geo';

export interface IpEnrichment {
    location?: VisitorLocation;
    companyDomain?: string;
    companyName?: string;
}

export interface DomainEnrichment {
    company: VisitorCompany;
    account?: CrmAccount;
    salesforce: SalesforceMatches;
}

export interface EmailEnrichment {
    lead?: CrmPerson;
    contact?: CrmPerson;
    /** The company domain of the address, unless it is a free mail provider. */
    domain?: string;
}

/** Mail providers whose domain says nothing about the company. */
const FREE_MAIL = new Set([
    'gmail.com',
    'googlemail.com',
    'yahoo.com',
    'outlook.com',
    'hotmail.com',
    'live.com',
    'icloud.com',
    'me.com',
    'aol.com',
    'proton.me',
    'protonmail.com',
    'gmx.com',
    'gmx.de',
    'mail.com',
    'yandex.ru',
    'qq.com',
    '163.com'
]);

const CRM_OBJECTS = new Set([
    'Account',
    'Opportunity',
    'AccountTeamMember',
    'Lead',
    'Contact',
    'User'
]);

class TtlCache<V> {
    private readonly entries = new Map<string, { value: V; expires: number }>();
    constructor(
        private readonly clock: Clock,
        private readonly ttlMs: number,
        private readonly maxEntries: number
    ) {}
    get(key: string): V | undefined {
        const entry = this.entries.get(key);
        if (!entry) return undefined;
        if (entry.expires <= this.clock.now()) {
            this.entries.delete(key);
            return undefined;
        }
        return entry.value;
    }
    set(key: string, value: V): void {
        if (this.entries.size >= this.maxEntries) {
            const oldest = this.entries.keys().next().value;
            if (oldest !== undefined) this.entries.delete(oldest);
        }
        this.entries.set(key, { value, expires: this.clock.now() + this.ttlMs });
    }
    clear(): void {
        this.entries.clear();
    }
    get size(): number {
        return this.entries.size;
    }
}

export class Enricher {
    private readonly ipCache: TtlCache<IpEnrichment>;
    private readonly domainCache: TtlCache<Promise<DomainEnrichment>>;
    private readonly emailCache: TtlCache<Promise<EmailEnrichment>>;
    /** How many CRM lookups went out (tests check the cache with it). */
    crmLookups = 0;

    constructor(
        private readonly crm: CrmPort,
        private readonly provider: CompanyProvider,
        clock: Clock,
        options: { ttlMs?: number; maxEntries?: number } = {}
    ) {
        const ttl = options.ttlMs ?? 10 * 60_000;
        const max = options.maxEntries ?? 50_000;
        this.ipCache = new TtlCache(clock, ttl, max);
        this.domainCache = new TtlCache(clock, ttl, max);
        this.emailCache = new TtlCache(clock, ttl, max);
        crm.onChange((object) => {
            if (CRM_OBJECTS.has(object)) {
                this.domainCache.clear();
                this.emailCache.clear();
            }
        });
    }

    ip(ip: string): IpEnrichment {
        const cached = this.ipCache.get(ip);
        if (cached) return cached;
        const company = this.provider.lookup(ip);
        const location = company?.location ?? locateIp(ip);
        const result: IpEnrichment = {
            ...(location ? { location } : {}),
            ...(company
                ? {
                      companyDomain: company.domain.toLowerCase(),
                      ...(company.name ? { companyName: company.name } : {})
                  }
                : {})
        };
        this.ipCache.set(ip, result);
        return result;
    }

    domain(domain: string): Promise<DomainEnrichment> {
        const key = domain.toLowerCase();
        let pending = this.domainCache.get(key);
        if (!pending) {
            pending = this.lookupDomain(key);
            this.domainCache.set(key, pending);
        }
        return pending;
    }

    email(email: string): Promise<EmailEnrichment> {
        const key = email.trim().toLowerCase();
        let pending = this.emailCache.get(key);
        if (!pending) {
            this.crmLookups++;
            const domain = key.split('@')[1];
            pending = this.crm.findPersonByEmail(key).then((found) => ({
                ...found,
                ...(domain && !FREE_MAIL.has(domain) ? { domain } : {})
            }));
            this.emailCache.set(key, pending);
        }
        return pending;
    }

    private async lookupDomain(domain: string): Promise<DomainEnrichment> {
        this.crmLookups++;
        const account = await this.crm.findAccountByDomain(domain);
        if (!account) return { company: { domain }, salesforce: {} };
        const [opportunities, team] = await Promise.all([
            this.crm.openOpportunities(account.id),
            this.crm.accountTeam(account.id)
        ]);
        const matched: MatchedAccount = {
            id: account.id,
            name: account.name,
            targetAccount: account.targetAccount,
            team,
            ...(account.ownerId ? { ownerId: account.ownerId } : {}),
            ...(account.ownerName ? { ownerName: account.ownerName } : {})
        };
        return {
            account,
            company: {
                domain,
                name: account.name,
                ...(account.industry ? { industry: account.industry } : {}),
                ...(account.employees !== undefined ? { employees: account.employees } : {}),
                ...(account.annualRevenue !== undefined
                    ? { revenueBand: revenueBand(account.annualRevenue) }
                    : {}),
                ...(account.country ? { country: account.country } : {})
            },
            salesforce: { account: matched, opportunities }
        };
    }
}

function revenueBand(revenue: number): string {
    if (revenue < 10_000_000) return '<10M';
    if (revenue < 100_000_000) return '10M-100M';
    if (revenue < 1_000_000_000) return '100M-1B';
    return '1B+';
}
