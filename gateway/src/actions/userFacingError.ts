/**
 * An error whose message is meant for the user (like Apex's AuraHandledException), with the
 * HTTP status to answer with. Anything else is an internal error and its details stay in
 * the log.
 */
export class UserFacingError extends Error {
    constructor(
        message: string,
        readonly status = 400
    ) {
        super(message);
        this.name = 'UserFacingError';
    }
}
