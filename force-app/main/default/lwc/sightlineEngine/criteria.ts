/**
 * The criteria language stored as JSON on stream and routing-rule records:
 *
 *   { "all": [ ... ] }   every child holds (an empty `all` matches everyone)
 *   { "any": [ ... ] }   at least one child holds
 *   { "not": { ... } }   the child does not hold
 *   { "field": "utm.medium", "operator": "in", "value": ["cpc", "ppc"] }
 *
 * Parsing checks the whole tree against the field catalogue and reports every problem
 * with a path such as `all[1].any[0].operator`, so the builder can point at it.
 */
import { buildConditionTest, describeFieldType, show, type ValueTest } from './conditions';
import { fieldByKey, type FieldDefinition, type Operator } from './fieldCatalogue';

export interface ConditionJson {
    field: string;
    operator: Operator;
    value?: unknown;
}

export type CriteriaJson =
    { all: CriteriaJson[] } | { any: CriteriaJson[] } | { not: CriteriaJson } | ConditionJson;

export interface CriteriaError {
    /** Where the problem is, e.g. `all[1].any[0].operator`; empty for the whole criteria. */
    path: string;
    message: string;
}

export interface CriteriaValidation {
    ok: boolean;
    errors: CriteriaError[];
}

export type ParsedCriteria =
    | { kind: 'all' | 'any'; path: string; children: ParsedCriteria[] }
    | { kind: 'not'; path: string; child: ParsedCriteria }
    | ParsedCondition;

export interface ParsedCondition {
    kind: 'condition';
    path: string;
    field: FieldDefinition;
    operator: Operator;
    value: unknown;
    test: ValueTest;
}

/** Deeper or bigger trees are almost certainly mistakes, and would slow every evaluation. */
export const MAX_DEPTH = 16;
export const MAX_NODES = 500;

const GROUP_KEYS = ['all', 'any', 'not'] as const;
const SHAPE_HINT =
    'Expected a group ({ "all": [...] }, { "any": [...] }, { "not": {...} }) or a condition ({ "field", "operator", "value" })';

export function validateCriteria(json: unknown): CriteriaValidation {
    const { errors } = parseCriteria(json);
    return { ok: errors.length === 0, errors };
}

function join(path: string, segment: string): string {
    return path === '' ? segment : `${path}.${segment}`;
}

function ownProperty(node: object, key: string): unknown {
    return Object.prototype.hasOwnProperty.call(node, key)
        ? (node as Record<string, unknown>)[key]
        : undefined;
}

const MATCH_NOTHING: ParsedCriteria = { kind: 'any', path: '', children: [] };

class Parser {
    readonly errors: CriteriaError[] = [];
    private nodeCount = 0;

    node(json: unknown, path: string, depth: number): ParsedCriteria {
        this.nodeCount += 1;
        if (depth > MAX_DEPTH) {
            return this.invalid(path, `Groups are nested more than ${MAX_DEPTH} levels deep`);
        }
        if (this.nodeCount > MAX_NODES) {
            // Reported once: a huge list must not turn into a huge error list.
            return this.nodeCount === MAX_NODES + 1
                ? this.invalid(path, `Criteria has more than ${MAX_NODES} groups and conditions`)
                : MATCH_NOTHING;
        }
        if (typeof json !== 'object' || json === null || Array.isArray(json)) {
            return this.invalid(path, SHAPE_HINT);
        }
        const present = GROUP_KEYS.filter((key) => Object.prototype.hasOwnProperty.call(json, key));
        const isCondition = Object.prototype.hasOwnProperty.call(json, 'field');
        if (present.length + (isCondition ? 1 : 0) !== 1) {
            return this.invalid(
                path,
                present.length + (isCondition ? 1 : 0) === 0
                    ? SHAPE_HINT
                    : `Use exactly one of "all", "any", "not" or "field" in one node`
            );
        }
        const groupKey = present[0];
        if (groupKey === 'not') {
            return {
                kind: 'not',
                path,
                child: this.node(ownProperty(json, 'not'), join(path, 'not'), depth + 1)
            };
        }
        if (groupKey === 'all' || groupKey === 'any') {
            const items = ownProperty(json, groupKey);
            if (!Array.isArray(items)) {
                return this.invalid(join(path, groupKey), `"${groupKey}" must be a list`);
            }
            const children = items.map((item, index) =>
                this.node(item, `${join(path, groupKey)}[${index}]`, depth + 1)
            );
            return { kind: groupKey, path, children };
        }
        return this.condition(json, path);
    }

    private condition(json: object, path: string): ParsedCriteria {
        const fieldKey = ownProperty(json, 'field');
        const operator = ownProperty(json, 'operator');
        const value = ownProperty(json, 'value');
        const field = typeof fieldKey === 'string' ? fieldByKey(fieldKey) : undefined;
        if (!field) {
            return this.invalid(
                join(path, 'field'),
                typeof fieldKey === 'string'
                    ? `Unknown field "${fieldKey}"`
                    : 'Field must be a field key such as "company.domain"'
            );
        }
        const allowed = field.operators.find((candidate) => candidate === operator);
        if (!allowed) {
            const message =
                typeof operator === 'string' && operator !== ''
                    ? `Operator ${show(operator)} does not apply to ${describeFieldType(field.type)} field "${field.label}"`
                    : `Operator is missing; "${field.label}" accepts ${field.operators.join(', ')}`;
            return this.invalid(join(path, 'operator'), message);
        }
        const built = buildConditionTest(field, allowed, value);
        if (!built.ok) {
            return this.invalid(join(path, 'value'), built.message);
        }
        return { kind: 'condition', path, field, operator: allowed, value, test: built.test };
    }

    /** Records the error and returns a placeholder so parsing can go on and report everything. */
    private invalid(path: string, message: string): ParsedCriteria {
        this.errors.push({ path, message });
        return MATCH_NOTHING;
    }
}

/** The typed tree, or null with the reasons when anything is wrong. Never throws. */
export function parseCriteria(json: unknown): {
    tree: ParsedCriteria | null;
    errors: CriteriaError[];
} {
    let document = json;
    if (typeof json === 'string') {
        try {
            document = JSON.parse(json) as unknown;
        } catch {
            return { tree: null, errors: [{ path: '', message: 'Criteria is not valid JSON' }] };
        }
    }
    if (document === undefined || document === null) {
        return {
            tree: null,
            errors: [
                { path: '', message: 'Criteria is empty; use { "all": [] } to match every visitor' }
            ]
        };
    }
    const parser = new Parser();
    try {
        const tree = parser.node(document, '', 0);
        return parser.errors.length === 0
            ? { tree, errors: [] }
            : { tree: null, errors: parser.errors };
    } catch {
        // Only reachable with exotic objects (throwing getters, proxies), never with parsed JSON.
        return {
            tree: null,
            errors: [...parser.errors, { path: '', message: 'Criteria could not be read' }]
        };
    }
}
