/**
 * Who is calling `/api/v1/actions`: the signed identity (verifyApexRequest.ts), then the
 * org's current word on that user (userAccessCache.ts), then a per-user rate limit. The
 * answer is either the acting user or a refusal with a status, a stable code and a message
 * that says what to fix.
 */
import type { ActingUser } from '../actions/actionRegistry';
import type { RateLimiter } from '../ingest/rateLimiter';
import type { UserAccessCache } from './userAccessCache';
import type { ApexRequestVerifier } from './verifyApexRequest';

export type CallerVerdict =
    | { ok: true; user: ActingUser }
    | {
          ok: false;
          status: 401 | 403 | 429;
          code: string;
          message: string;
          retryAfterSeconds?: number;
      };

export interface ApexCallerIdentityDependencies {
    verifier: ApexRequestVerifier;
    access: UserAccessCache;
    perUser: RateLimiter;
}

export async function identifyApexCaller(
    deps: ApexCallerIdentityDependencies,
    action: string,
    headers: Record<string, string | string[] | undefined>,
    rawBody: string
): Promise<CallerVerdict> {
    const signed = await deps.verifier.verify(action, headers, rawBody);
    if (!signed.ok) return signed;
    const access = await deps.access.get(signed.userId);
    if (!access || !access.active)
        return {
            ok: false,
            status: 403,
            code: 'INACTIVE_USER',
            message: 'The calling user is not an active user of the org.'
        };
    if (!access.sightline && !access.admin)
        return {
            ok: false,
            status: 403,
            code: 'NO_SIGHTLINE_ACCESS',
            message:
                'The calling user does not hold the Sightline Access custom permission (assign the Sightline Rep or Sightline Admin permission set).'
        };
    const rate = deps.perUser.take(access.id);
    if (!rate.ok)
        return {
            ok: false,
            status: 429,
            code: 'RATE_LIMITED',
            message: 'Too many Sightline actions from this user; wait a moment.',
            retryAfterSeconds: rate.retryAfterSeconds
        };
    return { ok: true, user: { id: access.id, name: access.name, isAdmin: access.admin } };
}
