import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
    countdownText,
    mergeMessage,
    secondsLeft,
    slotsByDay,
    splitName,
    type ChatMessage
} from './format';

describe('chat panel helpers', () => {
    it('counts down to the deadline the rep sees', () => {
        const deadline = '2026-11-25T12:00:30.000Z';
        assert.equal(secondsLeft(deadline, Date.parse('2026-11-25T12:00:00.000Z')), 30);
        assert.equal(secondsLeft(deadline, Date.parse('2026-11-25T12:00:29.100Z')), 1);
        assert.equal(secondsLeft(deadline, Date.parse('2026-11-25T12:01:00.000Z')), 0);
        assert.equal(secondsLeft('garbage', 0), 0);
    });

    it('shows the countdown as the rep’s card does: m:ss', () => {
        assert.equal(countdownText(30), '0:30');
        assert.equal(countdownText(5), '0:05');
        assert.equal(countdownText(300), '5:00');
        assert.equal(countdownText(0), '0:00');
    });
    it('splits names for the booker', () => {
        assert.deepEqual(splitName(' Ana  Souza '), { firstName: 'Ana', lastName: 'Souza' });
        assert.deepEqual(splitName('Cher'), { lastName: 'Cher' });
    });
    it('groups slots by day, in order', () => {
        const days = slotsByDay(
            [
                { start: '2026-11-26T15:00:00Z', end: '2026-11-26T15:30:00Z' },
                { start: '2026-11-26T14:00:00Z', end: '2026-11-26T14:30:00Z' },
                { start: '2026-11-27T09:00:00Z', end: '2026-11-27T09:30:00Z' },
                { start: 'nope', end: 'nope' }
            ],
            'en-US',
            'UTC'
        );
        assert.deepEqual(days, [
            {
                day: 'Thursday, Nov 26',
                slots: [
                    { start: '2026-11-26T14:00:00Z', label: '2:00 PM' },
                    { start: '2026-11-26T15:00:00Z', label: '3:00 PM' }
                ]
            },
            { day: 'Friday, Nov 27', slots: [{ start: '2026-11-27T09:00:00Z', label: '9:00 AM' }] }
        ]);
    });
    it('replaces a pending message with its echo and marks it delivered', () => {
        const pending: ChatMessage = {
            clientMessageId: 'c1',
            sender: 'Visitor',
            senderName: 'You',
            body: 'hi',
            sentAt: '2026-11-25T12:00:00Z'
        };
        let list = mergeMessage([], pending);
        list = mergeMessage(list, {
            id: 'm1',
            clientMessageId: 'c1',
            sender: 'Visitor',
            senderName: 'Visitor',
            body: 'hi',
            sentAt: '2026-11-25T12:00:01Z'
        });
        list = mergeMessage(list, {
            id: 'm2',
            sender: 'Rep',
            senderName: 'Maya Chen',
            body: 'Hello!',
            sentAt: '2026-11-25T12:00:02Z'
        });
        list = mergeMessage(list, {
            id: 'm2',
            sender: 'Rep',
            senderName: 'Maya Chen',
            body: 'Hello!',
            sentAt: '2026-11-25T12:00:02Z'
        });
        assert.equal(list.length, 2);
        assert.equal(list[0]!.delivered, true);
        assert.equal(list[0]!.id, 'm1');
    });
});
