import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ChatMessage } from '../contracts/liveContract';
import type { CrmConversation } from '../crm/crmPort';
import {
    activityDescription,
    conversationTask,
    TASK_DESCRIPTION_MAX,
    timelineLinks,
    type ActivitySubject
} from './conversationActivity';

const conversation: CrmConversation = {
    id: 'a01000000000001AAA',
    repId: '005000000000007AAA',
    status: 'Ended',
    origin: 'Pounce',
    startedAt: '2026-11-27T14:01:00.000Z',
    endedAt: '2026-11-27T14:09:30.000Z'
};

const subject: ActivitySubject = {
    visitorName: 'Dana Whitfield',
    streamName: 'Pricing Page',
    pages: [
        { url: 'https://lumen.example/', title: 'Home' },
        { url: 'https://lumen.example/pricing' }
    ],
    leadId: '00Q000000000001AAA'
};

function message(i: number, body = `message ${i}`): ChatMessage {
    return {
        id: `m${i}`,
        sender: i % 2 ? 'Visitor' : 'Rep',
        senderName: i % 2 ? 'Dana Whitfield' : 'Maya Chen',
        body,
        sentAt: `2026-11-27T14:0${i % 10}:00.000Z`
    };
}

describe('a conversation on the timeline', () => {
    it('is a Task owned by the rep, dated the day it ended, with the stream, pages and transcript', () => {
        const task = conversationTask(conversation, subject, [message(2, 'Hi, can I help?')]);
        assert.deepEqual(
            { ...task, description: undefined },
            {
                ownerId: conversation.repId,
                subject: 'Website conversation with Dana Whitfield',
                activityDate: '2026-11-27',
                whoId: subject.leadId,
                description: undefined
            }
        );
        assert.equal(
            task!.description,
            [
                'Website conversation with Dana Whitfield (pounce)',
                'Stream: Pricing Page',
                'Started 2026-11-27 14:01 UTC, ended 2026-11-27 14:09 UTC',
                '',
                'Pages seen (2):',
                '- Home — https://lumen.example/',
                '- https://lumen.example/pricing',
                '',
                'Transcript (1 messages):',
                '[14:02] Maya Chen: Hi, can I help?'
            ].join('\n')
        );
    });

    it('is not logged when no rep took part', () => {
        const { repId: _none, ...unanswered } = conversation;
        assert.equal(conversationTask(unanswered, subject, []), undefined);
    });

    it('links a Contact with its Account, a Lead alone, an Account alone', () => {
        assert.deepEqual(timelineLinks({ ...subject, contactId: '003A', accountId: '001A' }), {
            whoId: '003A',
            whatId: '001A'
        });
        assert.deepEqual(timelineLinks({ ...subject, accountId: '001A' }), {
            whoId: subject.leadId
        });
        const { leadId: _lead, ...anonymous } = subject;
        assert.deepEqual(timelineLinks({ ...anonymous, accountId: '001A' }), { whatId: '001A' });
        assert.deepEqual(timelineLinks(anonymous), {});
    });

    it('keeps a long transcript within 32,000 characters, the newest messages first to stay', () => {
        const long = Array.from({ length: 40 }, (_, i) => message(i, 'x'.repeat(1_000)));
        const text = activityDescription(conversation, subject, long);
        assert.ok(text.length <= TASK_DESCRIPTION_MAX, `${text.length}`);
        const omitted = Number(/… (\d+) earlier messages not shown/.exec(text)?.[1]);
        assert.ok(omitted > 0 && omitted < 40);
        assert.equal(
            text.split('\n').filter((line) => line.includes('x'.repeat(1_000))).length,
            40 - omitted
        );
        assert.ok(text.endsWith('x'.repeat(1_000)), 'the last message is kept');
    });
});
