import { LiveFeed, type FeedListener, type FeedSource } from 'c/liveFeed';
import type {
    ChangePage,
    Changes,
    ChatChange,
    ConsoleSnapshot,
    VisitorCard
} from 'c/sightlineLive';

const ME = '005000000000007AAA';
const OTHER = '005000000000008AAA';
const EPOCH = '1767261600000-0a1b2c3d';
const NEWER = '1767265200000-00000000';

function card(id: string, path = '/'): VisitorCard {
    return { id, currentPage: { path } } as unknown as VisitorCard;
}

function snapshot(
    visitors: VisitorCard[],
    sequence: number,
    more = false,
    epoch = EPOCH
): ConsoleSnapshot {
    return {
        user: { id: ME, name: 'Aiko Tanaka', isAdmin: false },
        streams: [],
        visitors,
        more,
        epoch,
        sequence,
        generatedAt: '2026-01-01T10:00:00.000Z',
        freshness: { mode: 'live', windowMs: 250 }
    };
}

function changes(since: number, sequence: number, extra: Partial<Changes> = {}): Changes {
    return {
        kind: 'changes',
        epoch: EPOCH,
        since,
        sequence,
        more: false,
        at: '2026-01-01T10:00:01.000Z',
        upserts: [],
        removals: [],
        chat: [],
        freshness: { mode: 'live', windowMs: 250 },
        ...extra
    };
}

/** A deferred answer the test resolves when it chooses. */
function deferred<T>() {
    let resolve!: (value: T) => void;
    const promise = new Promise<T>((r) => (resolve = r));
    return { promise, resolve };
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

function harness(answers: {
    snapshots: (page: number) => Promise<ConsoleSnapshot>;
    changes: (epoch: string, since: number) => Promise<ChangePage>;
}) {
    const source: FeedSource = {
        snapshot: jest.fn(answers.snapshots),
        changes: jest.fn(answers.changes)
    };
    const heard: {
        snapshots: ConsoleSnapshot[];
        changed: ConsoleSnapshot[];
        chat: ChatChange[];
        stale: number;
        failed: unknown[];
    } = {
        snapshots: [],
        changed: [],
        chat: [],
        stale: 0,
        failed: []
    };
    const listener: FeedListener = {
        snapshot: (s) => heard.snapshots.push(s),
        changed: (s) => heard.changed.push(s),
        chat: (c) => heard.chat.push(c),
        stale: () => heard.stale++,
        failed: (e) => heard.failed.push(e)
    };
    return { feed: new LiveFeed(source, listener), source, heard };
}

describe('c/liveFeed', () => {
    it('assembles a snapshot of several pages, then fetches what changed between them', async () => {
        const { feed, source, heard } = harness({
            snapshots: async (page) =>
                page === 0
                    ? snapshot([card('a'), card('b')], 5, true)
                    : snapshot([card('c')], 5, false),
            changes: async (_epoch, since) =>
                changes(since, 7, { removals: ['b'], upserts: [card('d')] })
        });
        await feed.resnapshot();
        expect(heard.snapshots[0]!.visitors.map((c) => c.id)).toEqual(['a', 'b', 'c']);
        expect(source.changes).toHaveBeenCalledWith(EPOCH, 5);
        expect(feed.snapshot!.visitors.map((c) => c.id)).toEqual(['a', 'c', 'd']);
        expect(feed.snapshot!.sequence).toBe(7);
        expect(feed.snapshot!.more).toBe(false);
    });

    it("ignores other users' notifications and ones it is already past", async () => {
        const { feed, source } = harness({
            snapshots: async () => snapshot([card('a')], 5),
            changes: async (_e, since) => changes(since, 6)
        });
        await feed.resnapshot();
        feed.notified({ audience: OTHER, epoch: EPOCH, sequence: 99, kind: 'delta' });
        feed.notified({ audience: ME, epoch: EPOCH, sequence: 5, kind: 'delta' });
        await settle();
        expect(source.changes).not.toHaveBeenCalled();
        feed.notified({ audience: ME, epoch: EPOCH, sequence: 6, kind: 'chat' });
        await settle();
        expect(source.changes).toHaveBeenCalledTimes(1);
    });

    it('fetches until `more` is false, and passes chat changes on', async () => {
        const hello: ChatChange = {
            conversationId: 'c1',
            message: { id: 'm1', sender: 'Visitor', senderName: 'Ana', body: 'Hi', sentAt: '' }
        };
        const { feed, source, heard } = harness({
            snapshots: async () => snapshot([], 0),
            changes: async (_e, since) =>
                since === 0
                    ? changes(0, 200, { more: true, upserts: [card('a')] })
                    : changes(since, 201, { upserts: [card('b')], chat: [hello] })
        });
        await feed.resnapshot();
        await feed.catchUp();
        expect(source.changes).toHaveBeenCalledTimes(2);
        expect(feed.snapshot!.visitors.map((c) => c.id)).toEqual(['a', 'b']);
        expect(heard.chat).toEqual([hello]);
    });

    it('coalesces notifications that arrive while a fetch runs into one more fetch', async () => {
        const answers: ReturnType<typeof deferred<ChangePage>>[] = [];
        const { feed, source } = harness({
            snapshots: async () => snapshot([], 1),
            changes: () => {
                const answer = deferred<ChangePage>();
                answers.push(answer);
                return answer.promise;
            }
        });
        await feed.resnapshot();
        feed.notified({ audience: ME, epoch: EPOCH, sequence: 2, kind: 'delta' });
        for (let s = 3; s < 10; s++)
            feed.notified({ audience: ME, epoch: EPOCH, sequence: s, kind: 'delta' });
        expect(source.changes).toHaveBeenCalledTimes(1);
        answers[0]!.resolve(changes(1, 2));
        await settle();
        expect(source.changes).toHaveBeenCalledTimes(2);
        expect(source.changes).toHaveBeenLastCalledWith(EPOCH, 2);
        answers[1]!.resolve(changes(2, 9));
        await settle();
        expect(source.changes).toHaveBeenCalledTimes(2);
        expect(feed.snapshot!.sequence).toBe(9);
    });

    it('a newer epoch is stale at once and re-snapshots; an older one is ignored', async () => {
        let epoch = EPOCH;
        const { feed, source, heard } = harness({
            snapshots: async () => snapshot([card('a')], 4, false, epoch),
            changes: async (_e, since) => changes(since, since)
        });
        await feed.resnapshot();
        feed.notified({
            audience: ME,
            epoch: '1700000000000-00000000',
            sequence: 50,
            kind: 'delta'
        });
        await settle();
        expect(heard.stale).toBe(0);
        epoch = NEWER;
        feed.notified({ audience: ME, epoch: NEWER, sequence: 1, kind: 'delta' });
        expect(heard.stale).toBe(1);
        await settle();
        expect(feed.snapshot!.epoch).toBe(NEWER);
        expect(source.snapshot).toHaveBeenCalledTimes(2);
    });

    it('a "resnapshot" answer takes a new snapshot', async () => {
        let sequence = 3;
        const { feed, source, heard } = harness({
            snapshots: async () => snapshot([], sequence),
            changes: async () => ({ kind: 'resnapshot', epoch: EPOCH, reason: 'streams' })
        });
        await feed.resnapshot();
        sequence = 8;
        feed.notified({ audience: ME, epoch: EPOCH, sequence: 8, kind: 'delta' });
        await settle();
        await settle();
        expect(heard.stale).toBe(1);
        expect(source.snapshot).toHaveBeenCalledTimes(2);
        expect(feed.snapshot!.sequence).toBe(8);
    });

    it('takes pushed pages (a socket) as fetched ones, and fetches when one does not fit', async () => {
        const { feed, source } = harness({
            snapshots: async () => snapshot([card('a')], 3),
            changes: async (_e, since) => changes(since, 6, { upserts: [card('z')] })
        });
        await feed.resnapshot();
        feed.receive(changes(3, 4, { upserts: [card('b')] }));
        expect(feed.snapshot!.visitors.map((c) => c.id)).toEqual(['a', 'b']);
        expect(source.changes).not.toHaveBeenCalled();
        feed.receive(changes(5, 6, { upserts: [card('c')] }));
        await settle();
        expect(source.changes).toHaveBeenCalledWith(EPOCH, 4);
        expect(feed.snapshot!.visitors.map((c) => c.id)).toEqual(['a', 'b', 'z']);
    });

    it('reports a failed fetch to the caller and keeps what it has', async () => {
        const { feed, heard } = harness({
            snapshots: async () => snapshot([card('a')], 3),
            changes: async () => {
                throw new Error('The Sightline gateway could not be reached.');
            }
        });
        await feed.resnapshot();
        expect(await feed.catchUp()).toBe(false);
        expect(heard.failed).toHaveLength(1);
        expect(feed.snapshot!.visitors.map((c) => c.id)).toEqual(['a']);
    });
});
