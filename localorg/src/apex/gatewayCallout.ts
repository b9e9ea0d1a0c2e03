/**
 * The one callout the packaged Apex makes (SightlineGatewayClient.post): POST
 * `{gateway}/api/v1/actions/{action}` with the Named Credential's bearer key, the running
 * user in `X-Sightline-User`, and the params as the JSON body; a 20 s timeout; errors
 * become the message the Apex client would throw as an AuraHandledException. Signed as
 * SightlineSigner.cls signs (apexSigner.ts, its twin): org, user, time, nonce and body hash.
 */
import { apexSignatureHeaders } from './apexSigner';
export const TIMEOUT_MS = 20_000;
export const UNREACHABLE = 'The Sightline gateway could not be reached. Try again in a moment.';
export const FAILED = 'The Sightline gateway could not complete the request';
const ACTION_NAME = /^[A-Za-z][A-Za-z0-9]{0,63}$/;

export interface GatewayEndpoint {
    /** The gateway's origin, as the Named Credential's URL. */
    url: string;
    /** The External Credential's ApiKey. */
    apiKey: string;
    /** The org's id and its Sightline_Signing__c secret, as the packaged signer reads them. */
    signing: { secret: string; orgId: string };
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
    const body = JSON.stringify(params);
    let response: Response;
    try {
        response = await fetchImpl(`${endpoint.url.replace(/\/+$/, '')}/api/v1/actions/${action}`, {
            method: 'POST',
            headers: {
                'content-type': 'application/json',
                accept: 'application/json',
                authorization: `Bearer ${endpoint.apiKey}`,
                ...apexSignatureHeaders(action, body, { ...endpoint.signing, userId })
            },
            body,
            signal: AbortSignal.timeout(TIMEOUT_MS)
        });
    } catch {
        throw new AuraHandledException(UNREACHABLE);
    }
    const answer = await response.text();
    if (response.ok) {
        if (!answer.trim()) return null;
        try {
            return JSON.parse(answer) as unknown;
        } catch {
            throw new AuraHandledException(`${FAILED}: its answer was not JSON.`);
        }
    }
    throw new AuraHandledException(messageOf(response.status, answer));
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
