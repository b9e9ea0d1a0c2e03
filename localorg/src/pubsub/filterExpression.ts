/**
 * Filter expressions of custom platform-event channels (PlatformEventChannelMember
 * `filterExpression`), in the subset Salesforce documents: `= != > < >= <= LIKE IN NOT IN`,
 * `AND` / `OR`, parentheses, string / number / boolean / null literals. Text compares
 * case-insensitively, as on the platform.
 *
 * A member is created with its expression, so parsing happens once and refuses what the
 * platform refuses: unknown fields, unsupported operators, trailing input.
 */

export type FilterValue = string | number | boolean | null;

type Comparison = '=' | '!=' | '>' | '<' | '>=' | '<=' | 'LIKE';

export type FilterNode =
    | { kind: 'and' | 'or'; left: FilterNode; right: FilterNode }
    | { kind: 'compare'; field: string; op: Comparison; value: FilterValue }
    | { kind: 'in'; field: string; negated: boolean; values: FilterValue[] };

export class FilterExpressionError extends Error {
    constructor(message: string) {
        super(message);
        this.name = 'FilterExpressionError';
    }
}

type Token =
    | { type: 'word'; text: string; at: number }
    | { type: 'string'; text: string; at: number }
    | { type: 'number'; value: number; at: number }
    | { type: 'op'; text: string; at: number }
    | { type: 'paren' | 'comma'; text: string; at: number };

function tokenize(source: string): Token[] {
    const tokens: Token[] = [];
    let i = 0;
    while (i < source.length) {
        const c = source[i]!;
        if (/\s/.test(c)) {
            i++;
        } else if (c === '(' || c === ')') {
            tokens.push({ type: 'paren', text: c, at: i++ });
        } else if (c === ',') {
            tokens.push({ type: 'comma', text: c, at: i++ });
        } else if (c === "'") {
            let text = '';
            let j = i + 1;
            for (; j < source.length && source[j] !== "'"; j++) {
                if (source[j] === '\\' && j + 1 < source.length) j++;
                text += source[j];
            }
            if (j >= source.length)
                throw new FilterExpressionError(`Unterminated string at position ${i}`);
            tokens.push({ type: 'string', text, at: i });
            i = j + 1;
        } else if (/[-\d.]/.test(c)) {
            const match = /^-?(\d+(\.\d*)?|\.\d+)/.exec(source.slice(i));
            if (!match) throw new FilterExpressionError(`Unexpected '${c}' at position ${i}`);
            tokens.push({ type: 'number', value: Number(match[0]), at: i });
            i += match[0].length;
        } else if (/[=!<>]/.test(c)) {
            const two = source.slice(i, i + 2);
            const text = ['!=', '>=', '<='].includes(two) ? two : c;
            if (text === '!') throw new FilterExpressionError(`Unexpected '!' at position ${i}`);
            tokens.push({ type: 'op', text, at: i });
            i += text.length;
        } else if (/[A-Za-z_]/.test(c)) {
            const match = /^[A-Za-z_][A-Za-z0-9_]*/.exec(source.slice(i))!;
            tokens.push({ type: 'word', text: match[0], at: i });
            i += match[0].length;
        } else {
            throw new FilterExpressionError(`Unexpected '${c}' at position ${i}`);
        }
    }
    return tokens;
}

/**
 * Parses an expression; `resolveField` maps a name (any case) to the event's field API
 * name or returns undefined when the event has no such filterable field.
 */
export function parseFilterExpression(
    source: string,
    resolveField: (name: string) => string | undefined
): FilterNode {
    if (source.trim() === '') throw new FilterExpressionError('The filter expression is empty');
    const tokens = tokenize(source);
    let pos = 0;
    const peek = (): Token | undefined => tokens[pos];
    const keyword = (token: Token | undefined, word: string): boolean =>
        token?.type === 'word' && token.text.toUpperCase() === word;
    const punct = (token: Token | undefined, text: string): boolean =>
        token?.type === 'paren' && token.text === text;
    const fail = (expected: string): never => {
        const token = peek();
        throw new FilterExpressionError(
            token
                ? `Expected ${expected} at position ${token.at}`
                : `Expected ${expected} at the end of the expression`
        );
    };

    function literal(): FilterValue {
        const token = peek();
        if (token?.type === 'string') {
            pos++;
            return token.text;
        }
        if (token?.type === 'number') {
            pos++;
            return token.value;
        }
        if (token?.type === 'word') {
            const word = token.text.toLowerCase();
            if (word === 'true' || word === 'false' || word === 'null') {
                pos++;
                return word === 'null' ? null : word === 'true';
            }
        }
        return fail('a literal value');
    }

    function comparison(): FilterNode {
        const token = peek();
        if (token?.type !== 'word') return fail('a field name');
        const field = resolveField(token.text);
        if (!field)
            throw new FilterExpressionError(
                `No such filterable field '${token.text}' at position ${token.at}`
            );
        pos++;
        let negated = false;
        if (keyword(peek(), 'NOT')) {
            pos++;
            negated = true;
            if (!keyword(peek(), 'IN')) fail('IN after NOT');
        }
        if (keyword(peek(), 'IN')) {
            pos++;
            if (!punct(peek(), '(')) fail("'('");
            pos++;
            const values = [literal()];
            while (peek()?.type === 'comma') {
                pos++;
                values.push(literal());
            }
            if (!punct(peek(), ')')) fail("')'");
            pos++;
            return { kind: 'in', field, negated, values };
        }
        const opToken = peek();
        let op: Comparison;
        if (opToken?.type === 'op') op = opToken.text as Comparison;
        else if (keyword(opToken, 'LIKE')) op = 'LIKE';
        else return fail('an operator (= != > < >= <= LIKE IN NOT IN)');
        pos++;
        const value = literal();
        if (op === 'LIKE' && typeof value !== 'string')
            throw new FilterExpressionError('LIKE needs a text value');
        return { kind: 'compare', field, op, value };
    }

    function primary(): FilterNode {
        if (punct(peek(), '(')) {
            pos++;
            const inner = or();
            if (!punct(peek(), ')')) fail("')'");
            pos++;
            return inner;
        }
        return comparison();
    }

    function and(): FilterNode {
        let node = primary();
        while (keyword(peek(), 'AND')) {
            pos++;
            node = { kind: 'and', left: node, right: primary() };
        }
        return node;
    }

    function or(): FilterNode {
        let node = and();
        while (keyword(peek(), 'OR')) {
            pos++;
            node = { kind: 'or', left: node, right: and() };
        }
        return node;
    }

    const tree = or();
    if (pos < tokens.length) fail('AND, OR or the end of the expression');
    return tree;
}

function fold(value: FilterValue): FilterValue {
    return typeof value === 'string' ? value.toLowerCase() : value;
}

function likePattern(pattern: string): RegExp {
    const body = pattern
        .toLowerCase()
        .replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
        .replace(/%/g, '.*')
        .replace(/_/g, '.');
    return new RegExp(`^${body}$`, 's');
}

function compare(actual: FilterValue, op: Comparison, expected: FilterValue): boolean {
    const a = fold(actual);
    const b = fold(expected);
    switch (op) {
        case '=':
            return a === b;
        case '!=':
            return a !== b;
        case 'LIKE':
            return typeof a === 'string' && likePattern(String(expected)).test(a);
        default:
            if (a === null || b === null || typeof a !== typeof b) return false;
            if (op === '>') return a > b;
            if (op === '<') return a < b;
            if (op === '>=') return a >= b;
            return a <= b;
    }
}

/** Whether an event's field values pass the filter. */
export function matchesFilter(node: FilterNode, values: Record<string, unknown>): boolean {
    const read = (field: string): FilterValue => {
        const value = values[field];
        return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean'
            ? value
            : null;
    };
    switch (node.kind) {
        case 'and':
            return matchesFilter(node.left, values) && matchesFilter(node.right, values);
        case 'or':
            return matchesFilter(node.left, values) || matchesFilter(node.right, values);
        case 'in': {
            const actual = fold(read(node.field));
            const found = node.values.some((v) => fold(v) === actual);
            return node.negated ? !found && actual !== null : found;
        }
        case 'compare':
            return compare(read(node.field), node.op, node.value);
    }
}
