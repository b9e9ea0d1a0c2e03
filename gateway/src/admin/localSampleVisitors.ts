/**
 * LOCAL MODE ONLY, and only while no live session store is running: a small, deterministic
 * set of visitors for the setup pages' dry run, built from the local org's own accounts so
 * that Salesforce criteria (target account, open opportunity) have something to match.
 * `getDryRunVisitors` says `source: 'local-sample'` whenever it answers from here.
 */
import type { LocalOrg } from '../crm/localOrg/localOrg';
import type { Visitor, VisitedPage } from '../engine';

const SITE = 'https://www.lumendata.example';

function pages(now: number, paths: string[], query = ''): VisitedPage[] {
    return paths.map((path, i) => ({
        url: `${SITE}${path}${i === 0 ? query : ''}`,
        path,
        title: path === '/' ? 'Lumen Data' : `${path.slice(1).split('/')[0]} · Lumen Data`,
        enteredAt: now - (paths.length - i) * 45_000,
        dwellMs: 40_000,
        scrollDepth: 0.4
    }));
}

export function localSampleVisitors(org: LocalOrg, now: number): Visitor[] {
    const accounts = org.find('Account', {}, { orderBy: 'Name' });
    const target = accounts.find((a) => a.Target_Account__c === true);
    const withOpportunity = accounts.find(
        (a) =>
            a.Id !== target?.Id &&
            org.find('Opportunity', { AccountId: a.Id as string, IsClosed: false }, { limit: 1 })
                .length > 0
    );
    const sample: Visitor[] = [];
    if (target) {
        sample.push({
            identity: { level: 'company', visitorId: 'sample-target' },
            company: {
                name: String(target.Name),
                domain: String(target.Domain__c ?? ''),
                industry: String(target.Industry ?? '')
            },
            location: {
                country: 'United States',
                countryCode: 'US',
                region: 'California',
                city: 'San Francisco'
            },
            salesforce: {
                account: {
                    id: target.Id as string,
                    name: String(target.Name),
                    ownerId: String(target.OwnerId ?? ''),
                    targetAccount: true
                }
            },
            visit: {
                pages: pages(now, ['/', '/product', '/pricing']),
                startedAt: now - 180_000,
                pageCount: 3
            },
            behaviour: { active: true, tabsOpen: 2 },
            device: { type: 'desktop', browser: 'Chrome', os: 'macOS' }
        });
    }
    if (withOpportunity) {
        const opportunity = org.find(
            'Opportunity',
            { AccountId: withOpportunity.Id as string, IsClosed: false },
            { limit: 1 }
        )[0]!;
        sample.push({
            identity: {
                level: 'person',
                visitorId: 'sample-opportunity',
                email: 'jordan@example.com',
                name: 'Jordan Lee'
            },
            company: {
                name: String(withOpportunity.Name),
                domain: String(withOpportunity.Domain__c ?? '')
            },
            location: { country: 'United Kingdom', countryCode: 'GB', city: 'London' },
            salesforce: {
                account: {
                    id: withOpportunity.Id as string,
                    name: String(withOpportunity.Name),
                    targetAccount: false
                },
                opportunities: [
                    {
                        id: opportunity.Id as string,
                        name: String(opportunity.Name),
                        stage: String(opportunity.StageName),
                        isClosed: false
                    }
                ]
            },
            visit: {
                pages: pages(now, ['/docs', '/docs/api']),
                startedAt: now - 300_000,
                pageCount: 2,
                returning: true,
                visitCount: 4
            },
            behaviour: { active: true },
            device: { type: 'desktop', browser: 'Firefox', os: 'Windows' }
        });
    }
    sample.push(
        {
            identity: { level: 'anonymous', visitorId: 'sample-paid' },
            location: { country: 'Germany', countryCode: 'DE', city: 'Berlin' },
            visit: {
                pages: pages(now, ['/', '/pricing'], '?utm_source=google&utm_medium=cpc&gclid=abc'),
                utm: { source: 'google', medium: 'cpc', campaign: 'brand' },
                startedAt: now - 90_000
            },
            behaviour: { active: true },
            device: { type: 'mobile', browser: 'Safari', os: 'iOS' }
        },
        {
            identity: { level: 'anonymous', visitorId: 'sample-pricing' },
            location: { country: 'Canada', countryCode: 'CA', city: 'Toronto' },
            visit: {
                pages: pages(now, ['/blog/data-quality', '/pricing']),
                referrer: 'https://www.linkedin.com/feed',
                startedAt: now - 240_000
            },
            behaviour: { active: true, chatRequested: true, chatRequestedAt: now - 10_000 },
            device: { type: 'desktop', browser: 'Edge', os: 'Windows' }
        },
        {
            identity: { level: 'anonymous', visitorId: 'sample-reader' },
            location: { country: 'Australia', countryCode: 'AU', city: 'Sydney' },
            visit: { pages: pages(now, ['/blog', '/blog/streams']), startedAt: now - 600_000 },
            behaviour: { active: false, idleSinceMs: now - 120_000 },
            device: { type: 'tablet', browser: 'Safari', os: 'iPadOS' }
        }
    );
    return sample;
}
