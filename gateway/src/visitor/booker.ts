/**
 * The meeting booker: free 30-minute slots of the routed rep over the next five working
 * days (9:00–17:00 in the rep's time zone, minus their Event records), and booking one
 * (an Event for the rep, and a Lead — or a link to the Contact or Lead the email matches).
 */
import { UserFacingError } from '../actions/userFacingError';
import type { BookerSlots } from '../contracts/visitorProtocol';
import type { BusyInterval, CrmPort } from '../crm/crmPort';
import type { LiveGateway } from '../live/liveGateway';

export interface BookMeetingResponse {
    booked: true;
    start: string;
    end: string;
    repName: string;
}

const SLOT_MS = 30 * 60_000;

/** Offset of a time zone from UTC at an instant, in ms (e.g. +3_600_000 for Paris in winter). */
function zoneOffset(at: number, timeZone: string): number {
    const parts = new Intl.DateTimeFormat('en-US', {
        timeZone,
        hourCycle: 'h23',
        year: 'numeric',
        month: 'numeric',
        day: 'numeric',
        hour: 'numeric',
        minute: 'numeric',
        second: 'numeric'
    }).formatToParts(new Date(at));
    const get = (type: string) => Number(parts.find((p) => p.type === type)?.value ?? 0);
    return (
        Date.UTC(
            get('year'),
            get('month') - 1,
            get('day'),
            get('hour'),
            get('minute'),
            get('second')
        ) -
        Math.floor(at / 1000) * 1000
    );
}

/** The instant a wall-clock time in a zone names. */
function zonedTime(
    year: number,
    month: number,
    day: number,
    hour: number,
    minute: number,
    timeZone: string
): number {
    const guess = Date.UTC(year, month, day, hour, minute);
    const first = guess - zoneOffset(guess, timeZone);
    return guess - zoneOffset(first, timeZone);
}

function validZone(timeZone: string | undefined): string {
    if (!timeZone) return 'UTC';
    try {
        new Intl.DateTimeFormat('en-US', { timeZone });
        return timeZone;
    } catch {
        return 'UTC';
    }
}

export function freeSlots(options: {
    now: number;
    timeZone: string;
    busy: readonly BusyInterval[];
    workingDays?: number;
    startHour?: number;
    endHour?: number;
}): { start: string; end: string }[] {
    const timeZone = validZone(options.timeZone);
    const { now, workingDays = 5, startHour = 9, endHour = 17 } = options;
    const busy = options.busy.map((b) => [Date.parse(b.start), Date.parse(b.end)] as const);
    const local = new Date(now + zoneOffset(now, timeZone));
    const slots: { start: string; end: string }[] = [];
    let days = 0;
    for (let offset = 0; days < workingDays && offset < 14; offset++) {
        const day = new Date(
            Date.UTC(local.getUTCFullYear(), local.getUTCMonth(), local.getUTCDate() + offset)
        );
        const weekday = day.getUTCDay();
        if (weekday === 0 || weekday === 6) continue;
        days++;
        for (let minutes = startHour * 60; minutes + 30 <= endHour * 60; minutes += 30) {
            const start = zonedTime(
                day.getUTCFullYear(),
                day.getUTCMonth(),
                day.getUTCDate(),
                Math.floor(minutes / 60),
                minutes % 60,
                timeZone
            );
            const end = start + SLOT_MS;
            if (start <= now) continue;
            if (busy.some(([s, e]) => s < end && e > start)) continue;
            slots.push({ start: new Date(start).toISOString(), end: new Date(end).toISOString() });
        }
    }
    return slots;
}

export class Booker {
    private readonly booking = new Set<string>();

    constructor(
        private readonly live: LiveGateway,
        private readonly crm: CrmPort,
        private readonly now: () => number
    ) {}

    private rep(visitId: string) {
        const session = this.live.session(visitId);
        if (!session) throw new UserFacingError('This visit is not live.', 404);
        const rep = this.live.chat.bookerRep(session);
        if (!rep) throw new UserFacingError('Nobody can take meetings right now.', 409);
        return { session, rep };
    }

    async slots(visitId: string): Promise<BookerSlots> {
        const { rep } = this.rep(visitId);
        const now = this.now();
        const timeZone = validZone(rep.timeZone);
        const busy = await this.crm.busyTimes(
            rep.id,
            new Date(now).toISOString(),
            new Date(now + 14 * 86_400_000).toISOString()
        );
        return { repName: rep.name, timeZone, slots: freeSlots({ now, timeZone, busy }) };
    }

    async book(
        visitId: string,
        request: {
            start: string;
            email: string;
            firstName?: string;
            lastName: string;
            company?: string;
        }
    ): Promise<BookMeetingResponse> {
        const { session, rep } = this.rep(visitId);
        const start = new Date(Date.parse(request.start)).toISOString();
        const key = `${rep.id}|${start}`;
        if (this.booking.has(key))
            throw new UserFacingError('That time was just taken: pick another.', 409);
        this.booking.add(key);
        try {
            const { slots } = await this.slots(visitId);
            const slot = slots.find((s) => s.start === start);
            if (!slot) throw new UserFacingError('That time is not free: pick another.', 409);
            const email = request.email.toLowerCase();
            const person = await this.crm.findPersonByEmail(email);
            const name = [request.firstName, request.lastName].filter(Boolean).join(' ');
            let leadId: string | undefined;
            let contactId: string | undefined;
            let accountId: string | undefined;
            if (person.contact) {
                contactId = person.contact.id;
                accountId = person.contact.accountId;
            } else if (person.lead) {
                leadId = person.lead.id;
            } else {
                leadId = (
                    await this.crm.createLead({
                        ...(request.firstName ? { firstName: request.firstName } : {}),
                        lastName: request.lastName,
                        company: request.company ?? session.company?.name ?? 'Unknown',
                        email,
                        ownerId: rep.id,
                        visitorKey: session.visitorKey,
                        ...(session.pages[0] ? { firstPage: session.pages[0].url } : {}),
                        ...(session.utm ? { utm: session.utm } : {}),
                        ...(this.live.decision(visitId)?.streams.shown
                            ? {
                                  sourceStream:
                                      this.live.decisions.ruleSet.streams.find(
                                          (s) =>
                                              s.stream.id ===
                                              this.live.decision(visitId)?.streams.shown
                                      )?.stream.name ?? ''
                              }
                            : {}),
                        ...(this.live.decision(visitId)
                            ? { engagementScore: this.live.decision(visitId)!.score.score }
                            : {})
                    })
                ).id;
            }
            // WhoId is the Contact (with its Account) or the Lead (alone: the org refuses a
            // Lead with a Related To record).
            const whoId = contactId ?? leadId;
            await this.crm.createEvent({
                ownerId: rep.id,
                subject: `Meeting with ${name || email} (booked on the website)`,
                start: slot.start,
                end: slot.end,
                ...(whoId ? { whoId } : {}),
                ...(accountId ? { accountId } : {})
            });
            await this.crm.upsertVisitor(session.visitorKey, {
                email,
                identityLevel: 'Person_Known',
                ...(name ? { name } : {}),
                ...(leadId ? { leadId } : {}),
                ...(contactId ? { contactId } : {}),
                ...(accountId ? { accountId } : {})
            });
            return { booked: true, start: slot.start, end: slot.end, repName: rep.name };
        } finally {
            this.booking.delete(key);
        }
    }
}
