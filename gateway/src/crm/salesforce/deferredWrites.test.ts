import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Connection } from 'jsforce';
import { startLocalOrg, type RunningLocalOrg } from '../../../../localorg/src/server';
import {
    ADMIN_USERNAME,
    FORCE_APP_DIR,
    jwtConnection
} from '../../../../localorg/src/testing/testOrg';
import { readFileSync } from 'node:fs';
import { SalesforceCrm } from './salesforceCrm';
import { signIn } from './signIn';

const DAY = 24 * 3_600_000;

/**
 * The adapter's deferred writes against the local org: refused for the allocation, or the
 * org stopped, the writes wait on disk and reach the org in order, once each.
 */
describe('writes the org cannot take now, against the local org', () => {
    let dir: string;
    let orgDir: string;
    let org: RunningLocalOrg;
    let port: number;
    /** How far the org's clock is ahead: a day ahead drains its rolling API allocation. */
    let ahead = 0;
    let crm: SalesforceCrm;
    let admin: Connection;

    const startOrg = async () =>
        startLocalOrg({
            dataDir: orgDir,
            forceAppDir: FORCE_APP_DIR,
            port,
            logLevel: 'silent',
            dailyApiRequests: 10_000,
            now: () => Date.now() + ahead,
            // The clock jumps a day to drain the allocation: the session must outlive it.
            sessionTimeoutMs: 7 * DAY
        });

    const adapter = async () =>
        new SalesforceCrm(
            await signIn({
                flow: 'jwt',
                loginUrl: org.url(),
                clientId: org.credentials!.consumerKey,
                username: ADMIN_USERNAME,
                privateKey: readFileSync(org.credentials!.privateKeyFile, 'utf8')
            }),
            {
                writeQueue: {
                    file: join(dir, 'org-writes.sqlite'),
                    firstRetryMs: 20,
                    maxRetryMs: 200,
                    limitProbeMs: 20
                }
            }
        );

    before(async () => {
        dir = mkdtempSync(join(tmpdir(), 'deferred-writes-'));
        orgDir = mkdtempSync(join(tmpdir(), 'localorg-'));
        port = 0;
        org = await startOrg();
        port = Number(new URL(org.url()).port);
        admin = await jwtConnection(org);
        crm = await adapter();
    });
    after(async () => {
        crm.close();
        await org.close();
        rmSync(dir, { recursive: true, force: true });
        rmSync(orgDir, { recursive: true, force: true });
    });

    /** A visitor and a chat stored while the org answers: what the outage then writes to. */
    async function chat(key: string) {
        const visitor = await crm.upsertVisitor(key, {
            name: 'Visitor from Lisbon',
            visitCount: 1,
            lastSeen: new Date().toISOString()
        });
        const conversation = await crm.createConversation({
            visitorRecordId: visitor.id,
            status: 'Active',
            origin: 'Pounce',
            startedAt: new Date().toISOString()
        });
        await crm.addMessage({
            conversationId: conversation.id,
            sender: 'Rep',
            body: 'Hello, can I help?',
            sentAt: new Date().toISOString(),
            clientMessageId: `${key}-m1`
        });
        return { visitor, conversation };
    }

    /** The writes of a chat going on while the org refuses: all answered, none lost. */
    async function keepGoing(key: string, visitorId: string, conversationId: string) {
        const at = Date.now();
        const later = new Date(at + 60_000).toISOString();
        await crm.upsertVisitor(key, { name: 'Ana Silva', identityLevel: 'Person_Known' });
        await crm.touchVisitors([{ id: visitorId, lastSeen: later }]);
        await crm.putRoutingState([
            { key: `${key}-claim`, value: 'first' },
            { key: `${key}-gone`, value: 'x' }
        ]);
        const m2 = await crm.addMessage({
            conversationId,
            sender: 'Visitor',
            body: 'Yes: pricing for 40 seats?',
            sentAt: new Date(at + 1_000).toISOString(),
            clientMessageId: `${key}-m2`
        });
        assert.equal(m2.duplicate, false);
        await crm.updateConversation(conversationId, { visitorReplied: true });
        await crm.addMessage({
            conversationId,
            sender: 'Rep',
            body: 'Sending it now.',
            sentAt: new Date(at + 2_000).toISOString()
        });
        await crm.putRoutingState([
            { key: `${key}-claim`, value: 'second' },
            { key: `${key}-gone`, value: null }
        ]);
        const ended = await crm.updateConversation(conversationId, {
            status: 'Ended',
            endedAt: later
        });
        assert.equal(ended.status, 'Ended', 'answered as the org will hold it');
        assert.equal((await crm.getConversation(conversationId))?.status, 'Ended');
        return later;
    }

    /** What the org holds once the queue drained: every write, in order, once. */
    async function assertStored(
        key: string,
        visitorId: string,
        conversationId: string,
        lastSeen: string
    ) {
        const [visitor] = (
            await admin.query<Record<string, unknown>>(
                `SELECT Name, Identity_Level__c, Last_Seen__c FROM Website_Visitor__c WHERE Visitor_Key__c = '${key}'`
            )
        ).records;
        assert.equal(visitor?.Name, 'Ana Silva');
        assert.equal(visitor?.Identity_Level__c, 'Person_Known');
        assert.equal(new Date(String(visitor?.Last_Seen__c)).toISOString(), lastSeen);
        const visitors = await admin.query(
            `SELECT Id FROM Website_Visitor__c WHERE Visitor_Key__c = '${key}'`
        );
        assert.deepEqual(
            visitors.records.map((r) => r.Id),
            [visitorId]
        );
        const [conversation] = (
            await admin.query<Record<string, unknown>>(
                `SELECT Status__c, Visitor_Replied__c FROM Conversation__c WHERE Id = '${conversationId}'`
            )
        ).records;
        assert.equal(conversation?.Status__c, 'Ended');
        assert.equal(conversation?.Visitor_Replied__c, 1);
        const messages = (
            await admin.query<Record<string, unknown>>(
                `SELECT Body__c FROM Conversation_Message__c WHERE Conversation__c = '${conversationId}' ORDER BY Id`
            )
        ).records;
        assert.deepEqual(
            messages.map((m) => m.Body__c),
            ['Hello, can I help?', 'Yes: pricing for 40 seats?', 'Sending it now.'],
            'each message once, in the order sent'
        );
        const state = (
            await admin.query<Record<string, unknown>>(
                `SELECT Key__c, Value__c FROM Routing_State__c WHERE Key__c LIKE '${key}-%'`
            )
        ).records;
        assert.deepEqual(
            state.map((r) => [r.Key__c, r.Value__c]),
            [[`${key}-claim`, 'second']]
        );
    }

    it('the org stopped mid-chat and started again: the writes reach it in order', async () => {
        const { visitor, conversation } = await chat('vk-outage');
        await org.close();
        const lastSeen = await keepGoing('vk-outage', visitor.id, conversation.id);
        assert.ok(crm.writeQueueHealth()!.depth >= 8);
        org = await startOrg();
        admin = await jwtConnection(org);
        await crm.writesDrained();
        await assertStored('vk-outage', visitor.id, conversation.id, lastSeen);
        assert.equal(crm.writeQueueHealth()!.deadLetters, 0);
    });

    it('a gateway restarted with writes waiting replays them', async () => {
        const { visitor, conversation } = await chat('vk-restart');
        await org.close();
        const lastSeen = await keepGoing('vk-restart', visitor.id, conversation.id);
        crm.close();
        org = await startOrg();
        admin = await jwtConnection(org);
        crm = await adapter();
        assert.ok(crm.writeQueueHealth()!.depth >= 8, 'the journal reloaded');
        await crm.writesDrained();
        await assertStored('vk-restart', visitor.id, conversation.id, lastSeen);
    });

    it('over the API allocation mid-chat: writes wait, then reach the org in order once the window rolls', async () => {
        const { visitor, conversation } = await chat('vk-limit');
        while (org.usage.tryCount()) {
            // Spends the rest of the day's allocation, as a busy integration would.
        }
        const lastSeen = await keepGoing('vk-limit', visitor.id, conversation.id);
        const health = crm.writeQueueHealth()!;
        assert.ok(health.depth >= 8, `writes waiting: ${health.depth}`);
        assert.equal(health.lastError?.code, 'REQUEST_LIMIT_EXCEEDED');
        assert.equal(health.deadLetters, 0);

        // Last: sign-ins (their JWT's expiry) go by the real clock, not one a day ahead.
        ahead = DAY + 60_000;
        await crm.writesDrained();
        assert.equal(crm.writeQueueHealth()!.depth, 0);
        await assertStored('vk-limit', visitor.id, conversation.id, lastSeen);
    });
});
