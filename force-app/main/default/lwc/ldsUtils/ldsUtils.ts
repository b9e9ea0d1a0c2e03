/**
 * One readable message from an Apex, UI API or JavaScript error (as lwc-recipes' ldsUtils):
 * field and record errors of a UI API write first, else the body's or the error's message,
 * else `fallback`.
 */
export function reduceErrors(error: unknown, fallback = 'Something went wrong.'): string {
    const errors = Array.isArray(error) ? error : [error];
    const messages = errors.flatMap((e): string[] => {
        if (!e) return [];
        if (typeof e === 'string') return [e];
        const body = (e as { body?: unknown }).body;
        if (Array.isArray(body))
            return body
                .map((b) => String((b as { message?: string }).message ?? ''))
                .filter(Boolean);
        if (body && typeof body === 'object') {
            const b = body as {
                message?: string;
                output?: {
                    errors?: { message: string }[];
                    fieldErrors?: Record<string, { message: string }[]>;
                };
            };
            const output = [
                ...(b.output?.errors ?? []),
                ...Object.values(b.output?.fieldErrors ?? {}).flat()
            ].map((x) => x.message);
            if (output.length) return output;
            if (b.message) return [b.message];
        }
        const message = (e as { message?: string }).message;
        return message ? [message] : [];
    });
    return messages.length ? [...new Set(messages)].join(' ') : fallback;
}
