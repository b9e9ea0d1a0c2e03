/**
 * Availability from Omni-Channel: where the admin chose it (Sightline_Setting__mdt
 * .Availability_From_Omni_Channel__c), a rep's current Omni-Channel presence decides
 * routing instead of the console's picker. Pure: the adapters read the rows.
 *
 * A UserServicePresence row with IsCurrentState = true is the rep's presence now: its
 * status is either an away status (IsAway, e.g. "Break") or an online one ("Available –
 * Chat"). A rep with no current presence is logged out of Omni-Channel: offline.
 */
import type { CrmAvailability } from './crmPort';

/** One current UserServicePresence row, as the adapters read it. */
export interface PresenceRow {
    userId: string;
    isAway: boolean;
    /** ConfiguredCapacity of the presence configuration, when the org sets one. */
    configuredCapacity?: number;
    /** ServicePresenceStatus.DeveloperName, for the console to show. */
    statusName?: string;
}

/** The SOQL both adapters mean (the local one runs it against its store). */
export const CURRENT_PRESENCE_SOQL =
    'SELECT UserId, IsAway, ConfiguredCapacity, ServicePresenceStatus.DeveloperName FROM UserServicePresence WHERE IsCurrentState = true';

/**
 * Each rep's availability from their current presence; `fallback` (Rep_Availability__c)
 * gives the capacity where the presence configuration has none. Reps in `fallback` with no
 * current presence are offline.
 */
export function availabilityFromPresence(
    rows: readonly PresenceRow[],
    fallback: readonly CrmAvailability[]
): CrmAvailability[] {
    const capacityOf = new Map(fallback.map((a) => [a.userId, a.capacity]));
    const current = new Map(rows.map((row) => [row.userId, row]));
    const users = new Set([...fallback.map((a) => a.userId), ...current.keys()]);
    return [...users].map((userId) => {
        const row = current.get(userId);
        const capacity =
            row?.configuredCapacity && row.configuredCapacity > 0
                ? row.configuredCapacity
                : (capacityOf.get(userId) ?? 3);
        return {
            userId,
            status: !row ? 'offline' : row.isAway ? 'away' : 'available',
            capacity
        };
    });
}
