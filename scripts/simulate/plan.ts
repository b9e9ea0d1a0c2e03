/**
 * The simulation as a plan: who arrives when, from where, through which campaign, which
 * pages they read, for how long, how far they scroll, and whether they fill a form or ask
 * to chat. Pure and seeded (SeededRandom): the same options give the same plan.
 */
import type {
    CollectRequestInput,
    TrackerEventInput
} from '../../gateway/src/contracts/visitorProtocol';
import { demoCompany, type DemoAccount } from '../../localorg/src/seed/demoCompany';
import { SeededRandom } from '../../localorg/src/seed/random';
import { demoAccountIp, WORLD_IPS } from './ipRanges';

export interface SimulationOptions {
    seed: number;
    /** Most visitors in the whole run. */
    visitors: number;
    /** Longest run, in milliseconds: nobody arrives later. */
    durationMs: number;
    /** New visitors per minute, after the opening crowd. */
    ratePerMinute: number;
    /** Visitors already on the site when the simulation starts. */
    initialVisitors: number;
}

export const DEFAULT_OPTIONS: SimulationOptions = {
    seed: 20261125,
    visitors: 3000,
    durationMs: 2 * 60 * 60_000,
    // Visits last about three minutes: 20 a minute keeps some 60 on the site.
    ratePerMinute: 20,
    initialVisitors: 50
};

/** One request a simulated tracker sends: `atMs` after the visitor arrived; `ts` is filled when sent. */
export interface PlannedBatch {
    atMs: number;
    utm?: CollectRequestInput['utm'];
    device?: CollectRequestInput['device'];
    events: TrackerEventInput[];
}

export interface VisitorPlan {
    index: number;
    arriveAtMs: number;
    visitorId: string;
    sessionId: string;
    tabId: string;
    ip: string;
    /** ISO country of a world address, or the demo account's country. */
    country: string;
    account?: Pick<DemoAccount, 'name' | 'domain' | 'target' | 'hasOpenOpportunity'>;
    kind: 'target-account' | 'open-opportunity' | 'known-account' | 'anonymous';
    returning: boolean;
    userAgent: string;
    /** What the visitor answers a rep, in order, when it asked to chat. */
    chatReplies?: string[];
    batches: PlannedBatch[];
    /** How long the visit lasts. */
    durationMs: number;
}

interface Page {
    path: string;
    title: string;
    /** Where readers go next, by weight. */
    next: readonly (readonly [string, number])[];
}

const PAGES: Record<string, Page> = {
    '/index.html': {
        path: '/index.html',
        title: 'Lumen Data — the data platform for decisions',
        next: [
            ['/product.html', 4],
            ['/pricing.html', 3],
            ['/customers.html', 2],
            ['/blog/index.html', 1],
            ['/demo.html', 1]
        ]
    },
    '/product.html': {
        path: '/product.html',
        title: 'Product — Lumen Data',
        next: [
            ['/pricing.html', 5],
            ['/customers.html', 2],
            ['/demo.html', 2],
            ['/index.html', 1]
        ]
    },
    '/pricing.html': {
        path: '/pricing.html',
        title: 'Pricing — Lumen Data',
        next: [
            ['/pricing.html?billing=annual', 2],
            ['/demo.html', 3],
            ['/customers.html', 2],
            ['/product.html', 2]
        ]
    },
    '/pricing.html?billing=annual': {
        path: '/pricing.html?billing=annual',
        title: 'Pricing — Lumen Data',
        next: [
            ['/demo.html', 3],
            ['/customers.html', 1]
        ]
    },
    '/customers.html': {
        path: '/customers.html',
        title: 'Customers — Lumen Data',
        next: [
            ['/pricing.html', 3],
            ['/demo.html', 2],
            ['/product.html', 1]
        ]
    },
    '/demo.html': {
        path: '/demo.html',
        title: 'Request a demo — Lumen Data',
        next: [
            ['/customers.html', 1],
            ['/pricing.html', 1]
        ]
    },
    '/blog/index.html': {
        path: '/blog/index.html',
        title: 'Blog — Lumen Data',
        next: [
            ['/blog/data-contracts.html', 3],
            ['/blog/realtime-activation.html', 3]
        ]
    },
    '/blog/data-contracts.html': {
        path: '/blog/data-contracts.html',
        title: 'Why your pipelines need data contracts — Lumen Data blog',
        next: [
            ['/product.html', 2],
            ['/blog/realtime-activation.html', 1],
            ['/demo.html', 1]
        ]
    },
    '/blog/realtime-activation.html': {
        path: '/blog/realtime-activation.html',
        title: 'From dashboards to decisions: real-time activation in practice — Lumen Data blog',
        next: [
            ['/pricing.html', 2],
            ['/product.html', 1],
            ['/demo.html', 1]
        ]
    }
};

const CAMPAIGNS = [
    {
        weight: 5,
        utm: {
            source: 'google',
            medium: 'cpc',
            campaign: 'data-platform-brand',
            term: 'lumen data'
        },
        landing: '/index.html',
        referrer: 'https://www.google.com/'
    },
    {
        weight: 5,
        utm: {
            source: 'google',
            medium: 'cpc',
            campaign: 'etl-replacement',
            term: 'etl tool pricing'
        },
        landing: '/pricing.html',
        referrer: 'https://www.google.com/'
    },
    {
        weight: 4,
        utm: {
            source: 'linkedin',
            medium: 'paid-social',
            campaign: 'q4-revops-webinar',
            content: 'carousel-a'
        },
        landing: '/product.html',
        referrer: 'https://www.linkedin.com/'
    },
    {
        weight: 2,
        utm: { source: 'facebook', medium: 'paid-social', campaign: 'retargeting-pricing' },
        landing: '/pricing.html',
        referrer: 'https://www.facebook.com/'
    },
    {
        weight: 3,
        utm: { source: 'newsletter', medium: 'email', campaign: 'november-digest' },
        landing: '/blog/data-contracts.html',
        referrer: ''
    },
    {
        weight: 2,
        utm: { source: 'twitter', medium: 'social', campaign: 'activation-launch' },
        landing: '/blog/realtime-activation.html',
        referrer: 'https://t.co/'
    },
    {
        weight: 2,
        utm: { source: 'g2', medium: 'referral', campaign: 'g2-profile' },
        landing: '/customers.html',
        referrer: 'https://www.g2.com/'
    }
] as const;

const ORGANIC = [
    { weight: 6, landing: '/index.html', referrer: 'https://www.google.com/' },
    { weight: 4, landing: '/index.html', referrer: '' },
    {
        weight: 2,
        landing: '/blog/data-contracts.html',
        referrer: 'https://news.ycombinator.com/'
    },
    { weight: 2, landing: '/product.html', referrer: 'https://www.bing.com/' },
    { weight: 1, landing: '/pricing.html', referrer: '' },
    {
        weight: 1,
        landing: '/blog/realtime-activation.html',
        referrer: 'https://duckduckgo.com/'
    }
] as const;

const USER_AGENTS = [
    {
        weight: 40,
        ua: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36',
        device: { type: 'desktop', browser: 'Chrome', os: 'Windows' }
    },
    {
        weight: 20,
        ua: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36',
        device: { type: 'desktop', browser: 'Chrome', os: 'macOS' }
    },
    {
        weight: 10,
        ua: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Safari/605.1.15',
        device: { type: 'desktop', browser: 'Safari', os: 'macOS' }
    },
    {
        weight: 8,
        ua: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0',
        device: { type: 'desktop', browser: 'Edge', os: 'Windows' }
    },
    {
        weight: 4,
        ua: 'Mozilla/5.0 (X11; Ubuntu; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0',
        device: { type: 'desktop', browser: 'Firefox', os: 'Linux' }
    },
    {
        weight: 12,
        ua: 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1',
        device: { type: 'mobile', browser: 'Safari', os: 'iOS' }
    },
    {
        weight: 8,
        ua: 'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36',
        device: { type: 'mobile', browser: 'Chrome', os: 'Android' }
    },
    {
        weight: 3,
        ua: 'Mozilla/5.0 (iPad; CPU OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1',
        device: { type: 'tablet', browser: 'Safari', os: 'iOS' }
    }
] as const;

const FIRST = [
    'Olivia',
    'Liam',
    'Amara',
    'Hiroshi',
    'Chloé',
    'Mateo',
    'Ingrid',
    'Ravi',
    'Zara',
    'Tomás',
    'Fatima',
    'Erik',
    'Mei',
    'Kwame',
    'Isabella',
    'Arjun',
    'Nora',
    'Diego'
];
const LAST = [
    'Johnson',
    'Nakamura',
    'Dubois',
    'Schmidt',
    'Patel',
    'Silva',
    'Kowalski',
    'Nguyen',
    'Andersson',
    'Rossi',
    'Okonkwo',
    'Hernández',
    'Murphy',
    'Kim'
];
const CHAT_OPENERS = [
    'Do you support SSO on the Team plan?',
    'How does pricing work for 200M rows a month?',
    'Can we run the data plane in our own AWS account?',
    'Is there a migration path from our current ETL tool?',
    'Can I get a trial for my team?',
    ''
];
const FREE_MAIL = ['gmail.example', 'outlook.example', 'proton.example'];
const CHAT_REPLIES = [
    'Thanks! We are about 40 people on the data team.',
    'Mostly Postgres and Salesforce today, some Kafka.',
    'We are comparing you with two other vendors this quarter.',
    'Could you send me the security documentation?',
    'A trial for two weeks would be great.',
    'Budget is approved for Q1, we need to decide by January.',
    'Great, a call next week works for me.'
];

const ID_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
function seededId(random: SeededRandom, prefix: string): string {
    let id = prefix;
    while (id.length < 22) id += ID_ALPHABET[random.int(0, ID_ALPHABET.length - 1)];
    return id;
}

/** The whole run, visitor by visitor, in arrival order. */
export function planSimulation(options: Partial<SimulationOptions> = {}): VisitorPlan[] {
    const o = { ...DEFAULT_OPTIONS, ...options };
    const random = new SeededRandom(o.seed);
    const accounts = demoCompany().accounts;
    const indexed = accounts.map((account, index) => ({ account, index }));
    const targets = indexed.filter((a) => a.account.target);
    const openOpps = indexed.filter((a) => a.account.hasOpenOpportunity && !a.account.target);
    const others = indexed.filter((a) => !a.account.target && !a.account.hasOpenOpportunity);
    const countries = Object.entries(WORLD_IPS).map(([code, c]) => [code, c.weight] as const);

    const plans: VisitorPlan[] = [];
    let clock = 0;
    for (let index = 0; index < o.visitors; index++) {
        let arriveAtMs: number;
        if (index < o.initialVisitors) arriveAtMs = random.int(0, 15_000);
        else {
            // Poisson arrivals: exponential gaps around the rate.
            clock += Math.round(
                (-Math.log(1 - random.next()) * 60_000) / Math.max(0.01, o.ratePerMinute)
            );
            arriveAtMs = 15_000 + clock;
        }
        if (arriveAtMs > o.durationMs) break;

        const earlier = plans.length > 10 && random.chance(0.1) ? random.pick(plans) : undefined;
        const kind: VisitorPlan['kind'] =
            earlier?.kind ??
            random.weighted([
                ['target-account', 20],
                ['open-opportunity', 15],
                ['known-account', 15],
                ['anonymous', 50]
            ] as const);
        let ip: string;
        let country: string;
        let account: VisitorPlan['account'];
        if (earlier) {
            ({ ip, country, account } = earlier);
        } else if (kind === 'anonymous') {
            country = random.weighted(countries);
            ip = random.pick(WORLD_IPS[country]!.ips);
        } else {
            const pool =
                kind === 'target-account'
                    ? targets
                    : kind === 'open-opportunity'
                      ? openOpps
                      : others;
            const chosen = random.pick(pool.length > 0 ? pool : indexed);
            ip = demoAccountIp(chosen.index, random.int(1, 254));
            country = chosen.account.country;
            account = {
                name: chosen.account.name,
                domain: chosen.account.domain,
                target: chosen.account.target,
                hasOpenOpportunity: chosen.account.hasOpenOpportunity
            };
        }
        const agent = random.weighted(USER_AGENTS.map((u) => [u, u.weight] as const));
        const paid = random.chance(0.35);
        const source = paid
            ? random.weighted(CAMPAIGNS.map((c) => [c, c.weight] as const))
            : random.weighted(ORGANIC.map((c) => [c, c.weight] as const));
        const utm = 'utm' in source ? { ...source.utm } : undefined;

        const batches: PlannedBatch[] = [];
        let t = 0;
        let path: string = source.landing;
        let previous = '';
        const pageCount = random.weighted([
            [1, 3],
            [2, 4],
            [3, 4],
            [4, 3],
            [5, 2],
            [7, 1]
        ] as const);
        const identifies = random.chance(account ? 0.14 : 0.08);
        const chats = random.chance(0.06);
        let identified = false;
        let chatted = false;
        for (let p = 0; p < pageCount; p++) {
            const page = PAGES[path]!;
            const spa = path.includes('?billing=') && previous.startsWith('/pricing.html');
            batches.push({
                atMs: t,
                ...(p === 0 ? { utm, device: { ...agent.device } } : {}),
                events: [
                    {
                        type: 'pageview',
                        ts: 0,
                        url: path,
                        title: page.title,
                        referrer: p === 0 ? source.referrer : previous,
                        spa
                    },
                    ...(p === 0 ? [{ type: 'tabs' as const, ts: 0, count: 1 }] : [])
                ]
            });
            const chatsHere =
                (path.startsWith('/pricing') || path === '/demo.html') && chats && !chatted;
            // Whoever asks to chat stays for the countdown and a conversation.
            const dwellMs = Math.max(
                random.int(8, path.includes('blog/') ? 150 : 90) * 1000,
                chatsHere ? 150_000 : 0
            );
            const depth = Math.round(random.next() * 100) / 100;
            const scrollAt = Math.min(dwellMs - 500, random.int(3, 20) * 1000);
            if (depth > 0.1 && scrollAt > 0)
                batches.push({
                    atMs: t + scrollAt,
                    events: [{ type: 'scroll', ts: 0, url: path, depth: Math.max(depth, 0.15) }]
                });
            for (let beat = 15_000; beat < dwellMs; beat += 15_000)
                batches.push({
                    atMs: t + beat,
                    events: [{ type: 'heartbeat', ts: 0, active: random.chance(0.85) }]
                });
            if (path === '/demo.html' && identifies && !identified) {
                identified = true;
                const first = random.pick(FIRST);
                const last = random.pick(LAST);
                const domain = account?.domain ?? random.pick(FREE_MAIL);
                const email =
                    `${first}.${last}`
                        .toLowerCase()
                        .normalize('NFD')
                        .replace(/[^a-z.]/g, '') + `@${domain}`;
                batches.push({
                    atMs: t + Math.min(dwellMs - 200, 6000),
                    events: [
                        {
                            type: 'identify',
                            ts: 0,
                            email,
                            firstName: first,
                            lastName: last,
                            ...(account ? { company: account.name } : {}),
                            source: 'form'
                        }
                    ]
                });
            }
            if (chatsHere) {
                chatted = true;
                batches.push({
                    atMs: t + Math.min(dwellMs - 100, 4000),
                    events: [{ type: 'chat-request', ts: 0, message: random.pick(CHAT_OPENERS) }]
                });
            }
            t += dwellMs;
            previous = path;
            path = random.weighted(page.next);
        }
        // Some visitors wander off with the tab open: idle, then gone.
        if (random.chance(0.3))
            batches.push({ atMs: t, events: [{ type: 'activity', ts: 0, state: 'idle' }] });
        batches.sort((a, b) => a.atMs - b.atMs);

        plans.push({
            index,
            arriveAtMs,
            visitorId: earlier?.visitorId ?? seededId(random, 'simv'),
            sessionId: seededId(random, 'sims'),
            tabId: seededId(random, 'simt'),
            ip,
            country,
            ...(account ? { account } : {}),
            kind,
            returning: Boolean(earlier),
            userAgent: agent.ua,
            ...(chatted
                ? {
                      chatReplies: [
                          random.pick(CHAT_REPLIES),
                          random.pick(CHAT_REPLIES),
                          'Thanks, talk soon!'
                      ]
                  }
                : {}),
            batches,
            durationMs: t
        });
    }
    return plans.sort((a, b) => a.arriveAtMs - b.arriveAtMs || a.index - b.index);
}
