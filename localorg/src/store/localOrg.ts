/**
 * The local org: a SQLite database whose tables are generated from the object metadata.
 *
 * It enforces what an org would on writes (unknown fields, required fields, restricted
 * picklists, unique fields, dangling references) with Salesforce's error codes, so code
 * tested against it behaves the same against a real org.
 */
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { FieldDescribe, ObjectDescribe, OrgSchema } from './describe';
import { withNamespace } from './namespace';
import { makeId, normaliseId } from './salesforceId';
import { ActivityRuleError, applyActivityRules } from './activityRules';
import {
    assignedUsername,
    duplicateResult,
    DUPLICATE_MESSAGE,
    matchingLeads,
    type DuplicateResult
} from './leadRules';

export type FieldValue = string | number | boolean | null;
export type SObject = Record<string, FieldValue>;

export type LocalOrgErrorCode =
    | 'INVALID_TYPE'
    | 'INVALID_FIELD'
    | 'REQUIRED_FIELD_MISSING'
    | 'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST'
    | 'DUPLICATE_VALUE'
    | 'FIELD_INTEGRITY_EXCEPTION'
    | 'INVALID_CROSS_REFERENCE_KEY'
    | 'NOT_FOUND'
    | 'STRING_TOO_LONG'
    | 'DUPLICATES_DETECTED';

export class LocalOrgError extends Error {
    constructor(
        readonly errorCode: LocalOrgErrorCode,
        message: string,
        readonly fields: string[] = []
    ) {
        super(message);
        this.name = 'LocalOrgError';
    }
}

/** A save the org's duplicate rule refused: the matches are in `duplicateResult`. */
export class DuplicatesDetected extends LocalOrgError {
    constructor(readonly duplicateResult: DuplicateResult) {
        super('DUPLICATES_DETECTED', DUPLICATE_MESSAGE);
    }
}

/** Fields the org sets itself: a write naming them is refused, as by the UI API. */
const SYSTEM_FIELDS = new Set(['Id', 'CreatedDate', 'LastModifiedDate', 'CreatedById']);

export interface WriteOptions {
    /** The acting user, recorded as creator and default owner. */
    userId?: string;
    /** Seed loading may set system fields such as CreatedDate (and skips the org's rules). */
    allowSystemFields?: boolean;
    /** Save even where the duplicate rule finds matches, as its Allow action permits (allowSave). */
    allowDuplicateSave?: boolean;
    /** Run the active assignment rule (the owner is the rule's, not the caller's). */
    useAssignmentRule?: boolean;
}

/** A committed-or-pending write, for listeners that cache what they read (e.g. compiled routing). */
export interface RecordChange {
    object: string;
    id: string;
    kind: 'insert' | 'update' | 'delete';
    /** The record before an update or delete (what Change Data Capture compares). */
    before?: SObject;
    /** The record after an insert or update. */
    after?: SObject;
}

export class LocalOrg {
    readonly db: Database.Database;
    private readonly listeners = new Set<(change: RecordChange) => void>();

    private constructor(
        readonly schema: OrgSchema,
        file: string,
        /** The package namespace the schema carries (see namespace.ts), if any. */
        readonly namespace?: string
    ) {
        if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
        this.db = new Database(file);
        this.db.pragma('journal_mode = WAL');
        this.db.pragma('foreign_keys = OFF');
        this.migrate();
    }

    static open(file: string, schema: OrgSchema, options: { namespace?: string } = {}): LocalOrg {
        return new LocalOrg(schema, file, options.namespace);
    }

    /** A packaged name as this org spells it: `Live_Stream__c` → `sline__Live_Stream__c` when namespaced. */
    name(packagedName: string): string {
        return withNamespace(packagedName, this.namespace);
    }

    close(): void {
        this.listeners.clear();
        this.db.close();
    }

    /** Calls the listener after every insert, update and delete; returns the unsubscribe. */
    onChange(listener: (change: RecordChange) => void): () => void {
        this.listeners.add(listener);
        return () => this.listeners.delete(listener);
    }

    /** Changes made inside a transaction reach listeners only once it commits. */
    private pending: RecordChange[] | undefined;

    private emit(change: RecordChange): void {
        if (this.pending) {
            this.pending.push(change);
            return;
        }
        for (const listener of this.listeners) listener(change);
    }

    describe(objectApiName: string): ObjectDescribe {
        const object = this.schema.get(objectApiName);
        if (!object || object.kind === 'platformEvent') {
            throw new LocalOrgError(
                'INVALID_TYPE',
                `sObject type '${objectApiName}' is not supported.`
            );
        }
        return object;
    }

    /** Which object an id belongs to, from its key prefix. */
    objectForId(id: string): ObjectDescribe | undefined {
        const prefix = id.slice(0, 3);
        for (const object of this.schema.values()) {
            if (object.keyPrefix === prefix && object.kind !== 'platformEvent') return object;
        }
        return undefined;
    }

    get(objectApiName: string, id: string, fieldNames?: string[]): SObject | undefined {
        const object = this.describe(objectApiName);
        const columns = fieldNames
            ? this.checkFieldNames(object, fieldNames)
            : [...object.fields.keys()];
        const fullId = normaliseId(id);
        if (!fullId) return undefined;
        const row = this.db
            .prepare(
                `SELECT ${columns.map(quote).join(', ')} FROM ${quote(object.apiName)} WHERE Id = ?`
            )
            .get(fullId) as Record<string, unknown> | undefined;
        return row ? this.fromRow(object, row) : undefined;
    }

    /** Records whose fields equal the given values, in a stable order. */
    find(
        objectApiName: string,
        where: SObject = {},
        options: { orderBy?: string; limit?: number } = {}
    ): SObject[] {
        const object = this.describe(objectApiName);
        const names = this.checkFieldNames(object, Object.keys(where));
        const clauses = names.map((n) =>
            where[n] === null ? `${quote(n)} IS NULL` : `${quote(n)} = ?`
        );
        const params = names
            .filter((n) => where[n] !== null)
            .map((n) => toColumn(object.fields.get(n)!, where[n]!));
        const orderBy = options.orderBy ? this.checkFieldNames(object, [options.orderBy])[0] : 'Id';
        const sql =
            `SELECT * FROM ${quote(object.apiName)}` +
            (clauses.length ? ` WHERE ${clauses.join(' AND ')}` : '') +
            ` ORDER BY ${quote(orderBy!)}` +
            (options.limit ? ` LIMIT ${Math.floor(options.limit)}` : '');
        return (this.db.prepare(sql).all(...params) as Record<string, unknown>[]).map((row) =>
            this.fromRow(object, row)
        );
    }

    insert(objectApiName: string, values: SObject, options: WriteOptions = {}): SObject {
        const object = this.describe(objectApiName);
        this.checkWritable(object, values, options, 'create');
        const now = new Date().toISOString();
        const record: SObject = { ...this.defaults(object), ...values };
        record.Id = this.nextId(object);
        // Custom metadata records have no audit fields.
        if (object.fields.has('CreatedDate')) record.CreatedDate ??= now;
        if (object.fields.has('LastModifiedDate')) record.LastModifiedDate ??= now;
        if (options.userId) {
            record.CreatedById ??= options.userId;
            if (object.hasOwner) record.OwnerId ??= options.userId;
        }
        if (object.nameField?.type === 'AutoNumber') {
            record.Name = this.nextAutoNumber(object);
        }
        deriveName(object, record);
        this.applyOrgRules(object, record, undefined);
        if (object.apiName === 'Lead' && !object.custom && !options.allowSystemFields)
            this.applyLeadRules(record, options);
        this.checkRecord(object, record, undefined);
        const names = Object.keys(record);
        this.db
            .prepare(
                `INSERT INTO ${quote(object.apiName)} (${names.map(quote).join(', ')}) VALUES (${names.map(() => '?').join(', ')})`
            )
            .run(...names.map((n) => toColumn(object.fields.get(n)!, record[n] ?? null)));
        const stored = this.get(object.apiName, record.Id)!;
        this.emit({
            object: object.apiName,
            id: record.Id,
            kind: 'insert',
            after: stored
        });
        return stored;
    }

    update(
        objectApiName: string,
        id: string,
        values: SObject,
        options: WriteOptions = {}
    ): SObject {
        const object = this.describe(objectApiName);
        const existing = this.get(objectApiName, id);
        if (!existing)
            throw new LocalOrgError('NOT_FOUND', `The requested resource does not exist: ${id}`);
        const changes = { ...values };
        delete changes.Id;
        this.checkWritable(object, changes, options, 'update');
        const record: SObject = { ...existing, ...changes };
        if (object.fields.has('LastModifiedDate'))
            record.LastModifiedDate = new Date().toISOString();
        deriveName(object, record);
        this.applyOrgRules(object, record, existing);
        this.checkRecord(object, record, existing.Id as string);
        const names = Object.keys(record).filter((n) => n !== 'Id');
        this.db
            .prepare(
                `UPDATE ${quote(object.apiName)} SET ${names.map((n) => `${quote(n)} = ?`).join(', ')} WHERE Id = ?`
            )
            .run(
                ...names.map((n) => toColumn(object.fields.get(n)!, record[n] ?? null)),
                existing.Id
            );
        const stored = this.get(object.apiName, existing.Id as string)!;
        this.emit({
            object: object.apiName,
            id: existing.Id as string,
            kind: 'update',
            before: existing,
            after: stored
        });
        return stored;
    }

    /** Deletes a record and, as master-detail relationships do on the platform, its details. */
    delete(objectApiName: string, id: string): void {
        const object = this.describe(objectApiName);
        const before = this.get(objectApiName, id);
        if (!before)
            throw new LocalOrgError('NOT_FOUND', `The requested resource does not exist: ${id}`);
        this.transaction(() => {
            for (const detail of this.schema.values())
                for (const field of detail.fields.values())
                    if (field.type === 'MasterDetail' && field.referenceTo === object.apiName)
                        for (const record of this.find(detail.apiName, {
                            [field.apiName]: String(before.Id)
                        }))
                            this.delete(detail.apiName, String(record.Id));
            this.db
                .prepare(`DELETE FROM ${quote(object.apiName)} WHERE Id = ?`)
                .run(normaliseId(id));
            this.emit({ object: object.apiName, id: String(before.Id), kind: 'delete', before });
        });
    }

    count(objectApiName: string): number {
        const object = this.describe(objectApiName);
        return (
            this.db.prepare(`SELECT COUNT(*) AS n FROM ${quote(object.apiName)}`).get() as {
                n: number;
            }
        ).n;
    }

    /**
     * Runs `work` atomically: a throw rolls every write back, and listeners hear of the
     * changes only after the commit (a rolled-back write never becomes a change event).
     */
    transaction<T>(work: () => T): T {
        if (this.pending) return this.db.transaction(work)();
        this.pending = [];
        let committed: RecordChange[] = [];
        try {
            const result = this.db.transaction(work)();
            committed = this.pending;
            return result;
        } finally {
            this.pending = undefined;
            for (const change of committed) this.emit(change);
        }
    }

    private checkFieldNames(object: ObjectDescribe, names: string[]): string[] {
        for (const name of names) {
            if (!object.fields.has(name)) {
                throw new LocalOrgError(
                    'INVALID_FIELD',
                    `No such column '${name}' on entity '${object.apiName}'.`,
                    [name]
                );
            }
        }
        return names;
    }

    private checkWritable(
        object: ObjectDescribe,
        values: SObject,
        options: WriteOptions,
        write: 'create' | 'update'
    ): void {
        this.checkFieldNames(object, Object.keys(values));
        if (options.allowSystemFields) return;
        for (const name of Object.keys(values)) {
            const field = object.fields.get(name)!;
            if (
                SYSTEM_FIELDS.has(name) ||
                field.readOnly ||
                (write === 'update' && field.createOnly) ||
                field.type === 'AutoNumber' ||
                (object.nameField?.type === 'AutoNumber' && name === 'Name')
            ) {
                throw new LocalOrgError(
                    'INVALID_FIELD',
                    `Unable to create/update fields: ${name}.`,
                    [name]
                );
            }
        }
    }

    /** A new Lead: the duplicate rule, then (when asked) the assignment rule. */
    private applyLeadRules(record: SObject, options: WriteOptions): void {
        if (!options.allowDuplicateSave) {
            const matches = matchingLeads(record, this.find('Lead'));
            if (matches.length) throw new DuplicatesDetected(duplicateResult(matches));
        }
        if (options.useAssignmentRule) {
            const owner = this.find('User', { Username: assignedUsername(record) })[0];
            if (owner) record.OwnerId = owner.Id as string;
        }
    }

    /** The org's own rules for standard objects (activities), with their error codes. */
    private applyOrgRules(object: ObjectDescribe, record: SObject, before: SObject | undefined) {
        try {
            applyActivityRules(object, record, before, (id) => {
                const target = this.objectForId(id);
                const found = target ? this.get(target.apiName, id) : undefined;
                return target && found ? { object: target.apiName, record: found } : undefined;
            });
        } catch (error) {
            if (!(error instanceof ActivityRuleError)) throw error;
            throw new LocalOrgError('FIELD_INTEGRITY_EXCEPTION', error.message, [error.field]);
        }
    }

    private checkRecord(object: ObjectDescribe, record: SObject, ownId: string | undefined): void {
        for (const field of object.fields.values()) {
            const value = record[field.apiName];
            const empty = value === undefined || value === null || value === '';
            if (field.required && empty) {
                throw new LocalOrgError(
                    'REQUIRED_FIELD_MISSING',
                    `Required fields are missing: [${field.apiName}]`,
                    [field.apiName]
                );
            }
            if (empty) continue;
            checkType(object, field, value);
            if (field.picklistValues && !field.picklistValues.includes(String(value))) {
                throw new LocalOrgError(
                    'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST',
                    `${field.label}: bad value for restricted picklist field: ${String(value)}`,
                    [field.apiName]
                );
            }
            if (field.unique && field.apiName !== 'Id') {
                const clash = this.db
                    .prepare(
                        `SELECT Id FROM ${quote(object.apiName)} WHERE ${quote(field.apiName)} = ? AND Id IS NOT ?`
                    )
                    .get(toColumn(field, value), ownId ?? null) as { Id: string } | undefined;
                if (clash) {
                    throw new LocalOrgError(
                        'DUPLICATE_VALUE',
                        `duplicate value found: ${field.apiName} duplicates value on record with id: ${clash.Id}`,
                        [field.apiName]
                    );
                }
            }
            if (field.polymorphicTo) {
                const target = typeof value === 'string' ? this.objectForId(value) : undefined;
                const found = target ? this.get(target.apiName, String(value)) : undefined;
                if (!found || !field.polymorphicTo.includes(target!.apiName)) {
                    throw new LocalOrgError(
                        'FIELD_INTEGRITY_EXCEPTION',
                        `${field.label}: id value of incorrect type: ${String(value)}`,
                        [field.apiName]
                    );
                }
                continue;
            }
            if (field.referenceTo && field.apiName !== 'Id') {
                const target = this.schema.get(field.referenceTo);
                const id = normaliseId(value);
                const found =
                    id && target
                        ? this.db
                              .prepare(`SELECT 1 FROM ${quote(target.apiName)} WHERE Id = ?`)
                              .get(id)
                        : undefined;
                if (!found && !(field.apiName === 'CreatedById' || field.apiName === 'OwnerId')) {
                    throw new LocalOrgError(
                        'INVALID_CROSS_REFERENCE_KEY',
                        `invalid cross reference id: ${String(value)} (${field.apiName})`,
                        [field.apiName]
                    );
                }
            }
        }
    }

    private defaults(object: ObjectDescribe): SObject {
        const values: SObject = {};
        for (const field of object.fields.values()) {
            if (field.defaultValue !== undefined) values[field.apiName] = field.defaultValue;
            else if (field.type === 'Checkbox') values[field.apiName] = false;
        }
        return values;
    }

    private nextId(object: ObjectDescribe): string {
        const row = this.db
            .prepare(
                'INSERT INTO _sequences (object, next) VALUES (?, 2) ON CONFLICT(object) DO UPDATE SET next = next + 1 RETURNING next - 1 AS current'
            )
            .get(object.apiName) as { current: number };
        return makeId(object.keyPrefix, row.current);
    }

    private nextAutoNumber(object: ObjectDescribe): string {
        const row = this.db
            .prepare(
                'INSERT INTO _sequences (object, next) VALUES (?, 2) ON CONFLICT(object) DO UPDATE SET next = next + 1 RETURNING next - 1 AS current'
            )
            .get(`${object.apiName}.Name`) as { current: number };
        const format = object.nameField?.displayFormat ?? '{0}';
        return format.replace(/\{(0+)\}/, (_m, zeros: string) =>
            String(row.current).padStart(zeros.length, '0')
        );
    }

    private fromRow(object: ObjectDescribe, row: Record<string, unknown>): SObject {
        const record: SObject = {};
        for (const [name, raw] of Object.entries(row)) {
            const field = object.fields.get(name);
            if (!field) continue; // a column whose field left the metadata no longer exists
            record[name] = fromColumn(field, raw);
        }
        return record;
    }

    /** Creates tables for new objects and columns for new fields; never drops data. */
    private migrate(): void {
        this.db.exec(
            'CREATE TABLE IF NOT EXISTS _sequences (object TEXT PRIMARY KEY, next INTEGER NOT NULL)'
        );
        for (const object of this.schema.values()) {
            if (object.kind === 'platformEvent') continue;
            const table = quote(object.apiName);
            const existing = new Set(
                (this.db.prepare(`PRAGMA table_info(${table})`).all() as { name: string }[]).map(
                    (c) => c.name
                )
            );
            if (existing.size === 0) {
                const columns = [...object.fields.values()].map(
                    (f) =>
                        `${quote(f.apiName)} ${sqlType(f)}${f.apiName === 'Id' ? ' PRIMARY KEY' : ''}`
                );
                this.db.exec(`CREATE TABLE ${table} (${columns.join(', ')})`);
            } else {
                for (const field of object.fields.values()) {
                    if (!existing.has(field.apiName))
                        this.db.exec(
                            `ALTER TABLE ${table} ADD COLUMN ${quote(field.apiName)} ${sqlType(field)}`
                        );
                }
            }
            for (const field of object.fields.values()) {
                if (field.referenceTo || field.externalId || field.unique) {
                    this.db.exec(
                        `CREATE INDEX IF NOT EXISTS ${quote(`${object.apiName}_${field.apiName}`)} ON ${table} (${quote(field.apiName)})`
                    );
                }
            }
        }
    }
}

/** Standard compound name fields (User, Contact, Lead) follow FirstName + LastName. */
function deriveName(object: ObjectDescribe, record: SObject): void {
    if (!object.custom && object.fields.has('FirstName') && object.fields.has('LastName')) {
        record.Name = [record.FirstName, record.LastName].filter(Boolean).join(' ') || null;
    }
}

function quote(identifier: string): string {
    return `"${identifier.replace(/"/g, '""')}"`;
}

function sqlType(field: FieldDescribe): string {
    switch (field.type) {
        case 'Number':
        case 'Percent':
        case 'Currency':
            return 'REAL';
        case 'Checkbox':
            return 'INTEGER';
        default:
            return 'TEXT';
    }
}

function toColumn(field: FieldDescribe, value: FieldValue): string | number | null {
    if (value === null) return null;
    if (field.type === 'Checkbox') return value === true || value === 'true' ? 1 : 0;
    if (field.referenceTo || field.type === 'Id') return normaliseId(value) ?? String(value);
    return typeof value === 'boolean' ? String(value) : value;
}

function fromColumn(field: FieldDescribe, raw: unknown): FieldValue {
    if (raw === null || raw === undefined) return null;
    if (field.type === 'Checkbox') return raw === 1;
    return raw as FieldValue;
}

const NUMERIC = new Set(['Number', 'Percent', 'Currency']);
const DATE = /^\d{4}-\d{2}-\d{2}$/;

function checkType(object: ObjectDescribe, field: FieldDescribe, value: FieldValue): void {
    const bad = (expected: string) =>
        new LocalOrgError(
            'FIELD_INTEGRITY_EXCEPTION',
            `${object.apiName}.${field.apiName}: expected ${expected}, got ${JSON.stringify(value)}`,
            [field.apiName]
        );
    if (NUMERIC.has(field.type)) {
        if (typeof value !== 'number' || !Number.isFinite(value)) throw bad('a number');
    } else if (field.type === 'Checkbox') {
        if (typeof value !== 'boolean') throw bad('true or false');
    } else if (typeof value !== 'string') {
        throw bad('text');
    } else if (field.type === 'DateTime' && Number.isNaN(Date.parse(value))) {
        throw bad('an ISO 8601 date-time');
    } else if (field.type === 'Date' && !DATE.test(value)) {
        throw bad('a date (YYYY-MM-DD)');
    } else if (field.type === 'Email' && !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(value)) {
        throw bad('an email address');
    } else if (field.length && value.length > field.length) {
        throw new LocalOrgError(
            'STRING_TOO_LONG',
            `${field.label}: data value too large (max length=${field.length})`,
            [field.apiName]
        );
    }
}
