/**
 * The shared state in Redis, for gateways behind a balancer. Every read-modify-write is one
 * Lua script, which Redis runs to its end before any other command: a claim is checked and
 * taken in one step, never read by one gateway and written after another read it. Keys are
 * under a prefix (one Redis can hold several orgs' gateways apart).
 *
 * Redis should run with `appendonly yes` and `appendfsync always` (redisServer.ts does): a
 * claim that was answered is on disk, so a Redis restart loses none.
 */
import { Redis, type ClientContext, type RedisOptions, type Result } from 'ioredis';
import type { NonceVerdict } from '../identity/nonceCache';
import type { ClaimAttempt, HeldClaim, SharedClaim, SharedState } from './sharedState';

/**
 * KEYS: claim hash, fence counter, active-conversations hash.
 * ARGV: claim JSON, user id, request id.
 * Returns {1, token} on a win (or the same request again), else {0, token, claim JSON}.
 */
/**
 * KEYS: the visits' keys, then the set of gateways alive. ARGV: the time to live (ms), each
 * visit's value in the order of KEYS, then optionally the sender, the inboxes' channel
 * prefix and the message: sent to every other gateway alive now (by Redis's clock), so one
 * that started after this write reads the visit from the store, and one that started before
 * hears of it.
 */
const PUT_VISITS = `
local n = #KEYS - 1
for i = 1, n do
    redis.call('SET', KEYS[i], ARGV[i + 1], 'PX', ARGV[1])
end
local from = ARGV[n + 2]
if from then
    local time = redis.call('TIME')
    local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
    for _, gateway in ipairs(redis.call('ZRANGEBYSCORE', KEYS[n + 1], now, '+inf')) do
        if gateway ~= from then
            redis.call('PUBLISH', ARGV[n + 3] .. gateway, ARGV[n + 4])
        end
    end
end
return n
`;

/**
 * KEYS: the set of gateways alive (member: id, score: when its mark lapses, by Redis's
 * clock). ARGV: this gateway, how long its mark lasts (ms; 0 withdraws it). Answers the
 * gateways alive now.
 */
const MARK_ALIVE = `
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
local ttl = tonumber(ARGV[2])
if ttl > 0 then
    redis.call('ZADD', KEYS[1], now + ttl, ARGV[1])
else
    redis.call('ZREM', KEYS[1], ARGV[1])
end
return redis.call('ZRANGEBYSCORE', KEYS[1], now, '+inf')
`;

declare module 'ioredis' {
    interface RedisCommander<Context extends ClientContext> {
        sightlinePutVisits(
            numberOfKeys: number,
            ...keysAndArgs: (string | number)[]
        ): Result<number, Context>;
    }
}

const CLAIM = `
local held = redis.call('HMGET', KEYS[1], 'token', 'claim', 'request')
if held[1] then
  if held[3] == ARGV[3] then return {1, tonumber(held[1])} end
  return {0, tonumber(held[1]), held[2]}
end
local token = redis.call('INCR', KEYS[2])
redis.call('HSET', KEYS[1], 'token', token, 'claim', ARGV[1], 'user', ARGV[2], 'request', ARGV[3])
redis.call('HINCRBY', KEYS[3], ARGV[2], 1)
return {1, token}`;

/** KEYS: claim hash. ARGV: token, user id, claim JSON. 1 if rewritten. */
const UPDATE_CLAIM = `
local held = redis.call('HMGET', KEYS[1], 'token', 'user')
if held[1] ~= ARGV[1] or held[2] ~= ARGV[2] then return 0 end
redis.call('HSET', KEYS[1], 'claim', ARGV[3])
return 1`;

/** KEYS: claim hash, active-conversations hash. ARGV: token ('' for any). 1 if released. */
const RELEASE = `
local held = redis.call('HMGET', KEYS[1], 'token', 'user')
if not held[1] then return 0 end
if ARGV[1] ~= '' and held[1] ~= ARGV[1] then return 0 end
redis.call('DEL', KEYS[1])
if redis.call('HINCRBY', KEYS[2], held[2], -1) <= 0 then redis.call('HDEL', KEYS[2], held[2]) end
return 1`;

/** KEYS: pointer. ARGV: expected ('' for unset), next. 1 if moved. */
const MOVE_POINTER = `
local current = redis.call('GET', KEYS[1]) or ''
if current ~= ARGV[1] then return 0 end
redis.call('SET', KEYS[1], ARGV[2])
return 1`;

export interface RedisStateOptions {
    /** `redis://host:port` (or `rediss://` with TLS). */
    url: string;
    /** Prefix of every key and the channel (default `sightline:`). */
    prefix?: string;
    /** ioredis options beyond the URL (tests shorten the reconnect delay). */
    redis?: RedisOptions;
    /**
     * Connection errors (Redis restarting): commands wait for the reconnect and fail on
     * their own if it does not come, so these are for the log only.
     */
    onError?: (error: Error) => void;
}

export class RedisState implements SharedState {
    private readonly redis: Redis;
    private subscriber: Redis | undefined;
    private readonly prefix: string;
    private readonly channel: string;

    constructor(private readonly options: RedisStateOptions) {
        this.prefix = options.prefix ?? 'sightline:';
        this.channel = `${this.prefix}bus`;
        this.redis = new Redis(options.url, options.redis ?? {});
        // Sent by its SHA once loaded (EVALSHA), the script text only the first time.
        this.redis.defineCommand('sightlinePutVisits', { lua: PUT_VISITS });
        this.reportErrors(this.redis);
    }

    /** An outage is reported once, not at every reconnection attempt. */
    private reportErrors(connection: Redis): void {
        let reported = false;
        connection.on('ready', () => (reported = false));
        connection.on('error', (error: Error) => {
            if (reported) return;
            reported = true;
            this.options.onError?.(error);
        });
    }

    private key(...parts: string[]): string {
        return this.prefix + parts.join(':');
    }

    async claim(visitId: string, claim: SharedClaim, requestId: string): Promise<ClaimAttempt> {
        const answer = (await this.redis.eval(
            CLAIM,
            3,
            this.key('claim', visitId),
            this.key('fence'),
            this.key('active'),
            JSON.stringify(claim),
            claim.userId,
            requestId
        )) as [number, number, string?];
        return answer[0] === 1
            ? { ok: true, token: answer[1] }
            : {
                  ok: false,
                  holder: { token: answer[1], claim: JSON.parse(answer[2]!) as SharedClaim }
              };
    }

    async updateClaim(visitId: string, token: number, claim: SharedClaim): Promise<boolean> {
        const done = await this.redis.eval(
            UPDATE_CLAIM,
            1,
            this.key('claim', visitId),
            String(token),
            claim.userId,
            JSON.stringify(claim)
        );
        return done === 1;
    }

    async release(visitId: string, token?: number): Promise<boolean> {
        const done = await this.redis.eval(
            RELEASE,
            2,
            this.key('claim', visitId),
            this.key('active'),
            token === undefined ? '' : String(token)
        );
        return done === 1;
    }

    async claimOf(visitId: string): Promise<HeldClaim | undefined> {
        const [token, claim] = await this.redis.hmget(this.key('claim', visitId), 'token', 'claim');
        return token && claim
            ? { token: Number(token), claim: JSON.parse(claim) as SharedClaim }
            : undefined;
    }

    async activeConversations(): Promise<Map<string, number>> {
        const counts = await this.redis.hgetall(this.key('active'));
        return new Map(Object.entries(counts).map(([userId, n]) => [userId, Number(n)]));
    }

    async pointer(ruleId: string): Promise<string | undefined> {
        return (await this.redis.get(this.key('rr', ruleId))) ?? undefined;
    }

    async movePointer(ruleId: string, from: string | undefined, to: string): Promise<boolean> {
        const done = await this.redis.eval(MOVE_POINTER, 1, this.key('rr', ruleId), from ?? '', to);
        return done === 1;
    }

    nextSequence(name: string): Promise<number> {
        return this.redis.incr(this.key('seq', name));
    }

    async epoch(proposed: string): Promise<string> {
        const key = this.key('epoch');
        await this.redis.set(key, proposed, 'NX');
        return (await this.redis.get(key)) ?? proposed;
    }

    async once(key: string, ttlMs: number): Promise<boolean> {
        const set = await this.redis.set(this.key('once', key), '1', 'PX', ttlMs, 'NX');
        return set === 'OK';
    }

    /**
     * `SET NX` with an expiry: Redis answers the first setter, so two gateways receiving the
     * same nonce cannot both take it. Kept for twice the window, measured from the first
     * use: a nonce is first seen at most `windowMs` before the end of its acceptance, which
     * lasts `2 × windowMs` at most, whatever the gateways' clocks (within the window) say.
     * Nothing is ever 'unverifiable' here: the keys expire on their own, and Redis must run
     * without eviction (`maxmemory-policy noeviction`, its default) so none goes early.
     */
    async spendNonce(key: string, _issuedAt: number, windowMs: number): Promise<NonceVerdict> {
        const set = await this.redis.set(this.key('nonce', key), '1', 'PX', 2 * windowMs, 'NX');
        return set === 'OK' ? 'fresh' : 'replayed';
    }

    /**
     * One script call for a whole flush: the visits' SETs and the announcement to the other
     * gateways' inboxes, one command for the client to send and Redis to answer (a SET each
     * cost the gateway more in its Redis client than the write cost Redis).
     */
    async putVisits(
        visits: readonly { id: string; value: string }[],
        ttlMs: number,
        announcement?: { from: string; message: string }
    ): Promise<void> {
        if (visits.length === 0 && !announcement) return;
        const keys = visits.map(({ id }) => this.key('visit', id));
        const values = visits.map(({ value }) => value);
        const send = announcement
            ? [announcement.from, `${this.channel}:`, announcement.message]
            : [];
        await this.redis.sightlinePutVisits(
            keys.length + 1,
            ...keys,
            this.key('alive'),
            Math.max(1, ttlMs),
            ...values,
            ...send
        );
    }

    async getVisits(visitIds: readonly string[]): Promise<(string | undefined)[]> {
        if (visitIds.length === 0) return [];
        const values = await this.redis.mget(visitIds.map((id) => this.key('visit', id)));
        return values.map((v) => v ?? undefined);
    }

    async dropVisit(visitId: string): Promise<void> {
        await this.redis.del(this.key('visit', visitId));
    }

    async visitIds(): Promise<string[]> {
        const prefix = this.key('visit', '');
        const ids: string[] = [];
        let cursor = '0';
        do {
            const [next, keys] = await this.redis.scan(
                cursor,
                'MATCH',
                `${prefix}*`,
                'COUNT',
                1000
            );
            cursor = next;
            for (const key of keys) ids.push(key.slice(prefix.length));
        } while (cursor !== '0');
        return ids;
    }

    async publish(message: string): Promise<void> {
        await this.redis.publish(this.channel, message);
    }

    /**
     * Redis pub/sub delivers at most once: a message published while this subscriber was
     * reconnecting is gone. So every reconnect after the first calls `resync`, and the
     * listener reads what it needs from the stored state again.
     */
    async subscribe(
        listener: (message: string) => void,
        resync?: () => void,
        inbox?: string
    ): Promise<() => void> {
        if (!this.subscriber) {
            this.subscriber = this.redis.duplicate();
            this.reportErrors(this.subscriber);
            await this.subscriber.subscribe(this.channel);
        }
        const subscriber = this.subscriber;
        const own = inbox === undefined ? undefined : `${this.channel}:${inbox}`;
        if (own) await subscriber.subscribe(own);
        const onMessage = (channel: string, message: string) => {
            if (channel === this.channel || channel === own) listener(message);
        };
        let first = true;
        const onReady = () => {
            if (first) first = false;
            else resync?.();
        };
        subscriber.on('message', onMessage);
        subscriber.on('ready', onReady);
        // Already connected: the next 'ready' is a reconnect.
        if (subscriber.status === 'ready') first = false;
        return () => {
            subscriber.off('message', onMessage);
            subscriber.off('ready', onReady);
            if (own) subscriber.unsubscribe(own).catch(() => {});
        };
    }

    async markAlive(gatewayId: string, ttlMs: number): Promise<string[]> {
        return (await this.redis.eval(
            MARK_ALIVE,
            1,
            this.key('alive'),
            gatewayId,
            Math.max(0, ttlMs)
        )) as string[];
    }

    async close(): Promise<void> {
        await Promise.all([
            this.redis.quit().catch(() => this.redis.disconnect()),
            this.subscriber?.quit().catch(() => this.subscriber?.disconnect())
        ]);
    }

    /** Redis commands processed since it started (INFO stats), for the bench. */
    async commandsProcessed(): Promise<number> {
        const info = await this.redis.info('stats');
        const match = /total_commands_processed:(\d+)/.exec(info);
        return match ? Number(match[1]) : 0;
    }

    get url(): string {
        return this.options.url;
    }
}
