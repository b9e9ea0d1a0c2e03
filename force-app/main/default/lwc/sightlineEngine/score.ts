/**
 * Engagement score, 0–100, from what the visitor does: high-intent pages (pricing,
 * demo) weigh most, then forms and chat, time on site, pages actually read (scrolled
 * past ~15%), and return visits. Deterministic: the same visitor and time give the same
 * score. Weights come from Sightline_Setting__mdt.Score_Weights__c (JSON) over defaults.
 */
import { MAX_PATTERN_LENGTH } from './conditions';
import { compileWildcard, type WildcardPattern } from './wildcard';
import type { Visitor, VisitedPage } from './visitorModel';

export interface CappedWeight {
    points: number;
    max: number;
}

export interface ScoreWeights {
    /** Points per distinct page whose path matches one of the patterns. */
    highIntentPages: CappedWeight & { patterns: string[] };
    /** Points per page viewed. */
    pagesViewed: CappedWeight;
    /** Points per whole minute on site. */
    timeOnSite: CappedWeight;
    /** Points per page scrolled at least `minScrollDepth` (0..1): a reading signal. */
    readingPages: CappedWeight & { minScrollDepth: number };
    /** Points per earlier visit. */
    returningVisits: CappedWeight;
    formSubmitted: number;
    chatRequested: number;
    botEngaged: number;
}

export const DEFAULT_SCORE_WEIGHTS: ScoreWeights = {
    highIntentPages: {
        patterns: ['/pricing*', '/demo*', '/request-demo*', '/contact*', '/trial*'],
        points: 20,
        max: 40
    },
    pagesViewed: { points: 2, max: 10 },
    timeOnSite: { points: 2, max: 15 },
    readingPages: { minScrollDepth: 0.15, points: 3, max: 12 },
    returningVisits: { points: 5, max: 10 },
    formSubmitted: 15,
    chatRequested: 20,
    botEngaged: 5
};

export type ScoreBand = 'Cold' | 'Warm' | 'Hot' | 'On Fire';

export interface ScoreReason {
    label: string;
    points: number;
}

export interface EngagementScore {
    score: number;
    band: ScoreBand;
    reasons: ScoreReason[];
}

export type EngagementScorer = (visitor: Visitor, now: number) => EngagementScore;

export function bandFor(score: number): ScoreBand {
    if (score >= 80) {
        return 'On Fire';
    }
    if (score >= 51) {
        return 'Hot';
    }
    return score >= 20 ? 'Warm' : 'Cold';
}

function capped(count: number, weight: CappedWeight): number {
    return Math.max(0, Math.min(weight.max, Math.round(count * weight.points)));
}

/** Distinct pages of the visit, by path, including the current one. */
function distinctPages(visitor: Visitor): VisitedPage[] {
    const byPath = new Map<string, VisitedPage>();
    const visit = visitor.visit;
    for (const page of [
        ...(visit?.pages ?? []),
        ...(visit?.currentPage ? [visit.currentPage] : [])
    ]) {
        const seen = byPath.get(page.path);
        // Keep the deepest read of a page visited twice.
        if (!seen || (page.scrollDepth ?? 0) > (seen.scrollDepth ?? 0)) {
            byPath.set(page.path, page);
        }
    }
    return [...byPath.values()];
}

function plural(count: number, noun: string): string {
    return `${count} ${noun}${count === 1 ? '' : 's'}`;
}

/** Compiles the weights once (page patterns included) into a scoring function. */
export function compileScorer(weights: ScoreWeights = DEFAULT_SCORE_WEIGHTS): EngagementScorer {
    const highIntent: WildcardPattern[] = weights.highIntentPages.patterns.map(compileWildcard);
    return (visitor, now) => {
        const reasons: ScoreReason[] = [];
        const add = (label: string, points: number): void => {
            if (points > 0) {
                reasons.push({ label, points });
            }
        };
        const pages = distinctPages(visitor);
        const intentPaths = pages
            .map((page) => page.path)
            .filter((path) => highIntent.some((pattern) => pattern.matches(path)));
        add(
            `Visited ${plural(intentPaths.length, 'high-intent page')} (${intentPaths.join(', ')})`,
            capped(intentPaths.length, weights.highIntentPages)
        );

        const pageCount = visitor.visit?.pageCount ?? visitor.visit?.pages.length ?? 0;
        add(`Viewed ${plural(pageCount, 'page')}`, capped(pageCount, weights.pagesViewed));

        const visit = visitor.visit;
        const timeOnSiteMs =
            visit?.timeOnSiteMs ?? (visit?.startedAt === undefined ? 0 : now - visit.startedAt);
        const minutes = Math.floor(Math.max(0, timeOnSiteMs) / 60_000);
        add(`${plural(minutes, 'minute')} on site`, capped(minutes, weights.timeOnSite));

        const minDepth = weights.readingPages.minScrollDepth;
        const read = pages.filter((page) => (page.scrollDepth ?? 0) >= minDepth).length;
        add(
            `Read ${plural(read, 'page')} (scrolled past ${Math.round(minDepth * 100)}%)`,
            capped(read, weights.readingPages)
        );

        const earlierVisits = Math.max(0, (visit?.visitCount ?? (visit?.returning ? 2 : 1)) - 1);
        add(
            `Returning visitor (${plural(earlierVisits, 'earlier visit')})`,
            capped(earlierVisits, weights.returningVisits)
        );

        const behaviour = visitor.behaviour;
        add('Submitted a form', behaviour?.formSubmitted ? weights.formSubmitted : 0);
        add('Requested a chat', behaviour?.chatRequested ? weights.chatRequested : 0);
        add('Talked to the bot', behaviour?.botEngaged ? weights.botEngaged : 0);

        const score = Math.min(
            100,
            reasons.reduce((total, reason) => total + reason.points, 0)
        );
        return { score, band: bandFor(score), reasons };
    };
}

function numberOr(value: unknown, fallback: number): number {
    return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : fallback;
}

function cappedOr(value: unknown, fallback: CappedWeight): CappedWeight {
    const given =
        typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
    return {
        points: numberOr(given.points, fallback.points),
        max: numberOr(given.max, fallback.max)
    };
}

/**
 * Weights from the admin's JSON (text or object) laid over the defaults; anything
 * missing or malformed keeps its default, so a typo never breaks scoring.
 */
export function resolveScoreWeights(json: unknown): ScoreWeights {
    let given: unknown = json;
    if (typeof json === 'string') {
        try {
            given = JSON.parse(json) as unknown;
        } catch {
            given = {};
        }
    }
    const source =
        typeof given === 'object' && given !== null ? (given as Record<string, unknown>) : {};
    const defaults = DEFAULT_SCORE_WEIGHTS;
    const intent =
        typeof source.highIntentPages === 'object' && source.highIntentPages !== null
            ? (source.highIntentPages as Record<string, unknown>)
            : {};
    const patterns =
        Array.isArray(intent.patterns) &&
        intent.patterns.every(
            (pattern) =>
                typeof pattern === 'string' &&
                pattern.length > 0 &&
                pattern.length <= MAX_PATTERN_LENGTH
        )
            ? (intent.patterns as string[])
            : defaults.highIntentPages.patterns;
    const reading =
        typeof source.readingPages === 'object' && source.readingPages !== null
            ? (source.readingPages as Record<string, unknown>)
            : {};
    const minScrollDepth = numberOr(reading.minScrollDepth, defaults.readingPages.minScrollDepth);
    return {
        highIntentPages: {
            ...cappedOr(source.highIntentPages, defaults.highIntentPages),
            patterns
        },
        pagesViewed: cappedOr(source.pagesViewed, defaults.pagesViewed),
        timeOnSite: cappedOr(source.timeOnSite, defaults.timeOnSite),
        readingPages: {
            ...cappedOr(source.readingPages, defaults.readingPages),
            minScrollDepth:
                minScrollDepth <= 1 ? minScrollDepth : defaults.readingPages.minScrollDepth
        },
        returningVisits: cappedOr(source.returningVisits, defaults.returningVisits),
        formSubmitted: numberOr(source.formSubmitted, defaults.formSubmitted),
        chatRequested: numberOr(source.chatRequested, defaults.chatRequested),
        botEngaged: numberOr(source.botEngaged, defaults.botEngaged)
    };
}
