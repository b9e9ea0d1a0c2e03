import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ConsoleSnapshot } from '../contracts/liveContract';
import { compareEpochs } from '../../../force-app/main/default/lwc/sightlineLive/sightlineLive';
import { notificationFields } from '../crm/salesforce/pubSubEvents';
import { RecordingTransport, startTestGateway } from '../testing/liveTestApp';
import { ManualClock } from './clock';
import { newEpoch } from './epoch';
import { LivePublisher, fixedWindow } from './publisher';

describe('gateway epoch', () => {
    it('a later start has a newer epoch, as the console orders them', () => {
        const first = newEpoch(Date.UTC(2026, 10, 25, 9));
        const second = newEpoch(Date.UTC(2026, 10, 25, 9, 0, 1));
        assert.ok(compareEpochs(first, second) < 0);
        assert.notEqual(newEpoch(1), newEpoch(1), 'two gateways started in the same millisecond');
    });

    it('every notification and change page carries the publisher epoch, and Epoch__c carries it on the bus', () => {
        const clock = new ManualClock();
        const transport = new RecordingTransport();
        const publisher = new LivePublisher(transport, clock, fixedWindow(250));
        publisher.setViewers([{ userId: 'rep-a', isAdmin: false }]);
        publisher.snapshot('rep-a'); // the console opens
        publisher.streamsChanged();
        clock.advance(250);
        publisher.chat('rep-a', {
            conversationId: 'c1',
            message: { id: 'm1', sender: 'Visitor', senderName: 'Ana', body: 'Hi', sentAt: '' }
        });
        const [delta, chat] = transport.to('rep-a');
        assert.equal(delta!.epoch, publisher.epoch);
        assert.equal(chat!.epoch, publisher.epoch);
        assert.equal(publisher.changes('rep-a', publisher.epoch, 1).epoch, publisher.epoch);

        assert.equal(notificationFields(chat!).Epoch__c, publisher.epoch);
    });

    it('a page asked for with another epoch answers "resnapshot", whatever its sequence', () => {
        const publisher = new LivePublisher(new RecordingTransport(), new ManualClock());
        publisher.setViewers([{ userId: 'rep-a', isAdmin: false }]);
        const older = newEpoch(Date.UTC(2026, 0, 1));
        assert.deepEqual(publisher.changes('rep-a', older, 0), {
            kind: 'resnapshot',
            epoch: publisher.epoch,
            reason: 'epoch'
        });
    });
});

describe('gateway restart', () => {
    it('a new gateway has a new, newer epoch on its snapshots', async () => {
        const first = await startTestGateway();
        const rep = first.user('Emma').id;
        const before = (
            await first.action('getSnapshot', rep, { page: 0 })
        ).json<ConsoleSnapshot>();
        await first.close();
        const clock = new ManualClock(first.clock.now() + 5_000);
        const second = await startTestGateway({ dataDir: first.dataDir, clock });
        try {
            const after = (
                await second.action('getSnapshot', rep, { page: 0 })
            ).json<ConsoleSnapshot>();
            assert.ok(before.epoch && after.epoch);
            assert.ok(
                compareEpochs(before.epoch, after.epoch) < 0,
                `${before.epoch} < ${after.epoch}`
            );
        } finally {
            await second.close();
        }
    });
});
