/**
 * Errors as Salesforce's REST API reports them: an HTTP status and a body of
 * `[{ message, errorCode, fields? }]`. Everything the local org refuses goes through here,
 * so every client (jsforce, the Pub/Sub client's REST calls, curl) sees the platform's shape.
 */
import { DuplicatesDetected, LocalOrgError } from '../store/localOrg';
import type { DuplicateResult } from '../store/leadRules';

export interface ApiErrorBody {
    message: string;
    errorCode: string;
    fields?: string[];
    /** DUPLICATES_DETECTED: the duplicate rule and the records it matched. */
    duplicateResult?: DuplicateResult;
}

export class ApiError extends Error {
    constructor(
        readonly status: number,
        readonly errorCode: string,
        message: string,
        readonly fields: string[] = [],
        readonly duplicateResult?: DuplicateResult
    ) {
        super(message);
        this.name = 'ApiError';
    }

    body(): ApiErrorBody[] {
        return [
            {
                message: this.message,
                errorCode: this.errorCode,
                ...(this.fields.length || this.duplicateResult ? { fields: this.fields } : {}),
                ...(this.duplicateResult ? { duplicateResult: this.duplicateResult } : {})
            }
        ];
    }
}

export const notFound = () =>
    new ApiError(404, 'NOT_FOUND', 'The requested resource does not exist');

/** The store's write checks carry Salesforce's codes already; REST adds the status. */
export function toApiError(error: unknown): ApiError | undefined {
    if (error instanceof ApiError) return error;
    if (error instanceof DuplicatesDetected)
        return new ApiError(400, error.errorCode, error.message, [], error.duplicateResult);
    if (error instanceof LocalOrgError) {
        return new ApiError(
            error.errorCode === 'NOT_FOUND' ? 404 : 400,
            error.errorCode,
            error.message,
            error.fields
        );
    }
    return undefined;
}
