/**
 * Streams (Live_Stream__c): a visitor belongs to every active stream whose criteria it
 * fits, and is shown in the one with the highest priority (1 = highest).
 */
import { compileCriteria, type CompiledCriteria, type CriteriaTrace } from './compile';
import type { Visitor } from './visitorModel';

export interface LiveStream {
    id: string;
    name: string;
    /** `#rrggbb` */
    color: string;
    priority: number;
    active: boolean;
    /** Criteria JSON text or object (see criteria.ts). */
    criteria: unknown;
}

export interface CompiledStream {
    stream: LiveStream;
    criteria: CompiledCriteria;
}

export interface StreamTrace {
    streamId: string;
    name: string;
    priority: number;
    matched: boolean;
    /** Condition by condition. */
    criteria: CriteriaTrace;
}

export interface StreamMembership {
    /** Every stream the visitor fits, highest priority first. */
    matched: string[];
    /** The stream the visitor is shown in, or null when it fits none. */
    shown: string | null;
    /** Every active stream tested, when the decision was asked to explain itself; else empty. */
    trace: StreamTrace[];
}

/** Active streams, compiled, highest priority first (ties broken by id so the order is stable). */
export function compileStreams(streams: readonly LiveStream[]): CompiledStream[] {
    return streams
        .filter((stream) => stream.active === true)
        .sort((a, b) => a.priority - b.priority || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
        .map((stream) => ({ stream, criteria: compileCriteria(stream.criteria) }));
}

export function sortIntoStreams(
    streams: readonly CompiledStream[],
    visitor: Visitor,
    now: number,
    explain: boolean
): StreamMembership {
    const matched: string[] = [];
    const trace: StreamTrace[] = [];
    for (const { stream, criteria } of streams) {
        const fits = criteria.matches(visitor, now);
        if (fits) {
            matched.push(stream.id);
        }
        if (explain) {
            trace.push({
                streamId: stream.id,
                name: stream.name,
                priority: stream.priority,
                matched: fits,
                criteria: criteria.explain(visitor, now)
            });
        }
    }
    return { matched, shown: matched[0] ?? null, trace };
}
