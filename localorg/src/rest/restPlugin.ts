/**
 * `/services/data`: the versions list, then for `/services/data/vXX.X/…` the gate every REST
 * call passes on the platform: a valid session (401 INVALID_SESSION_ID), the daily API
 * allocation (403 REQUEST_LIMIT_EXCEEDED, `Sforce-Limit-Info` on every answer), then the
 * resource: the data API, or the Tooling API under `/tooling`.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Session, Sessions } from '../auth/sessions';
import type { ApiUsage } from '../limits/apiUsage';
import { ApiError, notFound, toApiError } from './apiError';
import type { DataApiContext, Router } from './dataApi';

/** The versions this org answers; the newest is what the package's sourceApiVersion names. */
export const API_VERSIONS = Array.from({ length: 62 - 42 + 1 }, (_, i) => `${42 + i}.0`);

export interface RestPluginOptions {
    sessions: Sessions;
    usage: ApiUsage;
    data: { router: Router; context: DataApiContext };
    tooling: { router: Router; context: DataApiContext };
    /** Called after each dispatched call, with its user (the org publishes change events here). */
    afterCall?(session: Session, version: string): void;
}

/** The session a request's `Authorization: Bearer …` (or `OAuth …`) names, if it is live. */
export function sessionOf(sessions: Sessions, request: FastifyRequest): Session | undefined {
    const match = /^(?:Bearer|OAuth)\s+(\S+)$/i.exec(request.headers.authorization ?? '');
    return match ? sessions.use(match[1]!) : undefined;
}

export function restPlugin(app: FastifyInstance, options: RestPluginOptions): void {
    app.get('/services/data', listVersions);
    app.get('/services/data/', listVersions);

    app.route({
        method: ['GET', 'POST', 'PATCH', 'PUT', 'DELETE', 'HEAD'],
        url: '/services/data/*',
        handler: async (request, reply) => {
            const [path = '', search = ''] = request.url
                .slice('/services/data'.length)
                .split('?', 2) as [string, string?];
            const versioned = /^\/v(\d+\.\d)(\/.*)?$/.exec(path);
            if (!versioned || !API_VERSIONS.includes(versioned[1]!)) return send(reply, notFound());
            const session = sessionOf(options.sessions, request);
            if (!session)
                return send(
                    reply,
                    new ApiError(401, 'INVALID_SESSION_ID', 'Session expired or invalid')
                );
            if (!options.usage.tryCount(requestKind(request.method, versioned[2] ?? '/', search))) {
                reply.header('sforce-limit-info', options.usage.header());
                return send(
                    reply,
                    new ApiError(403, 'REQUEST_LIMIT_EXCEEDED', 'TotalRequests Limit exceeded.')
                );
            }
            reply.header('sforce-limit-info', options.usage.header());
            const version = versioned[1]!;
            const rest = versioned[2] ?? '/';
            if (rest === '/' || rest === '') return reply.send(resourceDirectory(version));
            const target = rest.startsWith('/tooling/') ? options.tooling : options.data;
            try {
                const response = dispatch(
                    {
                        method: request.method,
                        path: decodePath(rest),
                        query: new URLSearchParams(search),
                        body: request.body,
                        headers: request.headers as Record<string, string | undefined>,
                        version,
                        session
                    },
                    target.context
                );
                function dispatch(...args: Parameters<Router['dispatch']>) {
                    try {
                        return target.router.dispatch(...args);
                    } finally {
                        options.afterCall?.(session!, version);
                    }
                }
                reply.code(response.status);
                for (const [name, value] of Object.entries(response.headers ?? {}))
                    reply.header(name, value);
                return response.body === undefined ? reply.send() : reply.send(response.body);
            } catch (error) {
                const apiError = toApiError(error);
                if (!apiError) throw error;
                return send(reply, apiError);
            }
        }
    });
}

/**
 * What a call is, for the request log's totals: the method and resource, with the object a
 * query reads (`GET query Account`) or a record call names (`PATCH composite/sobjects
 * Website_Visitor__c`); record ids and external id values are left out.
 */
export function requestKind(method: string, path: string, search: string): string {
    const segments = path.split('/').filter(Boolean);
    if (segments[0] === 'tooling') return `${method} tooling`;
    if (segments[0] === 'query' || segments[0] === 'queryAll') {
        const soql = new URLSearchParams(search).get('q') ?? '';
        const from = /\bFROM\s+(\w+)/i.exec(soql)?.[1];
        return `${method} ${segments[0]}${from ? ` ${from}` : ' (more)'}`;
    }
    if (segments[0] === 'sobjects')
        return `${method} sobjects${segments[1] ? ` ${segments[1]}` : ''}`;
    if (segments[0] === 'composite' && segments[1] === 'sobjects')
        return `${method} composite/sobjects${segments[2] ? ` ${segments[2]}` : ''}`;
    return `${method} ${segments[0] ?? '/'}`;
}

/** A malformed escape in the path is the client's error, not the server's. */
function decodePath(path: string): string {
    try {
        return decodeURI(path);
    } catch {
        throw new ApiError(400, 'INVALID_URL', `Malformed URL: ${path}`);
    }
}

function send(reply: FastifyReply, error: ApiError) {
    return reply.code(error.status).send(error.body());
}

async function listVersions() {
    return API_VERSIONS.map((version) => ({
        label: `v${version}`,
        url: `/services/data/v${version}`,
        version
    }));
}

function resourceDirectory(version: string) {
    const base = `/services/data/v${version}`;
    return Object.fromEntries(
        ['sobjects', 'query', 'queryAll', 'composite', 'limits', 'tooling', 'ui-api'].map((r) => [
            r,
            `${base}/${r}`
        ])
    );
}
