import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { ConsoleSnapshot } from '../contracts/liveContract';
import { PRESENCE_POLL_MS } from '../live/liveGateway';
import { root, startTestGateway, type TestGateway } from '../testing/liveTestApp';

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
    before(async () => (gw = await startTestGateway({ forceAppDir: packageWithOmniChannel() })));
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
});
