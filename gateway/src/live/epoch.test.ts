import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ConsoleSnapshot } from '../contracts/liveContract';
import { compareEpochs } from '../../../force-app/main/default/lwc/sightlineLive/sightlineLive';
import { LocalEventBus } from '../local/localEventBus';
import { RecordingTransport, startTestGateway } from '../testing/liveTestApp';
import { ManualClock } from './clock';
import { newEpoch } from './epoch';
import { LocalBusTransport } from '../local/localMode';
import { LivePublisher } from './publisher';

describe('gateway epoch', () => {
    it('a later start has a newer epoch, as the console orders them', () => {
        const first = newEpoch(Date.UTC(2026, 10, 25, 9));
        const second = newEpoch(Date.UTC(2026, 10, 25, 9, 0, 1));
        assert.ok(compareEpochs(first, second) < 0);
        assert.notEqual(newEpoch(1), newEpoch(1), 'two gateways started in the same millisecond');
    });

    it('every delta and chat event carries the publisher epoch, and Epoch__c carries it on the bus', () => {
        const clock = new ManualClock();
        const transport = new RecordingTransport();
        const publisher = new LivePublisher(transport, clock, 250);
        publisher.setViewers([{ userId: 'rep-a', isAdmin: false }]);
        publisher.streamsChanged();
        clock.advance(250);
        publisher.chat('rep-a', { kind: 'chat', conversationId: 'c1' });
        const [delta, chat] = transport.to('rep-a');
        assert.equal(delta!.event.kind === 'delta' && delta!.event.delta.epoch, publisher.epoch);
        assert.equal(chat!.event.kind === 'chat' && chat!.event.epoch, publisher.epoch);

        const published: Record<string, unknown>[] = [];
        const bus = {
            publish: (_c: string, _t: string, fields: Record<string, unknown>) =>
                published.push(fields)
        } as unknown as LocalEventBus;
        new LocalBusTransport(bus).send('rep-a', 'chat', 0, chat!.event);
        assert.equal(published[0]!.Epoch__c, publisher.epoch);
    });
});

describe('gateway restart', () => {
    it('a new gateway has a new, newer epoch on its snapshots', async () => {
        const first = await startTestGateway();
        const rep = first.user('Emma').id;
        const before = (await first.action('getSnapshot', rep)).json<ConsoleSnapshot>();
        await first.close();
        const clock = new ManualClock(first.clock.now() + 5_000);
        const second = await startTestGateway({ dataDir: first.dataDir, clock });
        try {
            const after = (await second.action('getSnapshot', rep)).json<ConsoleSnapshot>();
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
