import { createElement } from 'lwc';
import SetupRuleEditor from 'c/setupRuleEditor';
import type { SetupRule } from '../../setupModel/setupModel';

const flush = () => Promise.resolve();

const RULE: SetupRule = {
    id: 'r1',
    name: 'Paid or pricing',
    order: 4,
    active: true,
    criteria: '{"all":[{"field":"utm.medium","operator":"equals","value":"cpc"}]}',
    strategy: 'Round_Robin',
    targetGroupId: 'g1',
    targetUserIds: [],
    unavailableAction: 'Next_Rule',
    chatTimeoutSeconds: 30
};
const GROUPS = [
    { id: 'g1', name: 'Inbound SDRs', memberIds: ['u1', 'u2'] },
    { id: 'g2', name: 'Account Executives', memberIds: ['u3'] }
];
const USERS = [
    { id: 'u1', name: 'Emma Lindqvist', title: 'Sales Development Rep' },
    { id: 'u3', name: 'Lucas Moreau', title: '' }
];

describe('c-setup-rule-editor', () => {
    afterEach(() => {
        while (document.body.firstChild) document.body.removeChild(document.body.firstChild);
    });

    function mount(rule: SetupRule = RULE) {
        const element = createElement('c-setup-rule-editor', {
            is: SetupRuleEditor
        });
        element.rule = rule;
        element.groups = GROUPS;
        element.users = USERS;
        document.body.appendChild(element);
        const saves: Record<string, unknown>[] = [];
        element.addEventListener('save', (e) => saves.push((e as CustomEvent).detail));
        const root = element.shadowRoot!;
        const find = (id: string) =>
            root.querySelector(`[data-id="${id}"]`) as
                (HTMLElement & Record<string, unknown>) | null;
        const fire = async (id: string, detail: unknown) => {
            find(id)!.dispatchEvent(new CustomEvent('change', { detail }));
            await flush();
        };
        // What lightning-combobox does when the user picks an option: a composed, bubbling change.
        const choose = async (id: string, value: string) => {
            find(id)!.dispatchEvent(
                new CustomEvent('change', { detail: { value }, bubbles: true, composed: true })
            );
            await flush();
        };
        const save = async () => {
            find('save')!.click();
            await flush();
        };
        return { root, saves, find, choose, fire, save };
    }

    it('shows the targets each strategy uses, and the fallback group only when it is the fallback', async () => {
        const { find, choose } = mount();
        const shown = () =>
            ['owner-sources', 'team-role', 'target-group', 'target-users', 'fallback-group'].filter(
                (id) => find(id) !== null
            );

        expect(shown()).toEqual(['target-group', 'target-users']);
        expect(find('target-group')!.value).toBe('g1');
        expect(find('target-users')!.options).toEqual([
            { value: 'u1', label: 'Emma Lindqvist · Sales Development Rep' },
            { value: 'u3', label: 'Lucas Moreau' }
        ]);

        await choose('strategy', 'Record_Owner');
        expect(shown()).toEqual(['owner-sources']);
        expect(find('owner-sources')!.value).toEqual(['Opportunity', 'Account', 'Lead', 'Contact']);

        await choose('strategy', 'Account_Team');
        expect(shown()).toEqual(['team-role']);

        await choose('strategy', 'Named_Reps');
        expect(shown()).toEqual(['target-users']);

        await choose('unavailable-action', 'Fallback_Group');
        expect(shown()).toEqual(['target-users', 'fallback-group']);
        const fallback = find('fallback-group') as unknown as {
            value: string;
            options: { label: string; value: string }[];
        };
        expect(fallback.options.map((o) => o.label)).toEqual([
            'None',
            'Inbound SDRs (2 reps)',
            'Account Executives (1 rep)'
        ]);
        expect(fallback.value).toBe('');
    });

    it('refuses to save with every reason the record would be refused for', async () => {
        const { find, choose, fire, save, saves } = mount({
            ...RULE,
            id: undefined,
            name: '',
            targetGroupId: undefined
        });
        await fire('timeout', { value: '3' });
        await choose('unavailable-action', 'Fallback_Group');
        await save();
        expect(saves).toHaveLength(0);
        expect(find('save-error')!.textContent).toBe(
            'The rule was not saved. Give the rule a name. Chat timeout must be a whole number of seconds from 5 to 300. Choose a routing group or at least one rep. Choose the fallback group.'
        );

        await choose('strategy', 'Named_Reps');
        await save();
        expect(find('save-error')!.textContent).toContain('Choose at least one rep.');
    });

    it('refuses invalid criteria with the engine’s message, and clears the refusal once they are valid', async () => {
        const { root, find, save, saves } = mount();
        const builder = root.querySelector('c-criteria-builder')!;
        const invalid = '{"all":[{"field":"company.employees","operator":"contains","value":"x"}]}';
        builder.dispatchEvent(
            new CustomEvent('change', { detail: { criteria: invalid, valid: false, errors: [] } })
        );
        await flush();
        await save();
        expect(saves).toHaveLength(0);
        expect(find('save-error')!.textContent).toContain('The criteria are not valid: ');
        expect(find('save-error')!.textContent).toContain(
            'does not apply to number field "Employees"'
        );

        builder.dispatchEvent(
            new CustomEvent('change', {
                detail: { criteria: RULE.criteria, valid: true, errors: [] }
            })
        );
        await flush();
        expect(find('save-error')).toBeNull();
    });

    it('saves the draft with only the targets its strategy uses', async () => {
        const { fire, choose, save, saves } = mount();
        await fire('name', { value: '  Spring launch  ' });
        await choose('strategy', 'Named_Reps');
        await fire('target-users', { value: ['u3'] });
        await choose('unavailable-action', 'Fallback_Group');
        await choose('fallback-group', 'g2');
        await fire('timeout', { value: '45' });
        await save();
        expect(saves).toEqual([
            {
                ...RULE,
                name: 'Spring launch',
                strategy: 'Named_Reps',
                ownerSources: undefined,
                teamRole: undefined,
                targetGroupId: undefined,
                targetUserIds: ['u3'],
                unavailableAction: 'Fallback_Group',
                fallbackGroupId: 'g2',
                chatTimeoutSeconds: 45
            }
        ]);
    });

    it('keeps the owner order for a record-owner rule', async () => {
        const { fire, choose, save, saves } = mount();
        await choose('strategy', 'Record_Owner');
        await fire('owner-sources', { value: ['Account', 'Opportunity'] });
        await save();
        expect(saves[0]).toMatchObject({
            strategy: 'Record_Owner',
            ownerSources: ['Account', 'Opportunity'],
            targetGroupId: undefined,
            targetUserIds: []
        });
    });
});
