import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { demoCompany } from '../demo/demoCompany';
import { ManualClock } from '../live/clock';
import {
    beacon,
    ids,
    pageview,
    sendBeacon,
    startTestGateway,
    type TestGateway
} from '../testing/liveTestApp';
import { DemoCompanyProvider, demoBlockIndex, demoIpBlock } from './companyProvider';
import { Enricher } from './enricher';
import { locateIp } from './geo';

describe('company from IP: the demo provider', () => {
    const accounts = demoCompany().accounts;
    const provider = new DemoCompanyProvider(accounts);

    it('maps one /24 of 198.18.0.0/15 to each demo account, in order', () => {
        assert.equal(demoIpBlock(0), '198.18.0.0');
        assert.equal(demoIpBlock(257), '198.19.1.0');
        assert.equal(demoBlockIndex('198.19.1.77'), 257);
        assert.equal(demoBlockIndex('::ffff:198.18.5.1'), 5);
        assert.equal(demoBlockIndex('198.20.0.1'), undefined);
        assert.equal(demoBlockIndex('198.18.300.1'), undefined);
        assert.equal(provider.lookup('198.18.7.20')?.domain, accounts[7]!.domain);
        assert.equal(provider.lookup('198.18.7.20')?.location?.city, accounts[7]!.city);
        assert.equal(
            provider.lookup(`198.19.${accounts.length - 256}.1`),
            undefined,
            'past the last account'
        );
        assert.equal(provider.lookup('8.8.8.8'), undefined);
    });
});

describe('location from IP (geoip-lite)', () => {
    it('places world IPs with coordinates and leaves private ones unplaced', () => {
        const london = locateIp('81.2.69.160');
        assert.equal(london?.countryCode, 'GB');
        assert.equal(london?.country, 'United Kingdom');
        assert.equal(typeof london?.lat, 'number');
        assert.equal(locateIp('127.0.0.1'), undefined);
        assert.equal(locateIp('10.1.2.3'), undefined);
    });
});

describe('enrichment through the CRM port', () => {
    let gw: TestGateway;
    before(async () => (gw = await startTestGateway()));
    after(async () => gw.close());

    it('matches a domain to its Account, owner, team, target flag and open Opportunities, cached', async () => {
        const accounts = demoCompany().accounts;
        const account = accounts.find((a) => a.target && a.hasOpenOpportunity)!;
        const enricher = new Enricher(gw.crm, new DemoCompanyProvider(accounts), new ManualClock());
        const found = await enricher.domain(account.domain);
        assert.equal(found.company.name, account.name);
        assert.equal(found.salesforce.account?.targetAccount, true);
        assert.ok(found.salesforce.account?.ownerName);
        assert.ok((found.salesforce.account?.team ?? []).length >= 2);
        assert.ok((found.salesforce.opportunities ?? []).length >= 1);
        assert.ok(found.salesforce.opportunities!.every((o) => !o.isClosed));
        const lookups = enricher.crmLookups;
        await enricher.domain(account.domain.toUpperCase());
        assert.equal(enricher.crmLookups, lookups, 'second lookup from the cache');
        await gw.changeInOrg((org) =>
            org.update('Account', found.account!.id, { Target_Account__c: false })
        );
        assert.equal(
            (await enricher.domain(account.domain)).salesforce.account?.targetAccount,
            false,
            'a CRM change clears the cache'
        );
        await gw.changeInOrg((org) =>
            org.update('Account', found.account!.id, { Target_Account__c: true })
        );
        assert.deepEqual((await enricher.domain('unknown.example')).salesforce, {});
    });

    it('lights up the Target Account stream for a visitor from a target account IP, and identifies by email', async () => {
        const accounts = demoCompany().accounts;
        const index = accounts.findIndex((a) => a.target);
        const who = ids();
        const ip = demoIpBlock(index).replace(/0$/, '42');
        await sendBeacon(gw, beacon(who, [pageview('/')]), { 'x-forwarded-for': ip });
        const decision = gw.live.decision(who.sessionId)!;
        const stream = gw.org.get('Live_Stream__c', decision.streams.shown!)!;
        assert.equal(stream.Name, 'Target Account');
        assert.equal(gw.live.session(who.sessionId)?.company?.domain, accounts[index]!.domain);

        const contact = gw.org.find('Contact')[0]!;
        await sendBeacon(
            gw,
            beacon(who, [
                {
                    type: 'identify',
                    ts: 2,
                    email: String(contact.Email).toUpperCase(),
                    source: 'form'
                }
            ])
        );
        const session = gw.live.session(who.sessionId)!;
        assert.equal(session.salesforce?.contact?.id, contact.Id);
        assert.equal(session.personName, contact.Name);
        assert.equal(session.formSubmitted, true);
        const record = gw.org.find('Website_Visitor__c', { Visitor_Key__c: who.visitorId })[0]!;
        assert.equal(record.Identity_Level__c, 'Person_Known');
        assert.equal(record.Contact__c, contact.Id);
        const account = gw.org.get('Account', String(contact.AccountId))!;
        assert.equal(
            session.company?.domain,
            account.Domain__c,
            "the contact's account wins over the IP's company"
        );
    });
});
