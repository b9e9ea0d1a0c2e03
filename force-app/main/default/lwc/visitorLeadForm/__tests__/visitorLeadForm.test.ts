import { createElement } from 'lwc';
import VisitorLeadForm from 'c/visitorLeadForm';
import createLead from '@salesforce/apex/SightlineLeadController.createLead';
import linkLead from '@salesforce/apex/SightlineGatewayController.linkLead';
import type { VisitorDetail } from '../../sightlineLive/liveContract';
import DETAIL_JSON from './data/detail.json';

const DETAIL = DETAIL_JSON as VisitorDetail;

jest.mock('@salesforce/apex/SightlineLeadController.createLead', () => ({ default: jest.fn() }), {
    virtual: true
});
jest.mock('@salesforce/apex/SightlineGatewayController.linkLead', () => ({ default: jest.fn() }), {
    virtual: true
});

type Detail = typeof DETAIL;
type Input = HTMLElement & { value: string; label: string; reportValidity: () => boolean };
/** The event ShowToastEvent dispatches. */
const TOAST = 'lightning__showtoast';
const mocked = (fn: unknown) => fn as jest.Mock;
/** Lets the form's chain of promises (check, create, link, URL, toast) settle. */
const flush = () => new Promise((resolve) => setTimeout(resolve, 0));
const CREATED = {
    id: '00Q000000000099AAA',
    name: 'Dana van der Whitfield',
    ownerName: 'Maya Chen',
    assigned: false
};
/** The org's duplicate rule found Dana's Lead (and one the rep cannot see). */
const DUPLICATES = {
    duplicates: {
        allowSave: true,
        message:
            "You're creating a duplicate record. We recommend you use an existing record instead.",
        matches: [
            {
                id: '00Q000000000001AAA',
                name: 'Dana Whitfield',
                company: 'Nova Robotics',
                email: 'dana@novarobotics.example',
                ownerName: 'Aiko Tanaka'
            }
        ],
        hidden: 1
    }
};
const createCalls = () =>
    mocked(createLead).mock.calls.map(
        (c) => c[0] as { fields: Record<string, unknown>; allowDuplicate: boolean }
    );
const clone = (): Detail => JSON.parse(JSON.stringify(DETAIL));

function mount(detail: VisitorDetail = clone(), streamName = 'Paid Advertising') {
    const element = createElement('c-visitor-lead-form', { is: VisitorLeadForm });
    Object.assign<typeof element, Partial<typeof element>>(element, { detail, streamName });
    document.body.appendChild(element);
    return element;
}

const $ = (el: HTMLElement, id: string) =>
    el.shadowRoot!.querySelector(`[data-id="${id}"]`) as HTMLElement | null;
/** The form's inputs by label; the base component stubs leave validity to the test. */
function inputs(el: HTMLElement, valid = true): Record<string, Input> {
    const byLabel: Record<string, Input> = {};
    for (const input of Array.from(el.shadowRoot!.querySelectorAll('lightning-input')) as Input[]) {
        input.reportValidity = () => valid;
        byLabel[input.label] = input;
    }
    return byLabel;
}
async function type(input: Input, value: string) {
    input.value = value;
    input.dispatchEvent(new CustomEvent('change'));
    await flush();
}
async function submit(el: HTMLElement) {
    el.shadowRoot!.querySelector('form')!.dispatchEvent(
        new CustomEvent('submit', { cancelable: true })
    );
    await flush();
}

describe('c-visitor-lead-form', () => {
    beforeEach(() => {
        mocked(createLead).mockResolvedValue(CREATED);
        mocked(linkLead).mockResolvedValue({ ok: true });
    });
    afterEach(() => {
        while (document.body.firstChild) document.body.removeChild(document.body.firstChild);
        jest.clearAllMocks();
    });

    it('is pre-filled from the visitor: name split at the first space, email, company, stream, first page, UTM, score', () => {
        const el = mount();
        const byLabel = inputs(el);
        expect(byLabel['First Name']!.value).toBe('Dana');
        expect(byLabel['Last Name']!.value).toBe('van der Whitfield');
        expect(byLabel.Email!.value).toBe('dana@novarobotics.example');
        expect(byLabel.Company!.value).toBe('Nova Robotics');
        const facts = el.shadowRoot!.querySelector('dl')!.textContent!;
        expect($(el, 'source-stream')!.textContent).toBe('Paid Advertising');
        expect(facts).toContain('http://127.0.0.1:4300/site/index.html?utm_source=google');
        expect(facts).toContain('source=google · medium=cpc · campaign=spring');
        expect(facts).toContain('41.6');
    });

    it('creates the Lead in the org with schema-imported fields (the owner is the org’s decision), links it and toasts a link to it', async () => {
        const el = mount();
        const toast = jest.fn();
        const linked = jest.fn();
        el.addEventListener(TOAST, toast);
        el.addEventListener('leadlinked', linked);
        inputs(el);
        await submit(el);

        expect(createCalls()).toEqual([
            {
                allowDuplicate: false,
                fields: {
                    FirstName: 'Dana',
                    LastName: 'van der Whitfield',
                    Email: 'dana@novarobotics.example',
                    Company: 'Nova Robotics',
                    Country: 'Netherlands',
                    Visitor_Key__c: 'vis-0001',
                    Source_Stream__c: 'Paid Advertising',
                    First_Page__c: 'http://127.0.0.1:4300/site/index.html?utm_source=google',
                    UTM_Source__c: 'google',
                    UTM_Medium__c: 'cpc',
                    UTM_Campaign__c: 'spring',
                    Engagement_Score__c: 42
                }
            }
        ]);
        expect(linkLead).toHaveBeenCalledWith({
            visitorId: 'sess-0001',
            leadId: '00Q000000000099AAA'
        });
        expect(toast).toHaveBeenCalledTimes(1);
        expect(toast.mock.calls[0][0].detail).toEqual({
            title: 'Lead Dana van der Whitfield created',
            message: 'Open {0}',
            messageData: [{ url: 'https://www.example.com', label: 'the Lead record' }],
            variant: 'success'
        });
        expect(linked.mock.calls[0][0].detail).toBe('00Q000000000099AAA');
    });

    it('says who the org’s assignment rule gave the Lead to', async () => {
        mocked(createLead).mockResolvedValue({
            ...CREATED,
            ownerName: 'Omar Haddad',
            assigned: true
        });
        const el = mount();
        const toast = jest.fn();
        el.addEventListener(TOAST, toast);
        inputs(el);
        await submit(el);
        expect(toast.mock.calls[0][0].detail.title).toBe(
            'Lead Dana van der Whitfield created, assigned to Omar Haddad'
        );
    });

    it('shows the matches the org’s duplicate rule found, to open or link instead of creating a duplicate', async () => {
        mocked(createLead).mockResolvedValue(DUPLICATES);
        const el = mount();
        const toast = jest.fn();
        el.addEventListener(TOAST, toast);
        inputs(el);
        await submit(el);
        expect(linkLead).not.toHaveBeenCalled();
        expect($(el, 'duplicates-text')!.textContent).toBe(
            "You're creating a duplicate record. We recommend you use an existing record instead. 1 more match is not shared with you. Open or link a match, or save this Lead anyway."
        );
        const rows = Array.from(el.shadowRoot!.querySelectorAll('[data-id="match"]'));
        expect(rows).toHaveLength(1);
        expect(rows[0]!.textContent).toContain('Dana Whitfield');
        expect(rows[0]!.textContent).toContain(
            'Nova Robotics · dana@novarobotics.example · owned by Aiko Tanaka'
        );

        $(el, 'link-match')!.click();
        await flush();
        expect(createLead).toHaveBeenCalledTimes(1);
        expect(linkLead).toHaveBeenCalledWith({
            visitorId: 'sess-0001',
            leadId: '00Q000000000001AAA'
        });
        expect(toast.mock.calls[0][0].detail.title).toBe(
            'Linked to the existing Lead Dana Whitfield'
        );
    });

    it('saves anyway where the rule allows it, and only there', async () => {
        mocked(createLead).mockResolvedValueOnce(DUPLICATES);
        const el = mount();
        inputs(el);
        await submit(el);
        $(el, 'save-anyway')!.click();
        await flush();
        expect(createCalls().map((c) => c.allowDuplicate)).toEqual([false, true]);
        expect(linkLead).toHaveBeenCalledWith({
            visitorId: 'sess-0001',
            leadId: '00Q000000000099AAA'
        });

        mocked(createLead).mockResolvedValueOnce({
            duplicates: { ...DUPLICATES.duplicates, allowSave: false, hidden: 0 }
        });
        const blocked = mount();
        inputs(blocked);
        await submit(blocked);
        expect($(blocked, 'save-anyway')).toBeNull();
        expect($(blocked, 'duplicates-text')!.textContent).toContain(
            "Your org's duplicate rule does not allow saving a duplicate: open or link a match."
        );
    });

    it('forgets the matches when the details change', async () => {
        mocked(createLead).mockResolvedValueOnce(DUPLICATES);
        const el = mount();
        await submit((inputs(el), el));
        expect($(el, 'duplicates')).not.toBeNull();
        await type(inputs(el).Email!, 'dana.w@novarobotics.example');
        expect($(el, 'duplicates')).toBeNull();
        await submit(el);
        expect(createCalls()[1]!.fields.Email).toBe('dana.w@novarobotics.example');
    });

    it('for an anonymous visitor from an unknown company with no Salesforce data, asks for the name and company and leaves empty fields out', async () => {
        const detail = clone();
        Object.assign(detail.card, {
            identity: 'anonymous',
            displayName: 'Visitor',
            email: undefined,
            company: undefined,
            location: undefined
        });
        delete (detail as Partial<Detail>).utm;
        const el = mount(detail, '');
        const byLabel = inputs(el, false);
        expect(byLabel['Last Name']!.value).toBe('');
        expect(byLabel.Company!.value).toBe('');
        await submit(el);
        expect(createLead).not.toHaveBeenCalled();

        inputs(el, true);
        await type(byLabel['Last Name']!, 'Okafor');
        await type(byLabel.Company!, 'Unknown Ltd');
        await submit(el);
        expect(createCalls()[0]!.fields).toEqual({
            LastName: 'Okafor',
            Company: 'Unknown Ltd',
            Visitor_Key__c: 'vis-0001',
            First_Page__c: 'http://127.0.0.1:4300/site/index.html?utm_source=google',
            Engagement_Score__c: 42
        });
    });

    it('clips a very long name and company to the Lead field lengths', async () => {
        const detail = clone();
        detail.card.displayName = `${'A'.repeat(60)} ${'B'.repeat(120)}`;
        detail.card.company!.name = 'C'.repeat(400);
        const el = mount(detail);
        inputs(el);
        await submit(el);
        const fields = createCalls()[0]!.fields as Record<string, string>;
        expect(fields.FirstName).toHaveLength(40);
        expect(fields.LastName).toHaveLength(80);
        expect(fields.Company).toHaveLength(255);
    });

    it('shows the org’s validation message when the Lead cannot be saved, and does not link', async () => {
        mocked(createLead).mockRejectedValue({
            body: { message: 'Email: invalid email address' }
        });
        const el = mount();
        inputs(el);
        await submit(el);
        expect($(el, 'lead-error')!.textContent).toBe('Email: invalid email address');
        expect(linkLead).not.toHaveBeenCalled();
        expect(($(el, 'save-lead') as HTMLButtonElement).disabled).toBe(false);
    });
});
