/**
 * Criteria traces as readable lines, for the routing pin hover and the admin dry run:
 *
 *   ✓ all of
 *     ✓ Target account equals true (visitor: true)
 *     ✗ Pages visited include a page matching "/pricing*" (visitor: /, /blog)
 */
import type { ConditionTrace, CriteriaTrace } from './compile';
import { show } from './conditions';
import type { Operator } from './fieldCatalogue';

const OPERATOR_WORDS: Readonly<Record<Operator, string>> = {
    equals: 'equals',
    notEquals: 'does not equal',
    in: 'is one of',
    notIn: 'is not one of',
    contains: 'contains',
    startsWith: 'starts with',
    endsWith: 'ends with',
    wildcard: 'matches',
    gt: 'is greater than',
    gte: 'is at least',
    lt: 'is less than',
    lte: 'is at most',
    between: 'is between',
    isSet: 'is set',
    isNotSet: 'is not set',
    withinLastMinutes: 'is within the last',
    pageVisited: 'include a page matching'
};

function describeExpected(operator: Operator, expected: unknown): string {
    switch (operator) {
        case 'isSet':
        case 'isNotSet':
            return '';
        case 'between':
            return Array.isArray(expected)
                ? ` ${show(expected[0])} and ${show(expected[1])}`
                : ` ${show(expected)}`;
        case 'in':
        case 'notIn':
            return Array.isArray(expected)
                ? ` ${expected.map(show).join(', ')}`
                : ` ${show(expected)}`;
        case 'withinLastMinutes':
            return ` ${show(expected)} minutes`;
        case 'pageVisited': {
            if (typeof expected !== 'object' || expected === null) {
                return ` ${show(expected)}`;
            }
            const { path, minDwellSeconds, minScrollPercent } = expected as Record<string, unknown>;
            const extras = [
                typeof minDwellSeconds === 'number' && minDwellSeconds > 0
                    ? `for at least ${minDwellSeconds} s`
                    : '',
                typeof minScrollPercent === 'number' && minScrollPercent > 0
                    ? `scrolled at least ${minScrollPercent}%`
                    : ''
            ].filter((extra) => extra !== '');
            return ` ${show(path)}${extras.length > 0 ? ` (${extras.join(', ')})` : ''}`;
        }
        default:
            return ` ${show(expected)}`;
    }
}

function describeActual(actual: unknown): string {
    if (actual === undefined || actual === null || actual === '') {
        return 'not set';
    }
    if (Array.isArray(actual)) {
        return actual.length === 0
            ? 'none'
            : actual.map((item) => (typeof item === 'string' ? item : show(item))).join(', ');
    }
    return show(actual);
}

export function describeCondition(condition: ConditionTrace): string {
    const mark = condition.result ? '✓' : '✗';
    return `${mark} ${condition.label} ${OPERATOR_WORDS[condition.operator]}${describeExpected(condition.operator, condition.expected)} (visitor: ${describeActual(condition.actual)})`;
}

const GROUP_WORDS = { all: 'all of', any: 'any of', not: 'not' } as const;

export function describeCriteriaTrace(trace: CriteriaTrace, indent = ''): string[] {
    switch (trace.kind) {
        case 'condition':
            return [indent + describeCondition(trace)];
        case 'invalid':
            return [
                `${indent}✗ invalid criteria, matches nobody: ${trace.errors.map((error) => (error.path ? `${error.path}: ${error.message}` : error.message)).join('; ')}`
            ];
        default: {
            const heading = `${indent}${trace.result ? '✓' : '✗'} ${trace.kind === 'all' && trace.children.length === 0 ? 'everyone (no conditions)' : GROUP_WORDS[trace.kind]}`;
            return [
                heading,
                ...trace.children.flatMap((child) => describeCriteriaTrace(child, `${indent}  `))
            ];
        }
    }
}
