import { subscribe, unsubscribe } from 'lightning/empApi';
import { LiveChannel, RAW_CHANNEL } from 'c/liveChannel';

const mocked = <T extends (...args: never[]) => unknown>(fn: T) => fn as unknown as jest.Mock;
const OWN = '/event/Sightline_005000000000007AAA__chn';
const SHARED = '/event/Sightline_Shared_3__chn';

describe('c/liveChannel', () => {
    let handlers: Map<string, (message: unknown) => void>;
    let next: number;

    beforeEach(() => {
        handlers = new Map();
        next = 0;
        mocked(subscribe).mockImplementation(
            (channel: string, replayId: number, callback: (message: unknown) => void) => {
                const id = `sub-${++next}`;
                handlers.set(channel, callback);
                return Promise.resolve({ id, channel, replayId });
            }
        );
        mocked(unsubscribe).mockResolvedValue(true);
    });

    afterEach(() => jest.clearAllMocks());

    it('subscribes to the raw channel until the gateway names one', async () => {
        const heard: unknown[] = [];
        const channel = new LiveChannel((m) => heard.push(m), 1000);
        expect(channel.subscribed).toBe(false);
        await channel.subscribe();
        expect(subscribe).toHaveBeenCalledWith(RAW_CHANNEL, -1, expect.any(Function));
        expect(channel.subscribed).toBe(true);
        handlers.get(RAW_CHANNEL)!({ data: { payload: {} } });
        expect(heard).toHaveLength(1);
    });

    it("moves to the console's own channel when named, subscribing there before leaving the old", async () => {
        const channel = new LiveChannel(() => undefined, 1000);
        await channel.subscribe();
        expect(await channel.follow(OWN)).toBe(true);
        expect(mocked(subscribe).mock.calls.map((c) => c[0])).toEqual([RAW_CHANNEL, OWN]);
        // The raw subscription is dropped once the new one holds.
        expect(unsubscribe).toHaveBeenCalledTimes(1);
        expect(mocked(unsubscribe).mock.calls[0][0]).toMatchObject({ channel: RAW_CHANNEL });
        expect(mocked(subscribe).mock.invocationCallOrder[1]!).toBeLessThan(
            mocked(unsubscribe).mock.invocationCallOrder[0]!
        );
        expect(channel.channel).toBe(OWN);

        // The same channel named again: nothing to do.
        expect(await channel.follow(OWN)).toBe(false);
        expect(subscribe).toHaveBeenCalledTimes(2);

        // The gateway moved this rep to a shared channel (past its share of the cap).
        await channel.follow(SHARED);
        expect(mocked(subscribe).mock.calls.map((c) => c[0])).toEqual([RAW_CHANNEL, OWN, SHARED]);
    });

    it('without a subscription (the socket carries updates), only remembers the channel', async () => {
        const channel = new LiveChannel(() => undefined, 1000);
        await channel.follow(OWN);
        expect(subscribe).not.toHaveBeenCalled();
        await channel.subscribe();
        expect(subscribe).toHaveBeenCalledWith(OWN, -1, expect.any(Function));
        channel.drop();
        expect(channel.subscribed).toBe(false);
        expect(unsubscribe).toHaveBeenCalledTimes(1);
        // An absent channel is the raw one.
        await channel.follow(undefined);
        expect(channel.channel).toBe(RAW_CHANNEL);
    });

    it('a subscription that does not answer drops the old one too, and says so', async () => {
        jest.useFakeTimers();
        const channel = new LiveChannel(() => undefined, 1000);
        await channel.subscribe();
        mocked(subscribe).mockImplementationOnce(() => new Promise(() => undefined));
        const moving = channel.follow(OWN);
        jest.advanceTimersByTime(1000);
        await expect(moving).rejects.toThrow('Live updates did not answer');
        expect(channel.subscribed).toBe(false);
        expect(unsubscribe).toHaveBeenCalledTimes(1);
        jest.useRealTimers();
    });

    it('a subscription completing after a drop (the socket opened meanwhile) is let go at once', async () => {
        let answer: (value: unknown) => void = () => undefined;
        mocked(subscribe).mockImplementationOnce(
            (channel: string) =>
                new Promise((resolve) => (answer = () => resolve({ id: 'late', channel })))
        );
        const channel = new LiveChannel(() => undefined, 1000);
        const subscribing = channel.subscribe();
        channel.drop();
        answer(undefined);
        await subscribing;
        expect(channel.subscribed).toBe(false);
        expect(unsubscribe).toHaveBeenCalledWith(expect.objectContaining({ id: 'late' }));
    });
});
