/**
 * The full journey through the org adapters: the gateway signed in to a local org server with
 * the Salesforce adapter (jsforce over REST) and the Pub/Sub client, a visitor from a target
 * account's company IP, the Target Account stream routing them to the account owner, the
 * owner's pounce seen by the other reps as engaged, a Lead created from the visitor as the
 * rep (the packaged Apex controller, in the org) and linked, and the conversation logged on
 * the Lead's timeline. Every outcome is read back from the org through its REST API, as the
 * integration user, not from the gateway's memory.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Connection } from 'jsforce';
import { jwtConnection } from '../../localorg/src/testing/testOrg';
import { SESSION_COOKIE } from '../../localorg/src/lightning/localSession';
import type { ClaimResult, VisitorCard } from './contracts/liveContract';
import { demoCompany } from './demo/demoCompany';
import { demoIpBlock } from './enrich/companyProvider';
import {
    beacon,
    fetchChanges,
    ids,
    pageview,
    sendBeacon,
    startTestGateway,
    type TestGateway,
    waitUntil
} from './testing/liveTestApp';

type Row = Record<string, unknown>;

describe('the full journey, through the org adapters', () => {
    let gw: TestGateway;
    /** The org as the integration user sees it: REST through jsforce, signed in by JWT bearer. */
    let org: Connection;

    before(async () => {
        // The org serves Lightning too: the rep's Apex (SightlineLeadController) runs there.
        gw = await startTestGateway({ lightning: true });
        const signIn = gw.config.orgSignIn;
        assert.equal(signIn?.flow, 'jwt');
        org = await jwtConnection(gw.orgServer, signIn.username);
    });
    after(async () => gw.close());

    async function query(soql: string): Promise<Row[]> {
        return (await org.query<Row>(soql)).records;
    }
    async function one(soql: string): Promise<Row> {
        const records = await query(soql);
        assert.equal(records.length, 1, soql);
        return records[0]!;
    }
    const cardFor = (userId: string, visitId: string): VisitorCard | undefined =>
        fetchChanges(gw, userId).upserts.find((c) => c.id === visitId);

    it('target-account visitor → Target Account stream → account owner → pounce → a Lead owned by the rep', async () => {
        // 1. A person at a target account browses, from their company's IP block.
        const accounts = demoCompany().accounts;
        const index = accounts.findIndex((a) => a.target);
        const domain = accounts[index]!.domain;
        const account = await one(
            `SELECT Id, Name, OwnerId, Target_Account__c FROM Account WHERE Domain__c = '${domain}'`
        );
        assert.equal(account.Target_Account__c, true);
        const owner = String(account.OwnerId);
        const who = ids('journey');
        const ip = demoIpBlock(index).replace(/0$/, '42');
        const answered = await sendBeacon(gw, beacon(who, [pageview('/pricing')]), {
            'x-forwarded-for': ip
        });
        assert.equal(answered.statusCode, 202);

        // 2. The visit is in the Target Account stream and routed to the account owner.
        const card = cardFor(owner, who.sessionId);
        assert.ok(card, "the visit is on the account owner's console");
        const stream = await one(`SELECT Name FROM Live_Stream__c WHERE Id = '${card.streamId}'`);
        assert.equal(stream.Name, 'Target Account');
        assert.equal(card.routing.ruleName, 'Target accounts → account owner');
        assert.deepEqual(
            card.routing.routedTo.map((u) => u.id),
            [owner]
        );
        // The owner may read the account: the org's answer (UserRecordAccess) adds it to the card.
        await waitUntil(
            "the account on the owner's card",
            () => cardFor(owner, who.sessionId)?.salesforce.account?.id === account.Id
        );
        const visitor = await one(
            `SELECT Id, Account__c, Lead__c FROM Website_Visitor__c WHERE Visitor_Key__c = '${who.visitorId}'`
        );
        assert.equal(visitor.Account__c, account.Id, 'the visitor record names the account');

        // Who else watches this visitor: the consoles it is on besides the owner's (under the
        // account-owner rule, the owner's manager and the Sightline admins).
        const watchers = gw.users
            .filter((u) => u.id !== owner)
            .filter((u) => cardFor(u.id, who.sessionId) !== undefined);
        const { ManagerId: manager } = await one(
            `SELECT ManagerId FROM User WHERE Id = '${owner}'`
        );
        assert.ok(
            watchers.some((u) => u.id === manager),
            "the owner's manager watches the visit"
        );

        // 3. The owner pounces; every other console shows the visitor engaged by them.
        const pounce = await gw.action('pounce', owner, { visitorId: who.sessionId });
        assert.equal(pounce.statusCode, 200);
        const claim = pounce.json<ClaimResult>();
        assert.ok(claim.ok, 'the owner holds the claim');
        for (const watcher of watchers) {
            assert.equal(
                cardFor(watcher.id, who.sessionId)?.engagedBy?.id,
                owner,
                `${watcher.name} sees the visitor engaged`
            );
            const second = (
                await gw.action('pounce', watcher.id, { visitorId: who.sessionId })
            ).json<ClaimResult>();
            assert.equal(second.ok, false, `${watcher.name} cannot pounce as well`);
        }
        const conversation = await one(
            `SELECT Id, Rep__c, Origin__c, Status__c, Live_Stream__c, Website_Visitor__c FROM Conversation__c WHERE Id = '${claim.conversationId}'`
        );
        assert.deepEqual(
            [conversation.Rep__c, conversation.Origin__c, conversation.Status__c],
            [owner, 'Pounce', 'Active']
        );
        assert.equal(conversation.Website_Visitor__c, visitor.Id);
        assert.equal(conversation.Live_Stream__c, card.streamId);
        const greeting = 'Hi! I see you are looking at pricing: can I help?';
        const sent = await gw.action('sendMessage', owner, {
            conversationId: claim.conversationId,
            body: greeting,
            clientMessageId: 'journey-msg-0001'
        });
        assert.equal(sent.statusCode, 200);

        // 4. The rep creates a Lead from the visitor: the packaged Apex, in the org, as the rep.
        const created = await fetch(
            `${gw.orgServer.url()}/local/apex/SightlineLeadController/createLead`,
            {
                method: 'POST',
                headers: {
                    'content-type': 'application/json',
                    cookie: `${SESSION_COOKIE}=${encodeURIComponent(owner)}`
                },
                body: JSON.stringify({
                    fields: {
                        FirstName: 'Journey',
                        LastName: 'Visitor',
                        Email: `journey@${domain}`,
                        Company: account.Name,
                        Visitor_Key__c: card.visitorKey,
                        Source_Stream__c: stream.Name,
                        First_Page__c: card.currentPage.path,
                        Engagement_Score__c: Math.round(card.score.value)
                    },
                    allowDuplicate: false
                })
            }
        );
        assert.equal(created.status, 200);
        const { id: leadId } = (await created.json()) as { id?: string };
        assert.ok(leadId, 'the Lead was saved');
        // Then the console links it to the visitor (the Apex callout to the gateway).
        const linked = await gw.action('linkLead', owner, {
            visitorId: who.sessionId,
            leadId
        });
        assert.equal(linked.statusCode, 200);
        const ended = await gw.action('endConversation', owner, {
            conversationId: claim.conversationId
        });
        assert.equal(ended.statusCode, 200);
        await gw.live.settled();

        // 5. The org holds it all: the Lead owned by the rep, linked, and the conversation logged.
        const lead = await one(
            `SELECT Id, OwnerId, Company, Email, Visitor_Key__c, Source_Stream__c, First_Page__c FROM Lead WHERE Id = '${leadId}'`
        );
        assert.equal(lead.OwnerId, owner, 'owned by the rep who created it');
        assert.deepEqual(
            [lead.Company, lead.Email, lead.Visitor_Key__c],
            [account.Name, `journey@${domain}`, who.visitorId]
        );
        assert.equal(lead.Source_Stream__c, 'Target Account');
        assert.equal(lead.First_Page__c, '/pricing');
        const linkedVisitor = await one(
            `SELECT Lead__c FROM Website_Visitor__c WHERE Id = '${String(visitor.Id)}'`
        );
        assert.equal(linkedVisitor.Lead__c, leadId, 'the visitor record links the Lead');
        const endedConversation = await one(
            `SELECT Status__c, Ended_At__c FROM Conversation__c WHERE Id = '${claim.conversationId}'`
        );
        assert.equal(endedConversation.Status__c, 'Ended');
        assert.ok(endedConversation.Ended_At__c);
        const task = await one(
            `SELECT OwnerId, WhoId, WhatId, Status, TaskSubtype, Subject, Description FROM Task WHERE WhoId = '${leadId}'`
        );
        assert.equal(task.OwnerId, owner);
        assert.equal(task.WhatId, null, 'a Lead takes no Related To record');
        assert.deepEqual([task.Status, task.TaskSubtype], ['Completed', 'Task']);
        assert.match(
            String(task.Description),
            /^Website conversation with Journey Visitor \(pounce\)\nStream: Target Account\n/
        );
        assert.ok(String(task.Description).includes(greeting), 'the transcript is on the Task');
    });
});
