/**
 * The one callout the packaged Apex makes (SightlineGatewayClient.post): POST
 * `{gateway}/api/v1/actions/{action}` with the Named Credential's bearer key, the running
 * user in `X-Sightline-User`, and the params as the JSON body; a 20 s timeout; errors
 * become the message the Apex client would throw as an AuraHandledException. Kept in one
 * small module so request signing slots in here.
 */
export const USER_HEADER = 'X-Sightline-User';
export const TIMEOUT_MS = 20_000;
export const UNREACHABLE = 'The Sightline gateway could not be reached. Try again in a moment.';
export const FAILED = 'The Sightline gateway could not complete the request';
const ACTION_NAME = /^[A-Za-z][A-Za-z0-9]{0,63}$/;

export interface GatewayEndpoint {
    /** The gateway's origin, as the Named Credential's URL. */
    url: string;
    /** The External Credential's ApiKey. */
    apiKey: string;
}

/** What Apex throws to the LWC: an AuraHandledException with the gateway's own message. */
export class AuraHandledException extends Error {
    readonly exceptionType = 'System.AuraHandledException';
}

export async function postGatewayAction(
    endpoint: GatewayEndpoint,
    action: string,
    userId: string,
    params: Record<string, unknown>,
    fetchImpl: typeof fetch = fetch
): Promise<unknown> {
    if (!ACTION_NAME.test(action)) throw new AuraHandledException('Unknown Sightline action.');
    let response: Response;
    try {
        response = await fetchImpl(`${endpoint.url.replace(/\/+$/, '')}/api/v1/actions/${action}`, {
            method: 'POST',
            headers: {
                'content-type': 'application/json',
                accept: 'application/json',
                authorization: `Bearer ${endpoint.apiKey}`,
                [USER_HEADER]: userId
            },
            body: JSON.stringify(params),
            signal: AbortSignal.timeout(TIMEOUT_MS)
        });
    } catch {
        throw new AuraHandledException(UNREACHABLE);
    }
    const body = await response.text();
    if (response.ok) {
        if (!body.trim()) return null;
        try {
            return JSON.parse(body) as unknown;
        } catch {
            throw new AuraHandledException(`${FAILED}: its answer was not JSON.`);
        }
    }
    throw new AuraHandledException(messageOf(response.status, body));
}

/** The gateway answers errors as `{ message, errorCode }`; anything else gets a generic message. */
function messageOf(status: number, body: string): string {
    try {
        const parsed = JSON.parse(body) as unknown;
        const message = (parsed as { message?: unknown } | null)?.message;
        if (typeof message === 'string' && message.trim()) return message;
    } catch {
        // not JSON (a proxy's error page)
    }
    return `${FAILED} (HTTP ${status}).`;
}
