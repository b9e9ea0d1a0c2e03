/**
 * One window shared by the adapter's batched reads: the visitor records, open Opportunities
 * and account teams that a window of new visits asks for go to the org as **one** composite
 * request (each read one query subrequest), not one query per kind. The platform takes at
 * most 5 query subrequests in a composite call; more queries in a window go in further
 * calls. A query asked outside a window's close goes alone.
 *
 * How the gathering works: when the window closes, every batcher waiting on it flushes
 * synchronously, and each flush issues its query (`query()`) before its first `await`; the
 * queries issued during that synchronous phase are the window's.
 */
import type { SObject } from '../routingRecords';

/** The platform's limit on query (and collection) subrequests in one composite call. */
export const QUERIES_PER_COMPOSITE = 5;

/** Runs SOQL queries in one call (one query: a plain query); each answer is its records or its error. */
export type QueryRunner = (soqls: readonly string[]) => Promise<(SObject[] | Error)[]>;

interface Gathered {
    soql: string;
    resolve(records: SObject[]): void;
    reject(error: unknown): void;
}

export class ReadWindow {
    private readonly flushes = new Set<() => void>();
    private timer: ReturnType<typeof setTimeout> | undefined;
    private gathered: Gathered[] | undefined;

    constructor(
        private readonly windowMs: number,
        private readonly run: QueryRunner
    ) {}

    /** `flush` runs when the window closes (a batcher's pending reads). */
    schedule(flush: () => void): void {
        this.flushes.add(flush);
        this.timer ??= setTimeout(() => this.close(), this.windowMs);
    }

    /** A query: joins the others of a closing window, else goes alone. */
    query(soql: string): Promise<SObject[]> {
        const gathered = this.gathered;
        if (!gathered) return this.run([soql]).then(([answer]) => unwrap(answer));
        return new Promise((resolve, reject) => gathered.push({ soql, resolve, reject }));
    }

    private close(): void {
        this.timer = undefined;
        const flushes = [...this.flushes];
        this.flushes.clear();
        const gathered: Gathered[] = [];
        this.gathered = gathered;
        try {
            for (const flush of flushes) flush();
        } finally {
            this.gathered = undefined;
        }
        for (let i = 0; i < gathered.length; i += QUERIES_PER_COMPOSITE) {
            const call = gathered.slice(i, i + QUERIES_PER_COMPOSITE);
            this.run(call.map((g) => g.soql)).then(
                (answers) =>
                    call.forEach((g, j) => {
                        const answer = answers[j];
                        if (Array.isArray(answer)) g.resolve(answer);
                        else g.reject(answer ?? new Error('The org gave no answer to a query.'));
                    }),
                (error: unknown) => {
                    for (const g of call) g.reject(error);
                }
            );
        }
    }
}

function unwrap(answer: SObject[] | Error | undefined): SObject[] {
    if (Array.isArray(answer)) return answer;
    throw answer ?? new Error('The org gave no answer to a query.');
}
