import assert from 'node:assert/strict';
import { ACTIONS } from '../contracts/actionSchemas';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import {
    REP_ACTIONS,
    type ClaimResult,
    type ConsoleSnapshot,
    type VisitorDetail
} from '../contracts/liveContract';
import {
    beacon,
    ids,
    pageview,
    sendBeacon,
    startTestGateway,
    type TestGateway
} from '../testing/liveTestApp';
import { withWritesInMemory } from '../testing/memoryWrites';
import { parseApexClass } from '../../../scripts/validate/apexSource';

function action(
    gw: TestGateway,
    name: string,
    userId: string,
    body: unknown = {},
    headers: Record<string, string> = {}
) {
    return gw.action(name, userId, body, headers);
}

async function visit(gw: TestGateway, path = '/', extra = {}) {
    const who = ids();
    const response = await sendBeacon(gw, beacon(who, [pageview(path)], extra), {
        'x-forwarded-for': '81.2.69.160'
    });
    assert.equal(response.statusCode, 202);
    return who;
}

/** Controller methods that run in Apex only and are never forwarded (the signing secret). */
const APEX_ONLY: string[] = Object.entries(ACTIONS)
    .filter(([, spec]) => 'apexOnly' in spec)
    .map(([name]) => name);

describe('rep actions over REST', () => {
    let gw: TestGateway;
    before(async () => (gw = await startTestGateway()));
    after(async () => gw.close());

    it('serves every @AuraEnabled method of the Apex controller, and the admin ones to admins only', async () => {
        const controller = parseApexClass(
            readFileSync(
                new URL(
                    '../../../force-app/main/default/classes/SightlineGatewayController.cls',
                    import.meta.url
                ),
                'utf8'
            )
        );
        const exposed = controller.methods
            .filter((m) => m.isStatic && m.annotations.includes('auraenabled'))
            .map((m) => m.name)
            // Runs in Apex only (the signing secret), never forwarded to the gateway.
            .filter((name) => !APEX_ONLY.includes(name));
        for (const name of REP_ACTIONS) assert.ok(exposed.includes(name), `Apex exposes ${name}`);

        const rep = gw.user('Emma').id;
        const admin = gw.user('Priya').id;
        const adminOnly = ['getRoutingConfig', 'getDryRunVisitors', 'getHealth'];
        for (const name of exposed) {
            const asRep = await action(gw, name, rep);
            const asAdmin = await action(gw, name, admin);
            assert.notEqual(asAdmin.statusCode, 404, `${name} is registered: ${asAdmin.body}`);
            if (adminOnly.includes(name)) {
                assert.equal(asRep.statusCode, 403, `${name} refuses a rep`);
                assert.equal(asAdmin.statusCode, 200, `${name} serves an admin: ${asAdmin.body}`);
            } else {
                assert.notEqual(asRep.statusCode, 403, `${name} serves a rep: ${asRep.body}`);
            }
        }
        const unknown = await action(gw, 'dropEverything', admin);
        assert.equal(unknown.statusCode, 404);
        assert.equal(unknown.json<{ errorCode: string }>().errorCode, 'NOT_FOUND');
    });

    it('401 without the API key or with a wrong one', async () => {
        const emma = gw.user('Emma').id;
        assert.equal(
            (await action(gw, 'getSnapshot', emma, { page: 0 }, { authorization: '' })).statusCode,
            401
        );
        assert.equal(
            (
                await action(
                    gw,
                    'getSnapshot',
                    emma,
                    { page: 0 },
                    { authorization: 'Bearer wrong-key-wrong-key' }
                )
            ).statusCode,
            401
        );
        assert.equal(
            (await action(gw, 'getSnapshot', emma, { page: 0 }, { authorization: 'Basic abc' }))
                .statusCode,
            401
        );
    });

    it('403 unless the signed user is an active user of the org', async () => {
        const emma = gw.user('Emma').id;
        assert.equal(
            (await action(gw, 'getSnapshot', '', { page: 0 })).statusCode,
            401,
            'no user: unsigned'
        );
        assert.equal(
            (await action(gw, 'getSnapshot', emma.slice(0, 15), { page: 0 })).statusCode,
            401,
            'a 15-character id is malformed'
        );
        assert.equal(
            (await action(gw, 'getSnapshot', '005000000000999AAA', { page: 0 })).statusCode,
            403
        );
        await gw.changeInOrg((org) => org.update('User', emma, { IsActive: false }));
        assert.equal(
            (await action(gw, 'getSnapshot', emma, { page: 0 })).statusCode,
            403,
            'a deactivated user'
        );
        await gw.changeInOrg((org) => org.update('User', emma, { IsActive: true }));
        assert.equal((await action(gw, 'getSnapshot', emma, { page: 0 })).statusCode, 200);
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
        const snapshot = (
            await action(gw, 'getSnapshot', rep, { page: 0 })
        ).json<ConsoleSnapshot>();
        assert.ok(snapshot.visitors.some((c) => c.id === who.sessionId));
        assert.equal(snapshot.freshness.windowMs, 250);
        const detail = (
            await action(gw, 'getVisitorDetail', rep, { visitorId: who.sessionId })
        ).json<VisitorDetail>();
        assert.equal(detail.card.id, who.sessionId);
        // The 360 shows the decision's reason once; the trace adds only the rules tried before
        // the deciding one, each with why it passed the visitor on.
        const decided = gw.live.decision(who.sessionId)!.routing;
        assert.match(decided.reason, /round robin/i);
        assert.ok(
            detail.routingTrace.every(
                (line) => !line.includes(decided.reason) && !line.startsWith(`${decided.ruleName}:`)
            ),
            `the trace repeats the decision: ${detail.routingTrace.join(' | ')}`
        );
        assert.equal(detail.pages[0]!.path, '/pricing');
    });

    it('pounce, message, end: the conversation is stored and the rep freed', async () => {
        const who = await visit(gw, '/pricing');
        const rep = gw.live.decision(who.sessionId)!.routing.assignedTo!;
        const claim = (
            await action(gw, 'pounce', rep, { visitorId: who.sessionId })
        ).json<ClaimResult>();
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
            (
                await action(gw, 'sendMessage', other.id, {
                    conversationId,
                    body: 'hijack',
                    clientMessageId: 'hijack-0001'
                })
            ).statusCode,
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
            (
                await action(gw, 'sendMessage', rep, {
                    conversationId,
                    body: 'late',
                    clientMessageId: 'late-00001'
                })
            ).statusCode,
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
        const lowerCase = await action(gw, 'setAvailability', sdrs[0]!.id, { status: 'available' });
        assert.equal(lowerCase.statusCode, 400, 'the picklist casing of the contract only');
        assert.match(lowerCase.json().message, /status/);
        for (const sdr of sdrs) {
            const back = await action(gw, 'setAvailability', sdr.id, { status: 'Available' });
            // The answer is the rep's availability as the snapshot carries it.
            assert.equal(back.json<{ status: string }>().status, 'available');
        }
        assert.equal(
            (await action(gw, 'setAvailability', gw.user('Priya').id, { status: 'Available' }))
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
            const response = await action(gw, 'getSnapshot', emma.id, { page: 0 });
            assert.equal(response.statusCode, 500);
            assert.doesNotMatch(response.body, /secret/);
        } finally {
            gw.live.rep.snapshot = original;
        }
    });
});

describe('atomic claims', () => {
    it('two reps pouncing at once: exactly one wins, over 1000 trials', async () => {
        // The claim is the gateway's own: visitors and conversations stay in memory here.
        let pounces = 0;
        const gw = await startTestGateway({
            crm: (adapter) => {
                const crm = withWritesInMemory(adapter);
                return {
                    ...crm,
                    createConversation: (fields) => {
                        if (fields.origin === 'Pounce') pounces++;
                        return crm.createConversation(fields);
                    }
                };
            }
        });
        try {
            const sdrs = gw.users.filter((u) => u.title === 'Sales Development Rep');
            // Pricing visitors go to every available SDR (first to accept wins): an admin edit
            // that the gateway picks up without a restart.
            await gw.changeInOrg((org) => {
                const rule = org
                    .find('Routing_Rule__c')
                    .find((r) => String(r.Name).startsWith('Paid or pricing'))!;
                org.update('Routing_Rule__c', rule.Id as string, {
                    Strategy__c: 'First_Available'
                });
            });
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
                const results = [ra.json<ClaimResult>(), rb.json<ClaimResult>()];
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
            assert.equal(pounces, 1000, 'one conversation per visitor');
        } finally {
            await gw.close();
        }
    });
});
