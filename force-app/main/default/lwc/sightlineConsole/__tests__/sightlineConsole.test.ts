import { createElement } from 'lwc';
import SightlineConsole from 'c/sightlineConsole';
import { subscribe, onError, unsubscribe } from 'lightning/empApi';
import getSnapshot from '@salesforce/apex/SightlineGatewayController.getSnapshot';
import pounce from '@salesforce/apex/SightlineGatewayController.pounce';
import SNAPSHOT from './data/snapshot.json';

jest.mock(
    '@salesforce/apex/SightlineGatewayController.getSnapshot',
    () => ({ default: jest.fn() }),
    { virtual: true }
);
jest.mock('@salesforce/apex/SightlineGatewayController.pounce', () => ({ default: jest.fn() }), {
    virtual: true
});
jest.mock(
    '@salesforce/apex/SightlineGatewayController.acceptChat',
    () => ({ default: jest.fn() }),
    { virtual: true }
);
jest.mock(
    '@salesforce/apex/SightlineGatewayController.getVisitorDetail',
    () => ({ default: jest.fn(() => new Promise(() => undefined)) }),
    { virtual: true }
);
jest.mock(
    '@salesforce/apex/SightlineGatewayController.sendMessage',
    () => ({ default: jest.fn() }),
    { virtual: true }
);
jest.mock(
    '@salesforce/apex/SightlineGatewayController.endConversation',
    () => ({ default: jest.fn() }),
    { virtual: true }
);
jest.mock(
    '@salesforce/apex/SightlineGatewayController.findLeadByEmail',
    () => ({ default: jest.fn() }),
    { virtual: true }
);
jest.mock('@salesforce/apex/SightlineGatewayController.linkLead', () => ({ default: jest.fn() }), {
    virtual: true
});

type Snapshot = typeof SNAPSHOT;
const mocked = (fn: unknown) => fn as jest.Mock;
const flush = async () => {
    for (let i = 0; i < 6; i++) await Promise.resolve();
};
const clone = (): Snapshot => JSON.parse(JSON.stringify(SNAPSHOT));

let onMessage: ((message: unknown) => void) | undefined;
let errorCallback: ((error: unknown) => void) | undefined;

function message(payload: unknown, kind = 'delta', sequence = 0) {
    return {
        channel: '/event/Visitor_Update__e',
        data: {
            schema: 's',
            payload: {
                Sequence__c: sequence,
                Audience__c: SNAPSHOT.user.id,
                Kind__c: kind,
                Payload__c: JSON.stringify(payload)
            },
            event: { replayId: 1, EventUuid: 'x' }
        }
    };
}

function delta(
    sequence: number,
    upserts: unknown[] = [],
    removals: string[] = [],
    extra: Record<string, unknown> = {}
) {
    return message({
        kind: 'delta',
        delta: { sequence, at: '2026-01-01T10:05:00.000Z', upserts, removals, ...extra }
    });
}

async function mount() {
    const element = createElement('c-sightline-console', { is: SightlineConsole });
    document.body.appendChild(element);
    await flush();
    return element;
}

const root = (el: HTMLElement) => el.shadowRoot!;
const board = (el: HTMLElement) =>
    root(el).querySelector('c-stream-board') as HTMLElement & {
        groups: { id: string; name: string; visitors: { id: string }[] }[];
    };
const freshness = (el: HTMLElement) =>
    root(el).querySelector('c-freshness-indicator') as HTMLElement & { state: string };
const groupIds = (groups: { id: string; visitors: { id: string }[] }[]) =>
    groups.map((g) => [g.id, g.visitors.map((v) => v.id)]);

describe('c-sightline-console', () => {
    beforeEach(() => {
        window.localStorage.clear();
        (globalThis as { fetch?: unknown }).fetch = jest.fn(() =>
            Promise.resolve({
                ok: true,
                json: () =>
                    Promise.resolve({
                        type: 'Topology',
                        arcs: [],
                        objects: { countries: { type: 'GeometryCollection', geometries: [] } }
                    })
            })
        );
        mocked(getSnapshot).mockResolvedValue(clone());
        mocked(subscribe).mockImplementation(
            (_channel: string, _replay: number, callback: (m: unknown) => void) => {
                onMessage = callback;
                return Promise.resolve({ id: 'sub', channel: _channel, replayId: -1 });
            }
        );
        mocked(onError).mockImplementation((callback: (e: unknown) => void) => {
            errorCallback = callback;
        });
    });

    afterEach(() => {
        while (document.body.firstChild) document.body.removeChild(document.body.firstChild);
        jest.clearAllMocks();
        jest.useRealTimers();
    });

    it('shows a column per stream in priority order, active visitors only, and says it is live', async () => {
        const el = await mount();
        expect(subscribe).toHaveBeenCalledWith(
            '/event/Visitor_Update__e',
            -1,
            expect.any(Function)
        );
        const groups = board(el).groups;
        expect(groups.map((g) => g.name)).toEqual([
            'Target Account',
            'Open Opportunity',
            'Paid Advertising',
            'Pricing Page'
        ]);
        expect(groupIds(groups)).toEqual([
            ['s-target', ['sess-1', 'sess-2']],
            ['s-opp', ['sess-3']],
            ['s-paid', []],
            ['s-pricing', []]
        ]);
        expect(root(el).querySelector('[data-id="summary"]')!.textContent).toBe(
            '3 visitors routed to you · 1 idle hidden'
        );
        expect(freshness(el).state).toBe('live');
    });

    it('shows idle visitors when the gear menu says so', async () => {
        const el = await mount();
        const menu = root(el).querySelector('lightning-button-menu')!;
        menu.dispatchEvent(new CustomEvent('select', { detail: { value: 'idle' } }));
        await flush();
        expect(groupIds(board(el).groups)[3]).toEqual(['s-pricing', ['sess-4']]);
        expect(root(el).querySelector('[data-id="summary"]')!.textContent).toBe(
            '4 visitors routed to you'
        );
    });

    it('applies deltas in order: a card enters, moves stream and leaves, the others stay the same objects', async () => {
        const el = await mount();
        const before = board(el).groups[0]!.visitors[0];
        const moved = { ...clone().visitors[2]!, streamId: 's-paid' };
        const entered = {
            ...clone().visitors[0]!,
            id: 'sess-9',
            displayName: 'New Person',
            startedAt: '2026-01-01T10:05:00.000Z'
        };
        onMessage!(delta(11, [moved, entered], ['sess-2']));
        await flush();
        const groups = board(el).groups;
        expect(groupIds(groups)).toEqual([
            ['s-target', ['sess-1', 'sess-9']],
            ['s-opp', []],
            ['s-paid', ['sess-3']],
            ['s-pricing', []]
        ]);
        expect(groups[0]!.visitors[0]).toBe(before);
        // A replay of an old delta changes nothing.
        onMessage!(delta(11, [], ['sess-1']));
        await flush();
        expect(board(el).groups[0]!.visitors.map((v) => v.id)).toEqual(['sess-1', 'sess-9']);
        expect(getSnapshot).toHaveBeenCalledTimes(1);
    });

    it('takes a new snapshot on a sequence gap and on a stream change', async () => {
        const el = await mount();
        const later = clone();
        later.sequence = 20;
        later.visitors = later.visitors.slice(0, 1);
        mocked(getSnapshot).mockResolvedValueOnce(later);
        onMessage!(delta(13));
        await flush();
        expect(getSnapshot).toHaveBeenCalledTimes(2);
        expect(groupIds(board(el).groups)[0]).toEqual(['s-target', ['sess-1']]);

        onMessage!(delta(21, [], [], { streamsChanged: true }));
        await flush();
        expect(getSnapshot).toHaveBeenCalledTimes(3);
    });

    it('never shows a lost connection as live: reconnecting, then resubscribes with backoff and re-snapshots', async () => {
        jest.useFakeTimers();
        const el = createElement('c-sightline-console', { is: SightlineConsole });
        document.body.appendChild(el);
        await flush();
        expect(freshness(el).state).toBe('live');

        errorCallback!({ error: 'Connection lost' });
        await flush();
        expect(freshness(el).state).toBe('reconnecting');

        jest.advanceTimersByTime(1300);
        await flush();
        await flush();
        expect(unsubscribe).toHaveBeenCalled();
        expect(subscribe).toHaveBeenCalledTimes(2);
        expect(getSnapshot).toHaveBeenCalledTimes(2);
        expect(freshness(el).state).toBe('live');
    });

    it('checks a silent connection against the gateway and catches up when it moved on', async () => {
        jest.useFakeTimers();
        const el = createElement('c-sightline-console', { is: SightlineConsole });
        document.body.appendChild(el);
        await flush();
        const moved = clone();
        moved.sequence = 15;
        mocked(getSnapshot).mockResolvedValue(moved);
        jest.advanceTimersByTime(50000);
        await flush();
        await flush();
        expect(
            getSnapshot.mock?.calls.length ?? mocked(getSnapshot).mock.calls.length
        ).toBeGreaterThanOrEqual(2);
        expect(subscribe).toHaveBeenCalledTimes(2);
        expect(freshness(el).state).toBe('live');
    });

    it('says when the gateway batches updates (throttled)', async () => {
        const throttled = clone();
        throttled.freshness = { mode: 'throttled', windowMs: 30000 };
        mocked(getSnapshot).mockResolvedValue(throttled);
        const el = await mount();
        expect(freshness(el).state).toBe('throttled');
    });

    it('switches views without changing the segmentation, and remembers the view per user', async () => {
        const el = await mount();
        const liveGroups = groupIds(board(el).groups);
        const listButton = root(el).querySelector('[data-view="list"]') as HTMLElement;
        listButton.click();
        await flush();
        const list = root(el).querySelector('c-visitor-list') as HTMLElement & {
            groups: { id: string; visitors: { id: string }[] }[];
        };
        expect(groupIds(list.groups)).toEqual(liveGroups);
        expect(
            Object.keys(window.localStorage).some(
                (k) => k.endsWith(':view') && window.localStorage.getItem(k) === 'list'
            )
        ).toBe(true);

        (root(el).querySelector('[data-view="map"]') as HTMLElement).click();
        await flush();
        const map = root(el).querySelector('c-visitor-map') as HTMLElement & {
            visitors: { id: string }[];
        };
        expect(map.visitors.map((v) => v.id).sort()).toEqual(['sess-1', 'sess-2', 'sess-3']);

        document.body.removeChild(el);
        const again = await mount();
        expect(root(again).querySelector('c-visitor-map')).not.toBeNull();
    });

    it('shows who is engaging when a pounce loses the race', async () => {
        const el = await mount();
        mocked(pounce).mockResolvedValue({
            ok: false,
            engagedBy: { id: '005000000000009AAA', name: 'Emma Lindqvist' },
            message: 'Emma Lindqvist is already engaging this visitor.'
        });
        const toast = jest.fn();
        el.addEventListener('lightning__showtoast', toast);
        board(el).dispatchEvent(new CustomEvent('pounce', { detail: 'sess-1' }));
        await flush();
        expect(pounce).toHaveBeenCalledWith({ visitorId: 'sess-1' });
        expect(toast).toHaveBeenCalled();
        expect(toast.mock.calls[0][0].detail.title).toBe('Emma Lindqvist is engaging');
        const card = board(el).groups[0]!.visitors[0] as unknown as {
            engagedBy?: { name: string };
        };
        expect(card.engagedBy?.name).toBe('Emma Lindqvist');
        expect(root(el).querySelector('c-visitor-console')).toBeNull();
    });

    it('opens the Visitor 360 when a pounce wins or a card is opened', async () => {
        const el = await mount();
        mocked(pounce).mockResolvedValue({ ok: true, conversationId: 'conv-1' });
        board(el).dispatchEvent(new CustomEvent('pounce', { detail: 'sess-3' }));
        await flush();
        const panel = root(el).querySelector('c-visitor-console') as HTMLElement & {
            visitorId: string;
            streamName: string;
        };
        expect(panel.visitorId).toBe('sess-3');
        expect(panel.streamName).toBe('Open Opportunity');
        panel.dispatchEvent(new CustomEvent('close'));
        await flush();
        expect(root(el).querySelector('c-visitor-console')).toBeNull();
    });

    it('renders 500 visitors', async () => {
        const big = clone();
        const template = big.visitors[0]!;
        big.visitors = Array.from({ length: 500 }, (_, i) => ({
            ...template,
            id: `sess-b${i}`,
            streamId: big.streams[i % 4]!.id,
            startedAt: new Date(Date.UTC(2026, 0, 1, 10, 0, i % 60)).toISOString()
        }));
        mocked(getSnapshot).mockResolvedValue(big);
        const el = await mount();
        expect(board(el).groups.reduce((n, g) => n + g.visitors.length, 0)).toBe(500);
        expect(root(el).querySelector('[data-id="summary"]')!.textContent).toBe(
            '500 visitors routed to you'
        );
    });

    it('says what went wrong when the snapshot cannot be loaded', async () => {
        mocked(getSnapshot).mockRejectedValue({ body: { message: 'Gateway unreachable' } });
        const el = await mount();
        expect(root(el).querySelector('[data-id="error"]')!.textContent).toContain(
            'Gateway unreachable'
        );
        expect(freshness(el).state).toBe('reconnecting');
    });
});
