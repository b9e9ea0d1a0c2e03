import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { ConsoleSnapshot, VisitorCard, VisitorDetail } from '../contracts/liveContract';
import { demoCompany } from '../demo/demoCompany';
import {
    beacon,
    ids,
    pageview,
    sendBeacon,
    startTestGateway,
    type TestGateway
} from '../testing/liveTestApp';
import { withoutRecords } from './recordAccess';

/** A visitor from the network of demo account `index` (the demo provider's ranges). */
async function visitFrom(gw: TestGateway, index: number, path: string) {
    const who = ids('acc');
    const response = await sendBeacon(gw, beacon(who, [pageview(path)]), {
        'x-forwarded-for': `198.18.${index}.7`
    });
    assert.equal(response.statusCode, 202);
    return who;
}

/** The visitor's card in `userId`'s snapshot, once the user's access lookups have answered. */
async function cardFor(gw: TestGateway, userId: string, sessionId: string) {
    const snapshot = async () => {
        const response = await gw.action('getSnapshot', userId, { page: 0 });
        assert.equal(response.statusCode, 200, response.body);
        return response.json<ConsoleSnapshot>().visitors.find((c) => c.id === sessionId);
    };
    await snapshot();
    await gw.live.access.settled();
    return snapshot();
}

describe("a rep's own Salesforce access to the records on cards", () => {
    let gw: TestGateway;
    before(async () => (gw = await startTestGateway()));
    after(async () => gw.close());

    it('shows a rep without access to the Account the visitor, but not its owner, amounts or opportunities', async () => {
        // A non-target account with an open opportunity: routed to the opportunity's owner.
        const accounts = demoCompany().accounts;
        const index = accounts.findIndex((a) => a.hasOpenOpportunity && !a.target);
        const accountName = accounts[index]!.name;
        const account = gw.org.find('Account', { Name: accountName })[0]!;
        const accountId = String(account.Id);
        const who = await visitFrom(gw, index, '/pricing');

        const owner = String(account.OwnerId);
        const ownerCard = await cardFor(gw, owner, who.sessionId);
        assert.ok(ownerCard, 'the owner of the open opportunity is offered the visitor');
        assert.equal(ownerCard.salesforce.account?.id, accountId);
        assert.ok(ownerCard.salesforce.opportunity?.amount, 'the owner sees the amount');

        // The account and its opportunities move to another account executive, and the
        // account team is emptied: the first owner keeps the visitor (routing is the
        // gateway's) but has no access to the records any more.
        const newOwner = gw.users.find(
            (u) => u.title === 'Account Executive' && u.id !== owner
        )!.id;
        await gw.changeInOrg((org) => {
            org.update('Account', accountId, { OwnerId: newOwner });
            // As Salesforce's account transfer does: its contacts and opportunities go too.
            for (const child of ['Opportunity', 'Contact'])
                for (const record of org.find(child, { AccountId: accountId }))
                    org.update(child, String(record.Id), { OwnerId: newOwner });
            for (const member of org.find('AccountTeamMember', { AccountId: accountId }))
                org.delete('AccountTeamMember', String(member.Id));
        });
        const stillOffered = gw.users.filter(
            (u) =>
                u.id !== newOwner &&
                !u.isAdmin &&
                u.title !== 'VP of Sales' &&
                gw.live.publisher.visibility(who.sessionId)?.routing.offeredTo.includes(u.id)
        );
        const rep = stillOffered[0];
        assert.ok(rep, 'a rep without access is still offered the visitor');
        const card = await cardFor(gw, rep.id, who.sessionId);
        assert.ok(card, 'the rep still sees the visitor');
        assert.equal(card.company?.name !== undefined, true, 'and the company from its IP');
        assert.equal(card.salesforce.account, undefined, 'no account, so no account owner');
        assert.equal(card.salesforce.opportunity, undefined, 'no opportunity, so no amount');
        const text = JSON.stringify(card);
        assert.ok(!text.includes('"amount"'), 'no amount anywhere on the card');
        assert.ok(
            !text.includes(ownerCard.salesforce.opportunity?.name ?? '—'),
            "nor the opportunity's name"
        );

        const detail = await gw.action('getVisitorDetail', rep.id, { visitorId: who.sessionId });
        assert.equal(detail.statusCode, 200, detail.body);
        assert.deepEqual(detail.json<VisitorDetail>().card.salesforce, {});
    });

    it('a rep the records are shared with sees them as soon as the org answers, without the fields their field-level security hides', async () => {
        const accounts = demoCompany().accounts;
        const index = accounts.findIndex((a, i) => i > 0 && a.hasOpenOpportunity && !a.target);
        const account = gw.org.find('Account', { Name: accounts[index]!.name })[0]!;
        const who = await visitFrom(gw, index, '/pricing');
        const owner = String(account.OwnerId);
        const lookups = gw.live.access.lookups;
        const card = await cardFor(gw, owner, who.sessionId);
        assert.equal(card?.salesforce.account?.id, String(account.Id));
        assert.ok(card?.salesforce.opportunity?.amount, 'the amount, which the profile shows');
        assert.ok(gw.live.access.lookups > lookups, 'asked the org (UserRecordAccess)');

        // The admin hides Amount from the reps' profile (field-level security): the owner
        // still sees the opportunity, not its amount.
        const profileSet = gw.org
            .find('PermissionSetAssignment', { AssigneeId: owner })
            .map((a) => gw.org.get('PermissionSet', String(a.PermissionSetId)))
            .find((set) => set?.IsOwnedByProfile === true)!;
        const amountGrant = gw.org.find('FieldPermissions', {
            ParentId: String(profileSet.Id),
            Field: 'Opportunity.Amount'
        })[0]!;
        gw.org.update('FieldPermissions', String(amountGrant.Id), { PermissionsRead: false });
        try {
            // No change event tells of permissions: the answers expire (60 s) or, here, at once.
            gw.live.access.expireAll();
            const hidden = await cardFor(gw, owner, who.sessionId);
            assert.ok(hidden?.salesforce.opportunity, 'the opportunity is still shown');
            assert.equal(hidden.salesforce.opportunity.amount, undefined, 'without its amount');
        } finally {
            gw.org.update('FieldPermissions', String(amountGrant.Id), { PermissionsRead: true });
        }
    });
});

describe('withoutRecords', () => {
    const card = {
        id: 's1',
        displayName: 'Ana Lima',
        email: 'ana@acme.example',
        salesforce: {
            account: { id: '001', name: 'Acme', targetAccount: true },
            contact: { id: '003', name: 'Ana Lima' }
        }
    } as unknown as VisitorCard;

    it('drops the records and the name taken from a hidden Contact', () => {
        const out = withoutRecords(card, ['account', 'contact']);
        assert.deepEqual(out.salesforce, {});
        assert.equal(out.displayName, 'ana@acme.example');
        assert.equal(card.salesforce.account?.name, 'Acme', 'the published card is not changed');
    });
});
