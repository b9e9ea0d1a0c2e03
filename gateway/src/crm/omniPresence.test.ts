import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { availabilityFromPresence } from './omniPresence';

describe('availability from Omni-Channel presence', () => {
    const picker = [
        { userId: 'maya', status: 'offline' as const, capacity: 2 },
        { userId: 'omar', status: 'available' as const, capacity: 4 },
        { userId: 'emma', status: 'available' as const, capacity: 3 }
    ];

    it('is available online, away on an away status, offline with no current presence — whatever the picker says', () => {
        const byUser = Object.fromEntries(
            availabilityFromPresence(
                [
                    { userId: 'maya', isAway: false, statusName: 'Available_Chat' },
                    { userId: 'omar', isAway: true, statusName: 'Break' }
                ],
                picker
            ).map((a) => [a.userId, a.status])
        );
        assert.deepEqual(byUser, { maya: 'available', omar: 'away', emma: 'offline' });
    });

    it('takes the capacity from the presence configuration, else from the rep’s record, else 3', () => {
        const result = availabilityFromPresence(
            [
                { userId: 'maya', isAway: false, configuredCapacity: 5 },
                { userId: 'omar', isAway: false, configuredCapacity: 0 },
                { userId: 'new-rep', isAway: false }
            ],
            picker
        );
        assert.deepEqual(
            result.map((a) => [a.userId, a.capacity]),
            [
                ['maya', 5],
                ['omar', 4],
                ['emma', 3],
                ['new-rep', 3]
            ]
        );
    });
});
