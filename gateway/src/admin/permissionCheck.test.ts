import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { CrmUser } from '../crm/crmPort';
import { sumObjectAccess } from '../crm/objectAccess';
import { permissionGaps } from './permissionCheck';

const user = (id: string, roles: { isRep?: boolean; isAdmin?: boolean }): CrmUser => ({
    id,
    name: `User ${id}`,
    title: '',
    isRep: roles.isRep ?? false,
    isAdmin: roles.isAdmin ?? false
});

describe('the permission check', () => {
    it('sums permission sets: what one grants, another cannot take away', () => {
        const access = sumObjectAccess(
            [
                { userId: 'u1', permissionSetId: 'profile' },
                { userId: 'u1', permissionSetId: 'extra' }
            ],
            [
                {
                    permissionSetId: 'profile',
                    object: 'Lead',
                    read: true,
                    create: false,
                    edit: false
                },
                { permissionSetId: 'extra', object: 'Lead', read: false, create: true, edit: false }
            ]
        );
        assert.deepEqual(access.get('u1')?.get('Lead'), { read: true, create: true, edit: false });
    });

    it("names each role's missing permissions, per object, for a user who is rep and admin", () => {
        const access = sumObjectAccess(
            [{ userId: 'both', permissionSetId: 'ps' }],
            [
                { permissionSetId: 'ps', object: 'Lead', read: true, create: false, edit: true },
                { permissionSetId: 'ps', object: 'Account', read: true, create: false, edit: false }
            ]
        );
        assert.deepEqual(permissionGaps([user('both', { isRep: true, isAdmin: true })], access), [
            { userId: 'both', name: 'User both', role: 'Rep', object: 'Lead', missing: ['Create'] },
            {
                userId: 'both',
                name: 'User both',
                role: 'Admin',
                object: 'Account',
                missing: ['Edit']
            }
        ]);
    });

    it('counts a user the org grants nothing as missing everything, and checks no one else', () => {
        const gaps = permissionGaps(
            [user('rep', { isRep: true }), user('bystander', {})],
            new Map()
        );
        assert.deepEqual(
            gaps.map((g) => [g.userId, g.object, g.missing]),
            [
                ['rep', 'Lead', ['Read', 'Create', 'Edit']],
                ['rep', 'Account', ['Read']]
            ]
        );
    });
});
