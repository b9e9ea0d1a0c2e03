/**
 * How a read window's calls reach the org: one call alone through jsforce, several as the
 * subrequests of one composite request (`allOrNone: false`, so a refused query fails only
 * its own callers). The window hands over at most `QUERIES_PER_COMPOSITE` calls at a time,
 * the platform's limit on query and sObject Collections subrequests in one composite call.
 */
import type { Connection } from 'jsforce';
import type { SObject } from '../routingRecords';
import {
    QUERIES_PER_COMPOSITE,
    type SaveResult,
    type WindowAnswer,
    type WindowCall
} from './readWindow';

/** A refusal the org answered, with its error code (REQUEST_LIMIT_EXCEEDED, DUPLICATE_VALUE…). */
export class OrgRequestError extends Error {
    constructor(
        message: string,
        readonly errorCode: string
    ) {
        super(message);
        this.name = 'OrgRequestError';
    }
}

interface QueryPage {
    records: SObject[];
    done: boolean;
    nextRecordsUrl?: string;
}

interface CompositeAnswer {
    body: unknown;
    httpStatusCode: number;
}

/** Runs a window's calls on `conn`: each answer in the order of the calls. */
export async function runWindowCalls(
    conn: Connection,
    calls: readonly WindowCall[]
): Promise<WindowAnswer[]> {
    if (calls.length === 1) return [await runAlone(conn, calls[0]!)];
    if (calls.length > QUERIES_PER_COMPOSITE) {
        // The org would refuse the whole request; the window never asks for more.
        throw new RangeError(
            `A composite request takes at most ${QUERIES_PER_COMPOSITE} queries and collections.`
        );
    }
    const base = `/services/data/v${conn.version}`;
    const { compositeResponse } = await conn.request<{ compositeResponse: CompositeAnswer[] }>({
        method: 'POST',
        url: '/composite',
        body: JSON.stringify({
            allOrNone: false,
            compositeRequest: calls.map((call, i) => subrequest(base, call, `call${i}`))
        }),
        headers: { 'content-type': 'application/json' }
    });
    return Promise.all(
        calls.map(async (call, i) => {
            const answer = compositeResponse[i];
            if (answer && answer.httpStatusCode < 300)
                return call.kind === 'query'
                    ? allPages(conn, answer.body as QueryPage)
                    : (answer.body as SaveResult[]);
            // A refused request answers once, for none of the calls: every call gets its error.
            const refusal = answer ?? compositeResponse[0];
            const error = (Array.isArray(refusal?.body) ? refusal.body[0] : undefined) as
                { message?: string; errorCode?: string } | undefined;
            return new OrgRequestError(
                error?.message ?? 'The org did not answer the call.',
                error?.errorCode ?? 'UNKNOWN_EXCEPTION'
            );
        })
    );
}

function subrequest(base: string, call: WindowCall, referenceId: string) {
    if (call.kind === 'query') {
        return {
            method: 'GET',
            url: `${base}/query?q=${encodeURIComponent(call.soql)}`,
            referenceId
        };
    }
    return {
        method: 'PATCH',
        url: `${base}/composite/sobjects/${call.object}/${call.externalIdField}`,
        referenceId,
        body: {
            allOrNone: false,
            records: call.records.map((r) => ({ attributes: { type: call.object }, ...r }))
        }
    };
}

async function runAlone(conn: Connection, call: WindowCall): Promise<SObject[] | SaveResult[]> {
    if (call.kind === 'query') return allPages(conn, await conn.query(call.soql));
    return await conn.sobject(call.object).upsert(call.records, call.externalIdField, {
        allOrNone: false
    });
}

/** The records of a query's first page and of the pages after it. */
async function allPages(conn: Connection, first: QueryPage): Promise<SObject[]> {
    const records: SObject[] = [...first.records];
    let page = first;
    while (!page.done && page.nextRecordsUrl) {
        page = await conn.queryMore<SObject>(page.nextRecordsUrl);
        records.push(...page.records);
    }
    return records;
}
