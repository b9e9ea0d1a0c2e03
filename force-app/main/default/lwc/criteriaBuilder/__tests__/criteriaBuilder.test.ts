import { createElement } from 'lwc';
import CriteriaBuilder from 'c/criteriaBuilder';

const flush = () => Promise.resolve();

function mount(criteria: string) {
    const element = createElement('c-criteria-builder', { is: CriteriaBuilder }) as HTMLElement & {
        criteria: string;
    };
    element.criteria = criteria;
    document.body.appendChild(element);
    const changes: {
        criteria: string;
        valid: boolean;
        errors: { path: string; message: string }[];
    }[] = [];
    element.addEventListener('change', (e) => changes.push((e as CustomEvent).detail));
    return { element, changes, root: element.shadowRoot! };
}

function conditions(root: ShadowRoot): ShadowRoot[] {
    return Array.from(root.querySelectorAll('c-setup-condition')).map((c) => c.shadowRoot!);
}

type Combobox = HTMLElement & { options: { label: string; value: string }[]; value: string };

const combobox = (root: ShadowRoot, id: string): Combobox =>
    root.querySelector(`[data-id="${id}"]`) as Combobox;

/** What lightning-combobox does when the user picks an option: a composed, bubbling change. */
function choose(element: Element, value: string): void {
    element.dispatchEvent(
        new CustomEvent('change', { detail: { value }, bubbles: true, composed: true })
    );
}

const operators = (condition: ShadowRoot) =>
    combobox(condition, 'operator').options.map((o) => o.value);

describe('c-criteria-builder', () => {
    afterEach(() => {
        while (document.body.firstChild) document.body.removeChild(document.body.firstChild);
    });

    it('shows nested groups and conditions from stored criteria, with fields grouped by catalogue group', () => {
        const { root } = mount(
            '{"all":[{"field":"utm.medium","operator":"in","value":["cpc"]},{"any":[{"field":"visit.adClick","operator":"equals","value":true}]}]}'
        );
        expect(root.querySelectorAll('[data-id="group"]')).toHaveLength(2);
        expect(
            Array.from(root.querySelectorAll('[data-id="group-kind"]')).map(
                (kind) => (kind as Combobox).value
            )
        ).toEqual(['all', 'any']);
        const [first, second] = conditions(root);
        const field = combobox(first!, 'field');
        expect(field.value).toBe('utm.medium');
        expect([...new Set(field.options.map((o) => o.label.split(' · ')[0]))]).toEqual([
            'Visit',
            'Company',
            'Location',
            'Salesforce',
            'Behaviour'
        ]);
        expect(combobox(first!, 'operator').value).toBe('in');
        expect(combobox(second!, 'value-boolean').value).toBe('true');
        expect((first!.querySelector('[data-id="value-list"]') as HTMLInputElement).value).toBe(
            'cpc'
        );
        expect(root.querySelector('[data-id="summary"]')!.textContent).toBe('Criteria are valid.');
    });

    it('offers the operators and value input that fit each field type', async () => {
        const { root, changes } = mount(
            '{"all":[{"field":"company.domain","operator":"equals","value":"acme.com"}]}'
        );
        let [condition] = conditions(root);
        expect(operators(condition!)).toEqual([
            'equals',
            'notEquals',
            'in',
            'notIn',
            'contains',
            'startsWith',
            'endsWith',
            'wildcard',
            'isSet',
            'isNotSet'
        ]);
        expect(condition!.querySelector('[data-id="value-text"]')).not.toBeNull();

        choose(condition!.querySelector('[data-id="field"]')!, 'company.employees');
        await flush();
        [condition] = conditions(root);
        expect(operators(condition!)).toContain('between');
        expect(operators(condition!)).not.toContain('contains');
        choose(condition!.querySelector('[data-id="operator"]')!, 'between');
        await flush();
        [condition] = conditions(root);
        expect(condition!.querySelector('[data-id="value-from"]')).not.toBeNull();

        choose(condition!.querySelector('[data-id="field"]')!, 'salesforce.account.targetAccount');
        await flush();
        [condition] = conditions(root);
        expect(operators(condition!)).toEqual(['equals', 'notEquals', 'isSet', 'isNotSet']);
        expect(condition!.querySelector('[data-id="value-boolean"]')).not.toBeNull();
        expect(JSON.parse(changes[changes.length - 1]!.criteria)).toEqual({
            all: [{ field: 'salesforce.account.targetAccount', operator: 'equals', value: true }]
        });

        choose(condition!.querySelector('[data-id="field"]')!, 'device.type');
        await flush();
        [condition] = conditions(root);
        const choice = combobox(condition!, 'value-choice');
        expect(choice.options.map((o) => o.label)).toEqual(['desktop', 'mobile', 'tablet']);
        expect(choice.value).toBe('desktop');
        choose(choice, 'mobile');
        expect(JSON.parse(changes[changes.length - 1]!.criteria)).toEqual({
            all: [{ field: 'device.type', operator: 'equals', value: 'mobile' }]
        });

        choose(condition!.querySelector('[data-id="field"]')!, 'visit.pages');
        await flush();
        [condition] = conditions(root);
        expect(operators(condition!)).toEqual(['pageVisited']);
        const path = condition!.querySelector('[data-id="value-path"]') as HTMLInputElement;
        path.value = '/pricing*';
        path.dispatchEvent(new CustomEvent('change'));
        await flush();
        [condition] = conditions(root);
        const dwell = condition!.querySelector('[data-id="value-dwell"]') as HTMLInputElement;
        dwell.value = '10';
        dwell.dispatchEvent(new CustomEvent('change'));
        const last = changes[changes.length - 1]!;
        expect(JSON.parse(last.criteria).all[0]).toEqual({
            field: 'visit.pages',
            operator: 'pageVisited',
            value: { path: '/pricing*', minDwellSeconds: 10 }
        });
        expect(last.valid).toBe(true);
    });

    it('changes a group’s kind from its combobox; NOT keeps only the first child', async () => {
        const { root, changes } = mount(
            '{"all":[{"field":"utm.medium","operator":"equals","value":"cpc"},{"field":"device.type","operator":"equals","value":"mobile"}]}'
        );
        const kind = combobox(root, 'group-kind');
        expect(kind.options.map((o) => o.label)).toEqual([
            'All of these are true',
            'Any of these is true',
            'This is NOT true'
        ]);
        choose(kind, 'any');
        await flush();
        expect(JSON.parse(changes[0]!.criteria)).toEqual({
            any: [
                { field: 'utm.medium', operator: 'equals', value: 'cpc' },
                { field: 'device.type', operator: 'equals', value: 'mobile' }
            ]
        });
        choose(combobox(root, 'group-kind'), 'not');
        await flush();
        expect(JSON.parse(changes[1]!.criteria)).toEqual({
            not: { field: 'utm.medium', operator: 'equals', value: 'cpc' }
        });
        expect(combobox(root, 'group-kind').value).toBe('not');
    });

    it('shows the engine’s validation message at the condition it is about, and only there', async () => {
        const { root } = mount(
            '{"all":[{"field":"company.domain","operator":"equals","value":"acme.com"},{"any":[{"field":"company.employees","operator":"gt","value":"lots"}]}]}'
        );
        await flush();
        const [good, bad] = conditions(root);
        expect(good!.querySelector('[data-id="errors"]')).toBeNull();
        expect(bad!.querySelector('[data-id="errors"]')!.textContent).toContain('must be a number');
        expect(root.querySelector('[data-id="summary"]')!.textContent).toBe(
            '1 problem to fix before saving.'
        );
    });

    it('adds conditions and groups, reports an empty condition as invalid at its node, and removes it', async () => {
        const { root, changes } = mount('{"all":[]}');
        (root.querySelector('[data-id="add-group"]') as HTMLElement).click();
        await flush();
        expect(JSON.parse(changes[0]!.criteria)).toEqual({ all: [{ any: [] }] });
        const groups = root.querySelectorAll('[data-id="add-condition"]');
        (groups[1] as HTMLElement).click();
        await flush();
        expect(changes[1]!.valid).toBe(false);
        expect(changes[1]!.errors[0]!.path).toBe('all[0].any[0].field');
        const [condition] = conditions(root);
        expect(condition!.querySelector('[data-id="errors"]')!.textContent).toContain(
            'Unknown field'
        );
        condition!.querySelector('[data-id="remove"]')!.dispatchEvent(new CustomEvent('click'));
        await flush();
        expect(JSON.parse(changes[2]!.criteria)).toEqual({ all: [{ any: [] }] });
        expect(changes[2]!.valid).toBe(true);
    });
});
