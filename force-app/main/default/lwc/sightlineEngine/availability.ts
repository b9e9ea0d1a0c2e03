/**
 * Whether a rep can take a visitor right now: their status plus their capacity
 * (concurrent conversations). A user the caller did not list is treated as offline,
 * so a stale id in a rule can never route a visitor to someone who is not there.
 */

export type RepStatus = 'available' | 'away' | 'offline';

export interface Rep {
    userId: string;
    name: string;
    status: RepStatus;
    /** Most conversations the rep takes at once (Rep_Availability__c.Capacity__c). */
    maxConversations: number;
    activeConversations: number;
}

export type Availability = 'free' | 'at-capacity' | 'away' | 'offline' | 'unknown';

export function availabilityOf(rep: Rep | undefined): Availability {
    if (!rep) {
        return 'unknown';
    }
    if (rep.status === 'available') {
        return freeSlots(rep) > 0 ? 'free' : 'at-capacity';
    }
    return rep.status === 'away' ? 'away' : 'offline';
}

export function freeSlots(rep: Rep): number {
    const free = Math.floor(rep.maxConversations - rep.activeConversations);
    return Number.isFinite(free) && free > 0 ? free : 0;
}

export function describeAvailability(availability: Availability, rep: Rep | undefined): string {
    switch (availability) {
        case 'free':
            return 'is available';
        case 'at-capacity':
            return rep
                ? `is at capacity (${rep.activeConversations}/${rep.maxConversations} conversations)`
                : 'is at capacity';
        case 'away':
            return 'is away';
        case 'offline':
            return 'is offline';
        case 'unknown':
        default:
            return 'is not a Sightline rep';
    }
}
