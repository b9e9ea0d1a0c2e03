/**
 * WHERE clauses (and channel filter expressions, which use the same grammar) as a typed
 * tree, checked against the schema, and evaluated against records.
 *
 * The parser hands back a flat chain of conditions with parenthesis counts; this module
 * rebuilds the tree the way SOQL reads it: NOT binds tightest, and AND and OR may not be
 * mixed at one level without parentheses (the platform refuses `a AND b OR c` with
 * MALFORMED_QUERY, so this does too). Comparisons follow SOQL: text is case-insensitive,
 * `!=` and NOT IN match nulls, ids match in their 15- or 18-character form.
 */
import type { ConditionWithValueQuery, Query, WhereClause } from '@jetstreamapp/soql-parser-js';
import type { FieldDescribe } from '../store/describe';
import type { FieldValue } from '../store/localOrg';
import { normaliseId } from '../store/salesforceId';
import { ApiError } from '../rest/apiError';
import { dateLiteralRange, type DateRange } from './dateLiterals';
import { text } from '../store/textValue';

export type Comparison = '=' | '!=' | '<' | '<=' | '>' | '>=' | 'LIKE' | 'IN' | 'NOT IN';

/** A resolved field reference: the caller decides how to read it from a record. */
export interface FieldRef {
    /** As written in the query (for error messages). */
    written: string;
    field: FieldDescribe;
}

type Operand = { kind: 'value'; value: FieldValue } | { kind: 'range'; range: DateRange };

export type ConditionNode =
    | { kind: 'and' | 'or'; items: ConditionNode[] }
    | { kind: 'not'; item: ConditionNode }
    | { kind: 'compare'; ref: FieldRef; operator: Comparison; operands: Operand[] };

export interface CompileContext {
    resolve(path: string): FieldRef;
    /** Values of a semi-join's single selected field (`Id IN (SELECT AccountId FROM …)`). */
    semiJoin?(query: Query): FieldValue[];
    now: number;
}

type Token = '(' | ')' | 'NOT' | 'AND' | 'OR' | { condition: ConditionWithValueQuery };

export function compileWhere(where: WhereClause, context: CompileContext): ConditionNode {
    const tokens = flatten(where);
    let position = 0;
    const malformed = (found: string) =>
        new ApiError(400, 'MALFORMED_QUERY', `unexpected token: '${found}'`);

    const expression = (): ConditionNode => {
        const items = [unary()];
        let joiner: 'AND' | 'OR' | undefined;
        while (tokens[position] === 'AND' || tokens[position] === 'OR') {
            const op = tokens[position] as 'AND' | 'OR';
            if (joiner && joiner !== op) throw malformed(op);
            joiner = op;
            position++;
            items.push(unary());
        }
        return items.length === 1 ? items[0]! : { kind: joiner === 'OR' ? 'or' : 'and', items };
    };
    const unary = (): ConditionNode => {
        const token = tokens[position++];
        if (token === 'NOT') return { kind: 'not', item: unary() };
        if (token === '(') {
            const inner = expression();
            if (tokens[position++] !== ')')
                throw malformed(text(tokens[position - 1] ?? 'end of query'));
            return inner;
        }
        if (token && typeof token === 'object') return compileCondition(token.condition, context);
        throw malformed(String(token ?? 'end of query'));
    };
    const tree = expression();
    if (position !== tokens.length) throw malformed(text(tokens[position]));
    return tree;
}

function flatten(where: WhereClause): Token[] {
    const tokens: Token[] = [];
    let node: WhereClause | undefined = where;
    while (node) {
        const operator = 'operator' in node ? node.operator : undefined;
        if (
            operator === 'NOT' &&
            (node.left === null || !('field' in node.left || 'fn' in node.left))
        ) {
            const parens = (node.left as { openParen?: number } | null)?.openParen ?? 0;
            for (let i = 0; i < parens; i++) tokens.push('(');
            tokens.push('NOT');
        } else {
            const left = node.left as ConditionWithValueQuery;
            for (let i = 0; i < ((left as { openParen?: number }).openParen ?? 0); i++)
                tokens.push('(');
            tokens.push({ condition: left });
            for (let i = 0; i < ((left as { closeParen?: number }).closeParen ?? 0); i++)
                tokens.push(')');
            if (operator === 'AND' || operator === 'OR') tokens.push(operator);
        }
        node = 'right' in node ? node.right : undefined;
    }
    return tokens;
}

type ValueKind = 'id' | 'string' | 'number' | 'boolean' | 'date' | 'datetime';

export function valueKind(field: FieldDescribe): ValueKind {
    switch (field.type) {
        case 'Id':
        case 'Lookup':
        case 'MasterDetail':
            return 'id';
        case 'Number':
        case 'Percent':
        case 'Currency':
            return 'number';
        case 'Checkbox':
            return 'boolean';
        case 'Date':
            return 'date';
        case 'DateTime':
            return 'datetime';
        default:
            return 'string';
    }
}

const KIND_NAMES: Record<ValueKind, string> = {
    id: 'id',
    string: 'string',
    number: 'double',
    boolean: 'boolean',
    date: 'date',
    datetime: 'datetime'
};

function compileCondition(
    condition: ConditionWithValueQuery,
    context: CompileContext
): ConditionNode {
    if (!('field' in condition)) {
        throw new ApiError(
            400,
            'MALFORMED_QUERY',
            'The local org evaluates field conditions only, not functions in WHERE.'
        );
    }
    const ref = context.resolve(condition.field);
    const operator = condition.operator as Comparison;
    if (operator === ('INCLUDES' as Comparison) || operator === ('EXCLUDES' as Comparison)) {
        throw new ApiError(
            400,
            'INVALID_QUERY_FILTER_OPERATOR',
            `${operator} applies to multi-select picklists only`
        );
    }
    const kind = valueKind(ref.field);
    if ('valueQuery' in condition) {
        if (!context.semiJoin)
            throw new ApiError(400, 'MALFORMED_QUERY', 'Semi-join subqueries are not allowed here');
        const values = context.semiJoin(condition.valueQuery);
        return {
            kind: 'compare',
            ref,
            operator,
            operands: values.map((value) => ({ kind: 'value', value }))
        };
    }
    const raw = Array.isArray(condition.value) ? condition.value : [condition.value];
    const types = Array.isArray(condition.literalType)
        ? condition.literalType
        : raw.map(() => condition.literalType);
    const variables =
        'dateLiteralVariable' in condition ? condition.dateLiteralVariable : undefined;
    const operands = raw.map((value, i): Operand => {
        const type = String(types[i] ?? 'STRING');
        const variable = Array.isArray(variables) ? variables[i] : variables;
        return literal(ref, kind, type, value, variable, context.now);
    });
    if (operator === 'LIKE' && kind !== 'string' && kind !== 'id') {
        throw new ApiError(
            400,
            'INVALID_QUERY_FILTER_OPERATOR',
            `invalid operator on field '${ref.written}': LIKE applies to text fields`
        );
    }
    if ((operator === 'IN' || operator === 'NOT IN') && operands.some((o) => o.kind === 'range')) {
        throw new ApiError(
            400,
            'MALFORMED_QUERY',
            'Date literals are not allowed in IN lists here'
        );
    }
    return { kind: 'compare', ref, operator, operands };
}

function literal(
    ref: FieldRef,
    kind: ValueKind,
    type: string,
    raw: string,
    variable: number | undefined,
    now: number
): Operand {
    const wrongType = () =>
        new ApiError(
            400,
            'INVALID_QUERY_FILTER_OPERATOR',
            `value of filter criterion for field '${ref.written}' must be of type ${KIND_NAMES[kind]} and ${kind === 'string' || kind === 'id' ? 'should be enclosed in quotes' : 'should not be enclosed in quotes'}`
        );
    if (type === 'NULL') return { kind: 'value', value: null };
    if (type === 'APEX_BIND_VARIABLE')
        throw new ApiError(400, 'MALFORMED_QUERY', "unexpected token: ':'");
    switch (kind) {
        case 'string':
            if (type !== 'STRING') throw wrongType();
            return { kind: 'value', value: unquote(raw) };
        case 'id': {
            if (type !== 'STRING') throw wrongType();
            const text = unquote(raw);
            const id = normaliseId(text);
            if (!id)
                throw new ApiError(
                    400,
                    'INVALID_QUERY_FILTER_OPERATOR',
                    `invalid ID field: ${text}`
                );
            return { kind: 'value', value: id };
        }
        case 'number':
            if (
                ![
                    'INTEGER',
                    'DECIMAL',
                    'INTEGER_WITH_CURRENCY_PREFIX',
                    'DECIMAL_WITH_CURRENCY_PREFIX'
                ].includes(type)
            )
                throw wrongType();
            return { kind: 'value', value: Number(raw.replace(/^[A-Z]{3}/, '')) };
        case 'boolean':
            if (type !== 'BOOLEAN') throw wrongType();
            return { kind: 'value', value: raw.toUpperCase() === 'TRUE' };
        case 'date':
        case 'datetime':
            if (type === 'DATE_LITERAL' || type === 'DATE_N_LITERAL') {
                return { kind: 'range', range: dateLiteralRange(raw, variable, now) };
            }
            if (kind === 'date' && type === 'DATE') return { kind: 'value', value: raw };
            if (kind === 'datetime' && type === 'DATETIME')
                return { kind: 'value', value: new Date(Date.parse(raw)).toISOString() };
            throw wrongType();
    }
}

/** SOQL string literals: single quotes with backslash escapes. */
export function unquote(raw: string): string {
    const inner = raw.startsWith("'") && raw.endsWith("'") ? raw.slice(1, -1) : raw;
    return inner.replace(/\\(.)/g, (_m, c: string) =>
        c === 'n' ? '\n' : c === 'r' ? '\r' : c === 't' ? '\t' : c
    );
}

/** Evaluates a compiled condition; `read` returns a field's value for a record. */
export function evaluate<R>(
    node: ConditionNode,
    record: R,
    read: (record: R, ref: FieldRef) => FieldValue
): boolean {
    switch (node.kind) {
        case 'and':
            return node.items.every((item) => evaluate(item, record, read));
        case 'or':
            return node.items.some((item) => evaluate(item, record, read));
        case 'not':
            return !evaluate(node.item, record, read);
        case 'compare':
            return compare(node, read(record, node.ref));
    }
}

function compare(node: Extract<ConditionNode, { kind: 'compare' }>, actual: FieldValue): boolean {
    const kind = valueKind(node.ref.field);
    const equal = (operand: Operand) =>
        operand.kind === 'range'
            ? inRange(kind, actual, operand.range)
            : sameValue(kind, actual, operand.value);
    switch (node.operator) {
        case '=':
            return equal(node.operands[0]!);
        case '!=':
            return !equal(node.operands[0]!);
        case 'IN':
            return node.operands.some(equal);
        case 'NOT IN':
            return !node.operands.some(equal);
        case 'LIKE': {
            const pattern = node.operands[0]!;
            if (actual === null || pattern.kind !== 'value' || pattern.value === null) return false;
            return likePattern(String(pattern.value)).test(String(actual));
        }
        default: {
            const operand = node.operands[0]!;
            if (actual === null) return false;
            if (operand.kind === 'range') {
                const at = instant(kind, actual);
                if (node.operator === '<') return at < operand.range.start;
                if (node.operator === '<=') return at < operand.range.end;
                if (node.operator === '>') return at >= operand.range.end;
                return at >= operand.range.start;
            }
            if (operand.value === null) return false;
            const order = ordering(kind, actual, operand.value);
            if (node.operator === '<') return order < 0;
            if (node.operator === '<=') return order <= 0;
            if (node.operator === '>') return order > 0;
            return order >= 0;
        }
    }
}

function sameValue(kind: ValueKind, actual: FieldValue, expected: FieldValue): boolean {
    if (actual === null || expected === null) return actual === expected;
    if (kind === 'string') return String(actual).toLowerCase() === String(expected).toLowerCase();
    if (kind === 'id') return normaliseId(actual) === expected;
    if (kind === 'datetime') return Date.parse(String(actual)) === Date.parse(String(expected));
    return actual === expected;
}

function instant(kind: ValueKind, value: FieldValue): number {
    return kind === 'date' ? Date.parse(`${String(value)}T00:00:00Z`) : Date.parse(String(value));
}

function inRange(kind: ValueKind, actual: FieldValue, range: DateRange): boolean {
    if (actual === null) return false;
    const at = instant(kind, actual);
    return at >= range.start && at < range.end;
}

/** Sort order of two non-null values of one field (text case-insensitively, as SOQL sorts). */
export function ordering(kind: ValueKind, a: FieldValue, b: FieldValue): number {
    if (kind === 'number') return Number(a) - Number(b);
    if (kind === 'boolean') return Number(a) - Number(b);
    if (kind === 'datetime') return Date.parse(String(a)) - Date.parse(String(b));
    const x = String(a).toLowerCase();
    const y = String(b).toLowerCase();
    return x < y ? -1 : x > y ? 1 : 0;
}

export function orderingOf(field: FieldDescribe) {
    const kind = valueKind(field);
    return (a: FieldValue, b: FieldValue) => ordering(kind, a, b);
}

/** SOQL LIKE: `%` any run, `_` one character, backslash escapes, case-insensitive. */
function likePattern(pattern: string): RegExp {
    let source = '';
    for (let i = 0; i < pattern.length; i++) {
        const c = pattern[i]!;
        if (c === '\\' && i + 1 < pattern.length) source += escapeRegExp(pattern[++i]!);
        else if (c === '%') source += '[\\s\\S]*';
        else if (c === '_') source += '[\\s\\S]';
        else source += escapeRegExp(c);
    }
    return new RegExp(`^${source}$`, 'i');
}

function escapeRegExp(text: string): string {
    return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
