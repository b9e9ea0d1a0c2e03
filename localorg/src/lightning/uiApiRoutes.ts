/**
 * The subset of the User Interface API that `lightning/uiRecordApi` uses, served from the
 * local org: GET/PATCH/DELETE /ui-api/records/{id} and POST /ui-api/records, with the
 * platform's record representation and error shapes. Reads answer as the signed-in user's
 * sharing allows (store/sharing.ts).
 */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { ObjectDescribe } from '../store/describe';
import { LocalOrgError, type LocalOrg, type SObject } from '../store/localOrg';
import { Sharing } from '../store/sharing';
import { currentUser } from './localSession';

const UI_API = '/services/data/v62.0/ui-api';

const FieldValues = z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()]));
const CreateBody = z.object({ apiName: z.string().min(1), fields: FieldValues });
const UpdateBody = z.object({ fields: FieldValues, ifUnmodifiedSince: z.string().optional() });

interface FieldValueRepresentation {
    value: unknown;
    displayValue: string | null;
}

export function uiApiRoutes(app: FastifyInstance, org: LocalOrg): void {
    app.get<{ Params: { id: string }; Querystring: { fields?: string; optionalFields?: string } }>(
        `${UI_API}/records/:id`,
        async (request, reply) => {
            const object = org.objectForId(request.params.id);
            const record = object && org.get(object.apiName, request.params.id);
            if (!object || !record)
                return reply
                    .code(404)
                    .send([
                        { errorCode: 'NOT_FOUND', message: 'The requested resource does not exist' }
                    ]);
            // The UI API runs as the signed-in user: a record their sharing hides is refused.
            if (!new Sharing(org).canRead(currentUser(org, request).id, request.params.id))
                return reply.code(403).send([
                    {
                        errorCode: 'INSUFFICIENT_ACCESS',
                        message:
                            "You don't have access to this record. Ask your administrator for help or to request access."
                    }
                ]);
            const fields = splitList(request.query.fields);
            const optional = splitList(request.query.optionalFields);
            if (fields.length + optional.length === 0) {
                return reply
                    .code(400)
                    .send([
                        { errorCode: 'INVALID_INPUT', message: 'Specify fields or optionalFields' }
                    ]);
            }
            try {
                return representation(org, object, record, fields, optional);
            } catch (error) {
                return sendError(reply, error);
            }
        }
    );

    app.post(`${UI_API}/records`, async (request, reply) => {
        const body = CreateBody.safeParse(request.body);
        if (!body.success)
            return reply
                .code(400)
                .send([{ errorCode: 'INVALID_INPUT', message: body.error.issues[0]?.message }]);
        try {
            const object = org.describe(body.data.apiName);
            const user = currentUser(org, request);
            const record = org.insert(object.apiName, body.data.fields, { userId: user.id });
            return reply.code(201).send(
                representation(
                    org,
                    object,
                    record,
                    [...object.fields.keys()].map((f) => `${object.apiName}.${f}`),
                    []
                )
            );
        } catch (error) {
            return sendError(reply, error);
        }
    });

    app.patch<{ Params: { id: string } }>(`${UI_API}/records/:id`, async (request, reply) => {
        const body = UpdateBody.safeParse(request.body);
        if (!body.success)
            return reply
                .code(400)
                .send([{ errorCode: 'INVALID_INPUT', message: body.error.issues[0]?.message }]);
        const object = org.objectForId(request.params.id);
        if (!object)
            return reply
                .code(404)
                .send([
                    { errorCode: 'NOT_FOUND', message: 'The requested resource does not exist' }
                ]);
        try {
            const existing = org.get(object.apiName, request.params.id);
            const since = body.data.ifUnmodifiedSince;
            if (
                existing &&
                since &&
                Date.parse(String(existing.LastModifiedDate)) > Date.parse(since)
            ) {
                return reply.code(412).send([
                    {
                        errorCode: 'PRECONDITION_FAILED',
                        message: 'The record was modified after the requested time.'
                    }
                ]);
            }
            const user = currentUser(org, request);
            const record = org.update(object.apiName, request.params.id, body.data.fields, {
                userId: user.id
            });
            return representation(
                org,
                object,
                record,
                [...object.fields.keys()].map((f) => `${object.apiName}.${f}`),
                []
            );
        } catch (error) {
            return sendError(reply, error);
        }
    });

    app.delete<{ Params: { id: string } }>(`${UI_API}/records/:id`, async (request, reply) => {
        const object = org.objectForId(request.params.id);
        if (!object)
            return reply
                .code(404)
                .send([
                    { errorCode: 'NOT_FOUND', message: 'The requested resource does not exist' }
                ]);
        try {
            org.delete(object.apiName, request.params.id);
            return reply.code(204).send();
        } catch (error) {
            return sendError(reply, error);
        }
    });
}

function splitList(value: string | undefined): string[] {
    return (value ?? '')
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean);
}

/**
 * Builds `{ apiName, id, fields }` for `Object.Field` and `Object.Relationship.Field`
 * names. A required field that does not exist is an error; an optional one is skipped.
 */
function representation(
    org: LocalOrg,
    object: ObjectDescribe,
    record: SObject,
    fields: string[],
    optional: string[]
) {
    const out: Record<string, FieldValueRepresentation> = {};
    const add = (qualified: string, required: boolean) => {
        const [objectName, ...path] = qualified.split('.');
        if (objectName !== object.apiName || path.length === 0) {
            if (required)
                throw new LocalOrgError(
                    'INVALID_FIELD',
                    `${qualified} is not a field of ${object.apiName}`,
                    [qualified]
                );
            return;
        }
        const [first = '', second] = path;
        if (second === undefined) {
            const field = object.fields.get(first);
            if (!field) {
                if (required)
                    throw new LocalOrgError(
                        'INVALID_FIELD',
                        `No such column '${first}' on entity '${object.apiName}'.`,
                        [first]
                    );
                return;
            }
            out[first] = {
                value: record[first] ?? null,
                displayValue: displayValue(record[first] ?? null, field.type)
            };
            return;
        }
        const idField = first.endsWith('__r') ? first.replace(/__r$/, '__c') : `${first}Id`;
        const lookup = object.fields.get(idField);
        const target = lookup?.referenceTo ? org.describe(lookup.referenceTo) : undefined;
        if (!lookup || !target || !target.fields.has(second)) {
            if (required)
                throw new LocalOrgError(
                    'INVALID_FIELD',
                    `No such relationship field '${first}.${second}' on entity '${object.apiName}'.`,
                    [qualified]
                );
            return;
        }
        const relatedId = record[idField];
        const related =
            typeof relatedId === 'string' ? org.get(target.apiName, relatedId) : undefined;
        type Nested = {
            apiName: string;
            id: unknown;
            fields: Record<string, FieldValueRepresentation>;
        };
        const nested = (out[first]?.value as Nested | null) ?? {
            apiName: target.apiName,
            id: related?.Id ?? null,
            fields: {}
        };
        if (related) nested.fields[second] = { value: related[second] ?? null, displayValue: null };
        out[first] = {
            value: related ? nested : null,
            displayValue: related ? String(related.Name ?? '') : null
        };
    };
    fields.forEach((f) => add(f, true));
    optional.forEach((f) => add(f, false));
    return {
        apiName: object.apiName,
        id: record.Id,
        fields: out,
        childRelationships: {},
        lastModifiedDate: record.LastModifiedDate ?? null,
        recordTypeId: null
    };
}

/** Lightning formats some values for display; the console only relies on currency. */
function displayValue(value: unknown, type: string): string | null {
    return type === 'Currency' && typeof value === 'number'
        ? `$${value.toLocaleString('en-US')}`
        : null;
}

function sendError(reply: import('fastify').FastifyReply, error: unknown) {
    if (error instanceof LocalOrgError) {
        const status = error.errorCode === 'NOT_FOUND' ? 404 : 400;
        const fieldErrors = Object.fromEntries(
            error.fields.map((f) => [
                f,
                [{ errorCode: error.errorCode, field: f, message: error.message }]
            ])
        );
        return reply.code(status).send({
            message: error.message,
            enhancedErrorType: 'RecordError',
            output: {
                errors: error.fields.length
                    ? []
                    : [{ errorCode: error.errorCode, message: error.message }],
                fieldErrors
            }
        });
    }
    throw error;
}
