/**
 * What the org does itself when a Task or Event is written: WhoId names a Lead or a
 * Contact, a Lead cannot also be related to a record (WhatId), and the read-only fields
 * follow the record (Task.IsClosed and CompletedDateTime from Status, AccountId from WhatId
 * or from a Contact WhoId), as the Task object reference describes them.
 */
import type { ObjectDescribe } from './describe';
import type { SObject } from './localOrg';
import { CLOSED_TASK_STATUSES } from './standardObjects';

/** Reads one record by id, whatever its object (the org's lookup by key prefix). */
export type RecordById = (id: string) => { object: string; record: SObject } | undefined;

export class ActivityRuleError extends Error {
    constructor(
        message: string,
        readonly field: string
    ) {
        super(message);
    }
}

function isActivity(object: ObjectDescribe): boolean {
    return !object.custom && (object.apiName === 'Task' || object.apiName === 'Event');
}

/**
 * Applies the activity rules to `record` (the values about to be stored) in place.
 * `before` is the stored record on update. Throws ActivityRuleError where the org refuses.
 */
export function applyActivityRules(
    object: ObjectDescribe,
    record: SObject,
    before: SObject | undefined,
    byId: RecordById
): void {
    if (!isActivity(object)) return;
    const who = typeof record.WhoId === 'string' ? byId(record.WhoId) : undefined;
    const what = typeof record.WhatId === 'string' ? byId(record.WhatId) : undefined;
    if (who?.object === 'Lead' && record.WhatId) {
        throw new ActivityRuleError(
            'Related To ID: a task or event whose Name is a lead cannot be related to another record',
            'WhatId'
        );
    }
    record.AccountId =
        what?.object === 'Account'
            ? (what.record.Id as string)
            : what?.object === 'Opportunity'
              ? (what.record.AccountId ?? null)
              : who?.object === 'Contact'
                ? (who.record.AccountId ?? null)
                : null;
    if (object.apiName !== 'Task') return;
    const closed = CLOSED_TASK_STATUSES.has(String(record.Status));
    record.IsClosed = closed;
    if (!closed) record.CompletedDateTime = null;
    else if (!before?.IsClosed) record.CompletedDateTime = new Date().toISOString();
}
