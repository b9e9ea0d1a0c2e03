import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import geoip from 'geoip-lite';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { CollectRequest } from '../../gateway/src/contracts/visitorProtocol';
import { demoCompany } from '../../localorg/src/seed/demoCompany';
import { compileWildcard, DEFAULT_SCORE_WEIGHTS } from '../../gateway/src/engine';
import { SITE_DIR } from '../../gateway/src/site/demoSite';
import { demoAccountIp, WORLD_IPS } from './ipRanges';
import { planSimulation } from './plan';
import { runSimulation, type SimSocket, type SimulationClock } from './runner';
import { parseSimulatorArgs } from './simulate';

/** Virtual time: sleeps resolve in time order as soon as everything else has settled. */
class VirtualClock implements SimulationClock {
    t = 0;
    private timers: { at: number; resolve: () => void; seq: number }[] = [];
    private seq = 0;
    now = () => this.t;
    sleep = (ms: number, signal: AbortSignal) =>
        new Promise<void>((resolve) => {
            if (signal.aborted) return resolve();
            this.timers.push({ at: this.t + Math.max(0, ms), resolve, seq: this.seq++ });
        });
    async runUntilIdle(until = Infinity) {
        for (;;) {
            for (let i = 0; i < 5; i++) await new Promise((r) => setImmediate(r));
            this.timers.sort((a, b) => a.at - b.at || a.seq - b.seq);
            const next = this.timers[0];
            if (!next || next.at > until) return;
            this.timers.shift();
            this.t = next.at;
            next.resolve();
        }
    }
}

describe('the traffic simulator', () => {
    const accounts = demoCompany().accounts;

    it('plans the same visitors for the same seed, and others for another seed', () => {
        const a = planSimulation({ seed: 42, visitors: 300 });
        const b = planSimulation({ seed: 42, visitors: 300 });
        const c = planSimulation({ seed: 43, visitors: 300 });
        assert.deepEqual(a, b);
        assert.notDeepEqual(
            a.map((p) => p.ip),
            c.map((p) => p.ip)
        );
    });

    it('respects the visitor and duration bounds', () => {
        assert.equal(planSimulation({ seed: 1, visitors: 120 }).length, 120);
        const short = planSimulation({ seed: 1, visitors: 10_000, durationMs: 5 * 60_000 });
        assert.ok(short.length < 10_000);
        assert.ok(short.every((p) => p.arriveAtMs <= 5 * 60_000));
        assert.ok(short.every((p) => p.durationMs <= 7 * 150_000));
    });

    it('keeps a steady crowd of some 40–80 visitors on the site', () => {
        const plans = planSimulation({ seed: 7, visitors: 5000, durationMs: 60 * 60_000 });
        const counts: number[] = [];
        for (let t = 5 * 60_000; t <= 55 * 60_000; t += 60_000)
            counts.push(
                plans.filter((p) => p.arriveAtMs <= t && t < p.arriveAtMs + p.durationMs).length
            );
        const average = counts.reduce((s, n) => s + n, 0) / counts.length;
        assert.ok(average >= 40 && average <= 80, `average ${average} (${counts.join(', ')})`);
        const opening = plans.filter((p) => p.arriveAtMs <= 15_000).length;
        assert.ok(opening >= 40, `${opening} on the site at the start`);
    });

    it('mixes target and open-opportunity accounts, paid campaigns, many countries, forms and chat requests', () => {
        const plans = planSimulation({ seed: 20261125, visitors: 600 });
        const kinds = new Set(plans.map((p) => p.kind));
        assert.deepEqual([...kinds].sort(), [
            'anonymous',
            'known-account',
            'open-opportunity',
            'target-account'
        ]);
        assert.ok(plans.some((p) => p.account?.target));
        assert.ok(plans.some((p) => p.account?.hasOpenOpportunity));
        const media = new Set(plans.map((p) => p.batches[0]!.utm?.medium).filter(Boolean));
        assert.ok(media.has('cpc') && media.has('paid-social'));
        assert.ok(new Set(plans.map((p) => p.country)).size >= 15);
        const events = plans.flatMap((p) => p.batches.flatMap((b) => b.events));
        assert.ok(events.filter((e) => e.type === 'identify').length >= 10);
        assert.ok(events.filter((e) => e.type === 'chat-request').length >= 10);
        assert.ok(events.some((e) => e.type === 'pageview' && e.url.includes('pricing')));
        assert.ok(plans.some((p) => p.returning));
        // Pages are read for a while, and scrolled.
        assert.ok(events.filter((e) => e.type === 'scroll').length > plans.length / 2);
    });

    it('uses world addresses that geoip-lite places in their country', () => {
        for (const [country, { ips }] of Object.entries(WORLD_IPS)) {
            for (const ip of ips)
                assert.equal(geoip.lookup(ip)?.country, country, `${ip} should be in ${country}`);
        }
    });

    it('uses demo company addresses that the gateway’s demo provider maps to the planned account', () => {
        assert.equal(demoAccountIp(0, 1), '198.18.0.1');
        assert.equal(demoAccountIp(255, 254), '198.18.255.254');
        assert.equal(demoAccountIp(256, 9), '198.19.0.9');
        assert.throws(() => demoAccountIp(512, 1));
        for (const plan of planSimulation({ seed: 3, visitors: 400 })) {
            if (!plan.account) continue;
            const [, block, third] = /^198\.(18|19)\.(\d+)\.(\d+)$/.exec(plan.ip)!;
            const index = (block === '18' ? 0 : 256) + Number(third);
            assert.equal(accounts[index]!.domain, plan.account.domain);
        }
    });

    it('sends valid collect requests with each visitor’s address, and never more than the concurrency cap', async () => {
        const plans = planSimulation({
            seed: 11,
            visitors: 40,
            initialVisitors: 30,
            ratePerMinute: 30
        });
        const clock = new VirtualClock();
        const seen: {
            url: string;
            ip: string;
            origin: string;
            valid: boolean;
            issues?: string;
            pages: string[];
        }[] = [];
        let concurrentFetches = 0;
        const fakeFetch = (async (url: string, init: RequestInit) => {
            concurrentFetches++;
            const headers = init.headers as Record<string, string>;
            const parsed = CollectRequest.safeParse(JSON.parse(String(init.body)));
            seen.push({
                url,
                ip: headers['x-forwarded-for']!,
                origin: headers.origin!,
                valid: parsed.success,
                issues: parsed.success ? undefined : JSON.stringify(parsed.error.issues),
                pages: parsed.success
                    ? parsed.data.events.flatMap((e) => (e.type === 'pageview' ? [e.url] : []))
                    : []
            });
            concurrentFetches--;
            return new Response('{"accepted":1}', { status: 202 });
        }) as unknown as typeof fetch;
        const sim = runSimulation({
            url: 'http://127.0.0.1:4300',
            siteUrl: 'http://127.0.0.1:4301',
            plans,
            clock,
            fetch: fakeFetch,
            maxConcurrent: 12,
            openSocket: null
        });
        await clock.runUntilIdle();
        const stats = await sim.done;
        assert.equal(stats.arrived, 40);
        assert.equal(stats.left, 40);
        assert.ok(stats.maxActive <= 12);
        assert.equal(
            stats.requests,
            plans.reduce((n, p) => n + p.batches.length, 0)
        );
        assert.equal(stats.accepted, stats.requests);
        assert.deepEqual(seen.filter((s) => !s.valid).slice(0, 3), []);
        assert.deepEqual(new Set(seen.map((s) => s.ip)), new Set(plans.map((p) => p.ip)));
        // To the gateway, from the demo website's origin, about pages at its root.
        assert.deepEqual(
            new Set(seen.map((s) => s.url)),
            new Set(['http://127.0.0.1:4300/v1/collect'])
        );
        assert.deepEqual(new Set(seen.map((s) => s.origin)), new Set(['http://127.0.0.1:4301']));
        const pages = seen.flatMap((s) => s.pages);
        assert.ok(pages.length > 0);
        for (const page of pages) assert.match(page, /^http:\/\/127\.0\.0\.1:4301\/(?!site\/)/);
        assert.ok(pages.some((page) => new URL(page).pathname === '/pricing.html'));
    });

    it('browses pages the demo website has, at the paths the demo streams and score patterns name', () => {
        const plans = planSimulation({ seed: 20261125, visitors: 600 });
        const paths = new Set(
            plans.flatMap((p) =>
                p.batches.flatMap((b) =>
                    b.events.flatMap((e) =>
                        e.type === 'pageview' ? [new URL(e.url, 'http://site').pathname] : []
                    )
                )
            )
        );
        for (const path of paths)
            assert.ok(existsSync(join(SITE_DIR, path)), `${path} is a page of site/`);
        // The site has a pricing page and a demo page: the engine's high-intent patterns for them match.
        for (const pattern of ['/pricing*', '/demo*']) {
            assert.ok(DEFAULT_SCORE_WEIGHTS.highIntentPages.patterns.includes(pattern));
            const wildcard = compileWildcard(pattern);
            assert.ok(
                [...paths].some((path) => wildcard.matches(path)),
                pattern
            );
        }
    });

    it('stops promptly, mid-visit', async () => {
        const plans = planSimulation({ seed: 5, visitors: 100, initialVisitors: 10 });
        const clock = new VirtualClock();
        const sim = runSimulation({
            url: 'http://127.0.0.1:4300',
            siteUrl: 'http://127.0.0.1:4301',
            plans,
            clock,
            fetch: (async () => new Response(null, { status: 202 })) as unknown as typeof fetch,
            openSocket: null
        });
        await clock.runUntilIdle(60_000);
        const stopped = sim.stop();
        await clock.runUntilIdle();
        const stats = await stopped;
        assert.ok(stats.arrived > 10 && stats.arrived < 100, `${stats.arrived} arrived`);
        assert.equal(stats.active, 0);
    });

    it('a visitor who asked to chat answers the rep on the visitor socket, then hangs up', async () => {
        const plan = planSimulation({ seed: 20261125, visitors: 600 }).find((p) => p.chatReplies)!;
        const clock = new VirtualClock();
        const sent: unknown[] = [];
        let listener:
            ((m: Parameters<Parameters<SimSocket['onMessage']>[0]>[0]) => void) | undefined;
        let opened: { url: string; headers: Record<string, string> } | undefined;
        let closed = false;
        const sim = runSimulation({
            url: 'http://127.0.0.1:4300',
            siteUrl: 'http://127.0.0.1:4301',
            plans: [{ ...plan, arriveAtMs: 0 }],
            clock,
            fetch: (async () => new Response('{}', { status: 202 })) as unknown as typeof fetch,
            openSocket: (url, headers) => {
                opened = { url, headers };
                return {
                    onMessage: (l) => (listener = l),
                    send: (m) => sent.push(m),
                    close: () => (closed = true)
                };
            }
        });
        const requestAt = plan.batches.find((b) =>
            b.events.some((e) => e.type === 'chat-request')
        )!.atMs;
        await clock.runUntilIdle(requestAt);
        assert.ok(opened, 'the socket opens after the chat request');
        assert.match(
            opened.url,
            new RegExp(
                `^ws://127.0.0.1:4300/v1/visitor-socket\\?siteKey=demo-site-key&visitorId=${plan.visitorId}&sessionId=${plan.sessionId}$`
            )
        );
        assert.equal(opened.headers['x-forwarded-for'], plan.ip);
        assert.equal(opened.headers.origin, 'http://127.0.0.1:4301', 'from the demo website');
        listener!({
            type: 'message',
            id: 'm1',
            sender: 'Rep',
            senderName: 'Emma Lindqvist',
            body: 'Hi! How can I help?',
            sentAt: new Date(0).toISOString()
        });
        listener!({
            type: 'message',
            id: 'm2',
            sender: 'Visitor',
            senderName: 'Visitor',
            body: 'echo',
            sentAt: new Date(0).toISOString()
        });
        await clock.runUntilIdle(requestAt + 20_000);
        assert.deepEqual(sent, [
            { type: 'typing', typing: true },
            {
                type: 'message',
                clientMessageId: `sim1${plan.sessionId}`.slice(0, 40),
                body: plan.chatReplies![0]
            }
        ]);
        await clock.runUntilIdle();
        await sim.done;
        assert.equal(closed, true);
    });

    it('reads its command-line options and refuses nonsense', () => {
        assert.deepEqual(
            parseSimulatorArgs(
                [
                    '--url',
                    'http://localhost:4400',
                    '--visitors',
                    '100',
                    '--seed',
                    '9',
                    '--rate',
                    '12',
                    '--duration',
                    '15'
                ],
                {}
            ),
            {
                url: 'http://localhost:4400',
                siteUrl: 'http://localhost:4401',
                visitors: 100,
                seed: 9,
                ratePerMinute: 12,
                durationMs: 15 * 60_000
            }
        );
        assert.equal(
            parseSimulatorArgs([], { SIGHTLINE_PORT: '4500' }).url,
            'http://127.0.0.1:4500'
        );
        assert.equal(
            parseSimulatorArgs([], { SIGHTLINE_PORT: '4500' }).siteUrl,
            'http://127.0.0.1:4501'
        );
        assert.equal(
            parseSimulatorArgs([], { SIGHTLINE_SITE_PORT: '5000' }).siteUrl,
            'http://127.0.0.1:5000'
        );
        assert.equal(
            parseSimulatorArgs(['--site-url', 'http://localhost:8080/']).siteUrl,
            'http://localhost:8080'
        );
        assert.throws(() => parseSimulatorArgs(['--visitors', 'lots']), /--visitors/);
        assert.throws(() => parseSimulatorArgs(['--site-url', 'pricing.html']), /--site-url/);
    });
});
