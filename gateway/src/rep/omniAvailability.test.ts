import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { ConsoleSnapshot } from '../contracts/liveContract';
import { PRESENCE_POLL_MS } from '../live/liveGateway';
import {
    beacon,
    ids,
    pageview,
    root,
    sendBeacon,
    startTestGateway,
    type TestGateway
} from '../testing/liveTestApp';

/** The package with the admin's choice: availability from Omni-Channel. */
function packageWithOmniChannel(): string {
    const dir = join(mkdtempSync(join(tmpdir(), 'sightline-omni-')), 'default');
    cpSync(join(root, 'force-app/main/default'), dir, { recursive: true });
    const file = join(dir, 'customMetadata/Sightline_Setting.Default.md-meta.xml');
    const xml = readFileSync(file, 'utf8').replace(
        /(<field>Availability_From_Omni_Channel__c<\/field>\s*<value xsi:type="xsd:boolean">)false/,
        '$1true'
    );
    assert.ok(xml.includes('>true</value>'), 'the setting is in the record');
    writeFileSync(file, xml);
    return dir;
}

describe('availability from Omni-Channel, where the admin chose it', () => {
    let gw: TestGateway;
    before(
        async () =>
            (gw = await startTestGateway({
                forceAppDir: packageWithOmniChannel(),
                // The demo site, for the beacon below: it is not packaged.
                unpackagedDir: join(root, 'unpackaged/main/default')
            }))
    );
    after(async () => gw.close());

    const availability = async (userId: string) =>
        (await gw.action('getSnapshot', userId, { page: 0 })).json<ConsoleSnapshot>().user
            .availability;

    it('follows each rep’s current presence, not the console’s picker', async () => {
        const emma = gw.users.find((u) => u.name === 'Emma Lindqvist')!;
        const leo = gw.users.find((u) => u.name === 'Leo Rossi')!;
        const solutions = gw.users.find((u) => u.title === 'Solutions Engineer')!;
        assert.equal((await availability(emma.id))?.status, 'available');
        assert.equal((await availability(emma.id))?.capacity, 4, 'the presence configuration');
        assert.equal(
            (await availability(emma.id))?.source,
            'omni-channel',
            'the console shows it read-only'
        );
        assert.equal((await availability(leo.id))?.status, 'away', 'on Break in Omni-Channel');
        assert.equal(
            (await availability(solutions.id))?.status,
            'offline',
            'not logged in to Omni-Channel, although the picker says Available'
        );
    });

    it('refuses the picker, and a presence change reaches routing', async () => {
        const emma = gw.users.find((u) => u.name === 'Emma Lindqvist')!;
        const refused = await gw.action('setAvailability', emma.id, { status: 'Away' });
        assert.equal(refused.statusCode, 409);
        assert.match(refused.body, /Omni-Channel/);

        const presence = gw.org.find('UserServicePresence', { UserId: emma.id })[0]!;
        gw.org.update(
            'UserServicePresence',
            String(presence.Id),
            { IsAway: true },
            { allowSystemFields: true }
        );
        // Presence has no change events: the gateway re-reads it every PRESENCE_POLL_MS.
        gw.clock.advance(PRESENCE_POLL_MS);
        await gw.live.settled();
        assert.equal((await availability(emma.id))?.status, 'away');
    });
    it('re-decides no visit when a presence read finds nothing new', async () => {
        const sent = await sendBeacon(gw, beacon(ids('omni'), [pageview('/pricing')]));
        assert.equal(sent.statusCode, 202, sent.body);
        // The beacon is decided at the end of the batch window.
        gw.clock.advance(gw.live.publisher.freshness.windowMs);
        await gw.live.settled();
        let refreshed = 0;
        const refresh = gw.live.refresh.bind(gw.live);
        gw.live.refresh = (visit) => (refreshed++, refresh(visit));
        try {
            gw.clock.advance(PRESENCE_POLL_MS);
            await gw.live.settled();
            assert.equal(refreshed, 0, 'an unchanged presence re-decides nothing');

            const emma = gw.users.find((u) => u.name === 'Emma Lindqvist')!;
            const presence = gw.org.find('UserServicePresence', { UserId: emma.id })[0]!;
            gw.org.update(
                'UserServicePresence',
                String(presence.Id),
                { IsAway: false },
                { allowSystemFields: true }
            );
            gw.clock.advance(PRESENCE_POLL_MS);
            await gw.live.settled();
            assert.ok(refreshed > 0, 'a changed presence re-decides the live visits');
        } finally {
            gw.live.refresh = refresh;
        }
    });
});
