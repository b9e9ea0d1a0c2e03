/** A CrmTask as Task fields, shared by every adapter so each writes the same record. */
import type { CrmTask } from './crmPort';

export function taskRecord(fields: CrmTask): Record<string, string> {
    return {
        Subject: fields.subject,
        Description: fields.description,
        ActivityDate: fields.activityDate,
        OwnerId: fields.ownerId,
        // A conversation that ended is done: a completed Task, not a to-do.
        Status: 'Completed',
        Priority: 'Normal',
        TaskSubtype: 'Task',
        ...(fields.whoId ? { WhoId: fields.whoId } : {}),
        ...(fields.whatId ? { WhatId: fields.whatId } : {})
    };
}
