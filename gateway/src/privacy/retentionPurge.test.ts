import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { CrmPort } from '../crm/crmPort';
import {
    beacon,
    ids,
    pageview,
    sendBeacon,
    startTestGateway,
    type TestGateway
} from '../testing/liveTestApp';
import { PURGE_ROUND, RetentionPurge } from './retentionPurge';

const DAY = 24 * 60 * 60_000;

describe('retention purge', () => {
    let gw: TestGateway;
    let crm: CrmPort;
    before(async () => {
        gw = await startTestGateway();
        crm = gw.crm;
    });
    after(async () => gw.close());

    /** A visitor record last seen `daysAgo` days before the clock, with a conversation of `messages` messages. */
    async function visitor(daysAgo: number, messages: number) {
        const seen = new Date(gw.clock.now() - daysAgo * DAY).toISOString();
        const record = await crm.upsertVisitor(
            `purge-${daysAgo}-${Math.random().toString(36).slice(2, 10)}`,
            {
                name: `Visitor last seen ${daysAgo} days ago`,
                lastSeen: seen,
                firstSeen: seen,
                email: `old${daysAgo}@lumen.example`
            }
        );
        const conversation = await crm.createConversation({
            visitorRecordId: record.id,
            status: 'Ended',
            origin: 'Pounce'
        });
        for (let i = 0; i < messages; i++)
            await crm.addMessage({
                conversationId: conversation.id,
                sender: 'Visitor',
                body: `message ${i}`,
                sentAt: seen
            });
        return { record, conversation };
    }

    it('deletes visitor records older than the limit with their conversations and messages, keeps the rest', async () => {
        const old = await visitor(45, 3);
        const older = await visitor(400, 1);
        const recent = await visitor(5, 2);
        const purge = new RetentionPurge(crm, gw.clock, 30);
        const report = (await purge.run())!;
        assert.equal(report.visitors, 2);
        assert.equal(report.conversations, 2);
        assert.equal(report.messages, 4);
        for (const gone of [old, older]) {
            assert.equal(gw.org.get('Website_Visitor__c', gone.record.id), undefined);
            assert.equal(gw.org.get('Conversation__c', gone.conversation.id), undefined);
            assert.equal((await crm.messages(gone.conversation.id)).length, 0);
        }
        assert.ok(gw.org.get('Website_Visitor__c', recent.record.id));
        assert.equal((await crm.messages(recent.conversation.id)).length, 2);
    });

    it('a live visit is never purged: its record is seen now', async () => {
        const who = ids();
        await sendBeacon(gw, beacon(who, [pageview('/')]));
        await new RetentionPurge(crm, gw.clock, 1).run();
        assert.equal(
            gw.org.find('Website_Visitor__c', { Visitor_Key__c: who.visitorId }).length,
            1
        );
    });

    it('purges in rounds until nothing older is left, and 0 days keeps everything', async () => {
        for (let i = 0; i < PURGE_ROUND + 5; i++)
            await crm.upsertVisitor(`bulk-${String(i).padStart(8, '0')}`, {
                name: 'Visitor long gone',
                lastSeen: new Date(gw.clock.now() - 90 * DAY).toISOString()
            });
        assert.equal(await new RetentionPurge(crm, gw.clock, 0).run(), undefined);
        const report = (await new RetentionPurge(crm, gw.clock, 30).run())!;
        assert.equal(report.visitors, PURGE_ROUND + 5);
        assert.equal(
            gw.org
                .find('Website_Visitor__c', {})
                .filter((r) => String(r.Visitor_Key__c).startsWith('bulk-')).length,
            0
        );
    });

    it('runs at start and then hourly on the clock', async () => {
        const purge = new RetentionPurge(crm, gw.clock, 30);
        await visitor(60, 0);
        purge.start();
        await purge.settled();
        const first = purge.last!;
        assert.equal(first.visitors, 1, 'the run at start');
        await visitor(61, 0);
        gw.clock.advance(60 * 60_000 - 1);
        await purge.settled();
        assert.equal(purge.last, first, 'not yet an hour');
        gw.clock.advance(1);
        await purge.settled();
        assert.notEqual(purge.last, first);
        assert.equal(purge.last.visitors, 1, 'the hourly run');
        await purge.stop();
    });
});
