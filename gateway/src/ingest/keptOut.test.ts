/**
 * What the ingest keeps out, tested from the attacker's (and the crawler's) side through
 * the real app: bots (isbot, the site's own patterns, the tracker's automation flag),
 * Do-Not-Track and missing consent — nothing stored, nothing enriched, nothing published,
 * everything counted for Health — and the per-event validation that keeps a batch's good
 * events when one is bad.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { GatewayHealth } from '../admin/health';
import {
    beacon,
    ids,
    pageview,
    startTestGateway,
    withSiteRecord,
    type TestGateway
} from '../testing/liveTestApp';

const ORIGIN = 'http://localhost:4300';

function post(gw: TestGateway, body: unknown, headers: Record<string, string> = {}) {
    return gw.app.inject({
        method: 'POST',
        url: '/v1/collect',
        headers: { 'content-type': 'text/plain;charset=UTF-8', origin: ORIGIN, ...headers },
        payload: JSON.stringify(body)
    });
}

async function health(gw: TestGateway): Promise<GatewayHealth> {
    const admin = gw.users.find((u) => u.isAdmin)!;
    const response = await gw.action('getHealth', admin.id, {});
    assert.equal(response.statusCode, 200, response.body);
    return response.json();
}

/** Everything a visit could leave behind: live state, records, published cards. */
function traces(gw: TestGateway) {
    return {
        live: gw.live.liveVisits,
        records: gw.org.count('Website_Visitor__c'),
        published: gw.transport.sent.length
    };
}

interface CrawlerFixture {
    source: string;
    crawlers: Record<string, string[]>;
}
const fixture = JSON.parse(
    readFileSync(join(import.meta.dirname, 'fixtures/isbotCrawlers.json'), 'utf8')
) as CrawlerFixture;
const crawlers = Object.values(fixture.crawlers).flat();

describe('bots are kept out', () => {
    let gw: TestGateway;
    before(async () => (gw = await startTestGateway()));
    after(async () => gw.close());

    it(`a published crawler list (${crawlers.length} user agents, isbot's fixtures): 0 visitors, all counted as bots`, async () => {
        assert.ok(crawlers.length > 500, fixture.source);
        const start = traces(gw);
        for (const [i, userAgent] of crawlers.entries()) {
            const response = await post(gw, beacon(ids('crawler'), [pageview(`/pricing?c=${i}`)]), {
                'user-agent': userAgent,
                'x-forwarded-for': `198.18.${i % 200}.7`
            });
            assert.equal(response.statusCode, 202, userAgent);
            assert.deepEqual(response.json(), { accepted: 0, ignored: 'bot' }, userAgent);
        }
        gw.clock.advance(1000);
        gw.live.publisher.flush();
        assert.deepEqual(traces(gw), start, 'no live visit, no record, no card');
        const kept = (await health(gw)).keptOut!;
        assert.equal(kept.botBeacons, crawlers.length);
        assert.equal(kept.botEvents, crawlers.length);
    });

    it('a batch the tracker marked automated (navigator.webdriver) is a bot, whatever its user agent', async () => {
        const before = traces(gw);
        const response = await post(gw, beacon(ids(), [pageview('/')], { automated: true }));
        assert.deepEqual(response.json(), { accepted: 0, ignored: 'bot' });
        assert.deepEqual(traces(gw), before);
    });

    it("a person's browser still gets in", async () => {
        const who = ids();
        const response = await post(gw, beacon(who, [pageview('/')]));
        assert.equal(response.json().accepted, 1);
        assert.ok(gw.live.session(who.sessionId));
    });
});

describe("the site's own bot patterns", () => {
    let gw: TestGateway;
    before(
        async () =>
            (gw = await startTestGateway({
                unpackagedDir: withSiteRecord({
                    Bot_Patterns__c: 'AcmeUptime\nlumen*probe'
                })
            }))
    );
    after(async () => gw.close());

    it('keeps out user agents matching a pattern (any case, * for anything), not others', async () => {
        const chrome =
            'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';
        for (const ua of [`${chrome} acmeuptime/2.1`, `${chrome} Lumen-Internal-Probe/1`]) {
            const response = await post(gw, beacon(ids(), [pageview('/')]), { 'user-agent': ua });
            assert.equal(response.json().ignored, 'bot', ua);
        }
        const person = await post(gw, beacon(ids(), [pageview('/')]), { 'user-agent': chrome });
        assert.equal(person.json().accepted, 1);
        assert.equal((await health(gw)).keptOut!.botBeacons, 2);
    });
});

describe('Do-Not-Track and consent, from the gateway side', () => {
    let gw: TestGateway;
    before(async () => (gw = await startTestGateway()));
    after(async () => gw.close());

    it('DNT: 1 or Sec-GPC: 1 → answered, nothing stored, nothing enriched, nothing published', async () => {
        const before = traces(gw);
        for (const header of [{ dnt: '1' }, { 'sec-gpc': '1' }] as Record<string, string>[]) {
            const who = ids();
            const response = await post(
                gw,
                beacon(who, [
                    pageview('/pricing'),
                    { type: 'identify', ts: 2, email: 'ada@lumen.example', source: 'form' }
                ]),
                { ...header, 'x-forwarded-for': '198.18.0.9' }
            );
            assert.equal(response.statusCode, 202);
            assert.deepEqual(response.json(), { accepted: 0, ignored: 'do-not-track' });
            assert.equal(gw.live.session(who.sessionId), undefined);
        }
        gw.clock.advance(1000);
        gw.live.publisher.flush();
        assert.deepEqual(traces(gw), before);
        assert.equal(
            gw.org.find('Website_Visitor__c', { Email__c: 'ada@lumen.example' }).length,
            0
        );
        assert.equal((await health(gw)).keptOut!.doNotTrack, 2);
    });

    it('DNT: 0 is no refusal', async () => {
        const response = await post(gw, beacon(ids(), [pageview('/')]), { dnt: '0' });
        assert.equal(response.json().accepted, 1);
    });
});

describe('a site that requires consent, and one that skips IP enrichment', () => {
    let gw: TestGateway;
    before(
        async () =>
            (gw = await startTestGateway({
                unpackagedDir: withSiteRecord({
                    Consent_Required__c: 'true',
                    Skip_IP_Enrichment__c: 'true'
                })
            }))
    );
    after(async () => gw.close());

    it('keeps nothing from a batch without consent', async () => {
        const before = traces(gw);
        const who = ids();
        const response = await post(gw, beacon(who, [pageview('/')]));
        assert.deepEqual(response.json(), { accepted: 0, ignored: 'no-consent' });
        assert.deepEqual(traces(gw), before);
        assert.equal((await health(gw)).keptOut!.noConsent, 1);
    });

    it('with consent: the visit, but no location, no company from the IP, and no address kept', async () => {
        const who = ids();
        const response = await post(gw, beacon(who, [pageview('/')], { consent: true }), {
            // 198.18.0.0/24 is the first demo account's block; 81.2.69.160 is in GeoIP.
            'x-forwarded-for': '198.18.0.20'
        });
        assert.equal(response.json().accepted, 1);
        const session = gw.live.session(who.sessionId)!;
        assert.equal(session.ip, '');
        assert.equal(session.location, undefined);
        assert.equal(session.company, undefined);
        assert.equal(session.salesforce?.account, undefined);
    });
});

describe('per-event validation: the good events are kept, the bad ones reported', () => {
    let gw: TestGateway;
    before(async () => (gw = await startTestGateway()));
    after(async () => gw.close());

    it('one bad event in a batch: 202, the others kept, the bad one listed by index', async () => {
        const who = ids();
        const response = await post(
            gw,
            beacon(who, [
                pageview('/pricing'),
                { type: 'identify', ts: 2, email: 'ada@lumen', source: 'form' },
                { type: 'scroll', ts: 3, url: 'http://localhost:4300/pricing', depth: 0.5 }
            ])
        );
        assert.equal(response.statusCode, 202);
        const body = response.json();
        assert.equal(body.accepted, 2);
        assert.deepEqual(body.rejected, [
            { index: 1, message: 'events.1.email: expected an email address' }
        ]);
        const session = gw.live.session(who.sessionId)!;
        assert.equal(session.pages.length, 1);
        assert.equal(session.pages[0]!.scrollDepth, 0.5);
        assert.equal(session.email, undefined);
        assert.equal((await health(gw)).keptOut!.rejectedEvents, 1);
    });

    it('every event bad: 400 INVALID_EVENTS with the whole list', async () => {
        const response = await post(
            gw,
            beacon(ids(), [
                { type: 'pageview', ts: 1, url: 'javascript:alert(1)', title: 'x' },
                { type: 'tabs', ts: 2, count: 0 }
            ])
        );
        assert.equal(response.statusCode, 400);
        const body = response.json<{
            errorCode: string;
            message: string;
            rejected: { index: number }[];
        }>();
        assert.equal(body.errorCode, 'INVALID_EVENTS');
        assert.equal(body.message, 'events.0.url: expected an http(s) URL');
        assert.deepEqual(
            body.rejected.map((r) => r.index),
            [0, 1]
        );
    });

    it('a bad envelope refuses the batch: 400 INVALID_BEACON, no list', async () => {
        const response = await post(gw, {
            ...beacon(ids(), [pageview('/')]),
            utm: { source: 'x'.repeat(300) }
        });
        assert.equal(response.statusCode, 400);
        assert.equal(response.json().errorCode, 'INVALID_BEACON');
        assert.equal(response.json().rejected, undefined);
    });

    it('only http(s) page URLs and referrers', async () => {
        for (const url of [
            'javascript:alert(1)',
            'data:text/html,<script>alert(1)</script>',
            'file:///etc/passwd',
            'ftp://files.example/x',
            'chrome-extension://abc/page.html'
        ]) {
            const asPage = await post(
                gw,
                beacon(ids(), [{ type: 'pageview', ts: 1, url, title: 'x' }])
            );
            assert.equal(asPage.statusCode, 400, url);
            const asReferrer = await post(
                gw,
                beacon(ids(), [
                    {
                        type: 'pageview',
                        ts: 1,
                        url: 'https://www.lumen.example/',
                        title: 'x',
                        referrer: url
                    }
                ])
            );
            assert.equal(asReferrer.statusCode, 400, url);
        }
    });
});
