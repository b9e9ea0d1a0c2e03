/**
 * `npm start` with its traffic simulator: the printed demo website, on an origin of its
 * own, serves pages embedding the tracker from the gateway, and simulated visitors from
 * around the world and from the demo company's accounts fill every stream — the Pricing
 * Page one too, its visitors scored by the high-intent page — as the admin's console
 * snapshot and visitor details show.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { ConsoleSnapshot, VisitorDetail } from '../gateway/src/contracts/liveContract';
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

    /** A rep action as the admin, as the console calls it through the local Apex stand-in. */
    async function action<T>(name: string, params: Record<string, unknown> = {}): Promise<T> {
        const response = await fetch(
            `${product.url}/local/apex/SightlineGatewayController/${name}`,
            {
                method: 'POST',
                headers: {
                    'content-type': 'application/json',
                    cookie: `sightline_user=${adminId}`
                },
                body: JSON.stringify(params)
            }
        );
        assert.equal(response.status, 200, await response.clone().text());
        return (await response.json()) as T;
    }
    const snapshot = () => action<ConsoleSnapshot>('getSnapshot', { page: 0 });

    it('prints the demo website on its own origin, whose pages embed the tracker from the gateway', async () => {
        assert.match(product.output(), /Demo website:\s+http:\/\/127\.0\.0\.1:\d+\/\s/);
        assert.notEqual(new URL(product.siteUrl).origin, new URL(product.gatewayUrl).origin);
        assert.match(product.output(), /Simulated visitors/);
        for (const page of ['/', '/pricing.html', '/blog/data-contracts.html']) {
            const response = await fetch(`${product.siteUrl}${page}`);
            assert.equal(response.status, 200, page);
            assert.ok(
                (await response.text()).includes(
                    `<script defer src="${product.gatewayUrl}/tracker/sightline.js" data-site-key="demo-site-key"></script>`
                ),
                page
            );
        }
        const tracker = await fetch(`${product.gatewayUrl}/tracker/sightline.js`);
        assert.equal(tracker.status, 200);
        assert.match(tracker.headers.get('content-type') ?? '', /javascript/);
        // The gateway no longer serves the website.
        assert.equal(
            (await fetch(`${product.gatewayUrl}/site/pricing.html`, { redirect: 'manual' })).status,
            404
        );
    });

    it('fills every stream with visitors from many countries and from the demo accounts', async () => {
        const deadline = Date.now() + 45_000;
        let last: ConsoleSnapshot | undefined;
        const enough = (s: ConsoleSnapshot) => {
            const countries = new Set(
                s.visitors.map((v) => v.location?.countryCode).filter(Boolean)
            );
            const streams = new Set(s.visitors.map((v) => v.streamId));
            return (
                s.visitors.length >= 30 &&
                countries.size >= 8 &&
                s.streams.every((stream) => streams.has(stream.id)) &&
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

    it('puts pricing readers in the Pricing Page stream, scored by the high-intent page', async () => {
        const pricing = (await snapshot()).streams.find((s) => s.name === 'Pricing Page')!;
        assert.ok(pricing, 'the demo company has a Pricing Page stream');
        const deadline = Date.now() + 30_000;
        let reader: ConsoleSnapshot['visitors'][number] | undefined;
        while (!reader && Date.now() < deadline) {
            reader = (await snapshot()).visitors.find((v) => v.streamId === pricing.id);
            if (!reader) await new Promise((r) => setTimeout(r, 250));
        }
        assert.ok(reader, 'a simulated visitor in the Pricing Page stream');
        const detail = await action<VisitorDetail>('getVisitorDetail', { visitorId: reader.id });
        const page = detail.pages.find((p) => p.path.startsWith('/pricing'));
        assert.ok(page, JSON.stringify(detail.pages));
        assert.equal(new URL(page.url).origin, new URL(product.siteUrl).origin);
        assert.ok(
            detail.scoreReasons.some(
                (r) => /high-intent page.*\/pricing\.html/.test(r.label) && r.points > 0
            ),
            JSON.stringify(detail.scoreReasons)
        );
        assert.notEqual(detail.card.score.band, 'Cold');
    });
});
