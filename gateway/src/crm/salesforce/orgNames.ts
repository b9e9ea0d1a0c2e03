/**
 * The one place the gateway's Salesforce adapter names the package's metadata. In a
 * subscriber org every custom name the managed package ships carries its namespace
 * (`sline__Live_Stream__c`), so the adapter writes bare names and this helper prefixes them
 * on the way out (SOQL, record fields) and strips the prefix on the way back.
 */
const CUSTOM_NAME = /\b(?:[A-Za-z][A-Za-z0-9]*__)?[A-Za-z][A-Za-z0-9_]*?__(?:c|r|e|mdt)\b/g;
const CUSTOM_SUFFIX = /__(c|r|e|mdt)$/;

export class OrgNames {
    private readonly prefix: string;

    constructor(readonly namespace?: string) {
        if (namespace !== undefined && !/^[A-Za-z][A-Za-z0-9]{0,14}$/.test(namespace))
            throw new Error(
                `Invalid namespace "${namespace}": 1 to 15 letters and digits, starting with a letter`
            );
        this.prefix = namespace ? `${namespace}__` : '';
    }

    /** `Live_Stream__c` → `sline__Live_Stream__c`; standard and already-prefixed names unchanged. */
    of(name: string): string {
        if (!this.prefix || !CUSTOM_SUFFIX.test(name) || name.split('__').length > 2) return name;
        return this.prefix + name;
    }

    /** A permission set, custom permission or other developer name the package ships. */
    developerName(name: string): string {
        return this.prefix + name;
    }

    /** The SOQL with every custom name prefixed; string literals are left as they are. */
    soql(statement: string): string {
        if (!this.prefix) return statement;
        return statement
            .split(/('(?:[^'\\]|\\.)*')/)
            .map((part, i) =>
                i % 2 === 1 ? part : part.replace(CUSTOM_NAME, (name) => this.of(name))
            )
            .join('');
    }

    /** Record fields to send: keys prefixed. */
    out(fields: Record<string, unknown>): Record<string, unknown> {
        if (!this.prefix) return fields;
        return Object.fromEntries(Object.entries(fields).map(([k, v]) => [this.of(k), v]));
    }

    /** A record as answered: the package's keys without the prefix, relationships too. */
    in<T extends Record<string, unknown>>(record: T): T {
        if (!this.prefix) return record;
        const out: Record<string, unknown> = {};
        for (const [key, value] of Object.entries(record)) {
            const bare = key.startsWith(this.prefix) ? key.slice(this.prefix.length) : key;
            out[bare] =
                value && typeof value === 'object' && !Array.isArray(value)
                    ? this.in(value as Record<string, unknown>)
                    : value;
        }
        return out as T;
    }
}

/** A SOQL string literal: quotes and backslashes escaped. */
export function literal(value: string): string {
    return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

/** `IN (…)` of literals. */
export function literals(values: Iterable<string>): string {
    return `(${[...values].map(literal).join(', ')})`;
}
