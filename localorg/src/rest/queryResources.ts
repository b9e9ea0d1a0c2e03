/**
 * `query` and `queryAll` (SOQL in `q`), and their `nextRecordsUrl` pages. Pages hold 2,000
 * records unless `Sforce-Query-Options: batchSize=n` asks for another size (200 to 2,000).
 * The local org deletes records outright (no recycle bin), so queryAll answers as query.
 */
import { runSoql } from '../query/runSoql';
import { ApiError } from './apiError';
import type { Page } from './queryCursors';
import { ok, type ApiRequest, type DataApiContext, type Router } from './dataApi';

export const DEFAULT_BATCH_SIZE = 2000;
const MIN_BATCH_SIZE = 200;

export function queryResources(router: Router, base = ''): void {
    for (const resource of ['query', 'queryAll']) {
        router
            .add('GET', new RegExp(`^${base}/${resource}/?$`), (req, _m, ctx) =>
                runQuery(req, ctx, resource, base)
            )
            .add('GET', new RegExp(`^${base}/${resource}/([^/]+)$`), (req, m, ctx) => {
                return ok(
                    pageBody(req, resource, base, ctx.cursors.next(req.session.userId, m[1]!))
                );
            });
    }
}

function runQuery(req: ApiRequest, ctx: DataApiContext, resource: string, base: string) {
    const soql = req.query.get('q');
    if (!soql) throw new ApiError(400, 'MALFORMED_QUERY', 'A query string has to be specified');
    const result = runSoql(ctx.org, ctx.names, soql, { now: ctx.now(), version: req.version });
    if (result.countOnly) return ok({ totalSize: result.totalSize, done: true, records: [] });
    const page = ctx.cursors.open(
        req.session.userId,
        result.records,
        batchSize(req.headers['sforce-query-options'])
    );
    return ok(pageBody(req, resource, base, page));
}

function pageBody(req: ApiRequest, resource: string, base: string, page: Page) {
    return {
        totalSize: page.totalSize,
        done: page.done,
        ...(page.nextLocator
            ? {
                  nextRecordsUrl: `/services/data/v${req.version}${base}/${resource}/${page.nextLocator}`
              }
            : {}),
        records: page.records
    };
}

function batchSize(header: string | undefined): number {
    const match = /batchSize\s*=\s*(\d+)/i.exec(header ?? '');
    if (!match) return DEFAULT_BATCH_SIZE;
    return Math.min(DEFAULT_BATCH_SIZE, Math.max(MIN_BATCH_SIZE, Number(match[1])));
}
