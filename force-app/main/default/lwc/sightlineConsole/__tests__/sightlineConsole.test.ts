import { createElement } from 'lwc';
import SightlineConsole from 'c/sightlineConsole';
import { subscribe, onError, unsubscribe } from 'lightning/empApi';
import getSnapshot from '@salesforce/apex/SightlineGatewayController.getSnapshot';
import getChanges from '@salesforce/apex/SightlineGatewayController.getChanges';
import pounce from '@salesforce/apex/SightlineGatewayController.pounce';
import mintLiveToken from '@salesforce/apex/SightlineGatewayController.mintLiveToken';
import type { ChangePage, ConsoleSnapshot } from '../../sightlineLive/liveContract';
import SNAPSHOT from './data/snapshot.json';

jest.mock(
    '@salesforce/apex/SightlineGatewayController.getSnapshot',
    () => ({ default: jest.fn() }),
    { virtual: true }
);
jest.mock(
    '@salesforce/apex/SightlineGatewayController.getChanges',
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
// No direct socket unless a test opens one: the console then goes live through events.
jest.mock(
    '@salesforce/apex/SightlineGatewayController.mintLiveToken',
    () => ({ default: jest.fn(() => Promise.reject(new Error('no socket'))) }),
    { virtual: true }
);

type Snapshot = ConsoleSnapshot;
const mocked = (fn: unknown) => fn as jest.Mock;
const flush = async () => {
    for (let i = 0; i < 20; i++) await Promise.resolve();
};
const clone = (): Snapshot => JSON.parse(JSON.stringify(SNAPSHOT));

let onMessage: ((message: unknown) => void) | undefined;
let errorCallback: ((error: unknown) => void) | undefined;

/** A `Visitor_Update__e` event as the platform delivers it: who, which run, which sequence — nothing else. */
function notification(
    sequence: number,
    { epoch = SNAPSHOT.epoch, kind = 'delta', audience = SNAPSHOT.user.id } = {}
) {
    return {
        channel: '/event/Visitor_Update__e',
        data: {
            schema: 's',
            payload: {
                Audience__c: audience,
                Epoch__c: epoch,
                Sequence__c: sequence,
                Kind__c: kind
            },
            event: { replayId: 1, EventUuid: 'x' }
        }
    };
}

/** The gateway's answer to the console's next getChanges. */
function nextChanges(sequence: number, upserts: unknown[] = [], removals: string[] = []) {
    mocked(getChanges).mockImplementationOnce(
        async ({ epoch, since }: { epoch: string; since: number }): Promise<ChangePage> => ({
            kind: 'changes',
            epoch,
            since,
            sequence,
            more: false,
            at: '2026-01-01T10:05:00.000Z',
            upserts: upserts as ChangePage extends { upserts: infer U } ? U : never,
            removals,
            chat: [],
            freshness: { mode: 'live', windowMs: 250 }
        })
    );
}

/** Changes at the gateway, and the notification that makes the console fetch them. */
function delta(
    sequence: number,
    upserts: unknown[] = [],
    removals: string[] = [],
    epoch = SNAPSHOT.epoch
) {
    nextChanges(sequence, upserts, removals);
    return notification(sequence, { epoch });
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
    root(el).querySelector('c-freshness-indicator') as HTMLElement & { state: string; via: string };
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
        mocked(getChanges).mockReset();
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

    it('an admin sees the same visitors in Live, List, Map and the count: none in no stream', async () => {
        const snapshot = clone();
        snapshot.user.isAdmin = true;
        snapshot.visitors.push({ ...snapshot.visitors[0]!, id: 'sess-nostream', streamId: '' });
        mocked(getSnapshot).mockResolvedValue(snapshot);
        const el = await mount();
        const live = board(el).groups.flatMap((g) => g.visitors.map((v) => v.id));
        const buttons = () =>
            [...root(el).querySelectorAll('[data-id="view-button"]')] as HTMLElement[];
        buttons()
            .find((b) => b.dataset.view === 'list')!
            .click();
        await flush();
        const list = (
            root(el).querySelector('c-visitor-list') as HTMLElement & {
                groups: { visitors: { id: string }[] }[];
            }
        ).groups.flatMap((g) => g.visitors.map((v) => v.id));
        buttons()
            .find((b) => b.dataset.view === 'map')!
            .click();
        await flush();
        const map = (
            root(el).querySelector('c-visitor-map') as HTMLElement & { visitors: { id: string }[] }
        ).visitors.map((v) => v.id);
        expect(live.sort()).toEqual(['sess-1', 'sess-2', 'sess-3']);
        expect(list.sort()).toEqual(live);
        expect(map.sort()).toEqual(live);
        expect(root(el).querySelector('[data-id="summary"]')!.textContent).toMatch(
            /^3 visitors in all streams/
        );
    });

    it('shows a rep their availability in the header, with conversations counted from the cards; an admin who is no rep sees none', async () => {
        const snapshot = clone();
        snapshot.user.availability = {
            status: 'offline',
            capacity: 3,
            activeConversations: 0
        };
        snapshot.visitors[0]!.engagedBy = {
            id: snapshot.user.id,
            name: snapshot.user.name
        } as never;
        mocked(getSnapshot).mockResolvedValue(snapshot);
        const el = await mount();
        const control = root(el).querySelector('c-rep-availability') as HTMLElement & {
            availability: unknown;
        };
        expect(control.availability).toEqual({
            status: 'offline',
            capacity: 3,
            activeConversations: 1
        });
        document.body.removeChild(el);
        mocked(getSnapshot).mockResolvedValue(clone());
        const admin = await mount();
        expect(root(admin).querySelector('c-rep-availability')).toBeNull();
    });

    it('keeps the status a rep chose when the next live update re-renders the header', async () => {
        const snapshot = clone();
        snapshot.user.availability = {
            status: 'available',
            capacity: 3,
            activeConversations: 0
        };
        mocked(getSnapshot).mockResolvedValue(snapshot);
        const el = await mount();
        const control = () =>
            root(el).querySelector('c-rep-availability') as HTMLElement & {
                availability: { status: string };
            };
        control().dispatchEvent(
            new CustomEvent('availabilitychange', {
                detail: { status: 'away', capacity: 3, activeConversations: 0 }
            })
        );
        onMessage!(delta(snapshot.sequence + 1, [{ ...snapshot.visitors[0], pageCount: 9 }]));
        await flush();
        expect(control().availability.status).toBe('away');
    });

    it('moves to the filtered channel the snapshot names, and a notification there reaches the card', async () => {
        const own = `/event/Sightline_${SNAPSHOT.user.id}__chn`;
        const snapshot = clone();
        mocked(getSnapshot).mockResolvedValue({ ...snapshot, channel: own });
        const el = await mount();
        expect(mocked(subscribe).mock.calls.map((call) => call[0])).toEqual([
            '/event/Visitor_Update__e',
            own
        ]);
        // The raw subscription is let go once the rep's own channel holds.
        expect(mocked(unsubscribe).mock.calls.map((call) => call[0].channel)).toEqual([
            '/event/Visitor_Update__e'
        ]);
        onMessage!(delta(snapshot.sequence + 1, [{ ...snapshot.visitors[0], pageCount: 9 }]));
        await flush();
        expect(getChanges).toHaveBeenCalledTimes(1);
        const shown = board(el)
            .groups.flatMap((g) => g.visitors as { id: string; pageCount?: number }[])
            .find((v) => v.id === snapshot.visitors[0]!.id);
        expect(shown?.pageCount).toBe(9);
        expect(freshness(el).state).toBe('live');

        // A change page says the gateway moved this rep (to a shared channel): it follows.
        const shared = '/event/Sightline_Shared_2__chn';
        mocked(getChanges).mockResolvedValueOnce({
            kind: 'changes',
            epoch: snapshot.epoch,
            since: snapshot.sequence + 1,
            sequence: snapshot.sequence + 2,
            more: false,
            at: new Date().toISOString(),
            upserts: [],
            removals: [],
            chat: [],
            freshness: snapshot.freshness,
            channel: shared
        } as ChangePage);
        onMessage!(notification(snapshot.sequence + 2));
        await flush();
        expect(mocked(subscribe).mock.calls.map((call) => call[0])).toEqual([
            '/event/Visitor_Update__e',
            own,
            shared
        ]);
    });

    it('filters to visitors ready to pounce from the gear menu, in the count too', async () => {
        const snapshot = clone();
        snapshot.visitors[2]!.pounce = { ready: true, checks: [] };
        mocked(getSnapshot).mockResolvedValue(snapshot);
        const el = await mount();
        const menu = root(el).querySelector('lightning-button-menu')!;
        menu.dispatchEvent(new CustomEvent('select', { detail: { value: 'ready' } }));
        await flush();
        expect(groupIds(board(el).groups).filter(([, v]) => (v as string[]).length)).toEqual([
            ['s-opp', ['sess-3']]
        ]);
        expect(root(el).querySelector('[data-id="summary"]')!.textContent).toBe(
            '1 visitor routed to you · 1 idle hidden · 2 not ready hidden'
        );
    });

    it('fetches its changes on a notification: a card enters, moves stream and leaves, the others stay the same objects', async () => {
        // One visitor per account here: a buying committee's cards change when a member comes or goes.
        const snapshot = clone();
        for (const v of snapshot.visitors.slice(1)) v.salesforce = {} as typeof v.salesforce;
        mocked(getSnapshot).mockResolvedValue(snapshot);
        const el = await mount();
        const before = board(el).groups[0]!.visitors[0];
        const moved = { ...snapshot.visitors[2]!, streamId: 's-paid' };
        const entered = {
            ...clone().visitors[0]!,
            id: 'sess-9',
            displayName: 'New Person',
            startedAt: '2026-01-01T10:05:00.000Z',
            // From no account: joining the fixture's account would change sess-1's buying committee.
            salesforce: {}
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
        // A replayed notification, or another user's, fetches nothing.
        onMessage!(notification(11));
        onMessage!(notification(40, { audience: '005000000000099AAA' }));
        await flush();
        expect(board(el).groups[0]!.visitors.map((v) => v.id)).toEqual(['sess-1', 'sess-9']);
        expect(getChanges).toHaveBeenCalledTimes(1);
        expect(getSnapshot).toHaveBeenCalledTimes(1);
    });

    it('prefers the direct socket: drops the event subscription, resumes from its snapshot, applies pushed pages, falls back to notifications when it drops', async () => {
        const sockets: FakeSocket[] = [];
        class FakeSocket extends EventTarget {
            sent: string[] = [];
            constructor(readonly url: string) {
                super();
                sockets.push(this);
            }
            send(text: string) {
                this.sent.push(text);
            }
            close() {}
            push(message: unknown) {
                const event = new Event('message') as Event & { data: string };
                event.data = JSON.stringify(message);
                this.dispatchEvent(event);
            }
        }
        const realWebSocket = globalThis.WebSocket;
        globalThis.WebSocket = FakeSocket as unknown as typeof WebSocket;
        mocked(mintLiveToken).mockResolvedValueOnce({
            token: 'lt1.t.m',
            url: 'wss://gateway.example.com/api/v1/live',
            expiresAt: 0,
            epoch: SNAPSHOT.epoch
        });
        try {
            const el = await mount();
            const socket = sockets[0]!;
            socket.dispatchEvent(new Event('open'));
            expect(JSON.parse(socket.sent[0]!)).toEqual({ type: 'auth', token: 'lt1.t.m' });
            socket.push({ type: 'ready', epoch: SNAPSHOT.epoch, heartbeatMs: 15_000 });
            await flush();
            const indicator = freshness(el);
            expect(indicator.via).toBe('socket');
            expect(indicator.state).toBe('live');
            expect(unsubscribe).toHaveBeenCalled();

            expect(JSON.parse(socket.sent[1]!)).toEqual({
                type: 'resume',
                epoch: SNAPSHOT.epoch,
                since: SNAPSHOT.sequence
            });

            const arrival = { ...clone().visitors[0]!, id: 'sess-socket' };
            const page: ChangePage = {
                kind: 'changes',
                epoch: SNAPSHOT.epoch,
                since: SNAPSHOT.sequence,
                sequence: SNAPSHOT.sequence + 1,
                more: false,
                at: '2026-01-01T10:05:00.000Z',
                upserts: [arrival],
                removals: [],
                chat: [],
                freshness: { mode: 'live', windowMs: 250 }
            };
            socket.push({ type: 'changes', page });
            await flush();
            expect(board(el).groups[0]!.visitors.map((v) => v.id)).toContain('sess-socket');

            mocked(subscribe).mockClear();
            nextChanges(SNAPSHOT.sequence + 1);
            const close = new Event('close') as Event & { code: number };
            close.code = 1006;
            socket.dispatchEvent(close);
            await flush();
            expect(indicator.via).toBe('events');
            expect(subscribe).toHaveBeenCalledWith(
                '/event/Visitor_Update__e',
                -1,
                expect.any(Function)
            );
            // What the socket did not push is fetched, from where the pages left off.
            expect(getChanges).toHaveBeenCalledWith({
                epoch: SNAPSHOT.epoch,
                since: SNAPSHOT.sequence + 1
            });
        } finally {
            globalThis.WebSocket = realWebSocket;
        }
    });

    it('takes a new snapshot when the gateway says so: a log it no longer keeps, a stream change', async () => {
        const el = await mount();
        const later = clone();
        later.sequence = 20;
        later.visitors = later.visitors.slice(0, 1);
        mocked(getSnapshot).mockResolvedValueOnce(later);
        mocked(getChanges).mockResolvedValueOnce({
            kind: 'resnapshot',
            epoch: SNAPSHOT.epoch,
            reason: 'too-old'
        });
        onMessage!(notification(13));
        await flush();
        expect(getSnapshot).toHaveBeenCalledTimes(2);
        expect(groupIds(board(el).groups)[0]).toEqual(['s-target', ['sess-1']]);

        mocked(getChanges).mockResolvedValueOnce({
            kind: 'resnapshot',
            epoch: SNAPSHOT.epoch,
            reason: 'streams'
        });
        onMessage!(notification(21));
        await flush();
        expect(getSnapshot).toHaveBeenCalledTimes(3);
    });

    it('a restarted gateway (new epoch) is never shown as Live: it re-snapshots at once and ignores the old run', async () => {
        const el = await mount();
        expect(freshness(el).state).toBe('live');
        const NEW_EPOCH = '1767265200000-99887766';
        const restarted = clone();
        restarted.epoch = NEW_EPOCH;
        restarted.sequence = 2;
        restarted.visitors = restarted.visitors.slice(0, 1);
        let answer: (value: Snapshot) => void = () => undefined;
        mocked(getSnapshot).mockReturnValueOnce(
            new Promise<Snapshot>((resolve) => (answer = resolve))
        );
        // Sequence 1 of the new run is lower than ours (10): only the epoch tells.
        onMessage!(notification(1, { epoch: NEW_EPOCH }));
        await flush();
        expect(getSnapshot).toHaveBeenCalledTimes(2);
        expect(freshness(el).state).toBe('catching-up');

        answer(restarted);
        await flush();
        expect(freshness(el).state).toBe('live');
        expect(groupIds(board(el).groups)[0]).toEqual(['s-target', ['sess-1']]);

        // A leftover of the old run changes nothing, fetches nothing, takes no snapshot.
        onMessage!(notification(11, { epoch: SNAPSHOT.epoch }));
        await flush();
        expect(groupIds(board(el).groups)[0]).toEqual(['s-target', ['sess-1']]);
        expect(getSnapshot).toHaveBeenCalledTimes(2);
        expect(getChanges).not.toHaveBeenCalled();

        // The new run's next changes apply.
        onMessage!(delta(3, [], ['sess-1'], NEW_EPOCH));
        await flush();
        expect(groupIds(board(el).groups)[0]).toEqual(['s-target', []]);
        expect(freshness(el).state).toBe('live');
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

    it('a silent connection whose gateway restarted (new epoch, lower sequence) catches up', async () => {
        jest.useFakeTimers();
        const el = createElement('c-sightline-console', { is: SightlineConsole });
        document.body.appendChild(el);
        await flush();
        const restarted = clone();
        restarted.epoch = '1767265200000-99887766';
        restarted.sequence = 1;
        mocked(getSnapshot).mockResolvedValue(restarted);
        mocked(getChanges).mockResolvedValueOnce({
            kind: 'resnapshot',
            epoch: restarted.epoch,
            reason: 'epoch'
        });
        jest.advanceTimersByTime(50000);
        await flush();
        await flush();
        expect(getChanges).toHaveBeenCalledTimes(1);
        expect(getSnapshot).toHaveBeenCalledTimes(2);
        expect(freshness(el).state).toBe('live');
    });

    it('checks a silent connection against the gateway and catches up when it moved on', async () => {
        jest.useFakeTimers();
        const el = createElement('c-sightline-console', { is: SightlineConsole });
        document.body.appendChild(el);
        await flush();
        // Changes were made that no notification announced: the subscription is dead.
        nextChanges(15);
        jest.advanceTimersByTime(50000);
        await flush();
        await flush();
        expect(getChanges).toHaveBeenCalledWith({ epoch: SNAPSHOT.epoch, since: 10 });
        expect(mocked(getSnapshot).mock.calls.length).toBeGreaterThanOrEqual(2);
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
        // A won pounce: the panel puts focus in the message box, not on its heading.
        expect((panel as unknown as { initialFocus: string }).initialFocus).toBe('composer');
        panel.dispatchEvent(new CustomEvent('close'));
        await flush();
        expect(root(el).querySelector('c-visitor-console')).toBeNull();
    });

    const focusedCard = (el: HTMLElement) =>
        (board(el).shadowRoot!.activeElement as HTMLElement | null)?.dataset.visitorId;

    it('returns focus to the card that opened the 360, or to the next card when it has gone', async () => {
        const el = await mount();
        board(el).dispatchEvent(new CustomEvent('open', { detail: 'sess-1' }));
        await flush();
        let panel = root(el).querySelector('c-visitor-console') as HTMLElement & {
            initialFocus: string;
        };
        expect(panel.initialFocus).toBe('heading');
        panel.dispatchEvent(new CustomEvent('close'));
        await flush();
        expect(focusedCard(el)).toBe('sess-1');

        board(el).dispatchEvent(new CustomEvent('open', { detail: 'sess-1' }));
        await flush();
        (document.activeElement as HTMLElement | null)?.blur();
        onMessage!(delta(11, [], ['sess-1']));
        await flush();
        panel = root(el).querySelector('c-visitor-console') as typeof panel;
        panel.dispatchEvent(new CustomEvent('close'));
        await flush();
        expect(focusedCard(el)).toBe('sess-2');
    });

    it('announces arrivals and departures politely, throttled, and each chat request once, assertively', async () => {
        jest.useFakeTimers({ doNotFake: ['queueMicrotask', 'nextTick'] });
        jest.setSystemTime(new Date('2026-01-01T10:05:00.000Z'));
        const el = await mount();
        const polite = () =>
            root(el).querySelector('[data-id="announce-polite"]')!.textContent!.trim();
        const assertive = () =>
            root(el).querySelector('[data-id="announce-assertive"]')!.textContent!.trim();
        expect(polite()).toBe('');
        const entered = (id: string) => ({ ...clone().visitors[0]!, id });
        onMessage!(delta(11, [entered('sess-8')]));
        await flush();
        expect(polite()).toBe('1 visitor arrived');
        // Within the interval, changes are summed and said together later.
        onMessage!(delta(12, [entered('sess-9')], ['sess-2']));
        onMessage!(delta(13, [entered('sess-10')]));
        await flush();
        expect(polite()).toBe('1 visitor arrived');
        jest.advanceTimersByTime(10000);
        await flush();
        expect(polite()).toBe('2 visitors arrived, 1 visitor left');

        const asking = {
            ...clone().visitors[2]!,
            chat: { state: 'requested', deadline: '2026-01-01T10:05:40.000Z', secondsTotal: 30 }
        };
        jest.setSystemTime(new Date('2026-01-01T10:05:10.000Z'));
        onMessage!(delta(14, [asking]));
        await flush();
        expect(assertive()).toBe(
            `${asking.displayName} asks to chat: 30 seconds to answer. Start a conversation from the card.`
        );
        // The same request in a later delta is not said again.
        root(el).querySelector('[data-id="announce-assertive"]')!.textContent = '';
        onMessage!(delta(15, [{ ...asking, pageCount: 9 }]));
        await flush();
        expect(assertive()).toBe('');
    });

    it('lists the keyboard shortcuts in its help, and the gear menu says how to reach its items', async () => {
        const el = await mount();
        expect(root(el).querySelector('[data-id="help"]')).toBeNull();
        root(el).querySelector('[data-id="help-button"]')!.dispatchEvent(new CustomEvent('click'));
        await flush();
        const help = root(el).querySelector('[data-id="help"]')!;
        expect(help.textContent).toContain('Next / previous visitor in the stream');
        expect(help.textContent).toContain('Close the Visitor 360');
        expect(help.textContent).toContain('arrow keys move between its items');
        expect(root(el).querySelector('[data-id="settings"]')!.getAttribute('title')).toContain(
            'arrow keys'
        );
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
