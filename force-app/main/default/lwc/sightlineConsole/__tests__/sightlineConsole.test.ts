import { createElement } from 'lwc';
import SightlineConsole from 'c/sightlineConsole';
import getSnapshot from '@salesforce/apex/SightlineGatewayController.getSnapshot';

jest.mock(
    '@salesforce/apex/SightlineGatewayController.getSnapshot',
    () => ({ default: jest.fn() }),
    { virtual: true }
);

const SNAPSHOT = {
    streams: [
        { id: 's1', name: 'Target Account', color: '#0176D3', priority: 1 },
        { id: 's2', name: 'Open Opportunity', color: '#2E844A', priority: 2 }
    ],
    visitors: [
        { id: 'v1', streamId: 's1' },
        { id: 'v2', streamId: 's1' }
    ]
};

const flush = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('c-sightline-console', () => {
    afterEach(() => {
        while (document.body.firstChild) document.body.removeChild(document.body.firstChild);
        jest.clearAllMocks();
    });

    it('shows one column per stream in the order given, with its visitor count', async () => {
        (getSnapshot as unknown as jest.Mock).mockResolvedValue(SNAPSHOT);
        const element = createElement('c-sightline-console', { is: SightlineConsole });
        document.body.appendChild(element);
        await flush();

        const columns = element.shadowRoot!.querySelectorAll('section[data-stream-id]');
        expect(Array.from(columns).map((c) => c.querySelector('h2')!.textContent)).toEqual(['Target Account', 'Open Opportunity']);
        expect(columns[0]!.querySelector('.slds-badge')!.textContent).toBe('2');
        expect(columns[1]!.textContent).toContain('No visitors in this stream right now');
        expect(element.shadowRoot!.querySelector('[data-id="summary"]')!.textContent).toBe('2 visitors routed to you');
    });

    it('says what went wrong when the snapshot cannot be loaded', async () => {
        (getSnapshot as unknown as jest.Mock).mockRejectedValue({ body: { message: 'Gateway unreachable' } });
        const element = createElement('c-sightline-console', { is: SightlineConsole });
        document.body.appendChild(element);
        await flush();

        expect(element.shadowRoot!.querySelector('[data-id="error"]')!.textContent).toContain('Gateway unreachable');
        expect(element.shadowRoot!.querySelectorAll('section[data-stream-id]')).toHaveLength(0);
    });
});
