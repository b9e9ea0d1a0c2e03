import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ActionRegistry } from '../actions/actionRegistry';
import type { CrmPerson, CrmPort } from '../crm/crmPort';
import { findLeadByEmail, registerFindLead } from './findLead';

const DANA: CrmPerson = {
    kind: 'Lead',
    id: '00Q000000000001AAA',
    name: 'Dana Whitfield',
    firstName: 'Dana',
    lastName: 'Whitfield',
    company: 'Nova Robotics',
    email: 'Dana@Nova.example',
    ownerId: '005000000000007AAA',
    ownerName: 'Aiko Tanaka'
};
/** The one CRM question this action asks, answered as the org does: email compared without case. */
const crm = {
    findPersonByEmail: async (email: string) =>
        email.toLowerCase() === DANA.email.toLowerCase() ? { lead: DANA } : {}
} as Partial<CrmPort> as CrmPort;

describe('findLeadByEmail', () => {
    it('finds a Lead by email with its owner, the address trimmed', async () => {
        assert.deepEqual(await findLeadByEmail(crm, ' dana@nova.EXAMPLE '), {
            id: '00Q000000000001AAA',
            name: 'Dana Whitfield',
            company: 'Nova Robotics',
            ownerName: 'Aiko Tanaka'
        });
        assert.equal(await findLeadByEmail(crm, 'nobody@nova.example'), null);
    });

    it('is a rep action that refuses an invalid email', async () => {
        const actions = new ActionRegistry();
        registerFindLead(actions, crm);
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
