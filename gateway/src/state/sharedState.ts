/**
 * The shared-state port: what gateways must agree on when several serve one org. One
 * gateway alone keeps it in memory (`MemoryState`, the local default); gateways behind a
 * balancer keep it in Redis (`RedisState`), so any of them can take any beacon, socket or
 * rep action.
 *
 * - Claims (who is engaging a visitor) are taken atomically: the first caller wins, every
 *   later one is told who holds it. Each claim carries a fencing token (a number that only
 *   grows), so a late release or update from a holder that lost its claim changes nothing.
 *   A claim request carries its own id, so a request that is sent again (a client
 *   reconnecting to a restarted Redis resends what was unanswered) is answered as the win
 *   it was, not as a loss to itself.
 * - Capacity counters (conversations each rep is engaged in) move with the claims, in the
 *   same atomic step.
 * - Round-robin pointers move by compare-and-set: a gateway that decided from a stale
 *   pointer is told so and reads the current one.
 * - Sequences only grow; the epoch is the first one any gateway proposed.
 * - Live visits are stored whole (a serialised session with its decision), and a message
 *   bus fans changes out to every gateway. Each gateway marks itself alive, so the others
 *   can take over the visits of one that died.
 * - Single-use nonces (signed Apex calls, live tokens) are spent once across every gateway:
 *   a request captured on its way to one gateway is refused by all the others too.
 */
import type { NonceVerdict } from '../identity/nonceCache';

/** A claim as the gateways share it (cards.ts's `Claim`, restated so the port stands alone). */
export interface SharedClaim {
    userId: string;
    userName: string;
    conversationId: string;
    origin: 'Pounce' | 'Chat_Request';
    at: number;
}

/** A claim held, with its fencing token. */
export interface HeldClaim {
    claim: SharedClaim;
    token: number;
}

export type ClaimAttempt = { ok: true; token: number } | { ok: false; holder: HeldClaim };

export interface SharedState {
    /**
     * Takes the visitor's claim unless someone holds it. `requestId` identifies this
     * attempt: the same attempt arriving twice wins once and is told so both times.
     */
    claim(visitId: string, claim: SharedClaim, requestId: string): Promise<ClaimAttempt>;
    /** Rewrites the held claim (its conversation id once created) if `token` still holds it. */
    updateClaim(visitId: string, token: number, claim: SharedClaim): Promise<boolean>;
    /** Releases the claim if `token` still holds it (no token: whoever holds it). */
    release(visitId: string, token?: number): Promise<boolean>;
    claimOf(visitId: string): Promise<HeldClaim | undefined>;
    /** Conversations each rep holds now (the capacity counters). */
    activeConversations(): Promise<Map<string, number>>;

    /** The rule's round-robin pointer (the last rep it routed to). */
    pointer(ruleId: string): Promise<string | undefined>;
    /** Moves the pointer from `from` (undefined: unset) to `to`; false if it had moved meanwhile. */
    movePointer(ruleId: string, from: string | undefined, to: string): Promise<boolean>;

    /** The next number of a named sequence (1, 2, 3…), across every gateway. */
    nextSequence(name: string): Promise<number>;
    /** The epoch every gateway shares: `proposed` if none was set yet, else the one that was. */
    epoch(proposed: string): Promise<string>;
    /**
     * True for the first caller of `key` within `ttlMs`, false for every other: one gateway
     * does what must be done once (a visit's end written to the org).
     */
    once(key: string, ttlMs: number): Promise<boolean>;

    /**
     * Spends a nonce: 'fresh' for its first use on any gateway, 'replayed' after. `issuedAt`
     * is when its request or token was made, `windowMs` how long either side of that it is
     * accepted; the nonce is remembered at least that long. 'unverifiable' where a bounded
     * store had to forget nonces that recent (the caller refuses and the sender retries).
     */
    spendNonce(key: string, issuedAt: number, windowMs: number): Promise<NonceVerdict>;

    /**
     * Stores live visits (serialised), each until `ttlMs` passes without another write, and
     * then sends `announcement.message` to every other gateway alive at that moment (their
     * inboxes: the sender does not hear it, a gateway alone sends nothing). One round trip.
     */
    putVisits(
        visits: readonly { id: string; value: string }[],
        ttlMs: number,
        announcement?: { from: string; message: string }
    ): Promise<void>;
    /** The stored visits of these ids, in order (undefined where none is stored). */
    getVisits(visitIds: readonly string[]): Promise<(string | undefined)[]>;
    dropVisit(visitId: string): Promise<void>;
    /** Every stored visit's id (a gateway starting up takes over what is live). */
    visitIds(): Promise<string[]>;

    /** Sends a message to every gateway's subscribers, this one's included. */
    publish(message: string): Promise<void>;
    /**
     * Hears every published message, and those sent to `inbox` (this gateway's id) by
     * `putVisits`; `resync` runs when messages may have been missed (a reconnect).
     */
    subscribe(
        listener: (message: string) => void,
        resync?: () => void,
        inbox?: string
    ): Promise<() => void>;

    /**
     * This gateway is alive for `ttlMs` more (renewed while it runs; 0 withdraws it at once).
     * Answers every gateway alive now, this one included.
     */
    markAlive(gatewayId: string, ttlMs: number): Promise<string[]>;

    close(): Promise<void>;
}
