/**
 * Query cursors behind `nextRecordsUrl`: the rest of a result, kept for 15 minutes of
 * inactivity, at most 10 open per user (opening an 11th drops the oldest), as the
 * platform documents; an expired or unknown locator is INVALID_QUERY_LOCATOR.
 */
import { makeId } from '../store/salesforceId';
import { ApiError } from './apiError';

export const CURSOR_IDLE_MS = 15 * 60 * 1000;
export const MAX_OPEN_CURSORS_PER_USER = 10;

interface Cursor {
    id: string;
    userId: string;
    records: unknown[];
    batchSize: number;
    lastUsed: number;
}

export interface Page {
    records: unknown[];
    /** Records in the whole result, on every page. */
    totalSize: number;
    done: boolean;
    /** `01g…-2000`: the locator of the next page, when there is one. */
    nextLocator?: string;
}

export class QueryCursors {
    private readonly cursors = new Map<string, Cursor>();
    private sequence = 0;

    constructor(private readonly now: () => number) {}

    /** The first page of a result; keeps a cursor when more pages follow. */
    open(userId: string, records: unknown[], batchSize: number): Page {
        if (records.length <= batchSize) return { records, totalSize: records.length, done: true };
        this.expire();
        const mine = [...this.cursors.values()].filter((c) => c.userId === userId);
        for (const old of mine.slice(0, Math.max(0, mine.length - MAX_OPEN_CURSORS_PER_USER + 1))) {
            this.cursors.delete(old.id);
        }
        const id = makeId('01g', ++this.sequence);
        this.cursors.set(id, { id, userId, records, batchSize, lastUsed: this.now() });
        return {
            records: records.slice(0, batchSize),
            totalSize: records.length,
            done: false,
            nextLocator: `${id}-${batchSize}`
        };
    }

    next(userId: string, locator: string): Page {
        this.expire();
        const match = /^([A-Za-z0-9]{18})-(\d+)$/.exec(locator);
        const cursor = match ? this.cursors.get(match[1]!) : undefined;
        if (!match || !cursor || cursor.userId !== userId) {
            throw new ApiError(400, 'INVALID_QUERY_LOCATOR', 'invalid query locator');
        }
        cursor.lastUsed = this.now();
        const start = Number(match[2]);
        const end = start + cursor.batchSize;
        const records = cursor.records.slice(start, end);
        if (end >= cursor.records.length) {
            this.cursors.delete(cursor.id);
            return { records, totalSize: cursor.records.length, done: true };
        }
        return {
            records,
            totalSize: cursor.records.length,
            done: false,
            nextLocator: `${cursor.id}-${end}`
        };
    }

    private expire(): void {
        const oldest = this.now() - CURSOR_IDLE_MS;
        for (const [id, cursor] of this.cursors)
            if (cursor.lastUsed < oldest) this.cursors.delete(id);
    }
}
