/**
 * HTTP to the local gateway for the platform stand-ins. Failures take the shape Lightning
 * gives them (`{ status, statusText, ok: false, body }`), so components handle errors the
 * same way here as on the platform.
 */
export interface FetchResponseError {
    status: number;
    statusText: string;
    ok: false;
    body: unknown;
}

export async function requestJson<T>(method: string, url: string, body?: unknown): Promise<T> {
    let response: Response;
    try {
        response = await fetch(url, {
            method,
            credentials: 'same-origin',
            headers: body === undefined ? {} : { 'content-type': 'application/json' },
            body: body === undefined ? undefined : JSON.stringify(body)
        });
    } catch (cause) {
        // eslint-disable-next-line @typescript-eslint/only-throw-error -- see fetchError
        throw fetchError(0, 'Network error', {
            message: `Could not reach the local gateway: ${String(cause)}`
        });
    }
    const text = await response.text();
    const parsed: unknown = text ? safeJson(text) : null;
    // eslint-disable-next-line @typescript-eslint/only-throw-error -- see fetchError
    if (!response.ok) throw fetchError(response.status, response.statusText, parsed);
    return parsed as T;
}

/**
 * On the platform, Apex and UI API calls reject with a FetchResponse-shaped object, not an
 * Error; components (c/ldsUtils reduceErrors) read its `body`, so the stand-in throws the same.
 */
function fetchError(status: number, statusText: string, body: unknown): FetchResponseError {
    return { status, statusText, ok: false, body };
}

function safeJson(text: string): unknown {
    try {
        return JSON.parse(text);
    } catch {
        return { message: text };
    }
}
