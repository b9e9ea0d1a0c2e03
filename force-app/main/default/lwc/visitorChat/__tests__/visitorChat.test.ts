import { createElement } from 'lwc';
import VisitorChat from 'c/visitorChat';
import type { ChatLine } from 'c/visitorChat';

const flush = () => Promise.resolve();
const LINES: ChatLine[] = [
    {
        id: 'm1',
        sender: 'Visitor',
        senderName: 'Dana Whitfield',
        body: 'Do you support SSO?',
        sentAt: '2026-01-01T10:00:00.000Z'
    },
    {
        id: 'm2',
        sender: 'Rep',
        senderName: 'You',
        body: 'Yes, on every plan.',
        sentAt: '2026-01-01T10:00:05.000Z',
        status: 'delivered'
    },
    {
        id: 'm3',
        sender: 'Rep',
        senderName: 'You',
        body: 'Want a demo?',
        sentAt: '2026-01-01T10:00:09.000Z',
        status: 'sending'
    },
    {
        id: 'm4',
        sender: 'System',
        senderName: 'Sightline',
        body: 'The visitor left the chat.',
        sentAt: '2026-01-01T10:01:00.000Z'
    }
];

function mount(props: Record<string, unknown> = {}) {
    const element = createElement('c-visitor-chat', { is: VisitorChat });
    Object.assign<typeof element, Partial<typeof element>>(element, {
        messages: LINES,
        canSend: true,
        ...props
    });
    document.body.appendChild(element);
    return element;
}

const $ = (el: HTMLElement, id: string) =>
    el.shadowRoot!.querySelector(`[data-id="${id}"]`) as HTMLElement | null;
const $$ = (el: HTMLElement, id: string) =>
    Array.from(el.shadowRoot!.querySelectorAll(`[data-id="${id}"]`)) as HTMLElement[];

async function draft(el: HTMLElement, text: string) {
    const box = $(el, 'composer') as HTMLTextAreaElement;
    box.value = text;
    box.dispatchEvent(new CustomEvent('input'));
    await flush();
    return box;
}

describe('c-visitor-chat', () => {
    afterEach(() => {
        while (document.body.firstChild) document.body.removeChild(document.body.firstChild);
    });

    it('shows the history in order, the visitor inbound, the rep outbound with its delivery state, system lines as events', () => {
        const el = mount();
        const items = $$(el, 'message');
        expect(items.map((i) => i.dataset.sender)).toEqual(['Visitor', 'Rep', 'Rep', 'System']);
        expect(items[0]!.className).toContain('slds-chat-listitem_inbound');
        expect(items[1]!.className).toContain('slds-chat-listitem_outbound');
        expect(items[3]!.className).toContain('slds-chat-listitem_event');
        const metas = $$(el, 'meta').map((m) => m.textContent!);
        expect(metas[0]).toMatch(/^Dana Whitfield • \S+/);
        expect(metas[1]).toMatch(/• Delivered$/);
        expect(metas[2]).toMatch(/• Sending…$/);
        expect(el.shadowRoot!.querySelector('[role="log"]')!.getAttribute('aria-label')).toBe(
            'Conversation'
        );
    });

    it('tells the console once when the rep starts typing, and when they send or pause', async () => {
        jest.useFakeTimers();
        try {
            const el = mount();
            const typing = jest.fn();
            el.addEventListener('typing', (event) =>
                typing((event as CustomEvent<boolean>).detail)
            );
            await draft(el, 'H');
            await draft(el, 'Hi');
            expect(typing.mock.calls).toEqual([[true]]);
            ($(el, 'composer') as HTMLTextAreaElement).dispatchEvent(
                new KeyboardEvent('keydown', { key: 'Enter' })
            );
            expect(typing.mock.calls).toEqual([[true], [false]]);
            await draft(el, 'One more thing');
            jest.advanceTimersByTime(4000);
            expect(typing.mock.calls).toEqual([[true], [false], [true], [false]]);
        } finally {
            jest.useRealTimers();
        }
    });

    it('says when the visitor is typing, and when there are no messages', () => {
        const el = mount({ messages: [], typingName: 'Dana Whitfield' });
        expect(el.shadowRoot!.textContent).toContain('No messages yet.');
        expect($(el, 'typing')!.textContent).toBe('Dana Whitfield is typing…');
    });

    it('sends the trimmed draft on Enter and clears the box; Shift+Enter does not send', async () => {
        const el = mount();
        const sent = jest.fn();
        el.addEventListener('send', sent);
        const box = await draft(el, '  Here is a link  ');
        box.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', shiftKey: true }));
        expect(sent).not.toHaveBeenCalled();
        box.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter' }));
        await flush();
        expect(sent.mock.calls.map((c) => c[0].detail)).toEqual(['Here is a link']);
        expect(box.value).toBe('');
        expect(($(el, 'send') as HTMLButtonElement).disabled).toBe(true);
    });

    it('sends with the button, never a blank message', async () => {
        const el = mount();
        const sent = jest.fn();
        el.addEventListener('send', sent);
        await draft(el, '   ');
        expect(($(el, 'send') as HTMLButtonElement).disabled).toBe(true);
        await draft(el, 'Hello');
        $(el, 'send')!.click();
        expect(sent).toHaveBeenCalledTimes(1);
    });

    it('cannot send before the rep is in the conversation', async () => {
        const el = mount({ canSend: false, placeholder: 'Pounce to start a conversation' });
        const sent = jest.fn();
        el.addEventListener('send', sent);
        const box = $(el, 'composer') as HTMLTextAreaElement;
        expect(box.disabled).toBe(true);
        expect(box.placeholder).toBe('Pounce to start a conversation');
        await draft(el, 'Hello');
        box.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter' }));
        expect(sent).not.toHaveBeenCalled();
    });
});
