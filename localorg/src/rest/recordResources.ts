/**
 * sObject resources: describe, create, read, update, delete and upsert by external id,
 * with the REST API's answers (201 `{ id, success, errors }`, 204 on update and delete,
 * `created` on upsert) and refusals (NOT_FOUND, INVALID_FIELD, REQUIRED_FIELD_MISSING,
 * DUPLICATE_VALUE… from the store's checks). Platform events are published, not stored.
 */
import type { FieldDescribe, ObjectDescribe } from '../store/describe';
import type { FieldValue, SObject } from '../store/localOrg';
import { makeId, normaliseId } from '../store/salesforceId';
import { apiValue } from '../query/runSoql';
import type { SchemaNames } from '../query/schemaNames';
import { ApiError, notFound } from './apiError';
import {
    noContent,
    objectBody,
    ok,
    type ApiRequest,
    type DataApiContext,
    type Router
} from './dataApi';
import { globalDescribe, objectDescribe } from './describeResources';

const NAME = '([A-Za-z][A-Za-z0-9_]*)';
const VALUE = '([^/]+)';

export function recordResources(router: Router): void {
    router
        .add('GET', /^\/sobjects\/?$/, (req, _m, ctx) =>
            ok(globalDescribe(ctx.names.schema.values(), req.version))
        )
        .add('GET', new RegExp(`^/sobjects/${NAME}/?$`), (req, m, ctx) => {
            const object = sobjectOf(ctx.names, m[1]!);
            return ok({
                objectDescribe: globalDescribe([object], req.version).sobjects[0],
                recentItems: []
            });
        })
        .add('GET', new RegExp(`^/sobjects/${NAME}/describe/?$`), (req, m, ctx) =>
            ok(objectDescribe(sobjectOf(ctx.names, m[1]!), req.version))
        )
        .add('POST', new RegExp(`^/sobjects/${NAME}/?$`), (req, m, ctx) => {
            const object = sobjectOf(ctx.names, m[1]!);
            if (object.kind === 'platformEvent')
                return ok(publishEvent(ctx, object, req.body), 201);
            refuseMetadataDml(object, 'create');
            const record = ctx.org.insert(
                object.apiName,
                fieldsFromBody(ctx.names, object, req.body),
                {
                    userId: req.session.userId,
                    ...saveRuleHeaders(req.headers)
                }
            );
            return ok({ id: record.Id, success: true, errors: [] }, 201);
        })
        .add('GET', new RegExp(`^/sobjects/${NAME}/${VALUE}/?$`), (req, m, ctx) => {
            const object = queryableObject(ctx.names, m[1]!);
            const fields = req.query.get('fields');
            const names = fields
                ? fields.split(',').map((f) => ctx.names.field(object, f.trim()).apiName)
                : undefined;
            const record = ctx.org.get(object.apiName, decodeURIComponent(m[2]!), names);
            if (!record) throw notFound();
            return ok(apiRecord(object, record, req.version, names));
        })
        .add('PATCH', new RegExp(`^/sobjects/${NAME}/${VALUE}/?$`), (req, m, ctx) => {
            const object = sobjectOf(ctx.names, m[1]!);
            refuseMetadataDml(object, 'update');
            ctx.org.update(
                object.apiName,
                decodeURIComponent(m[2]!),
                fieldsFromBody(ctx.names, object, req.body),
                {
                    userId: req.session.userId
                }
            );
            return noContent;
        })
        .add('DELETE', new RegExp(`^/sobjects/${NAME}/${VALUE}/?$`), (_req, m, ctx) => {
            const object = sobjectOf(ctx.names, m[1]!);
            refuseMetadataDml(object, 'delete');
            ctx.org.delete(object.apiName, decodeURIComponent(m[2]!));
            return noContent;
        })
        .add('GET', new RegExp(`^/sobjects/${NAME}/${NAME}/${VALUE}/?$`), (req, m, ctx) => {
            const object = queryableObject(ctx.names, m[1]!);
            const field = externalIdField(ctx.names, object, m[2]!);
            const matches = matchesOf(ctx, object, field, decodeURIComponent(m[3]!));
            if (matches.length === 0) throw notFound();
            if (matches.length > 1) return multipleMatches(object, matches, req.version);
            return ok(apiRecord(object, matches[0]!, req.version));
        })
        .add('PATCH', new RegExp(`^/sobjects/${NAME}/${NAME}/${VALUE}/?$`), (req, m, ctx) => {
            const object = sobjectOf(ctx.names, m[1]!);
            refuseMetadataDml(object, 'upsert');
            const field = externalIdField(ctx.names, object, m[2]!);
            const result = upsertOne(
                ctx,
                req,
                object,
                field,
                decodeURIComponent(m[3]!),
                fieldsFromBody(ctx.names, object, req.body)
            );
            if ('multiple' in result) return multipleMatches(object, result.multiple, req.version);
            return ok(
                { id: result.id, success: true, errors: [], created: result.created },
                result.created ? 201 : 200
            );
        });
}

/** An object for the sobjects resources: unknown names are NOT_FOUND there (not INVALID_TYPE). */
/**
 * The REST API's save-rule headers: `Sforce-Duplicate-Rule-Header: allowSave=true` saves
 * past an Allow duplicate rule; `Sforce-Auto-Assign` runs the active assignment rule, and
 * is TRUE when absent (the REST API's default), so a client that sets its own OwnerId must
 * send FALSE.
 */
export function saveRuleHeaders(headers: Record<string, string | undefined>): {
    allowDuplicateSave: boolean;
    useAssignmentRule: boolean;
} {
    const duplicate = headers['sforce-duplicate-rule-header'] ?? '';
    const allowSave = /(?:^|;)\s*allowSave\s*=\s*true\s*(?:;|$)/i.test(duplicate);
    const assign = (headers['sforce-auto-assign'] ?? 'TRUE').trim();
    return { allowDuplicateSave: allowSave, useAssignmentRule: !/^false$/i.test(assign) };
}

export function sobjectOf(names: SchemaNames, name: string): ObjectDescribe {
    const object = names.anyObject(name);
    if (!object) throw notFound();
    return object;
}

function queryableObject(names: SchemaNames, name: string): ObjectDescribe {
    const object = sobjectOf(names, name);
    if (object.kind === 'platformEvent') throw notFound();
    return object;
}

function refuseMetadataDml(object: ObjectDescribe, operation: string): void {
    if (object.kind !== 'object') {
        throw new ApiError(
            400,
            'INVALID_TYPE_FOR_OPERATION',
            `entity type ${object.apiName} does not support ${operation}`
        );
    }
}

export function externalIdField(
    names: SchemaNames,
    object: ObjectDescribe,
    name: string
): FieldDescribe {
    const field = names.findField(object, name);
    if (!field) {
        throw new ApiError(
            404,
            'NOT_FOUND',
            `Provided external ID field does not exist or is not accessible: ${name}`
        );
    }
    if (!field.externalId && field.apiName !== 'Id') {
        throw new ApiError(
            400,
            'INVALID_FIELD',
            `Field ${field.apiName} is not an external ID field of ${object.apiName}`,
            [field.apiName]
        );
    }
    return field;
}

function matchesOf(
    ctx: DataApiContext,
    object: ObjectDescribe,
    field: FieldDescribe,
    value: string
): SObject[] {
    if (field.apiName === 'Id') {
        const record = normaliseId(value) ? ctx.org.get(object.apiName, value) : undefined;
        return record ? [record] : [];
    }
    return ctx.org.find(object.apiName, { [field.apiName]: value });
}

function multipleMatches(object: ObjectDescribe, records: SObject[], version: string) {
    return ok(
        records.map((r) => `/services/data/v${version}/sobjects/${object.apiName}/${String(r.Id)}`),
        300
    );
}

export type UpsertResult = { id: string; created: boolean } | { multiple: SObject[] };

export function upsertOne(
    ctx: DataApiContext,
    req: ApiRequest,
    object: ObjectDescribe,
    field: FieldDescribe,
    value: string,
    fields: SObject
): UpsertResult {
    const matches = matchesOf(ctx, object, field, value);
    if (matches.length > 1) return { multiple: matches };
    const { [field.apiName]: _given, ...changes } = fields;
    const userId = req.session.userId;
    if (matches.length === 1) {
        ctx.org.update(object.apiName, String(matches[0]!.Id), changes, { userId });
        return { id: String(matches[0]!.Id), created: false };
    }
    if (field.apiName === 'Id') throw notFound();
    const record = ctx.org.insert(
        object.apiName,
        { ...changes, [field.apiName]: value },
        { userId }
    );
    return { id: String(record.Id), created: true };
}

/** A record as GET returns it: `attributes`, then the fields (date-times in the API's format). */
export function apiRecord(
    object: ObjectDescribe,
    record: SObject,
    version: string,
    names?: string[]
) {
    const out: Record<string, unknown> = {
        attributes: {
            type: object.apiName,
            url: `/services/data/v${version}/sobjects/${object.apiName}/${String(record.Id)}`
        }
    };
    for (const name of names ?? [...object.fields.keys()]) {
        out[name] = apiValue(object.fields.get(name)!, record[name] ?? null);
    }
    return out;
}

/** A request body's fields under their API names; unknown names are INVALID_FIELD. */
export function fieldsFromBody(names: SchemaNames, object: ObjectDescribe, body: unknown): SObject {
    const values: SObject = {};
    for (const [name, value] of Object.entries(objectBody(body))) {
        if (name === 'attributes') continue;
        const field = names.findField(object, name);
        if (!field) {
            throw new ApiError(
                400,
                'INVALID_FIELD',
                `No such column '${name}' on sobject of type ${object.apiName}`,
                [name]
            );
        }
        values[field.apiName] = fieldValue(object, field, value);
    }
    return values;
}

function fieldValue(object: ObjectDescribe, field: FieldDescribe, value: unknown): FieldValue {
    if (
        value === null ||
        typeof value === 'string' ||
        typeof value === 'number' ||
        typeof value === 'boolean'
    ) {
        if (
            field.type === 'DateTime' &&
            typeof value === 'string' &&
            !Number.isNaN(Date.parse(value))
        ) {
            return new Date(Date.parse(value)).toISOString();
        }
        return value;
    }
    throw new ApiError(
        400,
        'JSON_PARSER_ERROR',
        `Cannot deserialize instance of ${field.type.toLowerCase()} from ${Array.isArray(value) ? 'an array' : 'an object'} for ${object.apiName}.${field.apiName}`,
        [field.apiName]
    );
}

let eventSequence = 0;

/** Publishes one platform event through the event bus (each counts against the hourly allocation there). */
export function publishEvent(ctx: DataApiContext, object: ObjectDescribe, body: unknown) {
    const payload = fieldsFromBody(ctx.names, object, body);
    if (!ctx.events) {
        throw new ApiError(
            503,
            'SERVICE_UNAVAILABLE',
            'The local org was started without its event bus.'
        );
    }
    const result = ctx.events.publish(object.apiName, payload);
    if (!result.ok) throw new ApiError(400, result.errorCode, result.message);
    return { id: makeId('e00', ++eventSequence), success: true as const, errors: [] };
}
