/**
 * Change Data Capture: after every committed create, update or delete through the REST
 * API, the REST server hands the records to `publish`, which sends one change event per
 * record on `/data/<Entity>ChangeEvent` (and so `/data/ChangeEvents`) for the objects
 * selected for capture, shaped as the platform shapes them:
 * - a `ChangeEventHeader` with entityName, recordIds, changeType, changeOrigin,
 *   transactionKey (shared by a transaction's events), sequenceNumber, commitTimestamp,
 *   commitNumber, commitUser, and changedFields / nulledFields as field bitmaps;
 * - CREATE carries every non-null field, UPDATE only the changed ones, DELETE none.
 * Change events spend delivery allocation but not the hourly publishing allocation.
 *
 * Custom metadata records (`__mdt`) are deployed, not written through REST, and the
 * platform captures no changes to them: neither does this.
 */
import { randomUUID } from 'node:crypto';
import type { EventBus } from './eventBus';
import { fieldBitmap, toAvroValue, type ChangeType } from './eventSchemas';

export type RecordValues = Record<string, string | number | boolean | null>;

export interface CommittedChange {
    /** The object's API name, e.g. `Live_Stream__c`. */
    object: string;
    changeType: Extract<ChangeType, 'CREATE' | 'UPDATE' | 'DELETE' | 'UNDELETE'>;
    recordId: string;
    /** The record before an UPDATE, to find what changed. */
    before?: RecordValues;
    /** The record after a CREATE, UPDATE or UNDELETE. */
    after?: RecordValues;
}

export interface CommitInfo {
    /** The user whose request committed the transaction. */
    userId: string;
    /** The REST API version of the request, for changeOrigin. */
    apiVersion?: string;
}

/** Fields a change event never carries in its body (the id travels in the header). */
const NOT_IN_BODY = new Set(['Id']);

export class ChangeDataCapture {
    private commitNumber = 0;

    constructor(
        private readonly bus: EventBus,
        private readonly now: () => number = Date.now
    ) {}

    /**
     * Publishes the change events of one committed transaction. Records of objects not
     * selected for capture, and updates that changed nothing, publish nothing.
     */
    publish(changes: CommittedChange[], commit: CommitInfo): void {
        const transactionKey = randomUUID();
        const commitTimestamp = this.now();
        const commitNumber = ++this.commitNumber;
        let sequenceNumber = 0;
        for (const change of changes) {
            if (!this.bus.capturesChanges(change.object)) continue;
            const schema = this.bus.changeEventSchemaOf(change.object)!;
            const body: Record<string, unknown> = {};
            const changed: string[] = [];
            const nulled: string[] = [];
            if (change.changeType !== 'DELETE') {
                for (const [field, type] of schema.fieldTypes) {
                    if (NOT_IN_BODY.has(field)) continue;
                    const value = change.after?.[field] ?? null;
                    if (change.changeType === 'UPDATE') {
                        if ((change.before?.[field] ?? null) === value) continue;
                        changed.push(field);
                        if (value === null) nulled.push(field);
                    }
                    if (value !== null) body[field] = toAvroValue(type, value);
                }
                if (change.changeType === 'UPDATE' && changed.length === 0) continue;
            }
            this.bus.publish(
                schema.entity,
                [
                    {
                        payload: {
                            ...body,
                            ChangeEventHeader: {
                                entityName: change.object,
                                recordIds: [change.recordId],
                                changeType: change.changeType,
                                changeOrigin: `com/salesforce/api/rest/${commit.apiVersion ?? '62.0'}`,
                                transactionKey,
                                sequenceNumber: ++sequenceNumber,
                                commitTimestamp,
                                commitNumber,
                                commitUser: commit.userId,
                                nulledFields: fieldBitmap(schema, nulled),
                                diffFields: [],
                                changedFields: fieldBitmap(schema, changed)
                            }
                        }
                    }
                ],
                false
            );
        }
    }
}
