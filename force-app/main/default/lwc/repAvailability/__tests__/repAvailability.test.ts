import { createElement } from 'lwc';
import RepAvailabilityControl from 'c/repAvailability';
import setAvailability from '@salesforce/apex/SightlineGatewayController.setAvailability';

jest.mock(
    '@salesforce/apex/SightlineGatewayController.setAvailability',
    () => ({ default: jest.fn() }),
    { virtual: true }
);

const mocked = (fn: unknown) => fn as jest.Mock;
const flush = async () => {
    for (let i = 0; i < 6; i++) await Promise.resolve();
};
const $ = (el: HTMLElement, id: string) =>
    el.shadowRoot!.querySelector(`[data-id="${id}"]`) as HTMLElement | null;

function mount(availability: unknown) {
    const el = createElement('c-rep-availability', {
        is: RepAvailabilityControl
    }) as unknown as HTMLElement & Record<string, unknown>;
    el.availability = availability;
    document.body.appendChild(el);
    return el;
}

const select = async (el: HTMLElement, value: string) => {
    $(el, 'availability-menu')!.dispatchEvent(new CustomEvent('select', { detail: { value } }));
    await flush();
};

describe('c-rep-availability', () => {
    afterEach(() => {
        while (document.body.firstChild) document.body.removeChild(document.body.firstChild);
        jest.clearAllMocks();
    });

    it('shows the status, the conversations against capacity, and why no chats come while offline', () => {
        const el = mount({ status: 'offline', capacity: 3, activeConversations: 0 });
        expect(($(el, 'availability-menu') as HTMLElement & { label: string }).label).toBe(
            'Offline'
        );
        expect($(el, 'capacity')!.textContent).toBe('0 of 3 conversations');
        expect($(el, 'availability-hint')!.textContent).toBe(
            'Go Available to receive chat requests'
        );
    });

    it('where the org takes availability from Omni-Channel, shows the presence read-only', () => {
        const el = mount({
            status: 'offline',
            capacity: 4,
            activeConversations: 0,
            source: 'omni-channel'
        });
        expect($(el, 'availability-menu')).toBeNull();
        expect($(el, 'availability-omni')!.textContent).toBe('Offline · Omni-Channel');
        expect($(el, 'availability-omni')!.title).toMatch(/Omni-Channel utility/);
        expect($(el, 'capacity')!.textContent).toBe('0 of 4 conversations');
        expect($(el, 'availability-hint')!.textContent).toBe(
            'Go Available in Omni-Channel to receive chat requests'
        );
    });

    it('choosing Available calls setAvailability with the Apex value and shows the answer', async () => {
        mocked(setAvailability).mockResolvedValue({
            status: 'available',
            capacity: 4,
            activeConversations: 1
        });
        const el = mount({ status: 'offline', capacity: 4, activeConversations: 1 });
        const changed = jest.fn();
        el.addEventListener('availabilitychange', changed);
        await select(el, 'available');
        expect(setAvailability).toHaveBeenCalledWith({ status: 'Available' });
        expect(($(el, 'availability-menu') as HTMLElement & { label: string }).label).toBe(
            'Available'
        );
        expect($(el, 'capacity')!.textContent).toBe('1 of 4 conversations');
        expect($(el, 'availability-hint')).toBeNull();
        expect(changed).toHaveBeenCalledTimes(1);
    });

    it('a refused change keeps the old status and says why in a toast; the same status calls nothing', async () => {
        mocked(setAvailability).mockRejectedValue({
            body: { message: 'Only a Sightline rep has an availability.' }
        });
        const el = mount({ status: 'away', capacity: 3, activeConversations: 0 });
        const toasts = jest.fn();
        el.addEventListener('lightning__showtoast', toasts);
        await select(el, 'away');
        expect(setAvailability).not.toHaveBeenCalled();
        await select(el, 'available');
        expect(($(el, 'availability-menu') as HTMLElement & { label: string }).label).toBe('Away');
        expect(toasts).toHaveBeenCalledTimes(1);
        expect(toasts.mock.calls[0][0].detail.message).toBe(
            'Only a Sightline rep has an availability.'
        );
    });
});
