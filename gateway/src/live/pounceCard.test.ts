import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync, cpSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { VisitorCard } from '../contracts/liveContract';
import { readSettings } from '../crm/customMetadata';
import {
    beacon,
    ids,
    pageview,
    root,
    sendBeacon,
    startTestGateway,
    type TestGateway,
    fetchChanges
} from '../testing/liveTestApp';

describe('pounce readiness on the card', () => {
    let gw: TestGateway;
    before(async () => (gw = await startTestGateway()));
    after(async () => gw.close());

    const collect = (who: ReturnType<typeof ids>, events: Parameters<typeof beacon>[1]) =>
        sendBeacon(gw, beacon(who, events));
    const lastCard = (visitId: string): VisitorCard | undefined =>
        fetchChanges(gw, gw.user('Priya').id).upserts.find((c) => c.id === visitId);

    it('turns ready once a pricing-page visitor scrolls past 15%, and says why before', async () => {
        const who = ids('pounce');
        await collect(who, [pageview('/pricing')]);
        gw.clock.advance(250);
        const before = lastCard(who.sessionId)!;
        assert.equal(before.pounce?.ready, false);
        assert.deepEqual(
            before.pounce?.checks.map((c) => c.answer),
            [
                'Yes: active now on /pricing',
                'Yes: no rep is engaging',
                'Yes: Pricing Page',
                'No: scrolled 0% of /pricing'
            ]
        );

        await collect(who, [
            { type: 'scroll', ts: 2, url: 'http://localhost:4300/pricing', depth: 0.4 }
        ]);
        gw.clock.advance(250);
        const after = lastCard(who.sessionId)!;
        assert.equal(after.pounce?.ready, true);
        assert.equal(after.pounce?.checks[3]!.answer, 'Yes: scrolled 40% of /pricing');
    });

    it('reads the thresholds from the packaged settings; an admin-tuned record changes them', () => {
        assert.deepEqual(readSettings(join(root, 'force-app/main/default')).pounce, {
            minScrollDepth: 0.15,
            highIntentStreams: 0
        });
        const forceApp = mkdtempSync(join(tmpdir(), 'sightline-settings-'));
        cpSync(
            join(root, 'force-app/main/default/customMetadata'),
            join(forceApp, 'customMetadata'),
            {
                recursive: true
            }
        );
        const file = join(forceApp, 'customMetadata/Sightline_Setting.Default.md-meta.xml');
        writeFileSync(
            file,
            readFileSync(file, 'utf8')
                .replace(/(Pounce_Min_Scroll_Percent__c<\/field>\s*<value[^>]*>)15/, '$130')
                .replace(/(Pounce_High_Intent_Streams__c<\/field>\s*<value[^>]*>)0/, '$12')
        );
        assert.deepEqual(readSettings(forceApp).pounce, {
            minScrollDepth: 0.3,
            highIntentStreams: 2
        });
    });
});
