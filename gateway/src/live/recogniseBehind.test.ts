/**
 * A new visit's beacons are answered before the org is asked about it: recognition (the
 * visitor record, the Account's matches, the record's write) goes on behind the answer,
 * gathered with other new visits', and the visit is decided once it is done.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { CrmPort } from '../crm/crmPort';
import {
    beacon,
    ids,
    pageview,
    sendBeacon,
    startTestGateway,
    waitUntil,
    type TestGateway
} from '../testing/liveTestApp';

/** The adapter, with its visitor lookups held until the test lets them go (or fails them). */
function holdingVisitorLookups(adapter: CrmPort) {
    const held: { go(): void; fail(error: Error): void }[] = [];
    const crm = new Proxy(adapter, {
        get(target, name) {
            if (name === 'findVisitor')
                return (key: string) =>
                    new Promise<void>((go, fail) => held.push({ go, fail })).then(() =>
                        target.findVisitor(key)
                    );
            const value: unknown = Reflect.get(target, name, target);
            return typeof value === 'function'
                ? (value as (...args: unknown[]) => unknown).bind(target)
                : value;
        }
    });
    return { crm, held };
}

describe("a new visit's beacon, answered before the org", () => {
    let gw: TestGateway;
    let held: ReturnType<typeof holdingVisitorLookups>['held'] = [];
    before(async () => {
        gw = await startTestGateway({
            answerBeaconsEarly: true,
            crm: (adapter) => {
                const holding = holdingVisitorLookups(adapter);
                held = holding.held;
                return holding.crm;
            }
        });
    });
    after(async () => gw.close());

    const records = (visitorKey: string) =>
        gw.org.find('Website_Visitor__c', { Visitor_Key__c: visitorKey });

    it('answers while the org has not answered, and decides the visit once it has', async () => {
        const who = ids('behind');
        assert.equal((await sendBeacon(gw, beacon(who, [pageview('/')]))).statusCode, 202);
        assert.equal(
            (await sendBeacon(gw, beacon(who, [pageview('/pricing', 2)]))).statusCode,
            202
        );
        assert.equal(held.length, 1, 'one lookup for the visit, still waiting');
        assert.equal(gw.live.decision(who.sessionId), undefined, 'not decided before recognised');
        assert.equal(records(who.visitorId).length, 0);

        held.shift()!.go();
        await gw.live.settled();
        assert.ok(gw.live.decision(who.sessionId), 'decided once recognised');
        const session = gw.live.session(who.sessionId)!;
        assert.deepEqual(
            session.pages.map((p) => p.path),
            ['/', '/pricing'],
            'the beacons answered early all count'
        );
        const [record] = records(who.visitorId);
        assert.equal(record?.Visit_Count__c, 1);
        assert.equal(session.visitorRecordId, record?.Id);
    });

    it('keeps a visit the org could not recognise, and asks again at its next beacon', async () => {
        const who = ids('behind-failed');
        assert.equal((await sendBeacon(gw, beacon(who, [pageview('/')]))).statusCode, 202);
        held.shift()!.fail(new Error('The org is unreachable.'));
        await gw.live.settled();
        assert.equal(gw.live.decision(who.sessionId), undefined, 'not decided unrecognised');

        assert.equal((await sendBeacon(gw, beacon(who, [pageview('/docs', 2)]))).statusCode, 202);
        await waitUntil('the second lookup', () => held.length === 1);
        held.shift()!.go();
        await gw.live.settled();
        assert.ok(gw.live.decision(who.sessionId));
        assert.deepEqual(
            gw.live.session(who.sessionId)!.pages.map((p) => p.path),
            ['/', '/docs'],
            'the page answered before the failure is kept'
        );
        assert.equal(records(who.visitorId).length, 1);
    });
});
