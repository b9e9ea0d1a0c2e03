/**
 * Pub/Sub benchmark (not a test): events published by the real `salesforce-pubsub-api-client`
 * through the local org's gRPC server (Avro, TLS) to a second client subscribed on the same
 * channel, against the same events handed to the event bus in process (the baseline, same
 * run). Reports events/s for both, their ratio, and publish → delivered latency p50/p99.
 *
 *   node --import tsx scripts/bench/pubsubBench.ts
 *
 * Writes bench-results/pubsub.json.
 */
import { performance } from 'node:perf_hooks';
import { EventBus } from '../../localorg/src/pubsub/eventBus';
import { startPubSubServer } from '../../localorg/src/pubsub/pubsubServer';
import {
    connectClient,
    TEST_ENTITIES,
    TEST_ORG_ID,
    waitFor
} from '../../localorg/src/pubsub/testing';
import { writeResult } from './benchSupport';

const EVENTS = 2_000;
const BATCH = 100;
const TOPIC = '/event/Visitor_Update__e';
const TOKEN = `${TEST_ORG_ID}!bench`;

function percentile(sorted: number[], p: number): number {
    return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

function payload(sequence: number) {
    return {
        CreatedDate: 0,
        CreatedById: '005000000000001AAA',
        Audience__c: '005000000000002AAA',
        Kind__c: 'delta',
        Sequence__c: sequence,
        Epoch__c: null
    };
}

/** Baseline: the bus in process, one subscriber, no gRPC, no Avro. */
function inProcess(): number {
    const bus = new EventBus({
        entities: TEST_ENTITIES,
        allocations: { dailyDeliveredEvents: 1e9, hourlyPublishedEvents: 1e9 }
    });
    let delivered = 0;
    bus.subscribe(
        TOPIC,
        { preset: 'LATEST' },
        { deliver: () => delivered++, end: () => {} },
        false
    );
    const started = performance.now();
    for (let i = 0; i < EVENTS; i += BATCH)
        bus.publish(
            'Visitor_Update__e',
            Array.from({ length: BATCH }, (_, j) => ({ payload: payload(i + j) }))
        );
    const seconds = (performance.now() - started) / 1000;
    if (delivered !== EVENTS) throw new Error(`baseline delivered ${delivered}`);
    return EVENTS / seconds;
}

async function overGrpc(): Promise<{ perSecond: number; p50: number; p99: number }> {
    const bus = new EventBus({
        entities: TEST_ENTITIES,
        allocations: { dailyDeliveredEvents: 1e9, hourlyPublishedEvents: 1e9 }
    });
    const server = await startPubSubServer({
        bus,
        authenticate: ({ accessToken }) =>
            accessToken === TOKEN
                ? { userId: '005000000000001AAA', organizationId: TEST_ORG_ID }
                : undefined
    });
    const publisher = await connectClient(server.endpoint, TOKEN);
    const subscriber = await connectClient(server.endpoint, TOKEN);
    const sentAt = new Map<number, number>();
    const latencies: number[] = [];
    subscriber.subscribe(TOPIC, (_info, type, data) => {
        if (type !== 'event') return;
        const sequence = Number((data as { payload: { Sequence__c: number } }).payload.Sequence__c);
        latencies.push(performance.now() - sentAt.get(sequence)!);
    });
    await waitFor('the subscription', () => bus.subscriberCount() === 1);
    const wrap = (sequence: number) => ({
        ...payload(sequence),
        Audience__c: { string: '005000000000002AAA' },
        Kind__c: { string: 'delta' },
        Sequence__c: { double: sequence }
    });
    await publisher.publish(TOPIC, wrap(-1)); // schema fetched and cached before timing
    await waitFor('the warm-up event', () => latencies.length === 1);
    latencies.length = 0;
    const started = performance.now();
    for (let i = 0; i < EVENTS; i += BATCH) {
        const batch = Array.from({ length: BATCH }, (_, j) => {
            sentAt.set(i + j, performance.now());
            return { id: `e${i + j}`, payload: wrap(i + j) };
        });
        await publisher.publishBatch(TOPIC, batch, () => {});
        await waitFor('the batch', () => latencies.length >= i + BATCH, 30_000);
    }
    const seconds = (performance.now() - started) / 1000;
    await server.close();
    publisher.close();
    subscriber.close();
    const sorted = [...latencies].sort((a, b) => a - b);
    return {
        perSecond: EVENTS / seconds,
        p50: percentile(sorted, 50),
        p99: percentile(sorted, 99)
    };
}

const baseline = inProcess();
const grpc = await overGrpc();
const result = {
    events: EVENTS,
    batch: BATCH,
    inProcessEventsPerSecond: Math.round(baseline),
    pubSubEventsPerSecond: Math.round(grpc.perSecond),
    pubSubVsInProcess: Number((grpc.perSecond / baseline).toFixed(4)),
    publishToDeliveredMs: { p50: Number(grpc.p50.toFixed(1)), p99: Number(grpc.p99.toFixed(1)) }
};
console.table(result);
writeResult('pubsub', result);
process.exit(0);
