/**
 * `composite` (up to 25 subrequests, `@{ref.field}` references, allOrNone; sObject
 * collections among them from API 43.0) and sObject
 * collections `composite/sobjects` (create, update, upsert, delete, retrieve; 200 records
 * per call, allOrNone). Each call is one API request. Subrequests run through the same
 * router as single requests, inside one store transaction.
 */
import type { ObjectDescribe } from '../store/describe';
import type { SObject } from '../store/localOrg';
import { ApiError, toApiError } from './apiError';
import {
    objectBody,
    ok,
    type ApiRequest,
    type ApiResponse,
    type DataApiContext,
    type Router
} from './dataApi';
import { invalidType } from '../query/schemaNames';
import {
    apiRecord,
    externalIdField,
    fieldsFromBody,
    publishEvent,
    sobjectOf,
    upsertOne
} from './recordResources';
import { text } from '../store/textValue';

export const MAX_SUBREQUESTS = 25;
/** Of the 25, at most 5 may be queries (Query, QueryAll) or sObject Collections. */
export const MAX_QUERY_OR_COLLECTION_SUBREQUESTS = 5;
const QUERY_OR_COLLECTION =
    /^\/services\/data\/v\d+\.\d\/(query|queryAll|composite\/sobjects)(\/|\?|$)/;
export const MAX_COLLECTION_RECORDS = 200;

const ROLLED_BACK_SUBREQUEST = {
    errorCode: 'PROCESSING_HALTED',
    message:
        'The transaction was rolled back since another operation in the same transaction failed.'
};
const ROLLED_BACK_RECORD = {
    statusCode: 'ALL_OR_NONE_OPERATION_ROLLED_BACK',
    message:
        'Record rolled back because not all records were valid and the request was using AllOrNone header',
    fields: []
};

/** Thrown inside a transaction to roll it back while keeping the answers gathered so far. */
class RollBack extends Error {}

export function compositeResources(router: Router): void {
    router.add('POST', /^\/composite\/?$/, (req, _m, ctx) => composite(router, req, ctx));

    router
        .add('POST', /^\/composite\/sobjects\/?$/, (req, _m, ctx) =>
            collection(req, ctx, (record) => {
                const object = typeOf(ctx, record);
                if (object.kind === 'platformEvent') {
                    return publishEvent(ctx, object, withoutAttributes(record));
                }
                const created = ctx.org.insert(
                    object.apiName,
                    fieldsFromBody(ctx.names, object, withoutAttributes(record)),
                    {
                        userId: req.session.userId
                    }
                );
                return { id: String(created.Id) };
            })
        )
        .add('PATCH', /^\/composite\/sobjects\/?$/, (req, _m, ctx) =>
            collection(req, ctx, (record) => {
                const object = writableRecordsOf(typeOf(ctx, record));
                const { id, Id, ...fields } = withoutAttributes(record) as Record<string, unknown>;
                const recordId = text(id ?? Id);
                if (!recordId)
                    throw new ApiError(
                        400,
                        'MISSING_ARGUMENT',
                        'Id not specified in an update call',
                        ['Id']
                    );
                ctx.org.update(
                    object.apiName,
                    recordId,
                    fieldsFromBody(ctx.names, object, fields),
                    { userId: req.session.userId }
                );
                return { id: recordId };
            })
        )
        .add(
            'PATCH',
            /^\/composite\/sobjects\/([A-Za-z][A-Za-z0-9_]*)\/([A-Za-z][A-Za-z0-9_]*)\/?$/,
            (req, m, ctx) => {
                const object = sobjectOf(ctx.names, m[1]!);
                const field = externalIdField(ctx.names, object, m[2]!);
                return collection(req, ctx, (record) => {
                    if (typeOf(ctx, record) !== object) {
                        throw new ApiError(
                            400,
                            'INVALID_TYPE',
                            `Every record must be a ${object.apiName} in this call`
                        );
                    }
                    const fields = fieldsFromBody(ctx.names, object, withoutAttributes(record));
                    const value = fields[field.apiName];
                    if (value === undefined || value === null || value === '') {
                        throw new ApiError(
                            400,
                            'MISSING_ARGUMENT',
                            `${field.apiName} not specified`,
                            [field.apiName]
                        );
                    }
                    const result = upsertOne(ctx, req, object, field, String(value), fields);
                    if ('multiple' in result) {
                        throw new ApiError(
                            300,
                            'DUPLICATE_EXTERNAL_ID',
                            `${field.apiName}: more than one record found for external id field`
                        );
                    }
                    return result;
                });
            }
        )
        .add('DELETE', /^\/composite\/sobjects\/?$/, (req, _m, ctx) => {
            const ids = (req.query.get('ids') ?? '').split(',').filter(Boolean);
            const allOrNone = req.query.get('allOrNone') === 'true';
            return collection({ ...req, body: { allOrNone, records: ids } }, ctx, (id) => {
                const object = typeof id === 'string' ? ctx.org.objectForId(id) : undefined;
                if (!object || typeof id !== 'string') {
                    throw new ApiError(404, 'ENTITY_IS_DELETED', 'entity is deleted');
                }
                ctx.org.delete(object.apiName, id);
                return { id };
            });
        })
        .add('GET', /^\/composite\/sobjects\/([A-Za-z][A-Za-z0-9_]*)\/?$/, (req, m, ctx) =>
            retrieve(
                req,
                ctx,
                m[1]!,
                (req.query.get('ids') ?? '').split(','),
                (req.query.get('fields') ?? '').split(',')
            )
        )
        .add('POST', /^\/composite\/sobjects\/([A-Za-z][A-Za-z0-9_]*)\/?$/, (req, m, ctx) => {
            const body = objectBody(req.body);
            return retrieve(req, ctx, m[1]!, asStrings(body.ids), asStrings(body.fields));
        });
}

function composite(router: Router, req: ApiRequest, ctx: DataApiContext): ApiResponse {
    const body = objectBody(req.body);
    const subrequests = body.compositeRequest;
    if (!Array.isArray(subrequests) || subrequests.length === 0) {
        throw new ApiError(400, 'INVALID_INPUT', 'compositeRequest must be a non-empty array');
    }
    const overLimit = limitExceeded(subrequests.map((raw) => text(objectBody(raw).url)));
    // The platform answers a request over its limits like a composite answer: HTTP 200, one
    // result without a reference id, and nothing run.
    if (overLimit) {
        return ok({
            compositeResponse: [
                {
                    body: [{ errorCode: 'LIMIT_EXCEEDED', message: overLimit }],
                    httpHeaders: {},
                    httpStatusCode: 400,
                    referenceId: null
                }
            ]
        });
    }
    const allOrNone = body.allOrNone === true;
    const results = new Map<string, unknown>();
    /** Reference ids whose subrequest failed: what refers to them is not run. */
    const failedReferences = new Set<string>();
    const answers: {
        body: unknown;
        httpHeaders: Record<string, string>;
        httpStatusCode: number;
        referenceId: string;
    }[] = [];
    const run = () => {
        let failed = false;
        for (const raw of subrequests) {
            const sub = objectBody(raw);
            const referenceId = text(sub.referenceId);
            if (failed && allOrNone) {
                answers.push({
                    body: [ROLLED_BACK_SUBREQUEST],
                    httpHeaders: {},
                    httpStatusCode: 400,
                    referenceId
                });
                continue;
            }
            const response = runSubrequest(router, req, ctx, sub, results, {
                allOrNone,
                failedReferences
            });
            answers.push({
                body: response.body ?? null,
                httpHeaders: response.headers ?? {},
                httpStatusCode: response.status,
                referenceId
            });
            if (response.status < 300 && !(allOrNone && hasFailedRecord(response.body))) {
                results.set(referenceId, response.body);
            } else {
                failed = true;
                failedReferences.add(referenceId);
            }
        }
        if (failed && allOrNone) {
            for (const answer of answers) {
                if (answer.httpStatusCode < 300 && !failedReferences.has(answer.referenceId)) {
                    answer.body = [ROLLED_BACK_SUBREQUEST];
                    answer.httpStatusCode = 400;
                    answer.httpHeaders = {};
                }
            }
            throw new RollBack();
        }
    };
    if (allOrNone) {
        try {
            ctx.org.transaction(run);
        } catch (error) {
            if (!(error instanceof RollBack)) throw error;
        }
    } else {
        run();
    }
    return ok({ compositeResponse: answers });
}

/** Why a composite request is over the platform's limits, or undefined when it is within them. */
function limitExceeded(urls: readonly string[]): string | undefined {
    if (urls.length > MAX_SUBREQUESTS) {
        return `The request can\u2019t contain more than ${MAX_SUBREQUESTS} operations.`;
    }
    const heavy = urls.filter((url) => QUERY_OR_COLLECTION.test(url)).length;
    if (heavy > MAX_QUERY_OR_COLLECTION_SUBREQUESTS) {
        return `The request can\u2019t contain more than ${MAX_QUERY_OR_COLLECTION_SUBREQUESTS} query or sObject Collections operations.`;
    }
    return undefined;
}

/** Under an all-or-none composite, a collection with a refused record fails the whole request. */
function hasFailedRecord(body: unknown): boolean {
    return (
        Array.isArray(body) &&
        body.some((r) => (r as { success?: unknown } | null)?.success === false)
    );
}

function runSubrequest(
    router: Router,
    req: ApiRequest,
    ctx: DataApiContext,
    sub: Record<string, unknown>,
    results: Map<string, unknown>,
    outer: { allOrNone: boolean; failedReferences: ReadonlySet<string> }
): ApiResponse {
    try {
        const method = text(sub.method).toUpperCase();
        const dependsOn = [
            ...`${text(sub.url)} ${JSON.stringify(sub.body ?? null)}`.matchAll(REFERENCE)
        ].find((m) => outer.failedReferences.has(m[1]!));
        if (dependsOn) {
            // allOrNone:false runs on past a failed subrequest, but not what depends on it.
            throw new ApiError(
                400,
                'PROCESSING_HALTED',
                `Invalid reference specified. No value for ${dependsOn[0]} found in ${dependsOn[1]!}. Provided referenceId ('${dependsOn[1]!}') must match one of the existing referenceIds in the request.`
            );
        }
        const url = resolveReferences(text(sub.url), results);
        const match = /^\/services\/data\/v(\d+\.\d)(\/[^?]*)(?:\?(.*))?$/.exec(url);
        if (!match)
            throw new ApiError(
                400,
                'INVALID_INPUT',
                `Subrequest URL must start with /services/data/vXX.X/: ${url}`
            );
        // sObject Collections are a composite subrequest since API 43.0; composite itself,
        // batch, tree and graph are not.
        if (
            match[2]!.startsWith('/composite') &&
            !(/^\/composite\/sobjects(\/|$)/.test(match[2]!) && Number(match[1]) >= 43)
        ) {
            throw new ApiError(
                400,
                'INVALID_INPUT',
                'A composite subrequest cannot be another composite request'
            );
        }
        const resolved: unknown =
            sub.body === undefined
                ? undefined
                : JSON.parse(resolveReferences(JSON.stringify(sub.body), results));
        const query = new URLSearchParams(match[3] ?? '');
        const isCollection = /^\/composite\/sobjects(\/|$)/.test(match[2]!);
        // An all-or-none composite overrides its collections' own allOrNone.
        const body =
            outer.allOrNone && isCollection && resolved && typeof resolved === 'object'
                ? { ...(resolved as Record<string, unknown>), allOrNone: true }
                : resolved;
        if (outer.allOrNone && isCollection && method === 'DELETE') query.set('allOrNone', 'true');
        return router.dispatch(
            {
                ...req,
                method,
                path: match[2]!,
                query,
                body,
                version: match[1]!
            },
            ctx
        );
    } catch (error) {
        const apiError = toApiError(error);
        if (!apiError) throw error;
        return { status: apiError.status, body: apiError.body() };
    }
}

/** `@{ref.path}`: the reference id, then the path into its answer. */
const REFERENCE = /@\{([A-Za-z0-9_]+)((?:\.[A-Za-z0-9_]+|\[\d+\])*)\}/g;

/** Replaces `@{ref.path}` with values from earlier answers (`@{NewAccount.id}`, `@{q.records[0].Id}`). */
function resolveReferences(template: string, results: Map<string, unknown>): string {
    return template.replace(REFERENCE, (whole, ref: string, path: string) => {
        if (!results.has(ref)) {
            throw new ApiError(
                400,
                'INVALID_INPUT',
                `Invalid reference specified. No value for ${whole} found in ${ref}.`
            );
        }
        let value: unknown = results.get(ref);
        for (const step of path.match(/\.[A-Za-z0-9_]+|\[\d+\]/g) ?? []) {
            const key = step.startsWith('[') ? Number(step.slice(1, -1)) : step.slice(1);
            value =
                value && typeof value === 'object'
                    ? (value as Record<string | number, unknown>)[key]
                    : undefined;
        }
        if (value === undefined || value === null || typeof value === 'object') {
            throw new ApiError(
                400,
                'INVALID_INPUT',
                `Invalid reference specified. No value for ${whole} found in ${ref}.`
            );
        }
        return text(value);
    });
}

type SaveResult = { id: string | null; success: boolean; errors: unknown[]; created?: boolean };

function collection(
    req: ApiRequest,
    ctx: DataApiContext,
    save: (record: unknown) => { id: string; created?: boolean }
): ApiResponse {
    const body = objectBody(req.body);
    const records = body.records;
    if (!Array.isArray(records))
        throw new ApiError(400, 'INVALID_INPUT', 'records must be an array');
    if (records.length > MAX_COLLECTION_RECORDS) {
        throw new ApiError(
            400,
            'EXCEEDED_ID_LIMIT',
            `record limit reached. cannot submit more than ${MAX_COLLECTION_RECORDS} records into this call`
        );
    }
    const allOrNone = body.allOrNone === true;
    const results: SaveResult[] = [];
    const run = () => {
        for (const record of records) {
            try {
                const saved = ctx.org.transaction(() => save(record));
                results.push({
                    id: saved.id,
                    success: true,
                    errors: [],
                    ...(saved.created !== undefined ? { created: saved.created } : {})
                });
            } catch (error) {
                const apiError = toApiError(error);
                if (!apiError) throw error;
                results.push({
                    id: null,
                    success: false,
                    errors: [
                        {
                            statusCode: apiError.errorCode,
                            message: apiError.message,
                            fields: apiError.fields
                        }
                    ]
                });
            }
        }
        if (allOrNone && results.some((r) => !r.success)) {
            for (const [i, result] of results.entries()) {
                if (result.success)
                    results[i] = { id: null, success: false, errors: [ROLLED_BACK_RECORD] };
            }
            throw new RollBack();
        }
    };
    try {
        ctx.org.transaction(run);
    } catch (error) {
        if (!(error instanceof RollBack)) throw error;
    }
    return ok(results);
}

function retrieve(
    req: ApiRequest,
    ctx: DataApiContext,
    objectName: string,
    ids: string[],
    fields: string[]
): ApiResponse {
    const object = sobjectOf(ctx.names, objectName);
    const wanted = ids.filter(Boolean);
    if (wanted.length > 2000)
        throw new ApiError(400, 'EXCEEDED_ID_LIMIT', 'Too many ids: 2000 at most');
    const names = fields.filter(Boolean).map((f) => ctx.names.field(object, f.trim()).apiName);
    if (names.length === 0)
        throw new ApiError(400, 'MISSING_ARGUMENT', 'fields must name at least one field');
    return ok(
        wanted.map((id) => {
            const record = ctx.org.get(object.apiName, id, names);
            return record ? apiRecord(object, record, req.version, names) : null;
        })
    );
}

function typeOf(ctx: DataApiContext, record: unknown): ObjectDescribe {
    const type = (record as { attributes?: { type?: unknown } } | null)?.attributes?.type;
    if (typeof type !== 'string') {
        throw new ApiError(400, 'INVALID_INPUT', 'Each record needs attributes.type');
    }
    const object = ctx.names.anyObject(type);
    if (!object) throw invalidType(type);
    if (object.kind === 'customMetadata') {
        throw new ApiError(
            400,
            'INVALID_TYPE_FOR_OPERATION',
            `entity type ${object.apiName} does not support this operation`
        );
    }
    return object;
}

function withoutAttributes(record: unknown): SObject {
    const { attributes: _attributes, ...fields } = objectBody(record);
    return fields as SObject;
}

function asStrings(value: unknown): string[] {
    return Array.isArray(value) ? value.map(String) : [];
}

function writableRecordsOf(object: ObjectDescribe): ObjectDescribe {
    if (object.kind !== 'object') {
        throw new ApiError(
            400,
            'INVALID_TYPE_FOR_OPERATION',
            `entity type ${object.apiName} does not support this operation`
        );
    }
    return object;
}
