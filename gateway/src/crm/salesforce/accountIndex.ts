/**
 * Domain → Account, held in memory: every Account with a `Domain__c` is read once (one
 * query, 2,000 records a page), then kept current by Change Data Capture — an Account's
 * change event names its record ids and only those are read again. A new visit's company
 * domain is matched without an API request, where a query per new domain spent a request
 * on every window of new visits.
 *
 * When a change cannot be placed (no record ids, or a read of them failed) the whole index
 * is read again on the next lookup: a stale owner or target flag would route a known
 * account's visitor to the wrong rep.
 */
import type { CrmAccount } from '../crmPort';
import { isRecordId } from './recordId';

/** Reads the accounts a SOQL condition selects (all pages). */
export type AccountReader = (where: string) => Promise<CrmAccount[]>;

export class AccountIndex {
    /** Accounts by lower-case domain, then by id: several accounts may share a domain. */
    private readonly byDomain = new Map<string, Map<string, CrmAccount>>();
    /** Where each indexed account is, so an update or delete finds its old entry. */
    private readonly domainOf = new Map<string, string>();
    private loaded: Promise<void> | undefined;
    /** Re-reads of changed accounts, in the order their changes came. */
    private refreshing: Promise<void> = Promise.resolve();

    constructor(private readonly read: AccountReader) {}

    /** The account of `domain` (the oldest, as `ORDER BY Id` answers, when several share it). */
    async find(domain: string): Promise<CrmAccount | undefined> {
        await this.ready();
        await this.refreshing;
        const accounts = this.byDomain.get(domain.toLowerCase());
        if (!accounts) return undefined;
        let first: CrmAccount | undefined;
        for (const account of accounts.values())
            if (!first || account.id < first.id) first = account;
        return first;
    }

    /** Accounts changed in the org: these are read again (all of them when the ids are unknown). */
    changed(recordIds: readonly string[] | undefined): void {
        // Not read yet: the first lookup reads the current state anyway.
        if (!this.loaded) return;
        if (!recordIds || recordIds.length === 0 || !recordIds.every(isRecordId)) {
            this.loaded = undefined;
            return;
        }
        const ids = [...recordIds];
        const loaded = this.loaded;
        this.refreshing = this.refreshing.then(async () => {
            try {
                // After the first read, or its older answer would overwrite this change.
                await loaded;
                const accounts = await this.read(
                    `Id IN (${ids.map((id) => `'${id}'`).join(', ')})`
                );
                for (const id of ids) this.remove(id);
                for (const account of accounts) this.add(account);
            } catch {
                // The changes could not be read: start over from the org on the next lookup.
                this.loaded = undefined;
            }
        });
    }

    private ready(): Promise<void> {
        this.loaded ??= this.read('Domain__c != null').then(
            (accounts) => {
                this.byDomain.clear();
                this.domainOf.clear();
                for (const account of accounts) this.add(account);
            },
            (error: unknown) => {
                this.loaded = undefined;
                throw error;
            }
        );
        return this.loaded;
    }

    private add(account: CrmAccount): void {
        const domain = account.domain?.toLowerCase();
        if (!domain) return;
        const accounts = this.byDomain.get(domain) ?? new Map<string, CrmAccount>();
        accounts.set(account.id, account);
        this.byDomain.set(domain, accounts);
        this.domainOf.set(account.id, domain);
    }

    private remove(id: string): void {
        const domain = this.domainOf.get(id);
        if (domain === undefined) return;
        this.domainOf.delete(id);
        const accounts = this.byDomain.get(domain);
        accounts?.delete(id);
        if (accounts?.size === 0) this.byDomain.delete(domain);
    }
}
