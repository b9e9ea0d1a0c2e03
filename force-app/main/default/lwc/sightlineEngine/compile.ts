/**
 * Criteria compiled once into closures, so evaluating a visitor is a chain of direct
 * function calls with no tree walking or string look-ups. The same compiled criteria
 * can explain itself: every condition with its field, expected and actual value.
 */
import { parseCriteria, type CriteriaError, type ParsedCriteria } from './criteria';
import type { Operator } from './fieldCatalogue';
import type { Visitor } from './visitorModel';

export type VisitorPredicate = (visitor: Visitor, now: number) => boolean;

export interface ConditionTrace {
    kind: 'condition';
    path: string;
    field: string;
    label: string;
    operator: Operator;
    expected: unknown;
    actual: unknown;
    result: boolean;
}

export interface GroupTrace {
    kind: 'all' | 'any' | 'not';
    path: string;
    result: boolean;
    children: CriteriaTrace[];
}

/** Invalid criteria match nothing; the trace says why. */
export interface InvalidCriteriaTrace {
    kind: 'invalid';
    result: false;
    errors: CriteriaError[];
}

export type CriteriaTrace = ConditionTrace | GroupTrace | InvalidCriteriaTrace;

export interface CompiledCriteria {
    ok: boolean;
    errors: CriteriaError[];
    matches: VisitorPredicate;
    explain(visitor: Visitor, now: number): CriteriaTrace;
}

const MATCHES_NOBODY: VisitorPredicate = () => false;

/** Accepts the criteria JSON text or the parsed object. Never throws. */
export function compileCriteria(json: unknown): CompiledCriteria {
    const { tree, errors } = parseCriteria(json);
    if (!tree) {
        return {
            ok: false,
            errors,
            matches: MATCHES_NOBODY,
            explain: () => ({ kind: 'invalid', result: false, errors })
        };
    }
    return {
        ok: true,
        errors: [],
        matches: toPredicate(tree),
        explain: (visitor, now) => trace(tree, visitor, now)
    };
}

function toPredicate(node: ParsedCriteria): VisitorPredicate {
    switch (node.kind) {
        case 'condition': {
            const { test } = node;
            const read = node.field.read;
            return (visitor, now) => test(read(visitor, now), now);
        }
        case 'not': {
            const child = toPredicate(node.child);
            return (visitor, now) => !child(visitor, now);
        }
        case 'all': {
            const children = node.children.map(toPredicate);
            if (children.length === 1 && children[0]) {
                return children[0];
            }
            return (visitor, now) => {
                for (let i = 0; i < children.length; i++) {
                    if (!(children[i] as VisitorPredicate)(visitor, now)) {
                        return false;
                    }
                }
                return true;
            };
        }
        case 'any': {
            const children = node.children.map(toPredicate);
            if (children.length === 1 && children[0]) {
                return children[0];
            }
            return (visitor, now) => {
                for (let i = 0; i < children.length; i++) {
                    if ((children[i] as VisitorPredicate)(visitor, now)) {
                        return true;
                    }
                }
                return false;
            };
        }
        default:
            throw new Error('Unknown criteria node');
    }
}

/** Evaluates every condition (no short-circuit) so the admin sees the whole picture. */
function trace(node: ParsedCriteria, visitor: Visitor, now: number): CriteriaTrace {
    switch (node.kind) {
        case 'condition': {
            const actual = node.field.read(visitor, now);
            return {
                kind: 'condition',
                path: node.path,
                field: node.field.key,
                label: node.field.label,
                operator: node.operator,
                expected: node.value,
                actual:
                    node.field.type === 'pageList' && Array.isArray(actual)
                        ? actual.map((page: { path?: unknown }) => page.path)
                        : actual,
                result: node.test(actual, now)
            };
        }
        case 'not': {
            const child = trace(node.child, visitor, now);
            return { kind: 'not', path: node.path, result: !child.result, children: [child] };
        }
        case 'all':
        case 'any': {
            const children = node.children.map((child) => trace(child, visitor, now));
            const result =
                node.kind === 'all'
                    ? children.every((child) => child.result)
                    : children.some((child) => child.result);
            return { kind: node.kind, path: node.path, result, children };
        }
        default:
            throw new Error('Unknown criteria node');
    }
}
