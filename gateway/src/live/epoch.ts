/**
 * The gateway's epoch: a new one on every start. Sequences restart at 1 with it, so a
 * console compares epochs before sequences: a newer epoch means "take a new snapshot now",
 * an older one is a leftover of a previous run. Ordered by start time (milliseconds, then a
 * random suffix), as `compareEpochs` in the console's live module reads it.
 */
import { randomBytes } from 'node:crypto';

export function newEpoch(startedAt: number): string {
    return `${Math.floor(startedAt)}-${randomBytes(4).toString('hex')}`;
}
