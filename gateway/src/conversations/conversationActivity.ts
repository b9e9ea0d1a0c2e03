/**
 * A website conversation as an activity on the CRM timeline: when it ends it becomes a
 * completed Task owned by the rep, on the Contact or Lead (WhoId) and the Account (WhatId),
 * with the stream, the pages seen and the transcript in its Description, so reps find it
 * where they find every other activity. Pure: the caller writes the Task.
 */
import type { ChatMessage } from '../contracts/liveContract';
import type { CrmConversation, CrmTask } from '../crm/crmPort';

/** Task.Description holds 32,000 characters. */
export const TASK_DESCRIPTION_MAX = 32_000;
const SUBJECT_MAX = 255;
/** A page line at most (50 pages leave most of the Description to the transcript). */
const PAGE_LINE_MAX = 255;

/** Who and what the conversation was about, as the live visit knew it when it ended. */
export interface ActivitySubject {
    visitorName: string;
    streamName?: string;
    pages: readonly { url: string; title?: string }[];
    contactId?: string;
    leadId?: string;
    accountId?: string;
}

/** `2026-11-27T14:03:09.000Z` → `2026-11-27 14:03 UTC`: the org shows the Task in each user's time zone, the text cannot. */
function utc(iso: string | undefined): string {
    return iso ? `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC` : 'unknown';
}

/**
 * WhoId and WhatId as the org accepts them: a Contact with its Account; a Lead alone (the
 * org refuses a Lead with a Related To record); an Account alone when no person is known.
 */
export function timelineLinks(subject: ActivitySubject): { whoId?: string; whatId?: string } {
    if (subject.contactId)
        return {
            whoId: subject.contactId,
            ...(subject.accountId ? { whatId: subject.accountId } : {})
        };
    if (subject.leadId) return { whoId: subject.leadId };
    return subject.accountId ? { whatId: subject.accountId } : {};
}

function transcriptLines(messages: readonly ChatMessage[]): string[] {
    return messages.map((m) => `[${m.sentAt.slice(11, 16)}] ${m.senderName}: ${m.body}`);
}

/**
 * The Description: a header, the pages seen, then the transcript. Past 32,000 characters
 * the earliest messages give way (the end of a conversation is where it was decided), and
 * the text says how many were left out.
 */
export function activityDescription(
    conversation: CrmConversation,
    subject: ActivitySubject,
    messages: readonly ChatMessage[]
): string {
    const head = [
        `Website conversation with ${subject.visitorName} (${conversation.origin === 'Pounce' ? 'pounce' : 'chat request'})`,
        `Stream: ${subject.streamName ?? 'none'}`,
        `Started ${utc(conversation.startedAt)}, ended ${utc(conversation.endedAt)}`,
        '',
        `Pages seen (${subject.pages.length}):`,
        ...subject.pages.map((p) =>
            `- ${p.title ? `${p.title} — ` : ''}${p.url}`.slice(0, PAGE_LINE_MAX)
        ),
        '',
        `Transcript (${messages.length} messages):`
    ].join('\n');
    const lines = transcriptLines(messages);
    const note = (omitted: number) => `… ${omitted} earlier messages not shown`;
    // Newest first until the budget (with room for the note) is spent.
    const budget = TASK_DESCRIPTION_MAX - head.length - note(lines.length).length - 2;
    let first = lines.length;
    let used = 0;
    while (first > 0 && used + lines[first - 1]!.length + 1 <= budget) {
        used += lines[first - 1]!.length + 1;
        first -= 1;
    }
    const text = [head, ...(first > 0 ? [note(first)] : []), ...lines.slice(first)].join('\n');
    return text.slice(0, TASK_DESCRIPTION_MAX);
}

/** The Task for an ended conversation, or undefined when no rep took part (nothing to log for anyone). */
export function conversationTask(
    conversation: CrmConversation,
    subject: ActivitySubject,
    messages: readonly ChatMessage[]
): CrmTask | undefined {
    if (!conversation.repId) return undefined;
    const endedAt = conversation.endedAt ?? conversation.startedAt ?? new Date(0).toISOString();
    return {
        ownerId: conversation.repId,
        subject: `Website conversation with ${subject.visitorName}`.slice(0, SUBJECT_MAX),
        description: activityDescription(conversation, subject, messages),
        activityDate: endedAt.slice(0, 10),
        ...timelineLinks(subject)
    };
}
