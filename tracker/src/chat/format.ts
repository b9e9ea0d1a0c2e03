/** Pure helpers of the chat panel, tested without a browser. */
export function secondsLeft(deadlineIso: string, now: number): number {
    const deadline = Date.parse(deadlineIso);
    if (Number.isNaN(deadline)) return 0;
    return Math.max(0, Math.ceil((deadline - now) / 1000));
}

/** "0:30", "5:00": the same m:ss as the rep's card and Visitor 360. */
export function countdownText(seconds: number): string {
    return `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')}`;
}

/** "Ana Souza" → first/last; one word is the last name (the contract requires one). */
export function splitName(full: string): { firstName?: string; lastName: string } {
    const parts = full.trim().split(/\s+/).filter(Boolean);
    if (parts.length <= 1) return { lastName: parts[0] ?? '' };
    return { firstName: parts.slice(0, -1).join(' '), lastName: parts[parts.length - 1]! };
}

/** Slots grouped by the visitor's local day, in order. */
export function slotsByDay(
    slots: { start: string; end: string }[],
    locale?: string,
    timeZone?: string
): { day: string; slots: { start: string; label: string }[] }[] {
    const days = new Map<string, { start: string; label: string }[]>();
    const dayFormat = new Intl.DateTimeFormat(locale, {
        weekday: 'long',
        month: 'short',
        day: 'numeric',
        timeZone
    });
    const timeFormat = new Intl.DateTimeFormat(locale, {
        hour: 'numeric',
        minute: '2-digit',
        timeZone
    });
    for (const slot of [...slots].sort((a, b) => Date.parse(a.start) - Date.parse(b.start))) {
        const date = new Date(slot.start);
        if (Number.isNaN(date.getTime())) continue;
        const day = dayFormat.format(date);
        if (!days.has(day)) days.set(day, []);
        days.get(day)!.push({ start: slot.start, label: timeFormat.format(date) });
    }
    return [...days].map(([day, list]) => ({ day, slots: list }));
}

export interface ChatMessage {
    id?: string;
    clientMessageId?: string;
    sender: 'Rep' | 'Visitor' | 'Bot' | 'System';
    senderName: string;
    body: string;
    sentAt: string;
    delivered?: boolean;
}

/** Adds or updates a message: the gateway's echo of our own message replaces the pending one. */
export function mergeMessage(list: ChatMessage[], message: ChatMessage): ChatMessage[] {
    const index = list.findIndex(
        (m) =>
            (message.id && m.id === message.id) ||
            (message.clientMessageId && m.clientMessageId === message.clientMessageId)
    );
    if (index === -1)
        return [...list, message]
            .sort((a, b) => Date.parse(a.sentAt) - Date.parse(b.sentAt))
            .slice(-200);
    const next = [...list];
    next[index] = {
        ...list[index]!,
        ...message,
        delivered: list[index]!.delivered || message.delivered || Boolean(message.id)
    };
    return next;
}
