/**
 * One window shared by the adapter's batched calls: the visitor records, open Opportunities
 * and account teams that a window of new visits asks for, and the visitor records written
 * in it, go to the org as **one** composite request (each a query or an sObject collection
 * subrequest), not one call per kind. The platform takes at most 5 query and collection
 * subrequests in a composite call; more in a window go in further calls. A call asked
 * outside a window's close goes alone.
 *
 * How the gathering works: when the window closes, every batcher waiting on it flushes
 * synchronously, and each flush issues its call (`query()`, `upsert()`) before its first
 * `await`; the calls issued during that synchronous phase are the window's.
 */
import type { SObject } from '../routingRecords';

/** The platform's limit on query and collection subrequests in one composite call. */
export const QUERIES_PER_COMPOSITE = 5;

/** A call the window gathers: a SOQL query, or a collection upsert by an external id. */
export type WindowCall =
    | { kind: 'query'; soql: string }
    | { kind: 'upsert'; object: string; externalIdField: string; records: SObject[] };

/** A collection's answer for one record. */
export interface SaveResult {
    id?: string;
    success: boolean;
    created?: boolean;
    errors?: { statusCode?: string; message: string; fields?: string[] }[];
}

/** A query's records or a collection's results, or the call's own error. */
export type WindowAnswer = SObject[] | SaveResult[] | Error;

/** Runs calls as one request (one call: alone); each answer in the order of the calls. */
export type CallRunner = (calls: readonly WindowCall[]) => Promise<WindowAnswer[]>;

interface Gathered {
    call: WindowCall;
    resolve(answer: SObject[] | SaveResult[]): void;
    reject(error: unknown): void;
}

export class ReadWindow {
    private readonly flushes = new Set<() => void>();
    private timer: ReturnType<typeof setTimeout> | undefined;
    private gathered: Gathered[] | undefined;

    constructor(
        private readonly windowMs: number,
        private readonly run: CallRunner
    ) {}

    /** `flush` runs when the window closes (a batcher's pending reads). */
    schedule(flush: () => void): void {
        this.flushes.add(flush);
        this.timer ??= setTimeout(() => this.close(), this.windowMs);
    }

    /** A query: joins the others of a closing window, else goes alone. */
    query(soql: string): Promise<SObject[]> {
        return this.call({ kind: 'query', soql }) as Promise<SObject[]>;
    }

    /** A collection upsert by `externalIdField` (at most 200 records), gathered like a query. */
    upsert(object: string, externalIdField: string, records: SObject[]): Promise<SaveResult[]> {
        return this.call({ kind: 'upsert', object, externalIdField, records }) as Promise<
            SaveResult[]
        >;
    }

    private call(call: WindowCall): Promise<SObject[] | SaveResult[]> {
        const gathered = this.gathered;
        if (!gathered) return this.run([call]).then(([answer]) => unwrap(answer));
        return new Promise((resolve, reject) => gathered.push({ call, resolve, reject }));
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
            this.run(call.map((g) => g.call)).then(
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

function unwrap(answer: WindowAnswer | undefined): SObject[] | SaveResult[] {
    if (Array.isArray(answer)) return answer;
    throw answer ?? new Error('The org gave no answer to a query.');
}
