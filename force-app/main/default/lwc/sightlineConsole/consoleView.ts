/**
 * Which visitors the console shows, and the header line that counts them. One answer for
 * every view: Live, List and Map draw exactly `shown`, and the header counts exactly
 * `shown`, so the views always agree.
 *
 * A visitor in no stream (an admin receives them: admins may see every visitor) is not
 * shown anywhere: the product is streams, a rep only ever sees visitors in a stream, and
 * such a visitor has no column, no group and no colour. The header says how many there are
 * so an admin knows to add a catch-all stream if they want them.
 */
import { isReadyToPounce, isShown } from 'c/visitorFormat';
import type { ConsoleSnapshot, RepAvailability, VisitorCard } from '../sightlineLive/liveContract';

export interface ViewFilters {
    showIdle: boolean;
    readyOnly: boolean;
}

export interface ConsoleView {
    shown: VisitorCard[];
    summary: string;
}

const visitors = (n: number) => (n === 1 ? '1 visitor' : `${n} visitors`);

export function consoleView(
    snapshot: ConsoleSnapshot | undefined,
    filters: ViewFilters,
    viewerId: string
): ConsoleView {
    if (!snapshot) return { shown: [], summary: 'Connecting…' };
    const streamIds = new Set(snapshot.streams.map((s) => s.id));
    const inStreams = snapshot.visitors.filter((card) => streamIds.has(card.streamId));
    const shown = inStreams.filter((card) => isShown(card, filters.showIdle, filters.readyOnly));
    const grouped = withCommittees(shown, inStreams);
    const notes: string[] = [];
    const idleHidden = filters.showIdle ? 0 : inStreams.filter((c) => !c.active).length;
    if (idleHidden > 0) notes.push(`${idleHidden} idle hidden`);
    if (filters.readyOnly) {
        const notReady = inStreams.filter(
            (c) => (filters.showIdle || c.active) && !isReadyToPounce(c)
        ).length;
        if (notReady > 0) notes.push(`${notReady} not ready hidden`);
    }
    const noStream = snapshot.visitors.length - inStreams.length;
    if (noStream > 0) notes.push(`${visitors(noStream)} in no stream not shown`);
    return {
        shown: grouped,
        summary: [whoIsLooking(shown, snapshot, viewerId), ...notes].join(' · ')
    };
}

/**
 * Worded for who is looking: a rep sees visitors routed to them; an admin sees every
 * stream; a manager also sees visitors routed to the people they manage.
 */
function whoIsLooking(shown: VisitorCard[], snapshot: ConsoleSnapshot, viewerId: string): string {
    const n = shown.length;
    const mine = shown.filter((c) => c.routing.routedTo.some((u) => u.id === viewerId)).length;
    if (snapshot.user.isAdmin) return `${visitors(n)} in all streams · ${mine} routed to you`;
    if (mine === n) return `${visitors(n)} routed to you`;
    return `${visitors(n)} routed to you and your team · ${mine} to you`;
}

/**
 * The rep's availability with their conversations counted live from the cards they are
 * engaging (the snapshot's count is only as fresh as the snapshot).
 */
export function liveAvailability(
    snapshot: ConsoleSnapshot | undefined,
    viewerId: string
): RepAvailability | undefined {
    const availability = snapshot?.user.availability;
    if (!availability) return undefined;
    const engaging = snapshot.visitors.filter((c) => c.engagedBy?.id === viewerId).length;
    return { ...availability, activeConversations: engaging };
}

/** The enriched copy of each card, kept while its committee is the same (unchanged cards keep their object). */
const enriched = new WeakMap<VisitorCard, { key: string; card: VisitorCard }>();

/**
 * Several visitors from one Account at once are a buying committee: each of their cards
 * says "3 from Acme on the site" and names the others (the Visitor 360 lists them).
 * Counted over every visitor in a stream this console has, idle ones included.
 */
export function withCommittees(cards: VisitorCard[], all: VisitorCard[]): VisitorCard[] {
    const byAccount = new Map<string, VisitorCard[]>();
    for (const card of all) {
        const id = card.salesforce.account?.id;
        if (!id) continue;
        const members = byAccount.get(id);
        if (members) members.push(card);
        else byAccount.set(id, [card]);
    }
    return cards.map((card) => withCommittee(card, byAccount));
}

function withCommittee(card: VisitorCard, byAccount: Map<string, VisitorCard[]>): VisitorCard {
    const account = card.salesforce.account;
    const members = account ? byAccount.get(account.id) : undefined;
    if (!account || !members || members.length < 2) return card;
    const others = members.filter((m) => m.id !== card.id);
    const key = others.map((m) => `${m.id}:${m.displayName}`).join('|');
    const cached = enriched.get(card);
    if (cached?.key === key) return cached.card;
    const grouped: VisitorCard = {
        ...card,
        committee: {
            accountName: account.name,
            count: members.length,
            others: others.map((m) => ({ id: m.id, name: m.displayName }))
        }
    };
    enriched.set(card, { key, card: grouped });
    return grouped;
}
