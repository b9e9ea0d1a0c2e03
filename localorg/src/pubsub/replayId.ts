/**
 * Replay ids on the wire: 8-byte big-endian unsigned integers, as the platform sends them
 * and as the Pub/Sub client reads them (`readBigUInt64BE`; a shorter buffer crashes it).
 */
export function encodeReplayId(replayId: number): Buffer {
    const buffer = Buffer.alloc(8);
    buffer.writeBigUInt64BE(BigInt(replayId));
    return buffer;
}

/** The replay id a client sent, or undefined when the bytes are not one we could have issued. */
export function decodeReplayId(bytes: Uint8Array | undefined): number | undefined {
    if (!bytes || bytes.length === 0 || bytes.length > 8) return undefined;
    const padded = Buffer.alloc(8);
    Buffer.from(bytes).copy(padded, 8 - bytes.length);
    const value = padded.readBigUInt64BE();
    return value <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(value) : undefined;
}
