/**
 * Access tokens the token endpoint issued, and who each belongs to. Like an org's sessions
 * they lapse after a period without use (two hours by default, Salesforce's default
 * session timeout); a lapsed or unknown token is INVALID_SESSION_ID.
 */
import { randomBytes } from 'node:crypto';

export interface Session {
    userId: string;
    username: string;
    issuedAt: number;
    lastUsed: number;
}

export class Sessions {
    private readonly byToken = new Map<string, Session>();

    constructor(
        private readonly orgId: string,
        private readonly timeoutMs: number,
        private readonly now: () => number
    ) {}

    /** An opaque token shaped like an org's: the org id, `!`, then random characters. */
    issue(userId: string, username: string): { token: string; session: Session } {
        const token = `${this.orgId.slice(0, 15)}!${randomBytes(48).toString('base64url')}`;
        const at = this.now();
        const session = { userId, username, issuedAt: at, lastUsed: at };
        this.byToken.set(token, session);
        return { token, session };
    }

    /** The live session for a token, refreshed by this use; undefined when unknown or lapsed. */
    use(token: string): Session | undefined {
        const session = this.byToken.get(token);
        if (!session) return undefined;
        const at = this.now();
        if (at - session.lastUsed > this.timeoutMs) {
            this.byToken.delete(token);
            return undefined;
        }
        session.lastUsed = at;
        return session;
    }

    revoke(token: string): boolean {
        return this.byToken.delete(token);
    }

    /** Ends every session (as an admin's "expire all sessions" would). */
    expireAll(): void {
        this.byToken.clear();
    }
}
