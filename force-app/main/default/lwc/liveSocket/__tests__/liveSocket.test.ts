import { LiveSocket, backoffDelay, type LiveSocketState } from 'c/liveSocket';
import type { ChangePage, LiveTokenGrant } from 'c/sightlineLive';

jest.mock(
    '@salesforce/apex/SightlineGatewayController.mintLiveToken',
    () => ({ default: jest.fn() }),
    { virtual: true }
);

const URL_ = 'wss://gateway.example.com/api/v1/live';
const EPOCH = '1767261600000-0a1b2c3d';

/** A WebSocket the test drives: it records what the console sends and opens when told. */
class FakeSocket extends EventTarget {
    static made: FakeSocket[] = [];
    sent: string[] = [];
    closedWith: number | undefined;
    constructor(readonly url: string) {
        super();
        FakeSocket.made.push(this);
    }
    send(text: string) {
        this.sent.push(text);
    }
    close(code = 1000) {
        this.closedWith = code;
    }
    open() {
        this.dispatchEvent(new Event('open'));
    }
    receive(message: unknown) {
        const event = new Event('message') as Event & { data: string };
        event.data = JSON.stringify(message);
        this.dispatchEvent(event);
    }
    fail() {
        this.dispatchEvent(new Event('error'));
    }
    drop(code = 1006) {
        const event = new Event('close') as Event & { code: number };
        event.code = code;
        this.dispatchEvent(event);
    }
}
const latest = () => FakeSocket.made[FakeSocket.made.length - 1]!;

const page = (since: number, sequence: number, epoch = EPOCH): ChangePage => ({
    kind: 'changes',
    epoch,
    since,
    sequence,
    more: false,
    at: '2026-01-01T10:00:00.000Z',
    upserts: [],
    removals: [],
    chat: [],
    freshness: { mode: 'live', windowMs: 250 }
});

/** Lets the mint promise and the listeners run. */
const settle = async () => {
    for (let i = 0; i < 5; i++) await Promise.resolve();
};

function setup(options: { mint?: () => Promise<LiveTokenGrant> } = {}) {
    const states: LiveSocketState[] = [];
    const pages: ChangePage[] = [];
    /** Where the console's snapshot is (none until the test says). */
    const position: { at?: { epoch: string; sequence: number } } = {};
    const violations = new EventTarget();
    let minted = 0;
    const socket = new LiveSocket({
        onPage: (received) => pages.push(received),
        position: () => position.at,
        onState: (state) => states.push(state),
        mint:
            options.mint ??
            (() =>
                Promise.resolve({
                    token: `lt1.token${++minted}.mac`,
                    url: URL_,
                    expiresAt: 0,
                    epoch: EPOCH
                })),
        webSocket: FakeSocket as unknown as typeof WebSocket,
        violations,
        random: () => 0.5,
        baseDelayMs: 1_000,
        maxDelayMs: 8_000
    });
    return { socket, states, pages, position, violations };
}

async function openReady(heartbeatMs = 15_000) {
    await settle();
    latest().open();
    latest().receive({ type: 'ready', epoch: EPOCH, heartbeatMs });
}

beforeEach(() => {
    jest.useFakeTimers();
    FakeSocket.made = [];
});
afterEach(() => jest.useRealTimers());

describe('c/liveSocket', () => {
    it('sends the minted token first, then hands the console its pages', async () => {
        const { socket, states, pages } = setup();
        socket.start();
        await openReady();
        expect(JSON.parse(latest().sent[0]!)).toEqual({ type: 'auth', token: 'lt1.token1.mac' });
        expect(latest().url).toBe(URL_);
        latest().receive({ type: 'changes', page: page(0, 1) });
        expect(pages).toEqual([page(0, 1)]);
        expect(states).toEqual(['connecting', 'open']);
        socket.stop();
        expect(latest().closedWith).toBe(1000);
    });

    it('backs off exponentially with jitter, capped, and a new token each time', async () => {
        expect([0, 1, 2, 3, 4, 10].map((n) => backoffDelay(n, () => 0.5, 1_000, 8_000))).toEqual([
            750, 1_500, 3_000, 6_000, 6_000, 6_000
        ]);
        expect(backoffDelay(3, () => 0, 1_000, 8_000)).toBe(4_000);
        expect(backoffDelay(3, () => 0.999999, 1_000, 8_000)).toBe(8_000);

        const { socket, states } = setup();
        socket.start();
        await openReady();
        latest().drop();
        expect(states.at(-1)).toBe('down');
        jest.advanceTimersByTime(749);
        expect(FakeSocket.made).toHaveLength(1);
        jest.advanceTimersByTime(1);
        await settle();
        expect(FakeSocket.made).toHaveLength(2);
        latest().drop(); // failed before it opened: the next wait is longer
        jest.advanceTimersByTime(1_499);
        await settle();
        expect(FakeSocket.made).toHaveLength(2);
        jest.advanceTimersByTime(1);
        await settle();
        expect(FakeSocket.made).toHaveLength(3);
        socket.stop();
    });

    it('counts a silent connection as dead after two missed heartbeats', async () => {
        const { socket, states } = setup();
        socket.start();
        await openReady(10_000);
        jest.advanceTimersByTime(20_999);
        latest().receive({ type: 'heartbeat', at: 1 });
        jest.advanceTimersByTime(20_999);
        expect(states.at(-1)).toBe('open');
        jest.advanceTimersByTime(1);
        expect(latest().closedWith).toBe(4000);
        expect(states.at(-1)).toBe('down');
        socket.stop();
    });

    it('resumes from where the console is: on opening, after each snapshot, after a reconnect', async () => {
        const { socket, position } = setup();
        const resumes = () =>
            latest()
                .sent.map((text) => JSON.parse(text) as { type: string })
                .filter((message) => message.type === 'resume');
        socket.start();
        await openReady();
        expect(resumes()).toEqual([]); // no snapshot yet: nothing to resume from
        socket.resume(EPOCH, 4); // the console's snapshot
        expect(resumes()).toEqual([{ type: 'resume', epoch: EPOCH, since: 4 }]);

        position.at = { epoch: EPOCH, sequence: 9 }; // moved on (through notifications) meanwhile
        latest().drop();
        jest.advanceTimersByTime(1_000);
        await openReady();
        expect(resumes()).toEqual([{ type: 'resume', epoch: EPOCH, since: 9 }]);
        socket.stop();
    });

    it('does not send a resume while the socket is not open', async () => {
        const { socket } = setup();
        socket.start();
        await settle();
        latest().open();
        socket.resume(EPOCH, 4); // before `ready`: the gateway would not take it yet
        expect(latest().sent.map((text) => (JSON.parse(text) as { type: string }).type)).toEqual([
            'auth'
        ]);
        socket.stop();
    });

    it('stops trying when the Content Security Policy blocks the gateway (Trusted URL inactive)', async () => {
        const { socket, states, violations } = setup();
        socket.start();
        await settle();
        latest().fail(); // Chromium reports the refusal as an error (and no close)…
        const report = new Event('securitypolicyviolation') as Event & Record<string, string>;
        Object.assign(report, {
            effectiveDirective: 'connect-src',
            violatedDirective: 'connect-src',
            blockedURI: 'wss://gateway.example.com/api/v1/live'
        });
        violations.dispatchEvent(report); // …and the policy names it
        expect(states).toEqual(['connecting', 'down', 'blocked']);
        jest.advanceTimersByTime(60_000);
        await settle();
        expect(FakeSocket.made).toHaveLength(1);
        socket.stop();
    });

    it('ignores violations of other directives and other origins', async () => {
        const { socket, states, violations } = setup();
        socket.start();
        await settle();
        for (const [directive, uri] of [
            ['img-src', URL_],
            ['connect-src', 'https://elsewhere.example.com/x']
        ]) {
            const report = new Event('securitypolicyviolation') as Event & Record<string, string>;
            Object.assign(report, { effectiveDirective: directive, blockedURI: uri });
            violations.dispatchEvent(report);
        }
        expect(states).toEqual(['connecting']);
        socket.stop();
    });

    it('does not reconnect a user whose access was revoked', async () => {
        const { socket, states } = setup();
        socket.start();
        await openReady();
        latest().drop(4403);
        expect(states.at(-1)).toBe('revoked');
        jest.advanceTimersByTime(60_000);
        await settle();
        expect(FakeSocket.made).toHaveLength(1);
    });

    it('falls back while no token can be minted, and retries', async () => {
        const mint = jest
            .fn<Promise<LiveTokenGrant>, []>()
            .mockRejectedValueOnce(new Error('unreachable'))
            .mockResolvedValue({ token: 't', url: URL_, expiresAt: 0, epoch: EPOCH });
        const { socket, states } = setup({ mint });
        socket.start();
        await settle();
        expect(states).toEqual(['connecting', 'down']);
        jest.advanceTimersByTime(750);
        await openReady();
        expect(states.at(-1)).toBe('open');
        socket.stop();
    });
});
