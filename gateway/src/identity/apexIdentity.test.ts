/**
 * `/api/v1/actions` from the attacker's side: every way to act as someone else that does
 * not hold the org's secret, or that reuses what it captured, is refused with a clear
 * message; the org's current permissions decide who may act at all.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { ConsoleSnapshot } from '../contracts/liveContract';
import { apexSignatureHeaders } from '../../../localorg/src/apex/apexSigner';
import { API_AUTH, startTestGateway, type TestGateway } from '../testing/liveTestApp';

describe('signed identity on /api/v1/actions', () => {
    let gw: TestGateway;
    before(async () => (gw = await startTestGateway()));
    after(async () => gw.close());

    /** A request the packaged Apex would send, optionally tampered with after signing. */
    function signed(
        name: string,
        userId: string,
        params: object,
        tamper: {
            secret?: string;
            orgId?: string;
            at?: number;
            headers?: Record<string, string>;
            body?: string;
        } = {}
    ) {
        const body = JSON.stringify(params);
        const headers = apexSignatureHeaders(
            name,
            body,
            {
                secret: tamper.secret ?? gw.config.signingSecret,
                orgId: tamper.orgId ?? gw.config.orgId,
                userId
            },
            tamper.at ?? gw.clock.now()
        );
        return {
            method: 'POST' as const,
            url: `/api/v1/actions/${name}`,
            headers: {
                ...API_AUTH,
                'content-type': 'application/json',
                ...headers,
                ...tamper.headers
            },
            payload: tamper.body ?? body
        };
    }

    const refusal = async (request: ReturnType<typeof signed>) => {
        const response = await gw.app.inject(request);
        return { status: response.statusCode, ...response.json<{ errorCode: string }>() };
    };

    it('an honest signed call runs as its user', async () => {
        const emma = gw.user('Emma');
        const response = await gw.app.inject(signed('getSnapshot', emma.id, { page: 0 }));
        assert.equal(response.statusCode, 200, response.body);
        assert.equal(response.json<ConsoleSnapshot>().user.id, emma.id);
    });

    it('unsigned: the API key and X-Sightline-User alone are refused (401)', async () => {
        const admin = gw.user('Priya').id;
        const response = await gw.app.inject({
            method: 'POST',
            url: '/api/v1/actions/getHealth',
            headers: { ...API_AUTH, 'content-type': 'application/json', 'x-sightline-user': admin },
            payload: '{}'
        });
        assert.equal(response.statusCode, 401);
        assert.equal(response.json().errorCode, 'UNSIGNED');
        assert.match(response.json().message, /not signed/);
    });

    it('forged user: a signature made without the secret, or another user put in after signing (401)', async () => {
        const emma = gw.user('Emma').id;
        const admin = gw.user('Priya').id;
        assert.deepEqual(
            await refusal(signed('getHealth', admin, {}, { secret: 'guessed-'.repeat(8) })),
            {
                status: 401,
                errorCode: 'BAD_SIGNATURE',
                message:
                    'The request signature does not match: the secret, the identity, the action or the body differ from what was signed.'
            }
        );
        const swapped = await refusal(
            signed('getHealth', emma, {}, { headers: { 'X-Sightline-User': admin } })
        );
        assert.equal(swapped.status, 401);
        assert.equal(swapped.errorCode, 'BAD_SIGNATURE');
    });

    it('replayed: the same signed request a second time is refused (401)', async () => {
        const request = signed('getSnapshot', gw.user('Emma').id, { page: 0 });
        assert.equal((await gw.app.inject(request)).statusCode, 200);
        const again = await refusal(request);
        assert.equal(again.status, 401);
        assert.equal(again.errorCode, 'REPLAYED_REQUEST');
    });

    it('stale: a timestamp more than 60 s from the gateway clock, either way (401)', async () => {
        const emma = gw.user('Emma').id;
        for (const offset of [-61_000, 61_000]) {
            const stale = await refusal(
                signed('getSnapshot', emma, { page: 0 }, { at: gw.clock.now() + offset })
            );
            assert.equal(stale.status, 401);
            assert.equal(stale.errorCode, 'STALE_REQUEST');
        }
        const edge = await gw.app.inject(
            signed('getSnapshot', emma, { page: 0 }, { at: gw.clock.now() - 59_000 })
        );
        assert.equal(edge.statusCode, 200, 'inside the window');
    });

    it('body swapped: other parameters under a captured signature (401)', async () => {
        const emma = gw.user('Emma').id;
        const swapped = await refusal(
            signed(
                'sendMessage',
                emma,
                { conversationId: 'a0A000000000001AAA', body: 'Hello' },
                { body: JSON.stringify({ conversationId: 'a0A000000000002AAA', body: 'Hello' }) }
            )
        );
        assert.equal(swapped.status, 401);
        assert.equal(swapped.errorCode, 'BAD_SIGNATURE');
    });

    it('action swapped: a captured signature sent to another action (401)', async () => {
        const request = signed('getSnapshot', gw.user('Priya').id, { page: 0 });
        const moved = await refusal({ ...request, url: '/api/v1/actions/getHealth' });
        assert.equal(moved.status, 401);
        assert.equal(moved.errorCode, 'BAD_SIGNATURE');
    });

    it('other org: a call signed by another org is refused (403)', async () => {
        const other = await refusal(
            signed(
                'getSnapshot',
                gw.user('Emma').id,
                { page: 0 },
                {
                    orgId: '00D5g000004ABCDEAA',
                    secret: 'the-other-orgs-own-secret-0123456789abcdef'
                }
            )
        );
        assert.equal(other.status, 403);
        assert.equal(other.errorCode, 'WRONG_ORG');
    });

    it('malformed signature headers are refused before any work (401)', async () => {
        const bad = await refusal(
            signed(
                'getSnapshot',
                gw.user('Emma').id,
                { page: 0 },
                {
                    headers: { 'X-Sightline-Nonce': 'not-hex' }
                }
            )
        );
        assert.equal(bad.status, 401);
        assert.equal(bad.errorCode, 'MALFORMED_SIGNATURE');
    });

    it("re-checks the user's Sightline permission in the org, also through a permission set group", async () => {
        const emma = gw.user('Emma').id;
        const assignments = gw.org.find('PermissionSetAssignment', { AssigneeId: emma });
        for (const a of assignments) gw.org.delete('PermissionSetAssignment', a.Id as string);
        const refused = await refusal(signed('getSnapshot', emma, { page: 0 }));
        assert.equal(refused.status, 403);
        assert.equal(refused.errorCode, 'NO_SIGHTLINE_ACCESS');

        // Granted back through a group whose component is the packaged rep permission set.
        const repSet = gw.org.find('PermissionSet', { Name: 'Sightline_Rep' })[0]!;
        const group = gw.org.insert('PermissionSetGroup', {
            DeveloperName: 'Inside_Sales',
            MasterLabel: 'Inside Sales'
        });
        gw.org.insert('PermissionSetGroupComponent', {
            PermissionSetGroupId: group.Id as string,
            PermissionSetId: repSet.Id as string
        });
        gw.org.insert('PermissionSetAssignment', {
            AssigneeId: emma,
            PermissionSetGroupId: group.Id as string
        });
        const granted = await gw.app.inject(signed('getSnapshot', emma, { page: 0 }));
        assert.equal(granted.statusCode, 200, granted.body);
    });

    it('admin actions follow the admin custom permission, not a header or a name', async () => {
        const rep = gw.user('Maya').id;
        const asRep = await refusal(signed('getHealth', rep, {}));
        assert.equal(asRep.status, 403);
        const asAdmin = await gw.app.inject(signed('getHealth', gw.user('Priya').id, {}));
        assert.equal(asAdmin.statusCode, 200, asAdmin.body);
    });
});

describe('rate limit on /api/v1/actions', () => {
    it('limits each user on its own, with Retry-After', async () => {
        const gw = await startTestGateway({ env: { SIGHTLINE_ACTION_RATE_PER_USER: '2' } });
        try {
            const emma = gw.user('Emma').id;
            const statuses: number[] = [];
            for (let i = 0; i < 12; i++)
                statuses.push((await gw.action('getSnapshot', emma, { page: 0 })).statusCode);
            assert.deepEqual(statuses.slice(0, 10), Array(10).fill(200), 'a burst of 5 s worth');
            const limited = await gw.action('getSnapshot', emma, { page: 0 });
            assert.equal(limited.statusCode, 429);
            assert.equal(limited.headers['retry-after'], '1');
            assert.equal(
                (await gw.action('getSnapshot', gw.user('Maya').id, { page: 0 })).statusCode,
                200,
                'another user is not affected'
            );
            gw.clock.advance(1_000);
            assert.equal((await gw.action('getSnapshot', emma, { page: 0 })).statusCode, 200);
        } finally {
            await gw.close();
        }
    });
});
