import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
    REP_ACTIONS,
    type ClaimResult,
    type ConsoleSnapshot,
    type VisitorDetail
} from '../contracts/liveContract';
import {
    API_AUTH,
    beacon,
    ids,
    pageview,
    startTestGateway,
    type TestGateway
} from '../testing/liveTestApp';

function action(
    gw: TestGateway,
    name: string,
    userId: string,
    body: unknown = {},
    headers: Record<string, string> = API_AUTH
) {
    return gw.app.inject({
        method: 'POST',
        url: `/api/v1/actions/${name}`,
        headers: { ...headers, 'x-sightline-user': userId },
        payload: body as object
    });
}

async function visit(gw: TestGateway, path = '/', extra = {}) {
    const who = ids();
    const response = await gw.app.inject({
        method: 'POST',
        url: '/v1/collect',
        headers: { 'content-type': 'text/plain', 'x-forwarded-for': '81.2.69.160' },
        payload: JSON.stringify(beacon(who, [pageview(path)], extra))
    });
    assert.equal(response.statusCode, 202);
    return who;
}

describe('rep actions over REST', () => {
    let gw: TestGateway;
    before(async () => (gw = await startTestGateway()));
    after(async () => gw.close());

    it('registers every action of the console contract', () => {
        const names = REP_ACTIONS.filter((name) => !['getSnapshot'].includes(name));
        for (const name of REP_ACTIONS) assert.ok(names.includes(name) || name === 'getSnapshot');
    });

    it('401 without the API key or with a wrong one', async () => {
        const emma = gw.user('Emma').id;
        assert.equal((await action(gw, 'getSnapshot', emma, {}, {})).statusCode, 401);
        assert.equal(
            (
                await action(
                    gw,
                    'getSnapshot',
                    emma,
                    {},
                    { authorization: 'Bearer wrong-key-wrong-key' }
                )
            ).statusCode,
            401
        );
        assert.equal(
            (await action(gw, 'getSnapshot', emma, {}, { authorization: 'Basic abc' })).statusCode,
            401
        );
    });

    it('403 unless X-Sightline-User is an active user of the org (18 characters)', async () => {
        const emma = gw.user('Emma').id;
        assert.equal((await action(gw, 'getSnapshot', '')).statusCode, 403);
        assert.equal((await action(gw, 'getSnapshot', emma.slice(0, 15))).statusCode, 403);
        assert.equal((await action(gw, 'getSnapshot', '005000000000999AAA')).statusCode, 403);
        gw.org.update('User', emma, { IsActive: false });
        await gw.live.settled();
        assert.equal((await action(gw, 'getSnapshot', emma)).statusCode, 403, 'a deactivated user');
        gw.org.update('User', emma, { IsActive: true });
        await gw.live.settled();
        assert.equal((await action(gw, 'getSnapshot', emma)).statusCode, 200);
    });

    it('404 for an unknown action; 400 with the reason for bad parameters; 404 for a visitor the rep may not see', async () => {
        const emma = gw.user('Emma').id;
        assert.equal((await action(gw, 'dropTables', emma)).statusCode, 404);
        const bad = await action(gw, 'pounce', emma, { visitorId: 42 });
        assert.equal(bad.statusCode, 400);
        assert.match(bad.json().message, /visitorId/);
        const who = await visit(gw, '/', { utm: { medium: 'cpc' } });
        const routed = gw.live.decision(who.sessionId)!;
        const outsider = gw.users.find(
            (u) =>
                !u.isAdmin &&
                !routed.routing.offeredTo.includes(u.id) &&
                routed.routing.assignedTo !== u.id &&
                !u.title.startsWith('VP')
        )!;
        assert.equal(
            (await action(gw, 'getVisitorDetail', outsider.id, { visitorId: who.sessionId }))
                .statusCode,
            404
        );
        assert.equal(
            (await action(gw, 'pounce', outsider.id, { visitorId: who.sessionId })).statusCode,
            404
        );
    });

    it('snapshot and detail: what this rep may see, with the routing trace', async () => {
        const who = await visit(gw, '/pricing');
        const rep = gw.live.decision(who.sessionId)!.routing.assignedTo!;
        const snapshot = (await action(gw, 'getSnapshot', rep)).json() as ConsoleSnapshot;
        assert.ok(snapshot.visitors.some((c) => c.id === who.sessionId));
        assert.equal(snapshot.freshness.windowMs, 250);
        const detail = (
            await action(gw, 'getVisitorDetail', rep, { visitorId: who.sessionId })
        ).json() as VisitorDetail;
        assert.equal(detail.card.id, who.sessionId);
        assert.match(detail.routingTrace[0]!, /round robin/i);
        assert.equal(detail.pages[0]!.path, '/pricing');
    });

    it('pounce, message, end: the conversation is stored and the rep freed', async () => {
        const who = await visit(gw, '/pricing');
        const rep = gw.live.decision(who.sessionId)!.routing.assignedTo!;
        const claim = (
            await action(gw, 'pounce', rep, { visitorId: who.sessionId })
        ).json() as ClaimResult;
        assert.equal(claim.ok, true);
        const conversationId = claim.ok ? claim.conversationId : '';
        const sent = await action(gw, 'sendMessage', rep, {
            conversationId,
            body: 'Hi! Can I help with pricing?',
            clientMessageId: 'rep-msg-0001'
        });
        assert.equal(sent.statusCode, 200);
        const again = await action(gw, 'sendMessage', rep, {
            conversationId,
            body: 'Hi! Can I help with pricing?',
            clientMessageId: 'rep-msg-0001'
        });
        assert.equal(again.json().id, sent.json().id, 'a resend is stored once');
        assert.equal(
            gw.org.find('Conversation_Message__c', { Conversation__c: conversationId }).length,
            1
        );
        const other = gw.users.find((u) => u.id !== rep && !u.isAdmin)!;
        assert.equal(
            (await action(gw, 'sendMessage', other.id, { conversationId, body: 'hijack' }))
                .statusCode,
            404
        );
        assert.equal(gw.live.publisher.card(who.sessionId)?.card.engagedBy?.id, rep);
        assert.equal(
            (await action(gw, 'endConversation', rep, { conversationId })).statusCode,
            200
        );
        assert.equal(gw.org.get('Conversation__c', conversationId)?.Status__c, 'Ended');
        assert.equal(gw.live.decisions.claimOf(who.sessionId), undefined);
        assert.equal(
            (await action(gw, 'sendMessage', rep, { conversationId, body: 'late' })).statusCode,
            409
        );
    });

    it('setAvailability changes routing; linkLead sets Website_Visitor__c.Lead__c', async () => {
        const sdrs = gw.users.filter((u) => u.title === 'Sales Development Rep');
        for (const sdr of sdrs)
            assert.equal(
                (await action(gw, 'setAvailability', sdr.id, { status: 'Away' })).statusCode,
                200
            );
        const who = await visit(gw, '/pricing');
        assert.ok(
            !sdrs.some((s) => gw.live.decision(who.sessionId)!.routing.offeredTo.includes(s.id)),
            'no away SDR is offered the visitor'
        );
        for (const sdr of sdrs)
            await action(gw, 'setAvailability', sdr.id, { status: 'available' });
        assert.equal(
            (await action(gw, 'setAvailability', gw.user('Priya').id, { status: 'available' }))
                .statusCode,
            403,
            'the admin is not a rep'
        );
        const pricing = await visit(gw, '/pricing');
        const rep = gw.live.decision(pricing.sessionId)!.routing.assignedTo!;
        const lead = gw.org.find('Lead')[0]!;
        assert.equal(
            (await action(gw, 'linkLead', rep, { visitorId: pricing.sessionId, leadId: lead.Id }))
                .statusCode,
            200
        );
        assert.equal(
            gw.org.find('Website_Visitor__c', { Visitor_Key__c: pricing.visitorId })[0]?.Lead__c,
            lead.Id
        );
        assert.equal(gw.live.publisher.card(pricing.sessionId)?.card.salesforce.lead?.id, lead.Id);
        assert.equal(
            (
                await action(gw, 'linkLead', rep, {
                    visitorId: pricing.sessionId,
                    leadId: '00Q000000000999AAA'
                })
            ).statusCode,
            404
        );
    });

    it('answers an unexpected failure with 500 and no details', async () => {
        const emma = gw.user('Emma');
        const original = gw.live.rep.snapshot.bind(gw.live.rep);
        gw.live.rep.snapshot = () => {
            throw new Error('secret internals');
        };
        try {
            const response = await action(gw, 'getSnapshot', emma.id);
            assert.equal(response.statusCode, 500);
            assert.doesNotMatch(response.body, /secret/);
        } finally {
            gw.live.rep.snapshot = original;
        }
    });
});

describe('atomic claims', () => {
    it('two reps pouncing at once: exactly one wins, over 1000 trials', async () => {
        const gw = await startTestGateway();
        try {
            const sdrs = gw.users.filter((u) => u.title === 'Sales Development Rep');
            // Pricing visitors go to every available SDR (first to accept wins): an admin edit
            // that the gateway picks up without a restart.
            const rule = gw.org
                .find('Routing_Rule__c')
                .find((r) => String(r.Name).startsWith('Paid or pricing'))!;
            gw.org.update('Routing_Rule__c', rule.Id as string, { Strategy__c: 'First_Available' });
            await gw.live.settled();
            const wins = { first: 0, second: 0 };
            for (let trial = 0; trial < 1000; trial++) {
                const who = await visit(gw, '/pricing');
                const offered = gw.live.decision(who.sessionId)!.routing.offeredTo;
                const [a, b] = [sdrs[trial % sdrs.length]!, sdrs[(trial + 1) % sdrs.length]!];
                assert.ok(
                    offered.includes(a.id) && offered.includes(b.id),
                    `both may see the visitor (trial ${trial})`
                );
                const [ra, rb] = await Promise.all([
                    action(gw, 'pounce', a.id, { visitorId: who.sessionId }),
                    action(gw, 'pounce', b.id, { visitorId: who.sessionId })
                ]);
                const results = [ra.json() as ClaimResult, rb.json() as ClaimResult];
                const winners = results.filter((r) => r.ok);
                assert.equal(winners.length, 1, `trial ${trial}: exactly one winner`);
                const loser = results.find((r) => !r.ok)!;
                const winner = results[0]!.ok ? a : b;
                assert.ok(
                    !loser.ok &&
                        loser.engagedBy.id === winner.id &&
                        loser.message.includes(winner.name)
                );
                if (results[0]!.ok) wins.first++;
                else wins.second++;
                const conversationId = winners[0]!.ok ? winners[0]!.conversationId : '';
                assert.equal(
                    (await action(gw, 'endConversation', winner.id, { conversationId })).statusCode,
                    200
                );
            }
            assert.equal(wins.first + wins.second, 1000);
            assert.equal(
                gw.org.find('Conversation__c', { Origin__c: 'Pounce' }).length,
                1000,
                'one conversation per visitor'
            );
        } finally {
            await gw.close();
        }
    });
});
