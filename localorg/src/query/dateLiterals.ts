/**
 * SOQL date literals as ranges [start, end) in UTC (the local org's time zone is UTC).
 * The ones Sightline needs; any other literal is refused with MALFORMED_QUERY rather
 * than guessed (see localorg/README.md).
 */
import { ApiError } from '../rest/apiError';

const DAY = 24 * 60 * 60 * 1000;

export interface DateRange {
    start: number;
    end: number;
}

export function dateLiteralRange(literal: string, n: number | undefined, now: number): DateRange {
    const today = Math.floor(now / DAY) * DAY;
    const name = literal.split(':')[0]!.toUpperCase();
    const count = n ?? Number(literal.split(':')[1]);
    switch (name) {
        case 'TODAY':
            return { start: today, end: today + DAY };
        case 'YESTERDAY':
            return { start: today - DAY, end: today };
        case 'TOMORROW':
            return { start: today + DAY, end: today + 2 * DAY };
        case 'LAST_N_DAYS':
            // "For the number n provided, starts 00:00:00 of the current day and continues for the past n days."
            return { start: today - count * DAY, end: today + DAY };
        case 'NEXT_N_DAYS':
            return { start: today + DAY, end: today + (count + 1) * DAY };
        case 'N_DAYS_AGO':
            return { start: today - count * DAY, end: today - (count - 1) * DAY };
        default:
            throw new ApiError(
                400,
                'MALFORMED_QUERY',
                `The local org does not evaluate the date literal ${literal}; use TODAY, YESTERDAY, TOMORROW, LAST_N_DAYS:n, NEXT_N_DAYS:n, N_DAYS_AGO:n or an explicit date.`
            );
    }
}
