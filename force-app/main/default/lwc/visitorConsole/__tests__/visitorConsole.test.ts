import { createElement } from 'lwc';
import VisitorConsole from 'c/visitorConsole';
import getVisitorDetail from '@salesforce/apex/SightlineGatewayController.getVisitorDetail';
import pounce from '@salesforce/apex/SightlineGatewayController.pounce';
import acceptChat from '@salesforce/apex/SightlineGatewayController.acceptChat';
import sendMessage from '@salesforce/apex/SightlineGatewayController.sendMessage';
import setTyping from '@salesforce/apex/SightlineGatewayController.setTyping';
import type {
    ChatMessage,
    ChatChange,
    PounceSignal,
    VisitorDetail
} from '../../sightlineLive/liveContract';
import DETAIL_JSON from './data/detail.json';

jest.mock(
    '@salesforce/apex/SightlineGatewayController.getVisitorDetail',
    () => ({ default: jest.fn() }),
    { virtual: true }
);
jest.mock('@salesforce/apex/SightlineGatewayController.pounce', () => ({ default: jest.fn() }), {
    virtual: true
});
jest.mock(
    '@salesforce/apex/SightlineGatewayController.acceptChat',
    () => ({ default: jest.fn() }),
    { virtual: true }
);
jest.mock(
    '@salesforce/apex/SightlineGatewayController.sendMessage',
    () => ({ default: jest.fn() }),
    { virtual: true }
);
jest.mock('@salesforce/apex/SightlineGatewayController.setTyping', () => ({ default: jest.fn() }), {
    virtual: true
});
jest.mock(
    '@salesforce/apex/SightlineGatewayController.endConversation',
    () => ({ default: jest.fn() }),
    { virtual: true }
);
jest.mock(
    '@salesforce/apex/SightlineGatewayController.findLeadByEmail',
    () => ({ default: jest.fn() }),
    { virtual: true }
);
jest.mock('@salesforce/apex/SightlineGatewayController.linkLead', () => ({ default: jest.fn() }), {
    virtual: true
});

type Detail = VisitorDetail;
// JSON imports widen string unions to string: the fixture is typed here once.
const DETAIL = DETAIL_JSON as Detail;
const REP = '005000000000007AAA';
const mocked = (fn: unknown) => fn as jest.Mock;
const flush = async () => {
    for (let i = 0; i < 8; i++) await Promise.resolve();
};
const clone = (): Detail => JSON.parse(JSON.stringify(DETAIL));

async function mount(detail: Detail = clone(), props: Record<string, unknown> = {}) {
    mocked(getVisitorDetail).mockResolvedValue(detail);
    const element = createElement('c-visitor-console', { is: VisitorConsole });
    Object.assign<typeof element, Partial<typeof element>>(element, {
        streamName: 'Paid Advertising',
        streamColor: '#2e844a',
        repId: REP,
        visitorId: detail.card.id,
        ...props
    });
    document.body.appendChild(element);
    await flush();
    return element;
}

const $ = (el: HTMLElement, id: string) =>
    el.shadowRoot!.querySelector(`[data-id="${id}"]`) as
        (HTMLElement & Record<string, unknown>) | null;
const text = (el: HTMLElement) => el.shadowRoot!.textContent!;
const chatLines = (el: HTMLElement) =>
    (
        $(el, 'visitor-console')!.querySelector('c-visitor-chat') as HTMLElement & {
            messages: { id: string; body: string; status?: string }[];
        }
    ).messages;
const click = async (el: HTMLElement, id: string) => {
    $(el, id)!.dispatchEvent(new CustomEvent('click'));
    await flush();
};

describe('c-visitor-console', () => {
    beforeEach(() => {
        jest.useFakeTimers({ doNotFake: ['queueMicrotask', 'nextTick'] });
        jest.setSystemTime(new Date('2026-01-01T10:04:05.000Z'));
    });
    afterEach(() => {
        while (document.body.firstChild) document.body.removeChild(document.body.firstChild);
        jest.clearAllMocks();
        jest.useRealTimers();
    });

    it('loads the visitor: header, live page, tabs, timeline newest first with reading signals, firmographics, routing', async () => {
        const el = await mount();
        expect(getVisitorDetail).toHaveBeenCalledWith({ visitorId: 'sess-0001' });
        expect($(el, 'title')!.textContent).toBe('Dana van der Whitfield');
        expect($(el, 'visitor-console')!.getAttribute('aria-labelledby')).toBe($(el, 'title')!.id);
        expect(text(el)).toContain('Active now · 4m 05s on site · 2 tabs open');
        expect($(el, 'live-title')!.textContent).toBe('Pricing');
        const items = Array.from($(el, 'timeline')!.querySelectorAll('li'));
        expect(items.map((li) => li.querySelector('.timeline__title')!.textContent)).toEqual([
            'Pricing',
            'Home'
        ]);
        expect(items[0]!.textContent).toContain('60% scrolled');
        expect(items[0]!.querySelector('[data-id="reading"]')).not.toBeNull();
        expect(items[1]!.querySelector('[data-id="reading"]')).toBeNull();
        expect(text(el)).toContain('· 1 reading');
        expect(text(el)).toContain('Chrome');
        expect(text(el)).toContain('source=google · medium=cpc · campaign=spring');
        expect($(el, 'panel-reason')!.textContent).toBe('Matched rule "Paid → round robin"');
        // The reason once; the rules tested before it under their own label.
        expect(text(el).split('Matched rule "Paid → round robin"')).toHaveLength(2);
        expect($(el, 'routing-trace')!.textContent).toBe(
            'Stream Paid Advertising: utm_medium is cpc'
        );
        // Values wrap whole rather than being cut: a long UTM or email is read in full.
        const values = Array.from(el.shadowRoot!.querySelectorAll('.facts dd'));
        expect(values.filter((dd) => dd.classList.contains('slds-truncate'))).toEqual([]);
        expect($(el, 'no-records')!.textContent).toBe('No matching Salesforce records.');
    });

    it('reads well for an anonymous visitor from an unknown company with no location, pages or Salesforce data', async () => {
        const detail = clone();
        Object.assign(detail.card, {
            identity: 'anonymous',
            displayName: 'Visitor',
            email: undefined,
            company: undefined,
            location: undefined,
            routing: { experience: 'unrouted', reason: '', routedTo: [] }
        });
        Object.assign(detail, {
            pages: [],
            utm: undefined,
            device: undefined,
            tabsOpen: 1,
            routingTrace: []
        });
        const el = await mount(detail);
        expect($(el, 'title')!.textContent).toBe('Visitor');
        expect(text(el)).toContain('Unknown company');
        expect(text(el)).toContain('No pages yet.');
        expect(text(el)).toContain('1 tab open');
        expect(text(el)).toContain('Nobody');
        expect($(el, 'panel-reason')!.textContent).toBe('No routing rule matched.');
        expect($(el, 'routing-trace')).toBeNull();
        expect($(el, 'create-lead')).not.toBeNull();
    });

    it('keeps a very long name whole in the title (truncated by CSS, full in the tooltip)', async () => {
        const detail = clone();
        detail.card.displayName =
            'Maximiliana Alexandrovna Konstantinopoulou-Vanderbilt-Featherstonehaugh';
        const el = await mount(detail);
        expect($(el, 'title')!.textContent).toBe(detail.card.displayName);
        expect($(el, 'title')!.getAttribute('title')).toBe(detail.card.displayName);
        expect($(el, 'title')!.className).toContain('slds-truncate');
    });

    it('lists the Salesforce records as links to them; no Create Lead when the visitor is a known Lead', async () => {
        const detail = clone();
        detail.card.salesforce = {
            account: {
                id: '001000000000001AAA',
                name: 'Nova Robotics',
                targetAccount: true,
                owner: { id: REP, name: 'Aiko Tanaka' }
            },
            lead: { id: '00Q000000000001AAA', name: 'Dana Whitfield', status: 'Working' }
        } as never;
        const el = await mount(detail);
        const links = Array.from($(el, 'records')!.querySelectorAll('a'));
        expect(links.map((a) => a.textContent)).toEqual(['Nova Robotics', 'Dana Whitfield']);
        expect(text(el)).toContain('Target account · Owner Aiko Tanaka');
        expect($(el, 'create-lead')).toBeNull();
    });

    it('pounces; a lost race shows who is engaging and leaves the visitor alone', async () => {
        mocked(pounce).mockResolvedValue({
            ok: false,
            engagedBy: { id: '005000000000008AAA', name: 'Maya Chen' },
            message: 'Maya Chen is engaging this visitor.'
        });
        const el = await mount();
        await click(el, 'panel-pounce');
        expect(pounce).toHaveBeenCalledWith({ visitorId: 'sess-0001' });
        expect($(el, 'claim-message')!.textContent).toBe('Maya Chen is engaging this visitor.');
        expect(getVisitorDetail).toHaveBeenCalledTimes(1);

        // The next card says so too, and pounce is disabled.
        el.card = { ...clone().card, engagedBy: { id: '005000000000008AAA', name: 'Maya Chen' } };
        await flush();
        expect($(el, 'engaged')!.textContent).toBe('Maya Chen is engaging');
        expect($(el, 'panel-pounce')!.disabled).toBe(true);
    });

    it('a won pounce reloads the visitor into the conversation, where the rep can write', async () => {
        mocked(pounce).mockResolvedValue({ ok: true, conversationId: 'conv-1' });
        const el = await mount();
        const inConversation = clone();
        inConversation.conversation = {
            id: 'conv-1',
            status: 'Active',
            rep: { id: REP, name: 'Aiko Tanaka' },
            messages: []
        };
        mocked(getVisitorDetail).mockResolvedValue(inConversation);
        await click(el, 'panel-pounce');
        expect(getVisitorDetail).toHaveBeenCalledTimes(2);
        expect($(el, 'panel-pounce')).toBeNull();
        expect($(el, 'end')).not.toBeNull();
        const chat = $(el, 'visitor-console')!.querySelector('c-visitor-chat') as HTMLElement & {
            canSend: boolean;
        };
        expect(chat.canSend).toBe(true);
        // The Pounce button is gone: focus is in the message box, not on the page.
        expect(chat.shadowRoot!.activeElement).toBe(
            chat.shadowRoot!.querySelector('[data-id="composer"]')
        );
    });

    it('is a dialog: focus moves to its heading on open and Tab wraps inside it', async () => {
        const el = await mount();
        const title = $(el, 'title')!;
        expect(el.shadowRoot!.activeElement).toBe(title);
        const [start, end] = Array.from(
            el.shadowRoot!.querySelectorAll('[data-focus-trap]')
        ) as HTMLElement[];
        // Tab past the last control lands on the end sentinel: back to the first control.
        end!.focus();
        await flush();
        const close = $(el, 'close')!;
        expect(close.shadowRoot!.activeElement).toBe(close.shadowRoot!.querySelector('button'));
        // Shift+Tab before the first control: to the last one (the message box's Send is
        // disabled, so the records' last link or the chat's box, whichever is last and enabled).
        start!.focus();
        await flush();
        const active = el.shadowRoot!.activeElement as HTMLElement;
        expect(active).not.toBe(start);
        expect(active).not.toBe(end);
        expect(el.shadowRoot!.contains(active)).toBe(true);
    });

    it('opened by a pounce from a card, puts focus in the message box once the conversation is the rep’s', async () => {
        const inConversation = clone();
        inConversation.conversation = {
            id: 'conv-1',
            status: 'Active',
            rep: { id: REP, name: 'Aiko Tanaka' },
            messages: []
        };
        const el = await mount(inConversation, { initialFocus: 'composer' });
        await flush();
        const chat = $(el, 'visitor-console')!.querySelector('c-visitor-chat') as HTMLElement;
        expect(chat.shadowRoot!.activeElement).toBe(
            chat.shadowRoot!.querySelector('[data-id="composer"]')
        );
    });

    it('a chat request counts down and is accepted with Start a conversation', async () => {
        mocked(acceptChat).mockResolvedValue({ ok: true, conversationId: 'conv-2' });
        const detail = clone();
        detail.card.chat = {
            state: 'requested',
            deadline: '2026-01-01T10:04:35.000Z',
            conversationId: 'conv-2'
        } as never;
        const el = await mount(detail);
        // The same m:ss as the card and the visitor's page.
        expect($(el, 'panel-countdown')!.textContent).toBe('0:30 left');
        expect($(el, 'panel-countdown')!.getAttribute('role')).toBe('timer');
        jest.advanceTimersByTime(3000);
        await flush();
        expect($(el, 'panel-countdown')!.textContent).toBe('0:27 left');
        await click(el, 'panel-accept');
        expect(acceptChat).toHaveBeenCalledWith({ visitorId: 'sess-0001' });
    });

    it('at zero the countdown is gone and Pounce is offered again', async () => {
        const detail = clone();
        detail.card.chat = {
            state: 'requested',
            deadline: '2026-01-01T10:04:07.000Z',
            conversationId: 'conv-2'
        } as never;
        const el = await mount(detail);
        jest.advanceTimersByTime(2000);
        await flush();
        expect($(el, 'panel-countdown')).toBeNull();
        expect($(el, 'panel-pounce')).not.toBeNull();
    });

    it('chat: history from the detail, the rep’s message Sending… → Sent → Delivered, the visitor typing and answering live', async () => {
        const detail = clone();
        detail.card.chat = {
            state: 'conversation',
            conversationId: 'conv-1',
            rep: { id: REP, name: 'Aiko Tanaka' }
        } as never;
        detail.conversation = {
            id: 'conv-1',
            status: 'Active',
            rep: { id: REP, name: 'Aiko Tanaka' },
            messages: [
                {
                    id: 'm1',
                    sender: 'Visitor',
                    senderName: 'Dana',
                    body: 'Hi there',
                    sentAt: '2026-01-01T10:04:00.000Z'
                }
            ]
        };
        let resolveSend: (value: unknown) => void = () => undefined;
        mocked(sendMessage).mockReturnValue(new Promise((resolve) => (resolveSend = resolve)));
        const el = await mount(detail);
        expect(chatLines(el).map((m) => m.body)).toEqual(['Hi there']);

        $(el, 'visitor-console')!
            .querySelector('c-visitor-chat')!
            .dispatchEvent(new CustomEvent('send', { detail: 'Hello Dana' }));
        await flush();
        const mine = chatLines(el)[1]!;
        expect(mine).toMatchObject({ body: 'Hello Dana', status: 'sending' });
        expect(sendMessage).toHaveBeenCalledWith({
            conversationId: 'conv-1',
            body: 'Hello Dana',
            clientMessageId: mine.id
        });
        resolveSend({
            id: 'm2',
            clientMessageId: mine.id,
            sender: 'Rep',
            senderName: 'Aiko Tanaka',
            body: 'Hello Dana',
            sentAt: '2026-01-01T10:04:06.000Z'
        });
        await flush();
        expect(chatLines(el)[1]!.status).toBe('sent');

        const live = (message?: ChatMessage, typing?: ChatChange['typing']): ChatChange => ({
            conversationId: 'conv-1',
            ...(message ? { message } : {}),
            ...(typing ? { typing } : {})
        });
        el.receiveChat(
            live({
                id: 'm2',
                clientMessageId: mine.id,
                sender: 'Rep',
                senderName: 'Aiko Tanaka',
                body: 'Hello Dana',
                sentAt: '2026-01-01T10:04:06.000Z'
            })
        );
        el.receiveChat(live(undefined, { typing: true, senderName: 'Dana' }));
        await flush();
        expect(chatLines(el)[1]!.status).toBe('delivered');
        expect(
            (
                $(el, 'visitor-console')!.querySelector('c-visitor-chat') as HTMLElement & {
                    typingName: string;
                }
            ).typingName
        ).toBe('Dana');

        el.receiveChat(
            live({
                id: 'm3',
                sender: 'Visitor',
                senderName: 'Dana',
                body: 'Great',
                sentAt: '2026-01-01T10:04:08.000Z'
            })
        );
        // Another conversation's events are not this panel's.
        el.receiveChat({
            ...live({
                id: 'x',
                sender: 'Visitor',
                senderName: 'Other',
                body: 'Not here',
                sentAt: '2026-01-01T10:04:08.000Z'
            }),
            conversationId: 'conv-9'
        });
        await flush();
        expect(chatLines(el).map((m) => m.body)).toEqual(['Hi there', 'Hello Dana', 'Great']);
        expect(
            (
                $(el, 'visitor-console')!.querySelector('c-visitor-chat') as HTMLElement & {
                    typingName: string;
                }
            ).typingName
        ).toBe('');
    });

    it('tells the visitor when the rep is typing in the conversation; a failed signal is ignored', async () => {
        const detail = clone();
        detail.card.chat = {
            state: 'conversation',
            conversationId: 'conv-1',
            rep: { id: REP, name: 'Aiko Tanaka' }
        } as never;
        detail.conversation = {
            id: 'conv-1',
            status: 'Active',
            rep: { id: REP, name: 'Aiko Tanaka' },
            messages: []
        };
        mocked(setTyping)
            .mockRejectedValueOnce({ body: { message: 'Gateway unreachable' } })
            .mockResolvedValue(null);
        const el = await mount(detail);
        const chat = $(el, 'visitor-console')!.querySelector('c-visitor-chat')!;
        chat.dispatchEvent(new CustomEvent('typing', { detail: true }));
        chat.dispatchEvent(new CustomEvent('typing', { detail: false }));
        await flush();
        expect(mocked(setTyping).mock.calls).toEqual([
            [{ conversationId: 'conv-1', typing: true }],
            [{ conversationId: 'conv-1', typing: false }]
        ]);
    });

    it('Create Lead opens the form with the visitor and stream; once linked the form closes and the visitor is reloaded', async () => {
        const el = await mount();
        await click(el, 'create-lead');
        const form = el.shadowRoot!.querySelector('c-visitor-lead-form') as HTMLElement & {
            detail: Detail;
            streamName: string;
        };
        expect(form.detail.card.id).toBe('sess-0001');
        expect(form.streamName).toBe('Paid Advertising');
        const linked = clone();
        linked.linkedLeadId = '00Q000000000099AAA';
        mocked(getVisitorDetail).mockResolvedValue(linked);
        form.dispatchEvent(new CustomEvent('leadlinked', { detail: '00Q000000000099AAA' }));
        await flush();
        expect(el.shadowRoot!.querySelector('c-visitor-lead-form')).toBeNull();
        expect($(el, 'create-lead')).toBeNull();
        expect(
            Array.from($(el, 'records')!.querySelectorAll('a')).map((a) => a.dataset.recordId)
        ).toEqual(['00Q000000000099AAA']);
    });

    it('says when the visitor has gone, and cannot pounce them', async () => {
        const el = await mount(clone(), { gone: true });
        expect($(el, 'gone')!.textContent).toContain(
            'This visitor has left the site or is no longer routed to you.'
        );
        expect($(el, 'panel-pounce')!.disabled).toBe(true);
    });

    it('shows an error when the visitor cannot be loaded', async () => {
        mocked(getVisitorDetail).mockRejectedValue({ body: { message: 'Visitor not found' } });
        const element = createElement('c-visitor-console', { is: VisitorConsole });
        Object.assign<typeof element, Partial<typeof element>>(element, {
            repId: REP,
            visitorId: 'sess-missing'
        });
        document.body.appendChild(element);
        await flush();
        expect($(element, 'detail-error')!.textContent).toBe('Visitor not found');
    });

    it('closes with Escape and with the close button', async () => {
        const el = await mount();
        const closed = jest.fn();
        el.addEventListener('close', closed);
        $(el, 'visitor-console')!.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape' }));
        await click(el, 'close');
        expect(closed).toHaveBeenCalledTimes(2);
        // Escape from deep inside (the message box in the chat's own shadow tree) closes too.
        const chat = $(el, 'visitor-console')!.querySelector('c-visitor-chat') as HTMLElement;
        chat.shadowRoot!.querySelector('[data-id="composer"]')!.dispatchEvent(
            new KeyboardEvent('keydown', { key: 'Escape', bubbles: true, composed: true })
        );
        expect(closed).toHaveBeenCalledTimes(3);
    });
    it('answers the four pounce questions from the live card, and follows it', async () => {
        const detail = clone();
        const signal = (ok: boolean): PounceSignal => ({
            ready: ok,
            checks: [
                {
                    key: 'active',
                    question: 'Actively looking at the site?',
                    ok: true,
                    answer: 'Yes: active now on /pricing'
                },
                {
                    key: 'unengaged',
                    question: 'Not engaged with another rep?',
                    ok: true,
                    answer: 'Yes: no rep is engaging'
                },
                {
                    key: 'highIntent',
                    question: 'In a high-intent stream?',
                    ok: true,
                    answer: 'Yes: Paid Advertising'
                },
                {
                    key: 'reading',
                    question: 'Scrolled past 15%?',
                    ok,
                    answer: ok ? 'Yes: scrolled 30% of /pricing' : 'No: scrolled 5% of /pricing'
                }
            ]
        });
        const el = await mount(detail, { card: { ...detail.card, pounce: signal(false) } });
        const checklist = () =>
            $(el, 'pounce-readiness')!.querySelector('c-pounce-signal')!.shadowRoot!;
        expect(checklist().querySelector('[data-id="verdict"]')!.textContent).toBe(
            'Not yet: 1 of 4 not met'
        );
        expect(checklist().textContent).toContain('No: scrolled 5% of /pricing');
        el.card = { ...detail.card, pounce: signal(true) };
        await flush();
        expect(checklist().querySelector('[data-id="verdict"]')!.textContent).toBe(
            'Ready to pounce'
        );
    });

    it("a Contact row carries the record's name; what the visitor typed is shown as typed", async () => {
        const detail = clone();
        const card = {
            ...detail.card,
            typedName: 'Mickey Mouse',
            salesforce: { contact: { id: '003000000000001AAA', name: 'Dana Whitfield' } }
        };
        detail.card = card as typeof detail.card;
        const el = await mount(detail, { card });
        const row = $(el, 'records')!;
        expect(row.querySelector('a')!.textContent).toBe('Dana Whitfield');
        expect(row.textContent).toContain('typed “Mickey Mouse” in a form');
    });

    it('lists the buying committee: the others from the same Account on the site', async () => {
        const detail = clone();
        const card = {
            ...detail.card,
            committee: {
                accountName: 'Acme',
                count: 2,
                others: [{ id: 'sess-9', name: 'Ana Ruiz' }]
            }
        };
        const el = await mount(detail, { card });
        expect($(el, 'committee')!.textContent).toContain(
            'Buying committee: 2 from Acme on the site'
        );
        expect($(el, 'committee')!.textContent).toContain('Ana Ruiz');
    });
});
