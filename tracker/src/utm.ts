/** Landing-page UTM parameters, as the contract's `utm` object (each at most 255 characters). */
export interface Utm {
    source?: string;
    medium?: string;
    campaign?: string;
    term?: string;
    content?: string;
}

const KEYS = ['source', 'medium', 'campaign', 'term', 'content'] as const;

export function readUtm(search: string): Utm | undefined {
    const params = new URLSearchParams(search);
    const utm: Utm = {};
    let found = false;
    for (const key of KEYS) {
        const value = params.get(`utm_${key}`)?.trim();
        if (value) {
            utm[key] = value.slice(0, 255);
            found = true;
        }
    }
    return found ? utm : undefined;
}
