import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ActionRegistry } from '../actions/actionRegistry';
import { findLeadByEmail, registerFindLead } from './findLead';
import type { LocalOrg } from '../crm/localOrg/localOrg';

const LEADS = [
    {
        Id: '00Q000000000001AAA',
        FirstName: 'Dana',
        LastName: 'Whitfield',
        Company: 'Nova Robotics',
        Email: 'Dana@Nova.example',
        OwnerId: '005000000000007AAA'
    }
];
const org = {
    find: (object: string, where: Record<string, unknown> = {}) =>
        object === 'Lead'
            ? LEADS.filter((l) =>
                  Object.entries(where).every(([k, v]) => (l as Record<string, unknown>)[k] === v)
              )
            : [],
    get: (_object: string, id: string) =>
        id === '005000000000007AAA' ? { Id: id, Name: 'Aiko Tanaka' } : undefined
} as unknown as LocalOrg;

describe('findLeadByEmail', () => {
    it('finds a Lead by email regardless of case, with its owner', () => {
        assert.deepEqual(findLeadByEmail(org, ' dana@nova.EXAMPLE '), {
            id: '00Q000000000001AAA',
            name: 'Dana Whitfield',
            company: 'Nova Robotics',
            ownerName: 'Aiko Tanaka'
        });
        assert.equal(findLeadByEmail(org, 'nobody@nova.example'), null);
    });

    it('is a rep action that refuses an invalid email', async () => {
        const actions = new ActionRegistry();
        registerFindLead(actions, org);
        const rep = { id: '005000000000007AAA', name: 'Aiko Tanaka', isAdmin: false };
        assert.equal(
            (
                (await actions.run('findLeadByEmail', rep, { email: 'dana@nova.example' })) as {
                    id: string;
                }
            ).id,
            '00Q000000000001AAA'
        );
        await assert.rejects(
            actions.run('findLeadByEmail', rep, { email: 'not an email' }),
            /valid email/
        );
    });
});
