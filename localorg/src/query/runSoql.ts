/**
 * Runs a SOQL query against the local org's store: parsed by @jetstreamapp/soql-parser-js,
 * names checked against the schema (case-insensitively, as the API does), evaluated over
 * the object's records. The subset Sightline uses: fields and parent relationship paths
 * (`Owner.Name`, `Account.Owner.Name`), WHERE (= != < <= > >= IN NOT IN LIKE, AND OR NOT,
 * semi-joins, date literals), ORDER BY, LIMIT, OFFSET and COUNT(). Anything else is
 * refused with MALFORMED_QUERY rather than answered differently from an org.
 */
import { parseQuery, type FieldType, type Query } from '@jetstreamapp/soql-parser-js';
import type { FieldDescribe, ObjectDescribe } from '../store/describe';
import type { FieldValue, LocalOrg, SObject } from '../store/localOrg';
import { ApiError } from '../rest/apiError';
import {
    compileWhere,
    evaluate,
    orderingOf,
    type ConditionNode,
    type FieldRef
} from './conditions';
import { SchemaNames } from './schemaNames';
import { userRecordAccessRows } from './userRecordAccess';

export interface PathRef extends FieldRef {
    /** Parent relationships walked from the queried object, in order. */
    steps: { relationship: string; lookup: FieldDescribe; target: ObjectDescribe }[];
}

export type ApiRecord = { attributes: { type: string; url: string } } & Record<string, unknown>;

export interface SoqlResult {
    object: ObjectDescribe;
    /** Matching records as the REST API returns them (with `attributes`, parents nested). */
    records: ApiRecord[];
    selected: PathRef[];
    /** The raw value of each selected field per record (semi-joins read these). */
    values: FieldValue[][];
    totalSize: number;
    countOnly: boolean;
}

export interface SoqlOptions {
    now?: number;
    /** The API version in record URLs (`/services/data/v62.0/sobjects/…`). */
    version?: string;
}

export const MAX_OFFSET = 2000;

export function parseSoql(soql: string): Query {
    try {
        return parseQuery(soql);
    } catch (error) {
        const found = /but found: '([^']*)'/.exec(String((error as Error).message))?.[1];
        throw new ApiError(
            400,
            'MALFORMED_QUERY',
            found !== undefined ? `unexpected token: '${found}'` : `malformed query: ${soql}`
        );
    }
}

export function runSoql(
    org: LocalOrg,
    names: SchemaNames,
    soql: string,
    options: SoqlOptions = {}
): SoqlResult {
    return runQuery(org, names, parseSoql(soql), {
        now: options.now ?? Date.now(),
        version: options.version ?? DEFAULT_VERSION
    });
}

const DEFAULT_VERSION = '62.0';

function runQuery(
    org: LocalOrg,
    names: SchemaNames,
    query: Query,
    options: Required<SoqlOptions>
): SoqlResult {
    const now = options.now;
    for (const unsupported of [
        'groupBy',
        'having',
        'withDataCategory',
        'for',
        'update',
        'usingScope'
    ] as const) {
        if (query[unsupported] !== undefined) {
            throw new ApiError(
                400,
                'MALFORMED_QUERY',
                `The local org does not evaluate ${unsupported} clauses.`
            );
        }
    }
    if (!query.sObject) throw new ApiError(400, 'MALFORMED_QUERY', 'unexpected token: FROM');
    const object = names.object(query.sObject);
    const resolve = (path: string): PathRef => resolvePath(names, object, path);
    const fields = query.fields ?? [];
    const countOnly = fields.some(isCount);
    if (countOnly && fields.length > 1) {
        throw new ApiError(
            400,
            'MALFORMED_QUERY',
            'COUNT() must be the only element in the SELECT list.'
        );
    }
    const selected = countOnly ? [] : fields.map((f) => selectedPath(f, resolve));
    if (query.offset !== undefined && query.offset > MAX_OFFSET) {
        throw new ApiError(
            400,
            'NUMBER_OUTSIDE_VALID_RANGE',
            `Maximum SOQL offset allowed is ${MAX_OFFSET}`
        );
    }

    const reader = new RecordReader(org);
    const where: ConditionNode | undefined = query.where
        ? compileWhere(query.where, {
              resolve,
              now,
              semiJoin: (inner) => semiJoinValues(org, names, inner, options)
          })
        : undefined;
    let records =
        object.apiName === 'UserRecordAccess'
            ? userRecordAccessRows(org, query)
            : org.find(object.apiName);
    if (where)
        records = records.filter((r) =>
            evaluate(where, r, (rec, ref) => reader.read(object, rec, ref as PathRef))
        );

    const orderBy = query.orderBy
        ? Array.isArray(query.orderBy)
            ? query.orderBy
            : [query.orderBy]
        : [];
    if (orderBy.length) {
        const keys = orderBy.map((clause) => {
            if (!('field' in clause))
                throw new ApiError(400, 'MALFORMED_QUERY', 'The local org orders by fields only.');
            const ref = resolve(clause.field);
            const descending = clause.order === 'DESC';
            const nullsFirst = clause.nulls ? clause.nulls === 'FIRST' : !descending;
            return { ref, descending, nullsFirst, compare: orderingOf(ref.field) };
        });
        records = [...records].sort((a, b) => {
            for (const key of keys) {
                const x = reader.read(object, a, key.ref);
                const y = reader.read(object, b, key.ref);
                if (x === null && y === null) continue;
                if (x === null) return key.nullsFirst ? -1 : 1;
                if (y === null) return key.nullsFirst ? 1 : -1;
                const order = key.compare(x, y);
                if (order !== 0) return key.descending ? -order : order;
            }
            return 0;
        });
    }
    const start = query.offset ?? 0;
    records = records.slice(start, query.limit !== undefined ? start + query.limit : undefined);
    if (countOnly) {
        return { object, records: [], values: [], selected, totalSize: records.length, countOnly };
    }
    const values = records.map((record) => selected.map((ref) => reader.read(object, record, ref)));
    const output = records.map((record) => {
        const out = apiRecord(object, record, options.version);
        for (const ref of selected) {
            let level: Record<string, unknown> = out;
            let source: SObject | undefined = record;
            for (const step of ref.steps) {
                source = source
                    ? reader.parent(step.target, source[step.lookup.apiName] ?? null)
                    : undefined;
                if (!source) {
                    level[step.relationship] ??= null;
                    level = {};
                    break;
                }
                const existing = level[step.relationship] as
                    Record<string, unknown> | null | undefined;
                level =
                    existing ??
                    (level[step.relationship] = apiRecord(step.target, source, options.version));
            }
            if (source)
                level[ref.field.apiName] = apiValue(ref.field, source[ref.field.apiName] ?? null);
        }
        return out;
    });
    return { object, records: output, values, selected, totalSize: output.length, countOnly };
}

function apiRecord(object: ObjectDescribe, record: SObject, version: string): ApiRecord {
    return {
        attributes: {
            type: object.apiName,
            url: `/services/data/v${version}/sobjects/${object.apiName}/${String(record.Id)}`
        }
    };
}

/** Values as the REST API writes them: date-times as `2026-11-27T10:00:00.000+0000`. */
export function apiValue(field: FieldDescribe, value: FieldValue): FieldValue {
    if (field.type === 'DateTime' && typeof value === 'string') {
        const at = Date.parse(value);
        return Number.isNaN(at) ? value : new Date(at).toISOString().replace('Z', '+0000');
    }
    return value;
}

function isCount(field: FieldType): boolean {
    return (
        field.type === 'FieldFunctionExpression' &&
        field.functionName.toUpperCase() === 'COUNT' &&
        field.parameters.length === 0
    );
}

function selectedPath(field: FieldType, resolve: (path: string) => PathRef): PathRef {
    switch (field.type) {
        case 'Field':
            return resolve(field.field);
        case 'FieldRelationship':
            return resolve([...field.relationships, field.field].join('.'));
        default:
            throw new ApiError(
                400,
                'MALFORMED_QUERY',
                `The local org does not evaluate ${field.type === 'FieldSubquery' ? 'child relationship subqueries' : field.type === 'FieldFunctionExpression' ? `${field.functionName}()` : 'TYPEOF'} in the SELECT list.`
            );
    }
}

/** `Account.Owner.Name` from Opportunity: two parent steps, then a field on User. */
export function resolvePath(names: SchemaNames, object: ObjectDescribe, path: string): PathRef {
    const parts = path.split('.');
    // A path may start with the object's own name (`Account.Name` from Account).
    if (
        parts.length > 1 &&
        parts[0]!.toLowerCase() === object.apiName.toLowerCase() &&
        !names.findField(object, `${parts[0]}Id`)
    ) {
        parts.shift();
    }
    const steps: PathRef['steps'] = [];
    let current = object;
    for (const relationship of parts.slice(0, -1)) {
        const { field, target } = names.relationship(current, relationship);
        steps.push({ relationship: relationshipSpelling(field), lookup: field, target });
        current = target;
    }
    const field = names.field(current, parts[parts.length - 1]!);
    const written = [...steps.map((s) => s.relationship), field.apiName].join('.');
    return { written, field, steps };
}

function relationshipSpelling(field: FieldDescribe): string {
    return field.apiName.endsWith('__c')
        ? field.apiName.replace(/__c$/, '__r')
        : field.apiName.slice(0, -2);
}

function semiJoinValues(
    org: LocalOrg,
    names: SchemaNames,
    inner: Query,
    options: Required<SoqlOptions>
): FieldValue[] {
    const result = runQuery(org, names, inner, options);
    if (
        result.selected.length !== 1 ||
        !['Id', 'Lookup', 'MasterDetail'].includes(result.selected[0]!.field.type)
    ) {
        throw new ApiError(
            400,
            'MALFORMED_QUERY',
            'A semi-join subquery must select exactly one Id or reference field.'
        );
    }
    return result.values.map((row) => row[0] ?? null);
}

/** Reads fields along parent relationships, fetching each parent once per query. */
class RecordReader {
    private readonly cache = new Map<string, SObject | undefined>();
    constructor(private readonly org: LocalOrg) {}

    parent(target: ObjectDescribe, id: FieldValue): SObject | undefined {
        if (typeof id !== 'string') return undefined;
        const key = `${target.apiName}/${id}`;
        if (!this.cache.has(key)) this.cache.set(key, this.org.get(target.apiName, id));
        return this.cache.get(key);
    }

    /** The record at the end of the path's relationships, or undefined where a link is empty. */
    walk(record: SObject, ref: PathRef): SObject | undefined {
        let current: SObject | undefined = record;
        for (const step of ref.steps) {
            current = current
                ? this.parent(step.target, current[step.lookup.apiName] ?? null)
                : undefined;
        }
        return current;
    }

    read(_object: ObjectDescribe, record: SObject, ref: PathRef): FieldValue {
        return this.walk(record, ref)?.[ref.field.apiName] ?? null;
    }
}
