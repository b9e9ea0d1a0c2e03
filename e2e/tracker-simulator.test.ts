/**
 * `npm start` with its traffic simulator: the printed demo website serves pages carrying
 * the tracker, and simulated visitors from around the world and from the demo company's
 * accounts fill the streams, as the admin's console snapshot shows.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { ConsoleSnapshot } from '../gateway/src/contracts/liveContract';
import { startProduct, type RunningProduct } from './support/product';

describe('npm start with simulated visitors', () => {
    let product: RunningProduct;
    let adminId: string;

    before(async () => {
        product = await startProduct({ simulate: true });
        const session = (await (await fetch(`${product.url}/local/session`)).json()) as {
            users: { id: string; isAdmin: boolean }[];
        };
        adminId = session.users.find((u) => u.isAdmin)!.id;
    });

    after(() => product?.stop());

    async function snapshot(): Promise<ConsoleSnapshot> {
        const response = await fetch(
            `${product.url}/local/apex/SightlineGatewayController/getSnapshot`,
            {
                method: 'POST',
                headers: {
                    'content-type': 'application/json',
                    cookie: `sightline_user=${adminId}`
                },
                body: '{}'
            }
        );
        assert.equal(response.status, 200);
        return (await response.json()) as ConsoleSnapshot;
    }

    it('prints the demo website, which carries the tracker', async () => {
        assert.match(product.output(), /Demo website:\s+http:\/\/\S+\/site\//);
        assert.match(product.output(), /Simulated visitors/);
        const html = await (await fetch(`${product.url}/site/pricing.html`)).text();
        assert.match(
            html,
            /<script defer src="\/tracker\/sightline\.js" data-site-key="demo-site-key"><\/script>/
        );
        const tracker = await fetch(`${product.url}/tracker/sightline.js`);
        assert.equal(tracker.status, 200);
        assert.match(tracker.headers.get('content-type') ?? '', /javascript/);
    });

    it('fills the streams with visitors from many countries and from the demo accounts', async () => {
        const deadline = Date.now() + 20_000;
        let last: ConsoleSnapshot | undefined;
        const enough = (s: ConsoleSnapshot) => {
            const countries = new Set(
                s.visitors.map((v) => v.location?.countryCode).filter(Boolean)
            );
            const streams = new Set(s.visitors.map((v) => v.streamId));
            return (
                s.visitors.length >= 30 &&
                countries.size >= 8 &&
                streams.size >= 3 &&
                s.visitors.some((v) => v.salesforce.account?.targetAccount)
            );
        };
        while (Date.now() < deadline) {
            last = await snapshot();
            if (enough(last)) break;
            await new Promise((r) => setTimeout(r, 250));
        }
        assert.ok(
            last && enough(last),
            `snapshot: ${last?.visitors.length} visitors, countries ${[...new Set(last?.visitors.map((v) => v.location?.countryCode))].join(',')}, streams ${[...new Set(last?.visitors.map((v) => v.streamId))].join(',')}`
        );
    });
});
