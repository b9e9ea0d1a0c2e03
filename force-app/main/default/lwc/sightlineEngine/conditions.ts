/**
 * One condition = field + operator + value. This module checks the value an admin gave
 * for an operator and turns it into a test of the visitor's actual value.
 *
 * Text comparisons ignore case. Negative operators are exact negations of their positive
 * twins (`notEquals` = not `equals`, `notIn` = not `in`, `isNotSet` = not `isSet`), so
 * a visitor whose value is unknown satisfies "Country not equals US". On multi-valued
 * fields a positive test holds when any value passes it.
 */
import type { FieldDefinition, FieldType, Operator } from './fieldCatalogue';
import type { VisitedPage } from './visitorModel';
import { compileWildcard } from './wildcard';

export type ValueTest = (actual: unknown, now: number) => boolean;

export type ConditionBuild = { ok: true; test: ValueTest } | { ok: false; message: string };

/** Longest wildcard pattern accepted: keeps matching cheap on every page view. */
export const MAX_PATTERN_LENGTH = 500;
const MAX_LIST_LENGTH = 1000;

const POSITIVE_TWIN: ReadonlyMap<Operator, Operator> = new Map<Operator, Operator>([
    ['notEquals', 'equals'],
    ['notIn', 'in'],
    ['isNotSet', 'isSet']
]);

const TYPE_NAMES: Readonly<Record<FieldType, string>> = {
    string: 'text',
    picklist: 'picklist',
    number: 'number',
    boolean: 'yes/no',
    datetime: 'date/time',
    pageList: 'page list'
};

export function describeFieldType(type: FieldType): string {
    return TYPE_NAMES[type];
}

export function buildConditionTest(
    field: FieldDefinition,
    operator: Operator,
    value: unknown
): ConditionBuild {
    const positiveOperator = POSITIVE_TWIN.get(operator) ?? operator;
    const built = buildPositiveTest(field, positiveOperator, value);
    if (!built.ok) {
        return built;
    }
    const single = built.test;
    const test: ValueTest = field.multiValued
        ? (actual, now) => Array.isArray(actual) && actual.some((item) => single(item, now))
        : single;
    return positiveOperator === operator
        ? { ok: true, test }
        : { ok: true, test: (actual, now) => !test(actual, now) };
}

function fail(message: string): ConditionBuild {
    return { ok: false, message };
}

function buildPositiveTest(
    field: FieldDefinition,
    operator: Operator,
    value: unknown
): ConditionBuild {
    switch (operator) {
        case 'equals': {
            const expected = scalarFor(field, value);
            return typeof expected === 'string'
                ? fail(expected)
                : { ok: true, test: equalityTest(expected.value) };
        }
        case 'in':
            return buildMembershipTest(field, value);
        case 'contains':
        case 'startsWith':
        case 'endsWith':
            return buildTextTest(operator, value);
        case 'wildcard':
            return buildWildcardTest(value);
        case 'gt':
        case 'gte':
        case 'lt':
        case 'lte':
            return buildComparisonTest(field, operator, value);
        case 'between':
            return buildBetweenTest(field, value);
        case 'isSet':
            return { ok: true, test: isSet };
        case 'withinLastMinutes':
            return buildRecencyTest(value);
        case 'pageVisited':
            return buildPageVisitedTest(value);
        default:
            return fail(`Operator "${operator}" is not supported`);
    }
}

function isSet(actual: unknown): boolean {
    return (
        actual !== undefined &&
        actual !== null &&
        actual !== '' &&
        !(typeof actual === 'number' && Number.isNaN(actual))
    );
}

type Scalar = string | number | boolean;

/** The admin's value normalised for comparison (text lower-cased), or an error message. */
function scalarFor(field: FieldDefinition, value: unknown): { value: Scalar } | string {
    switch (field.type) {
        case 'string':
            return typeof value === 'string'
                ? { value: value.toLowerCase() }
                : `Value ${show(value)} must be text`;
        case 'picklist': {
            if (typeof value !== 'string') {
                return `Value ${show(value)} must be one of ${listOf(field.values ?? [])}`;
            }
            const lowered = value.toLowerCase();
            const known = (field.values ?? []).some((option) => option.toLowerCase() === lowered);
            return known
                ? { value: lowered }
                : `Value ${show(value)} is not one of ${listOf(field.values ?? [])}`;
        }
        case 'number':
            return typeof value === 'number' && Number.isFinite(value)
                ? { value }
                : `Value ${show(value)} must be a number`;
        case 'boolean':
            return typeof value === 'boolean'
                ? { value }
                : `Value ${show(value)} must be true or false`;
        case 'datetime': {
            const at = toEpochMs(value);
            return at === undefined
                ? `Value ${show(value)} must be a date/time (ISO 8601, e.g. 2025-01-31T09:00:00Z)`
                : { value: at };
        }
        default:
            return `Field "${field.label}" cannot be compared to a single value`;
    }
}

function equalityTest(expected: Scalar): ValueTest {
    if (typeof expected === 'string') {
        return (actual) => typeof actual === 'string' && actual.toLowerCase() === expected;
    }
    return (actual) => actual === expected;
}

function buildMembershipTest(field: FieldDefinition, value: unknown): ConditionBuild {
    if (!Array.isArray(value) || value.length === 0) {
        return fail('Value must be a non-empty list');
    }
    if (value.length > MAX_LIST_LENGTH) {
        return fail(`Value lists are limited to ${MAX_LIST_LENGTH} items`);
    }
    const members = new Set<Scalar>();
    for (const item of value) {
        const member = scalarFor(field, item);
        if (typeof member === 'string') {
            return fail(member);
        }
        members.add(member.value);
    }
    return {
        ok: true,
        test: (actual) => {
            if (typeof actual === 'string') {
                return members.has(actual.toLowerCase());
            }
            return (
                (typeof actual === 'number' || typeof actual === 'boolean') && members.has(actual)
            );
        }
    };
}

function buildTextTest(
    operator: 'contains' | 'startsWith' | 'endsWith',
    value: unknown
): ConditionBuild {
    if (typeof value !== 'string' || value.length === 0) {
        return fail('Value must be non-empty text');
    }
    const needle = value.toLowerCase();
    const holds =
        operator === 'contains'
            ? (text: string) => text.includes(needle)
            : operator === 'startsWith'
              ? (text: string) => text.startsWith(needle)
              : (text: string) => text.endsWith(needle);
    return {
        ok: true,
        test: (actual) => typeof actual === 'string' && holds(actual.toLowerCase())
    };
}

function patternError(value: unknown): string | undefined {
    if (typeof value !== 'string' || value.length === 0) {
        return 'Pattern must be non-empty text, e.g. "/pricing*"';
    }
    return value.length > MAX_PATTERN_LENGTH
        ? `Pattern is longer than ${MAX_PATTERN_LENGTH} characters`
        : undefined;
}

function buildWildcardTest(value: unknown): ConditionBuild {
    const error = patternError(value);
    if (error !== undefined || typeof value !== 'string') {
        return fail(error ?? 'Pattern must be text');
    }
    const pattern = compileWildcard(value);
    return { ok: true, test: (actual) => typeof actual === 'string' && pattern.matches(actual) };
}

function boundFor(field: FieldDefinition, value: unknown): number | string {
    if (field.type === 'datetime') {
        return (
            toEpochMs(value) ??
            `Value ${show(value)} must be a date/time (ISO 8601, e.g. 2025-01-31T09:00:00Z)`
        );
    }
    return typeof value === 'number' && Number.isFinite(value)
        ? value
        : `Value ${show(value)} must be a number`;
}

function buildComparisonTest(
    field: FieldDefinition,
    operator: 'gt' | 'gte' | 'lt' | 'lte',
    value: unknown
): ConditionBuild {
    const bound = boundFor(field, value);
    if (typeof bound === 'string') {
        return fail(bound);
    }
    const holds =
        operator === 'gt'
            ? (n: number) => n > bound
            : operator === 'gte'
              ? (n: number) => n >= bound
              : operator === 'lt'
                ? (n: number) => n < bound
                : (n: number) => n <= bound;
    return { ok: true, test: (actual) => typeof actual === 'number' && holds(actual) };
}

function buildBetweenTest(field: FieldDefinition, value: unknown): ConditionBuild {
    if (!Array.isArray(value) || value.length !== 2) {
        return fail('Value must be a pair [from, to]');
    }
    const low = boundFor(field, value[0]);
    const high = boundFor(field, value[1]);
    if (typeof low === 'string') {
        return fail(low);
    }
    if (typeof high === 'string') {
        return fail(high);
    }
    if (low > high) {
        return fail(`"From" (${show(value[0])}) is after "to" (${show(value[1])})`);
    }
    return {
        ok: true,
        test: (actual) => typeof actual === 'number' && actual >= low && actual <= high
    };
}

function buildRecencyTest(value: unknown): ConditionBuild {
    if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
        return fail('Value must be a positive number of minutes');
    }
    const windowMs = value * 60_000;
    return {
        ok: true,
        test: (actual, now) => typeof actual === 'number' && now - actual <= windowMs
    };
}

/** `"/pricing*"` or `{ path: "/pricing*", minDwellSeconds?: 10, minScrollPercent?: 15 }`. */
function buildPageVisitedTest(value: unknown): ConditionBuild {
    const spec = typeof value === 'string' ? { path: value } : value;
    if (typeof spec !== 'object' || spec === null || Array.isArray(spec)) {
        return fail(
            'Value must be a path pattern or { path, minDwellSeconds?, minScrollPercent? }'
        );
    }
    const { path, minDwellSeconds = 0, minScrollPercent = 0 } = spec as Record<string, unknown>;
    const error = patternError(path);
    if (error !== undefined || typeof path !== 'string') {
        return fail(error ?? 'Pattern must be text');
    }
    if (
        typeof minDwellSeconds !== 'number' ||
        !Number.isFinite(minDwellSeconds) ||
        minDwellSeconds < 0
    ) {
        return fail('minDwellSeconds must be a number of seconds, 0 or more');
    }
    if (
        typeof minScrollPercent !== 'number' ||
        !(minScrollPercent >= 0 && minScrollPercent <= 100)
    ) {
        return fail('minScrollPercent must be a number from 0 to 100');
    }
    const pattern = compileWildcard(path);
    const minDwellMs = minDwellSeconds * 1000;
    const minScroll = minScrollPercent / 100;
    const pageQualifies = (page: VisitedPage): boolean =>
        typeof page.path === 'string' &&
        pattern.matches(page.path) &&
        (page.dwellMs ?? 0) >= minDwellMs &&
        (page.scrollDepth ?? 0) >= minScroll;
    return {
        ok: true,
        test: (actual) =>
            Array.isArray(actual) &&
            actual.some(
                (page: VisitedPage) =>
                    page !== null && typeof page === 'object' && pageQualifies(page)
            )
    };
}

function toEpochMs(value: unknown): number | undefined {
    if (typeof value === 'number') {
        return Number.isFinite(value) ? value : undefined;
    }
    if (typeof value === 'string' && value.length > 0) {
        const parsed = Date.parse(value);
        return Number.isNaN(parsed) ? undefined : parsed;
    }
    return undefined;
}

/** A value as an admin would type it, for messages. */
export function show(value: unknown): string {
    if (typeof value === 'string') {
        return `"${value.length > 60 ? `${value.slice(0, 57)}...` : value}"`;
    }
    if (value === undefined) {
        return 'nothing';
    }
    if (typeof value === 'object' && value !== null) {
        try {
            const text = JSON.stringify(value);
            return text.length > 60 ? `${text.slice(0, 57)}...` : text;
        } catch {
            return 'an unreadable value';
        }
    }
    return String(value);
}

function listOf(values: readonly string[]): string {
    return values.map((option) => `"${option}"`).join(', ');
}
