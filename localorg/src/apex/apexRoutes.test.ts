import assert from 'node:assert/strict';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { Sharing } from '../store/sharing';
import { startTestOrg, type TestOrg } from '../testing/testOrg';
import { UNREACHABLE } from './gatewayCallout';

interface Received {
    url: string;
    headers: IncomingHttpHeaders;
    body: unknown;
}

/** A stand-in gateway that records each action call and answers what the test sets. */
async function recordingGateway(answer: () => { status: number; body: unknown }) {
    const received: Received[] = [];
    const server: Server = createServer((req, res) => {
        let text = '';
        req.on('data', (chunk: Buffer) => (text += chunk.toString()));
        req.on('end', () => {
            received.push({
                url: req.url ?? '',
                headers: req.headers,
                body: JSON.parse(text || 'null')
            });
            const { status, body } = answer();
            res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
        });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    return {
        url,
        received,
        close: () => new Promise<void>((resolve) => server.close(() => resolve()))
    };
}

describe('the Apex stand-in: a callout to the gateway as the signed-in user', () => {
    let org: TestOrg;
    let gateway: Awaited<ReturnType<typeof recordingGateway>>;
    let next = { status: 200, body: { ok: true } as unknown };
    let repCookie = '';
    let repId = '';
    before(async () => {
        gateway = await recordingGateway(() => next);
        org = await startTestOrg({
            lightning: {
                shellDir: '/nonexistent',
                gateway: {
                    url: gateway.url,
                    apiKey: 'test-key-0123456789',
                    signing: { secret: 'test-signing-secret', orgId: '00D000000000001AAA' }
                }
            }
        });
        const session = (await (await fetch(`${org.url()}/local/session`)).json()) as {
            users: { id: string; isAdmin: boolean }[];
        };
        repId = session.users.find((u) => !u.isAdmin)!.id;
        const signIn = await fetch(`${org.url()}/local/session`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ userId: repId })
        });
        repCookie = signIn.headers.get('set-cookie')!.split(';')[0]!;
    });
    after(async () => {
        await org.close();
        await gateway.close();
    });

    const callApex = (method: string, params: unknown, cookie = repCookie) =>
        fetch(`${org.url()}/local/apex/SightlineGatewayController/${method}`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', cookie },
            body: JSON.stringify(params)
        });

    it('posts the action with the API key, the user and the declared parameters only', async () => {
        next = { status: 200, body: { visitor: 'v-1' } };
        const response = await callApex('getVisitorDetail', { visitorId: 'v-1', extra: 'dropped' });
        assert.equal(response.status, 200);
        assert.deepEqual(await response.json(), { visitor: 'v-1' });
        const call = gateway.received.at(-1)!;
        assert.equal(call.url, '/api/v1/actions/getVisitorDetail');
        assert.equal(call.headers.authorization, 'Bearer test-key-0123456789');
        assert.equal(call.headers['x-sightline-user'], repId);
        assert.deepEqual(call.body, { visitorId: 'v-1' });
    });

    it("hands the gateway's error message to the LWC as an AuraHandledException", async () => {
        next = {
            status: 409,
            body: { message: 'Ada is engaging this visitor.', errorCode: 'CONFLICT' }
        };
        const response = await callApex('pounce', { visitorId: 'v-2' });
        assert.equal(response.status, 400);
        assert.deepEqual(await response.json(), {
            message: 'Ada is engaging this visitor.',
            exceptionType: 'System.AuraHandledException',
            isUserDefinedException: true
        });
    });

    it('refuses admin methods to a rep without calling out, and unknown methods', async () => {
        const calls = gateway.received.length;
        const admin = await callApex('getRoutingConfig', {});
        assert.equal(
            ((await admin.json()) as { message: string }).message,
            'Only a Sightline admin can do this.'
        );
        assert.equal(gateway.received.length, calls);
        const unknown = await callApex('dropAllTables', {});
        assert.equal(unknown.status, 404);
    });

    it("runs getAccountVisitors' user-mode read first: a record the rep's sharing hides is refused without calling out", async () => {
        next = { status: 200, body: { visitors: [] } };
        const store = org.store;
        const hidden = store
            .find('Account')
            .find((a) => !new Sharing(store).canRead(repId, String(a.Id)))!;
        const shown = store
            .find('Account')
            .find((a) => new Sharing(store).canRead(repId, String(a.Id)))!;
        const calls = gateway.received.length;
        const refused = await callApex('getAccountVisitors', { recordId: hidden.Id });
        assert.equal(refused.status, 400);
        assert.equal(
            ((await refused.json()) as { message: string }).message,
            'You cannot see that record.'
        );
        assert.equal(gateway.received.length, calls, 'no callout');
        const allowed = await callApex('getAccountVisitors', { recordId: shown.Id });
        assert.equal(allowed.status, 200);
        assert.deepEqual(gateway.received.at(-1)!.body, { recordId: shown.Id });
    });

    it('reports an unreachable gateway as the Apex client does', async () => {
        await gateway.close();
        const response = await callApex('getSnapshot', {});
        assert.equal(((await response.json()) as { message: string }).message, UNREACHABLE);
    });
    it('runs SightlineLeadController.createLead in the org for a user whose permission sets grant the class, and refuses others', async () => {
        const create = () =>
            fetch(`${org.url()}/local/apex/SightlineLeadController/createLead`, {
                method: 'POST',
                headers: { 'content-type': 'application/json', cookie: repCookie },
                body: JSON.stringify({
                    fields: { LastName: 'Route', Company: 'Twin Test Ltd' },
                    allowDuplicate: false
                })
            });
        const created = await create();
        assert.equal(created.status, 200);
        const answer = (await created.json()) as { id: string; assigned: boolean };
        assert.equal(org.store.get('Lead', answer.id)?.OwnerId, repId);

        for (const assignment of org.store.find('PermissionSetAssignment', { AssigneeId: repId }))
            org.store.delete('PermissionSetAssignment', String(assignment.Id));
        const refused = await create();
        assert.equal(refused.status, 403);
        assert.match(
            ((await refused.json()) as { message: string }).message,
            /SightlineLeadController/
        );
    });
});
