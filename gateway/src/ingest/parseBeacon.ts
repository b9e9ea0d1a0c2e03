/**
 * A beacon body → the batch the gateway keeps. The envelope (ids, site key, UTM, device)
 * is checked as a whole: without it nothing can be kept, so a bad one refuses the batch.
 * The events are checked one by one: the good ones are kept, each bad one is reported
 * by its index — one wrong event never costs the visitor the rest of the batch.
 */
import type { z } from 'zod';
import {
    CollectEnvelope,
    TrackerEvent,
    type CollectRequestData,
    type EventRejection
} from '../contracts/visitorProtocol';
import { fastBeacon } from './fastBeacon';

export type ParsedBeacon =
    | { ok: true; request: CollectRequestData; rejected: EventRejection[] }
    | {
          ok: false;
          errorCode: 'INVALID_BEACON' | 'INVALID_EVENTS';
          message: string;
          rejected?: EventRejection[];
      };

/** The first issue as `path: message`, the path within what was parsed after `prefix`. */
export function firstIssue(error: z.ZodError, prefix: readonly (string | number)[] = []): string {
    const issue = error.issues[0];
    if (!issue) return 'invalid request';
    const path = [...prefix, ...issue.path].map(String).join('.');
    return path ? `${path}: ${issue.message}` : issue.message;
}

const NO_REJECTIONS: EventRejection[] = [];
Object.freeze(NO_REJECTIONS);

export function parseBeacon(json: unknown): ParsedBeacon {
    // Most beacons are of a few common shapes, checked without the schemas' general walk.
    const common = fastBeacon(json);
    if (common) return { ok: true, request: common, rejected: NO_REJECTIONS };
    const envelope = CollectEnvelope.safeParse(json);
    if (!envelope.success)
        return { ok: false, errorCode: 'INVALID_BEACON', message: firstIssue(envelope.error) };
    const events: CollectRequestData['events'] = [];
    const rejected: EventRejection[] = [];
    envelope.data.events.forEach((raw, index) => {
        const event = TrackerEvent.safeParse(raw);
        if (event.success) events.push(event.data);
        else rejected.push({ index, message: firstIssue(event.error, ['events', index]) });
    });
    if (events.length === 0) {
        // Every event was refused: the first one's reason, and the whole list.
        return { ok: false, errorCode: 'INVALID_EVENTS', message: rejected[0]!.message, rejected };
    }
    return { ok: true, request: { ...envelope.data, events }, rejected };
}
