import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Connection } from 'jsforce';
import { jwtConnection, startTestOrg, type TestOrg } from '../testing/testOrg';

/** The errorCode jsforce reports for a refused call. */
async function errorCodeOf(work: () => PromiseLike<unknown>): Promise<string> {
    try {
        await work();
    } catch (error) {
        return String((error as { errorCode?: string }).errorCode ?? (error as Error).message);
    }
    return 'no error';
}

describe('the REST data API, through jsforce', () => {
    let org: TestOrg;
    let conn: Connection;
    before(async () => {
        org = await startTestOrg();
        conn = await jwtConnection(org);
    });
    after(() => org.close());

    it('describes the org and its objects from the force-app metadata', async () => {
        const global = await conn.describeGlobal();
        const names = global.sobjects.map((s) => s.name);
        for (const name of [
            'Account',
            'Lead',
            'Live_Stream__c',
            'Visitor_Update__e',
            'Sightline_Setting__mdt'
        ])
            assert.ok(names.includes(name), name);
        const visitor = await conn.sobject('Website_Visitor__c').describe();
        const key = visitor.fields.find((f) => f.name === 'Visitor_Key__c');
        assert.equal(key?.externalId, true);
        assert.equal(key?.type, 'string');
        const account = visitor.fields.find((f) => f.name === 'Account__c');
        assert.deepEqual(account?.referenceTo, ['Account']);
        assert.equal(account?.relationshipName, 'Account__r');
        assert.equal(await errorCodeOf(() => conn.sobject('Nope__c').describe()), 'NOT_FOUND');
    });

    it('creates, reads, updates and deletes records, and refuses with the platform error codes', async () => {
        const created = await conn
            .sobject('Account')
            .create({ Name: 'Acme Rockets', Website: 'https://acme.example' });
        assert.equal(created.success, true);
        assert.match(created.id, /^001[A-Za-z0-9]{15}$/);
        const read = await conn.sobject('Account').retrieve(created.id);
        assert.equal(read.Name, 'Acme Rockets');
        assert.match(String(read.CreatedDate), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+0000$/);
        await conn.sobject('Account').update({ Id: created.id, Name: 'Acme Rocket Co' });
        assert.equal((await conn.sobject('Account').retrieve(created.id)).Name, 'Acme Rocket Co');
        await conn.sobject('Account').destroy(created.id);
        assert.equal(
            await errorCodeOf(() => conn.sobject('Account').retrieve(created.id)),
            'NOT_FOUND'
        );

        assert.equal(
            await errorCodeOf(() => conn.sobject('Account').create({ Name: 'X', Nope__c: 1 })),
            'INVALID_FIELD'
        );
        assert.equal(
            await errorCodeOf(() =>
                conn.sobject('Website_Visitor__c').create({ Visitor_Key__c: 'v-0' })
            ),
            'REQUIRED_FIELD_MISSING'
        );
        await conn.sobject('Website_Visitor__c').create({ Name: 'One', Visitor_Key__c: 'v-dup' });
        assert.equal(
            await errorCodeOf(() =>
                conn.sobject('Website_Visitor__c').create({ Name: 'Two', Visitor_Key__c: 'v-dup' })
            ),
            'DUPLICATE_VALUE'
        );
    });

    it('upserts by external id: 201 and created the first time, 200 and updated after', async () => {
        const first = await conn
            .sobject('Website_Visitor__c')
            .upsert({ Name: 'Ada', Visitor_Key__c: 'v-ada' }, 'Visitor_Key__c');
        assert.equal(first.success, true);
        assert.equal((first as { created?: boolean }).created, true);
        const second = await conn
            .sobject('Website_Visitor__c')
            .upsert({ Name: 'Ada L.', Visitor_Key__c: 'v-ada' }, 'Visitor_Key__c');
        assert.equal((second as { created?: boolean }).created, false);
        assert.equal(second.id, first.id);
        const rows = await conn.query<{ Name: string }>(
            "SELECT Name FROM Website_Visitor__c WHERE Visitor_Key__c = 'V-ADA'"
        );
        assert.deepEqual(
            rows.records.map((r) => r.Name),
            ['Ada L.']
        );
        assert.equal(
            await errorCodeOf(() =>
                conn
                    .sobject('Website_Visitor__c')
                    .upsert({ Name: 'x', Email__c: 'a@b.co' }, 'Email__c')
            ),
            'INVALID_FIELD'
        );
    });

    it('queries parent relationship fields, filters and orders as SOQL does', async () => {
        const result = await conn.query<{
            Name: string;
            Owner: { Name: string } | null;
            Account: { Name: string; Owner: { Name: string } } | null;
        }>(
            'SELECT Name, Owner.Name, Account.Name, Account.Owner.Name FROM Opportunity WHERE IsClosed = false AND Amount > 0 ORDER BY Amount DESC, Name LIMIT 5'
        );
        assert.ok(result.records.length > 0 && result.records.length <= 5);
        for (const record of result.records) {
            assert.equal(typeof record.Owner?.Name, 'string');
            assert.equal(typeof record.Account?.Owner.Name, 'string');
            assert.equal(
                (record as unknown as { attributes: { type: string } }).attributes.type,
                'Opportunity'
            );
        }
        const count = await conn.query('SELECT COUNT() FROM Opportunity WHERE IsClosed = false');
        assert.ok(count.totalSize >= result.records.length);
        assert.deepEqual(count.records, []);

        const targets = await conn.query<{ Id: string }>(
            "SELECT Id FROM Account WHERE Target_Account__c = true AND (Name LIKE 'A%' OR Name LIKE 'B%') AND Id IN (SELECT AccountId FROM Opportunity WHERE IsClosed = false)"
        );
        const expected = org.store
            .find('Account', { Target_Account__c: true })
            .filter((a) => /^[ab]/i.test(String(a.Name)))
            .filter(
                (a) =>
                    org.store.find('Opportunity', { AccountId: String(a.Id), IsClosed: false })
                        .length > 0
            )
            .map((a) => a.Id);
        assert.deepEqual(targets.records.map((r) => r.Id).sort(), expected.sort());
    });

    it('refuses malformed SOQL, unknown names and mixed AND/OR without parentheses', async () => {
        assert.equal(await errorCodeOf(() => conn.query('SELECT FROM Account')), 'MALFORMED_QUERY');
        assert.equal(await errorCodeOf(() => conn.query('SELECT Id FROM Nope__c')), 'INVALID_TYPE');
        assert.equal(
            await errorCodeOf(() => conn.query('SELECT Nope__c FROM Account')),
            'INVALID_FIELD'
        );
        assert.equal(
            await errorCodeOf(() => conn.query('SELECT Nope.Name FROM Account')),
            'INVALID_FIELD'
        );
        assert.equal(
            await errorCodeOf(() =>
                conn.query("SELECT Id FROM Account WHERE Name = 'a' AND Name = 'b' OR Name = 'c'")
            ),
            'MALFORMED_QUERY'
        );
        assert.equal(
            await errorCodeOf(() => conn.query("SELECT Id FROM Opportunity WHERE Amount = '5'")),
            'INVALID_QUERY_FILTER_OPERATOR'
        );
    });

    it('pages through nextRecordsUrl: queryMore by hand and autoFetch', async () => {
        const leads = Array.from({ length: 450 }, (_, i) => ({
            LastName: `Paged ${i}`,
            Company: 'Paging Inc',
            Status: 'Open - Not Contacted'
        }));
        const saved = await conn.sobject('Lead').create(leads, { allowRecursive: true });
        assert.equal(saved.filter((r) => r.success).length, 450);
        const soql = "SELECT Id, LastName FROM Lead WHERE Company = 'Paging Inc' ORDER BY LastName";
        const headers = { 'Sforce-Query-Options': 'batchSize=200' };
        const first = await conn.request<{
            totalSize: number;
            done: boolean;
            nextRecordsUrl?: string;
            records: unknown[];
        }>({
            method: 'GET',
            url: `/services/data/v62.0/query?q=${encodeURIComponent(soql)}`,
            headers
        });
        assert.equal(first.totalSize, 450);
        assert.equal(first.records.length, 200);
        assert.equal(first.done, false);
        assert.match(
            first.nextRecordsUrl ?? '',
            /^\/services\/data\/v62\.0\/query\/01g[A-Za-z0-9]{15}-200$/
        );
        const second = await conn.queryMore(first.nextRecordsUrl!);
        assert.equal(second.records.length, 200);
        const third = await conn.queryMore(second.nextRecordsUrl!);
        assert.equal(third.records.length, 50);
        assert.equal(third.done, true);
        assert.equal(
            await errorCodeOf(() => conn.queryMore(third.nextRecordsUrl ?? first.nextRecordsUrl!)),
            'INVALID_QUERY_LOCATOR'
        );

        const all = await conn.query(soql, { autoFetch: true, maxFetch: 10_000, headers });
        assert.equal(all.records.length, 450);
    });

    it('runs composite requests with references, and rolls everything back with allOrNone', async () => {
        const ok = await conn.requestPost<{
            compositeResponse: { httpStatusCode: number; body: { id?: string } }[];
        }>('/services/data/v62.0/composite', {
            allOrNone: true,
            compositeRequest: [
                {
                    method: 'POST',
                    url: '/services/data/v62.0/sobjects/Account',
                    referenceId: 'acct',
                    body: { Name: 'Composite Co' }
                },
                {
                    method: 'POST',
                    url: '/services/data/v62.0/sobjects/Contact',
                    referenceId: 'who',
                    body: { LastName: 'Lovelace', AccountId: '@{acct.id}' }
                },
                {
                    method: 'GET',
                    url: '/services/data/v62.0/sobjects/Contact/@{who.id}',
                    referenceId: 'read'
                }
            ]
        });
        assert.deepEqual(
            ok.compositeResponse.map((r) => r.httpStatusCode),
            [201, 201, 200]
        );
        assert.equal(
            (ok.compositeResponse[2]!.body as { AccountId?: string }).AccountId,
            ok.compositeResponse[0]!.body.id
        );

        const before = org.store.count('Account');
        const failed = await conn.requestPost<{
            compositeResponse: { httpStatusCode: number; body: { errorCode: string }[] }[];
        }>('/services/data/v62.0/composite', {
            allOrNone: true,
            compositeRequest: [
                {
                    method: 'POST',
                    url: '/services/data/v62.0/sobjects/Account',
                    referenceId: 'a',
                    body: { Name: 'Rolled Back' }
                },
                {
                    method: 'POST',
                    url: '/services/data/v62.0/sobjects/Account',
                    referenceId: 'b',
                    body: { Nope__c: 1 }
                }
            ]
        });
        assert.deepEqual(
            failed.compositeResponse.map((r) => [r.httpStatusCode, r.body[0]!.errorCode]),
            [
                [400, 'PROCESSING_HALTED'],
                [400, 'INVALID_FIELD']
            ]
        );
        assert.equal(org.store.count('Account'), before);
    });

    it('runs on past a failed subrequest without allOrNone, halting only what depends on it', async () => {
        const answer = await conn.requestPost<{
            compositeResponse: { httpStatusCode: number; body: unknown; referenceId: string }[];
        }>('/services/data/v62.0/composite', {
            allOrNone: false,
            compositeRequest: [
                {
                    method: 'POST',
                    url: '/services/data/v62.0/sobjects/Account',
                    referenceId: 'bad',
                    body: { Nope__c: 1 }
                },
                {
                    method: 'POST',
                    url: '/services/data/v62.0/sobjects/Contact',
                    referenceId: 'orphan',
                    body: { LastName: 'Dependent', AccountId: '@{bad.id}' }
                },
                {
                    method: 'POST',
                    url: '/services/data/v62.0/sobjects/Account',
                    referenceId: 'good',
                    body: { Name: 'Runs On Co' }
                }
            ]
        });
        assert.deepEqual(
            answer.compositeResponse.map((r) => [
                r.referenceId,
                r.httpStatusCode,
                (r.body as { errorCode?: string }[])[0]?.errorCode ?? 'saved'
            ]),
            [
                ['bad', 400, 'INVALID_FIELD'],
                ['orphan', 400, 'PROCESSING_HALTED'],
                ['good', 201, 'saved']
            ]
        );
        const saved = answer.compositeResponse[2]!.body as { id: string };
        assert.equal((await conn.sobject('Account').retrieve(saved.id)).Name, 'Runs On Co');
    });

    it('refuses more than 25 subrequests, or more than 5 queries and collections, running none', async () => {
        const before = org.store.count('Account');
        const create = (i: number) => ({
            method: 'POST',
            url: '/services/data/v62.0/sobjects/Account',
            referenceId: `a${i}`,
            body: { Name: `Over Limit ${i}` }
        });
        const query = (i: number) => ({
            method: 'GET',
            url: `/services/data/v62.0/query?q=${encodeURIComponent('SELECT Id FROM User LIMIT 1')}`,
            referenceId: `q${i}`
        });
        const refusal = async (compositeRequest: unknown[]) =>
            (
                await conn.requestPost<{
                    compositeResponse: {
                        httpStatusCode: number;
                        referenceId: string | null;
                        body: { errorCode: string; message: string }[];
                    }[];
                }>('/services/data/v62.0/composite', { allOrNone: false, compositeRequest })
            ).compositeResponse;

        const tooMany = await refusal(Array.from({ length: 26 }, (_, i) => create(i)));
        assert.deepEqual(tooMany, [
            {
                body: [
                    {
                        errorCode: 'LIMIT_EXCEEDED',
                        message: 'The request can\u2019t contain more than 25 operations.'
                    }
                ],
                httpHeaders: {},
                httpStatusCode: 400,
                referenceId: null
            }
        ]);
        const sixReads = await refusal([
            create(0),
            ...Array.from({ length: 6 }, (_, i) => query(i))
        ]);
        assert.equal(sixReads.length, 1);
        assert.equal(sixReads[0]!.body[0]!.errorCode, 'LIMIT_EXCEEDED');
        assert.equal(org.store.count('Account'), before, 'nothing of a refused request ran');

        const atTheLimit = await refusal([
            ...Array.from({ length: 20 }, (_, i) => create(i)),
            ...Array.from({ length: 5 }, (_, i) => query(i))
        ]);
        assert.equal(atTheLimit.length, 25);
        assert.ok(atTheLimit.every((r) => r.httpStatusCode < 300));
    });

    it('makes an all-or-none composite roll back a collection that saved some records', async () => {
        const before = org.store.count('Account');
        const answer = await conn.requestPost<{
            compositeResponse: { httpStatusCode: number; body: unknown }[];
        }>('/services/data/v62.0/composite', {
            allOrNone: true,
            compositeRequest: [
                {
                    method: 'POST',
                    url: '/services/data/v62.0/sobjects/Account',
                    referenceId: 'first',
                    body: { Name: 'Before The Collection' }
                },
                {
                    method: 'POST',
                    url: '/services/data/v62.0/composite/sobjects',
                    referenceId: 'many',
                    body: {
                        allOrNone: false,
                        records: [
                            { attributes: { type: 'Account' }, Name: 'Would Be Kept' },
                            { attributes: { type: 'Account' }, Nope__c: 1 }
                        ]
                    }
                }
            ]
        });
        assert.equal(answer.compositeResponse[0]!.httpStatusCode, 400);
        assert.deepEqual(
            (answer.compositeResponse[1]!.body as { success: boolean }[]).map((r) => r.success),
            [false, false]
        );
        assert.equal(org.store.count('Account'), before);
    });

    it('takes sObject collections as composite subrequests from API 43.0, not composite itself', async () => {
        const answer = await conn.requestPost<{
            compositeResponse: { httpStatusCode: number; body: unknown }[];
        }>('/services/data/v62.0/composite', {
            allOrNone: false,
            compositeRequest: [
                {
                    method: 'POST',
                    url: '/services/data/v62.0/composite/sobjects',
                    referenceId: 'saved',
                    body: {
                        allOrNone: false,
                        records: [{ attributes: { type: 'Account' }, Name: 'In Composite' }]
                    }
                },
                {
                    method: 'GET',
                    url: `/services/data/v62.0/query?q=${encodeURIComponent("SELECT Id FROM Account WHERE Name = 'In Composite'")}`,
                    referenceId: 'read'
                }
            ]
        });
        assert.deepEqual(
            answer.compositeResponse.map((r) => r.httpStatusCode),
            [200, 200]
        );
        const [saved] = answer.compositeResponse[0]!.body as { id: string; success: boolean }[];
        assert.equal(saved?.success, true);
        assert.deepEqual(
            (answer.compositeResponse[1]!.body as { records: { Id: string }[] }).records.map(
                (r) => r.Id
            ),
            [saved?.id]
        );
        const refused = async (version: string, path: string) =>
            (
                await conn.requestPost<{
                    compositeResponse: { body: { errorCode: string }[] }[];
                }>(`/services/data/v${version}/composite`, {
                    compositeRequest: [
                        {
                            method: 'POST',
                            url: `/services/data/v${version}${path}`,
                            referenceId: 'nested',
                            body: { compositeRequest: [] }
                        }
                    ]
                })
            ).compositeResponse[0]!.body[0]!.errorCode;
        assert.equal(await refused('62.0', '/composite'), 'INVALID_INPUT');
        assert.equal(await refused('42.0', '/composite/sobjects'), 'INVALID_INPUT');
    });

    it('saves sObject collections, 200 records a call, allOrNone or record by record', async () => {
        const mixed = [{ Name: 'Good One' }, { Nope__c: true }];
        const partial = await conn.sobject('Account').create(mixed, { allOrNone: false });
        assert.deepEqual(
            partial.map((r) => r.success),
            [true, false]
        );
        assert.equal(
            (partial[1] as { errors: { statusCode: string }[] }).errors[0]?.statusCode,
            'INVALID_FIELD'
        );
        const before = org.store.count('Account');
        const atomic = await conn
            .sobject('Account')
            .create([{ Name: 'Atomic' }, { Nope__c: true }], { allOrNone: true })
            .catch((e: unknown) => e);
        assert.equal(org.store.count('Account'), before, 'allOrNone rolled the good record back');
        assert.ok(atomic);
        const tooMany = Array.from({ length: 201 }, (_, i) => ({
            attributes: { type: 'Account' },
            Name: `Bulk ${i}`
        }));
        assert.equal(
            await errorCodeOf(() =>
                conn.requestPost('/services/data/v62.0/composite/sobjects', {
                    allOrNone: false,
                    records: tooMany
                })
            ),
            'EXCEEDED_ID_LIMIT'
        );
        const keys = ['c-1', 'c-2'];
        const upserted = await conn.sobject('Website_Visitor__c').upsert(
            keys.map((k) => ({ Name: k, Visitor_Key__c: k })),
            'Visitor_Key__c'
        );
        assert.deepEqual(
            upserted.map((r) => (r as { created?: boolean }).created),
            [true, true]
        );
    });
});

describe('the daily API request allocation', () => {
    let org: TestOrg;
    before(async () => {
        org = await startTestOrg({ dailyApiRequests: 5 });
    });
    after(() => org.close());

    it('counts every call, reports it in limits and Sforce-Limit-Info, then refuses with REQUEST_LIMIT_EXCEEDED', async () => {
        const conn = await jwtConnection(org);
        const limits = (await conn.limits()) as unknown as Record<
            string,
            { Max: number; Remaining: number }
        >;
        assert.deepEqual(limits.DailyApiRequests, { Max: 5, Remaining: 4 });
        assert.equal(limits.DailyDeliveredPlatformEvents?.Max, 25_000);
        assert.ok(limits.HourlyPublishedPlatformEvents);
        const response = await fetch(`${org.url()}/services/data/v62.0/limits`, {
            headers: { authorization: `Bearer ${conn.accessToken}` }
        });
        assert.equal(response.headers.get('sforce-limit-info'), 'api-usage=2/5');
        await conn.query('SELECT Id FROM User LIMIT 1');
        await conn.query('SELECT Id FROM User LIMIT 1');
        await conn.query('SELECT Id FROM User LIMIT 1');
        const refused = await fetch(
            `${org.url()}/services/data/v62.0/query?q=SELECT+Id+FROM+User`,
            {
                headers: { authorization: `Bearer ${conn.accessToken}` }
            }
        );
        assert.equal(refused.status, 403);
        assert.deepEqual(await refused.json(), [
            { message: 'TotalRequests Limit exceeded.', errorCode: 'REQUEST_LIMIT_EXCEEDED' }
        ]);
        assert.equal(refused.headers.get('sforce-limit-info'), 'api-usage=5/5');
        assert.equal(
            await errorCodeOf(() => conn.query('SELECT Id FROM User')),
            'REQUEST_LIMIT_EXCEEDED'
        );
    });
});
