import { createElement } from 'lwc';
import SightlineSetup from 'c/sightlineSetup';
import { createRecord, updateRecord } from 'lightning/uiRecordApi';
import getRoutingConfig from '@salesforce/apex/SightlineGatewayController.getRoutingConfig';
import getDryRunVisitors from '@salesforce/apex/SightlineGatewayController.getDryRunVisitors';
import getHealth from '@salesforce/apex/SightlineGatewayController.getHealth';

jest.mock(
    '@salesforce/apex/SightlineGatewayController.getRoutingConfig',
    () => ({ default: jest.fn() }),
    { virtual: true }
);
jest.mock(
    '@salesforce/apex/SightlineGatewayController.getDryRunVisitors',
    () => ({ default: jest.fn() }),
    { virtual: true }
);
jest.mock('@salesforce/apex/SightlineGatewayController.getHealth', () => ({ default: jest.fn() }), {
    virtual: true
});
jest.mock('lightning/uiRecordApi', () => ({ createRecord: jest.fn(), updateRecord: jest.fn() }), {
    virtual: true
});

const CONFIG = {
    streams: [
        {
            id: 's1',
            name: 'Target Account',
            color: '#0176D3',
            priority: 1,
            active: true,
            criteria: '{"all":[]}',
            description: ''
        },
        {
            id: 's2',
            name: 'Pricing Page',
            color: '#9050E9',
            priority: 2,
            active: true,
            criteria: '{"all":[]}',
            description: ''
        }
    ],
    rules: [
        {
            id: 'r1',
            name: 'Everyone',
            order: 1,
            active: true,
            criteria: '{"all":[]}',
            strategy: 'Round_Robin',
            targetGroupId: 'g1',
            targetUserIds: [],
            unavailableAction: 'Next_Rule',
            chatTimeoutSeconds: 30
        }
    ],
    groups: [{ id: 'g1', name: 'Inbound SDRs', memberIds: ['u1'] }],
    users: [{ id: 'u1', name: 'Maya Chen', title: 'SDR' }]
};

const flush = () => new Promise((resolve) => setTimeout(resolve, 0));
const mocked = (fn: unknown) => fn as jest.Mock;

async function mount() {
    mocked(getRoutingConfig).mockResolvedValue(CONFIG);
    mocked(getDryRunVisitors).mockResolvedValue({
        source: 'live',
        generatedAt: '',
        now: 0,
        visitors: [],
        truncated: false
    });
    mocked(getHealth).mockResolvedValue({
        status: 'ok',
        mode: 'local',
        startedAt: '',
        generatedAt: '',
        uptimeSeconds: 5,
        liveSessions: 3,
        routingAppliedAt: null,
        events: null,
        lastErrors: []
    });
    const element = createElement('c-sightline-setup', { is: SightlineSetup });
    document.body.appendChild(element);
    await flush();
    return element.shadowRoot!;
}

describe('c-sightline-setup', () => {
    afterEach(() => {
        while (document.body.firstChild) document.body.removeChild(document.body.firstChild);
        jest.clearAllMocks();
    });

    it('lists the streams in priority order from getRoutingConfig', async () => {
        const root = await mount();
        const list = root.querySelector(
            'c-setup-ordered-list[data-id="stream-list"]'
        ) as unknown as { items: { title: string }[] };
        expect(list.items.map((i) => i.title)).toEqual(['Target Account', 'Pricing Page']);
    });

    it('renumbers priorities on reorder through updateRecord with the schema field names', async () => {
        const root = await mount();
        mocked(updateRecord).mockResolvedValue({ id: 'x' });
        root.querySelector('c-setup-ordered-list[data-id="stream-list"]')!.dispatchEvent(
            new CustomEvent('reorder', { detail: { ids: ['s2', 's1'] } })
        );
        await flush();
        expect(mocked(updateRecord).mock.calls.map((c) => c[0])).toEqual([
            { fields: { Id: 's2', Priority__c: 1 } },
            { fields: { Id: 's1', Priority__c: 2 } }
        ]);
        expect(getRoutingConfig).toHaveBeenCalledTimes(2);
    });

    it('creates a new stream with createRecord on Live_Stream__c', async () => {
        const root = await mount();
        mocked(createRecord).mockResolvedValue({ id: 's3' });
        (root.querySelector('[data-id="new-stream"]') as HTMLElement).click();
        await flush();
        const editor = root.querySelector('c-setup-stream-editor')!;
        const criteria = '{"all":[{"field":"utm.medium","operator":"equals","value":"cpc"}]}';
        editor.dispatchEvent(
            new CustomEvent('save', {
                detail: {
                    name: 'Paid',
                    color: '#2E844A',
                    priority: 3,
                    active: true,
                    criteria,
                    description: ''
                }
            })
        );
        await flush();
        expect(createRecord).toHaveBeenCalledWith({
            apiName: 'Live_Stream__c',
            fields: {
                Name: 'Paid',
                Color__c: '#2E844A',
                Priority__c: 3,
                Criteria__c: criteria,
                Active__c: true,
                Description__c: null
            }
        });
    });

    it('never stores invalid criteria, even if an editor asks', async () => {
        const root = await mount();
        (
            root.querySelector('c-setup-ordered-list[data-id="stream-list"]') as HTMLElement
        ).dispatchEvent(new CustomEvent('select', { detail: 's1' }));
        await flush();
        root.querySelector('c-setup-stream-editor')!.dispatchEvent(
            new CustomEvent('save', {
                detail: {
                    ...CONFIG.streams[0],
                    criteria: '{"all":[{"field":"nope","operator":"equals","value":1}]}'
                }
            })
        );
        await flush();
        expect(updateRecord).not.toHaveBeenCalled();
        expect(
            (root.querySelector('c-setup-stream-editor') as unknown as { saveError: string })
                .saveError
        ).toContain('Unknown field "nope"');
    });

    it('saves a rule with updateRecord on the Routing_Rule__c fields', async () => {
        const root = await mount();
        mocked(updateRecord).mockResolvedValue({ id: 'r1' });
        (root.querySelector('.slds-tabs_default__link[data-tab="rules"]') as HTMLElement).click();
        await flush();
        root.querySelector('c-setup-ordered-list[data-id="rule-list"]')!.dispatchEvent(
            new CustomEvent('select', { detail: 'r1' })
        );
        await flush();
        root.querySelector('c-setup-rule-editor')!.dispatchEvent(
            new CustomEvent('save', {
                detail: { ...CONFIG.rules[0], targetUserIds: ['u1'], chatTimeoutSeconds: 45 }
            })
        );
        await flush();
        expect(updateRecord).toHaveBeenCalledWith({
            fields: expect.objectContaining({
                Id: 'r1',
                Strategy__c: 'Round_Robin',
                Target_Group__c: 'g1',
                Target_User_Ids__c: 'u1',
                Chat_Timeout_Seconds__c: 45
            })
        });
    });

    it('keeps a stream where the list moved it when its open editor saves afterwards', async () => {
        const root = await mount();
        mocked(updateRecord).mockResolvedValue({ id: 's1' });
        root.querySelector('c-setup-ordered-list[data-id="stream-list"]')!.dispatchEvent(
            new CustomEvent('select', { detail: 's1' })
        );
        await flush();
        root.querySelector('c-setup-ordered-list[data-id="stream-list"]')!.dispatchEvent(
            new CustomEvent('reorder', { detail: { ids: ['s2', 's1'] } })
        );
        await flush();
        mocked(updateRecord).mockClear();
        const editor = root.querySelector('c-setup-stream-editor') as unknown as HTMLElement & {
            stream: Record<string, unknown>;
        };
        editor.dispatchEvent(
            new CustomEvent('save', { detail: { ...editor.stream, name: 'Target Accounts' } })
        );
        await flush();
        const fields = mocked(updateRecord).mock.calls[0]![0].fields;
        expect(fields).toMatchObject({ Id: 's1', Name: 'Target Accounts' });
        expect(fields).not.toHaveProperty('Priority__c');
    });

    it('shows a switch made in the list in the open editor, and saving the editor keeps it', async () => {
        const root = await mount();
        mocked(updateRecord).mockResolvedValue({ id: 's1' });
        const list = root.querySelector('c-setup-ordered-list[data-id="stream-list"]')!;
        list.dispatchEvent(new CustomEvent('select', { detail: 's1' }));
        await flush();
        const switchedOff = {
            ...CONFIG,
            streams: CONFIG.streams.map((s) => (s.id === 's1' ? { ...s, active: false } : s))
        };
        mocked(getRoutingConfig).mockResolvedValue(switchedOff);
        list.dispatchEvent(
            new CustomEvent('toggleactive', { detail: { id: 's1', active: false } })
        );
        await flush();
        expect(updateRecord).toHaveBeenCalledWith({ fields: { Id: 's1', Active__c: false } });
        const editor = root.querySelector('c-setup-stream-editor') as unknown as HTMLElement & {
            stream: Record<string, unknown>;
        };
        expect(editor.stream.active).toBe(false);

        mocked(updateRecord).mockClear();
        editor.dispatchEvent(
            new CustomEvent('save', { detail: { ...editor.stream, name: 'Target Accounts' } })
        );
        await flush();
        expect(mocked(updateRecord).mock.calls[0]![0].fields).not.toHaveProperty('Active__c');

        mocked(updateRecord).mockClear();
        editor.dispatchEvent(
            new CustomEvent('save', { detail: { ...editor.stream, active: true } })
        );
        await flush();
        expect(mocked(updateRecord).mock.calls[0]![0].fields).toMatchObject({
            Id: 's1',
            Active__c: true
        });
    });
});
