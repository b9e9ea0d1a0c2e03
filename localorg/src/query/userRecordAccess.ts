/**
 * UserRecordAccess, as the platform answers it: a read-only object computed from sharing,
 * queryable only for one user and at most 200 records in one query —
 * `WHERE UserId = '<id>' AND RecordId = '<id>'` or `… AND RecordId IN (<ids>)`. Any other
 * shape is refused, as the org refuses it, so a gateway that would ask otherwise fails here
 * first. The rows then go through the query's ordinary WHERE, selection and ORDER BY.
 */
import type { Query, WhereClause } from '@jetstreamapp/soql-parser-js';
import { ApiError } from '../rest/apiError';
import type { LocalOrg, SObject } from '../store/localOrg';
import { normaliseId } from '../store/salesforceId';
import { Sharing } from '../store/sharing';

export const MAX_RECORD_IDS = 200;

const REQUIRED =
    "UserRecordAccess: a query must filter on one UserId (UserId = '<id>') and on RecordId (= '<id>' or IN (…), 200 at most), joined by AND.";

/** A WHERE clause as the parser gives it, as far as this object needs. */
interface Clause {
    left?: {
        field?: string;
        operator?: string;
        value?: unknown;
        openParen?: number;
        closeParen?: number;
    } | null;
    operator?: string;
    right?: Clause;
}

interface FieldCondition {
    field: string;
    operator: string;
    value: unknown;
}

/** The top-level AND-ed conditions; anything else (OR, NOT, parentheses) is refused. */
function conditions(where: WhereClause | undefined): FieldCondition[] {
    const found: FieldCondition[] = [];
    for (let clause = where as Clause | undefined; clause; clause = clause.right) {
        const left = clause.left;
        if (!left?.field || !left.operator || left.openParen || left.closeParen)
            throw new ApiError(400, 'MALFORMED_QUERY', REQUIRED);
        found.push({ field: left.field, operator: left.operator, value: left.value });
        if (clause.right && clause.operator !== 'AND')
            throw new ApiError(400, 'MALFORMED_QUERY', REQUIRED);
    }
    return found;
}

const unquote = (value: string) => value.replace(/^'(.*)'$/, '$1');

export function userRecordAccessRows(org: LocalOrg, query: Query): SObject[] {
    let userId: string | null = null;
    let recordIds: string[] | null = null;
    for (const condition of conditions(query.where)) {
        const field = condition.field.toLowerCase();
        const value = condition.value;
        if (field === 'userid' && condition.operator === '=' && typeof value === 'string')
            userId = normaliseId(unquote(value));
        else if (field === 'recordid' && condition.operator === '=' && typeof value === 'string')
            recordIds = [unquote(value)];
        else if (field === 'recordid' && condition.operator === 'IN' && Array.isArray(value))
            recordIds = value.map((v) => unquote(String(v)));
    }
    if (!userId || !recordIds) throw new ApiError(400, 'MALFORMED_QUERY', REQUIRED);
    if (recordIds.length > MAX_RECORD_IDS)
        throw new ApiError(
            400,
            'MALFORMED_QUERY',
            `UserRecordAccess: at most ${MAX_RECORD_IDS} RecordId values in one query.`
        );
    const sharing = new Sharing(org);
    const rows: SObject[] = [];
    for (const raw of new Set(recordIds)) {
        const recordId = normaliseId(raw);
        if (!recordId) continue;
        const level = sharing.access(userId, recordId);
        const edit = level === 'Edit' || level === 'All';
        rows.push({
            Id: recordId,
            UserId: userId,
            RecordId: recordId,
            HasReadAccess: level !== 'None',
            HasEditAccess: edit,
            HasDeleteAccess: level === 'All',
            HasTransferAccess: level === 'All',
            HasAllAccess: level === 'All',
            MaxAccessLevel: level
        });
    }
    return rows;
}
