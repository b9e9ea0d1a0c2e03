/**
 * The REST API's resources as plain synchronous handlers behind one small router, so a
 * composite request runs its subrequests through exactly the code a single request runs,
 * inside one store transaction (allOrNone rolls everything back, nothing interleaves).
 */
import type { Session } from '../auth/sessions';
import type { LocalOrg } from '../store/localOrg';
import type { SchemaNames } from '../query/schemaNames';
import { ApiError, notFound } from './apiError';
import type { QueryCursors } from './queryCursors';

export interface ApiRequest {
    method: string;
    /** The path after `/services/data/vXX.X` (e.g. `/sobjects/Account/001…`). */
    path: string;
    query: URLSearchParams;
    body: unknown;
    headers: Record<string, string | undefined>;
    /** `62.0` */
    version: string;
    session: Session;
}

export interface ApiResponse {
    status: number;
    body?: unknown;
    headers?: Record<string, string>;
}

export interface LimitValue {
    Max: number;
    Remaining: number;
}

/** What publishing a platform event through REST reaches (the event bus). */
export interface RestEventPublisher {
    publish(
        entity: string,
        payload: Record<string, unknown>
    ): { ok: true; uuid: string } | { ok: false; errorCode: string; message: string };
}

/** One API surface over one store: the data API, or the Tooling API over its own objects. */
export interface DataApiContext {
    org: LocalOrg;
    names: SchemaNames;
    cursors: QueryCursors;
    now(): number;
    limits(): Record<string, LimitValue>;
    events?: RestEventPublisher;
}

export type Handler = (
    request: ApiRequest,
    match: RegExpExecArray,
    context: DataApiContext
) => ApiResponse;

export interface Route {
    method: string;
    pattern: RegExp;
    handle: Handler;
}

export class Router {
    private readonly routes: Route[] = [];

    add(method: string, pattern: RegExp, handle: Handler): this {
        this.routes.push({ method, pattern, handle });
        return this;
    }

    dispatch(request: ApiRequest, context: DataApiContext): ApiResponse {
        let pathMatched = false;
        for (const route of this.routes) {
            const match = route.pattern.exec(request.path);
            if (!match) continue;
            pathMatched = true;
            if (route.method === request.method) return route.handle(request, match, context);
        }
        if (pathMatched) {
            throw new ApiError(
                405,
                'METHOD_NOT_ALLOWED',
                `HTTP Method '${request.method}' not allowed. Allowed are ${this.allowed(request.path).join(',')}`
            );
        }
        throw notFound();
    }

    private allowed(path: string): string[] {
        return this.routes.filter((r) => r.pattern.test(path)).map((r) => r.method);
    }
}

export function ok(body: unknown, status = 200): ApiResponse {
    return { status, body };
}

export const noContent: ApiResponse = { status: 204 };

/** A JSON object body, or the API's JSON parser error. */
export function objectBody(body: unknown): Record<string, unknown> {
    if (!body || typeof body !== 'object' || Array.isArray(body)) {
        throw new ApiError(400, 'JSON_PARSER_ERROR', 'The request body must be a JSON object.');
    }
    return body as Record<string, unknown>;
}
