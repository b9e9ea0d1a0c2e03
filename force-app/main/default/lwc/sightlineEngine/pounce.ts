/**
 * Pounce readiness: the guide's four questions for engaging a visitor unasked — are they
 * actively looking, not engaged with another rep, in a high-intent stream, and reading
 * (scrolled past ~15% of the page)? Each question is answered with the visitor's own
 * values, so a rep sees why a visitor is (not) ready, and the admin tunes the thresholds
 * (Sightline_Setting__mdt: Pounce_Min_Scroll_Percent__c, Pounce_High_Intent_Streams__c).
 */

export interface PounceThresholds {
    /** Scroll depth of the current page, 0..1, from which the visitor counts as reading. */
    minScrollDepth: number;
    /** The first N active streams in priority order count as high intent; 0 means every stream. */
    highIntentStreams: number;
}

export const DEFAULT_POUNCE_THRESHOLDS: PounceThresholds = {
    minScrollDepth: 0.15,
    highIntentStreams: 0
};

/** What readiness depends on: cheap to gather from a live visit on every card build. */
export interface PounceFacts {
    active: boolean;
    /** Name of the rep engaging the visitor (pounce or accepted chat), if any. */
    engagedBy?: string;
    /** The stream the visitor is shown in, or null when it fits none. */
    streamId: string | null;
    currentPage?: { path: string; scrollDepth?: number };
}

export type PounceCheckKey = 'active' | 'unengaged' | 'highIntent' | 'reading';

export interface PounceCheck {
    key: PounceCheckKey;
    question: string;
    ok: boolean;
    /** The answer with the visitor's values, e.g. "No: scrolled 8% of /pricing (needs 15%)". */
    answer: string;
}

export interface PounceReadiness {
    ready: boolean;
    checks: PounceCheck[];
}

const percent = (depth: number) => `${Math.round(depth * 100)}%`;

/**
 * Thresholds from settings, each checked on its own: a missing or out-of-range value
 * falls back to its default rather than making every visitor (un)ready.
 * `minScrollPercent` is a percentage (15 = 15%), as the Percent field stores it.
 */
export function resolvePounceThresholds(raw: {
    minScrollPercent?: unknown;
    highIntentStreams?: unknown;
}): PounceThresholds {
    const scroll = Number(raw.minScrollPercent);
    const streams = Number(raw.highIntentStreams);
    return {
        minScrollDepth:
            raw.minScrollPercent !== undefined &&
            raw.minScrollPercent !== null &&
            raw.minScrollPercent !== '' &&
            Number.isFinite(scroll) &&
            scroll >= 0 &&
            scroll <= 100
                ? scroll / 100
                : DEFAULT_POUNCE_THRESHOLDS.minScrollDepth,
        highIntentStreams:
            Number.isInteger(streams) && streams >= 0
                ? streams
                : DEFAULT_POUNCE_THRESHOLDS.highIntentStreams
    };
}

/**
 * `streamOrder`: the active streams, highest priority first (the compiled rule set's
 * order), so that "the first N streams" means what the admin sees in Setup.
 */
export function pounceReadiness(
    facts: PounceFacts,
    streamOrder: readonly { id: string; name: string }[],
    thresholds: PounceThresholds = DEFAULT_POUNCE_THRESHOLDS
): PounceReadiness {
    const page = facts.currentPage;
    const depth = page?.scrollDepth ?? 0;
    const rank =
        facts.streamId === null ? -1 : streamOrder.findIndex((s) => s.id === facts.streamId);
    const stream = rank >= 0 ? streamOrder[rank] : undefined;
    const limit = thresholds.highIntentStreams;
    const highIntent = stream !== undefined && (limit === 0 || rank < limit);

    const checks: PounceCheck[] = [
        {
            key: 'active',
            question: 'Actively looking at the site?',
            ok: facts.active,
            answer: facts.active
                ? `Yes: active now${page ? ` on ${page.path}` : ''}`
                : 'No: idle, no recent activity'
        },
        {
            key: 'unengaged',
            question: 'Not engaged with another rep?',
            ok: facts.engagedBy === undefined,
            answer:
                facts.engagedBy === undefined
                    ? 'Yes: no rep is engaging'
                    : `No: ${facts.engagedBy} is engaging`
        },
        {
            key: 'highIntent',
            question: 'In a high-intent stream?',
            ok: highIntent,
            answer: !stream
                ? 'No: in no stream'
                : highIntent
                  ? limit === 0
                      ? `Yes: ${stream.name}`
                      : `Yes: ${stream.name} is stream ${rank + 1}; the first ${limit} count`
                  : `No: ${stream.name} is stream ${rank + 1}; only the first ${limit} count`
        },
        {
            key: 'reading',
            question: `Scrolled past ${percent(thresholds.minScrollDepth)}?`,
            ok: page !== undefined && depth >= thresholds.minScrollDepth,
            answer: !page
                ? 'No: no page seen yet'
                : `${depth >= thresholds.minScrollDepth ? 'Yes' : 'No'}: scrolled ${percent(depth)} of ${page.path}`
        }
    ];
    return { ready: checks.every((c) => c.ok), checks };
}
