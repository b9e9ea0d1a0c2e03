/**
 * Which addresses are trusted proxies (whose X-Forwarded-For names the client), for
 * fastify's `trustProxy`. The rule is fastify's own (`@fastify/proxy-addr`'s compiled list:
 * addresses, CIDR subnets, `loopback` and the other named ranges, IPv4-mapped IPv6 read
 * as IPv4), but its answer is remembered per address: fastify asks on every request, and
 * the compiled rule parses the address each time (~3 % of a beacon's CPU). The addresses
 * asked about are the socket's peer and, only past a trusted hop, the forwarded ones.
 * A forged X-Forwarded-For can therefore fill the memory with addresses of its choosing,
 * so it is bounded, and the answer for an address is the rule's whether remembered or not.
 */
import proxyAddr from '@fastify/proxy-addr';

/** Addresses remembered at most; past it the memory starts again (a flood only costs parsing). */
export const REMEMBERED_ADDRESSES = 4_096;

export class TrustedProxies {
    private readonly rule: (address: string, hop: number) => boolean;
    private readonly answers = new Map<string, boolean>();

    constructor(
        list: readonly string[],
        private readonly capacity = REMEMBERED_ADDRESSES
    ) {
        this.rule = proxyAddr.compile([...list]);
    }

    /** fastify's `trustProxy`: whether the hop at `address` is a trusted proxy. */
    readonly trust = (address: string, hop: number): boolean => {
        const known = this.answers.get(address);
        if (known !== undefined) return known;
        const trusted = this.rule(address, hop);
        if (this.answers.size >= this.capacity) this.answers.clear();
        this.answers.set(address, trusted);
        return trusted;
    };

    /** How many answers are remembered now. */
    get remembered(): number {
        return this.answers.size;
    }
}
