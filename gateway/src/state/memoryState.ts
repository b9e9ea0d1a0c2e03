/**
 * The shared state of a gateway that runs alone: plain maps. Every operation runs to its
 * end on the one JavaScript thread before another starts, which is what makes a claim
 * atomic here; Redis gives the same guarantee to several processes (redisState.ts).
 */
import { NonceCache, type NonceVerdict } from '../identity/nonceCache';
import type { ClaimAttempt, HeldClaim, SharedClaim, SharedState } from './sharedState';

interface StoredVisit {
    value: string;
    expiresAt: number;
}

export class MemoryState implements SharedState {
    private readonly claims = new Map<string, HeldClaim & { requestId: string }>();
    private readonly active = new Map<string, number>();
    private readonly pointers = new Map<string, string>();
    private readonly sequences = new Map<string, number>();
    private fence = 0;
    private sharedEpoch: string | undefined;
    private readonly visits = new Map<string, StoredVisit>();
    private readonly onceUntil = new Map<string, number>();
    private readonly listeners = new Set<(message: string) => void>();
    /** One bounded cache per acceptance window (signed calls and live tokens have their own). */
    private readonly nonces = new Map<number, NonceCache>();

    /** `now` ages stored visits (the gateway's clock in tests). */
    constructor(private readonly now: () => number = Date.now) {}

    async claim(visitId: string, claim: SharedClaim, requestId: string): Promise<ClaimAttempt> {
        const held = this.claims.get(visitId);
        if (held)
            return held.requestId === requestId
                ? { ok: true, token: held.token }
                : { ok: false, holder: { claim: held.claim, token: held.token } };
        const token = ++this.fence;
        this.claims.set(visitId, { claim: { ...claim }, token, requestId });
        this.active.set(claim.userId, (this.active.get(claim.userId) ?? 0) + 1);
        return { ok: true, token };
    }

    async updateClaim(visitId: string, token: number, claim: SharedClaim): Promise<boolean> {
        const held = this.claims.get(visitId);
        if (!held || held.token !== token || held.claim.userId !== claim.userId) return false;
        held.claim = { ...claim };
        return true;
    }

    async release(visitId: string, token?: number): Promise<boolean> {
        const held = this.claims.get(visitId);
        if (!held || (token !== undefined && held.token !== token)) return false;
        this.claims.delete(visitId);
        const left = (this.active.get(held.claim.userId) ?? 1) - 1;
        if (left > 0) this.active.set(held.claim.userId, left);
        else this.active.delete(held.claim.userId);
        return true;
    }

    async claimOf(visitId: string): Promise<HeldClaim | undefined> {
        const held = this.claims.get(visitId);
        return held ? { claim: { ...held.claim }, token: held.token } : undefined;
    }

    async activeConversations(): Promise<Map<string, number>> {
        return new Map(this.active);
    }

    async pointer(ruleId: string): Promise<string | undefined> {
        return this.pointers.get(ruleId);
    }

    async movePointer(ruleId: string, from: string | undefined, to: string): Promise<boolean> {
        if (this.pointers.get(ruleId) !== from) return false;
        this.pointers.set(ruleId, to);
        return true;
    }

    async nextSequence(name: string): Promise<number> {
        const next = (this.sequences.get(name) ?? 0) + 1;
        this.sequences.set(name, next);
        return next;
    }

    async epoch(proposed: string): Promise<string> {
        this.sharedEpoch ??= proposed;
        return this.sharedEpoch;
    }

    async once(key: string, ttlMs: number): Promise<boolean> {
        const now = this.now();
        const until = this.onceUntil.get(key);
        if (until !== undefined && until > now) return false;
        this.onceUntil.set(key, now + ttlMs);
        return true;
    }

    async spendNonce(key: string, issuedAt: number, windowMs: number): Promise<NonceVerdict> {
        let cache = this.nonces.get(windowMs);
        if (!cache) this.nonces.set(windowMs, (cache = new NonceCache(windowMs)));
        return cache.check(key, issuedAt, this.now());
    }

    /** Alone, there is no other gateway to tell. */
    async putVisits(
        visits: readonly { id: string; value: string }[],
        ttlMs: number
    ): Promise<void> {
        const expiresAt = this.now() + ttlMs;
        for (const { id, value } of visits) this.visits.set(id, { value, expiresAt });
    }

    async getVisits(visitIds: readonly string[]): Promise<(string | undefined)[]> {
        const now = this.now();
        return visitIds.map((id) => {
            const stored = this.visits.get(id);
            if (stored && stored.expiresAt <= now) this.visits.delete(id);
            return stored && stored.expiresAt > now ? stored.value : undefined;
        });
    }

    async dropVisit(visitId: string): Promise<void> {
        this.visits.delete(visitId);
    }

    async visitIds(): Promise<string[]> {
        const now = this.now();
        return [...this.visits].filter(([, v]) => v.expiresAt > now).map(([id]) => id);
    }

    async publish(message: string): Promise<void> {
        for (const listener of [...this.listeners]) listener(message);
    }

    async subscribe(listener: (message: string) => void): Promise<() => void> {
        this.listeners.add(listener);
        return () => this.listeners.delete(listener);
    }

    /** Alone, the gateway is the only one: alive until it withdraws. */
    async markAlive(gatewayId: string, ttlMs: number): Promise<string[]> {
        return ttlMs > 0 ? [gatewayId] : [];
    }

    async close(): Promise<void> {
        this.listeners.clear();
    }
}
