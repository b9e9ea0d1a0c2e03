/**
 * The visitor side of chat, loaded lazily by the tracker: a launcher button and a panel in
 * a shadow root. "Talk to sales" sends a chat request; the panel counts down to the same
 * deadline the rep sees, then shows the conversation (over the visitor socket) or, when
 * nobody accepted in time, the meeting booker.
 */
import type {
    BookerSlots,
    ChatHost,
    GatewayToVisitor,
    VisitorChatState,
    VisitorSocketMessageInput
} from '../types';
import { clear, h } from './dom';
import { mergeMessage, secondsLeft, slotsByDay, splitName, type ChatMessage } from './format';
import { STYLES } from './styles';

const STORE_KEY = 'sightline:chat';

interface Stored {
    open: boolean;
    conversationId?: string;
    messages: ChatMessage[];
}

function load(): Stored {
    try {
        const parsed = JSON.parse(localStorage.getItem(STORE_KEY) ?? 'null') as Stored | null;
        if (parsed && Array.isArray(parsed.messages)) return parsed;
    } catch {
        /* storage unavailable */
    }
    return { open: false, messages: [] };
}

function save(stored: Stored): void {
    try {
        localStorage.setItem(STORE_KEY, JSON.stringify(stored));
    } catch {
        /* storage unavailable: history comes from the gateway on reload */
    }
}

function randomId(): string {
    const bytes = crypto.getRandomValues(new Uint8Array(16));
    return Array.from(
        bytes,
        (b) => 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-'[b & 63]
    ).join('');
}

export function mountChat(host: ChatHost): void {
    const root = h('div', { 'data-sightline': 'chat' });
    const shadow = root.attachShadow({ mode: 'open' });
    shadow.append(h('style', {}, STYLES));
    document.body.append(root);

    let stored = load();
    let chat: VisitorChatState = { state: 'idle' };
    let socket: WebSocket | undefined;
    let socketWanted = false;
    let reconnectDelay = 1000;
    let countdownTimer: ReturnType<typeof setInterval> | undefined;
    let repTyping = '';
    let requested = false;

    const announcer = h('div', { class: 'sr', 'aria-live': 'polite', 'aria-atomic': 'true' });
    const icon = document.createElementNS('http://www.w3.org/2000/svg', 'svg');
    icon.setAttribute('viewBox', '0 0 24 24');
    icon.setAttribute('width', '18');
    icon.setAttribute('height', '18');
    icon.setAttribute('aria-hidden', 'true');
    icon.innerHTML =
        '<path fill="currentColor" d="M4 4h16a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H9l-5 4v-4H4a2 2 0 0 1-2-2V6a2 2 0 0 1 2-2z"/>';
    const launcher = h(
        'button',
        {
            class: 'launcher',
            type: 'button',
            'aria-expanded': 'false',
            'aria-controls': 'sl-panel',
            onclick: () => toggle()
        },
        icon,
        'Chat with us'
    );
    const title = h('h2', { id: 'sl-title' }, 'Talk to our team');
    const subtitle = h('p', {}, 'We usually answer within a minute.');
    const body = h('div', { class: 'body' });
    const footer = h('div');
    const panel: HTMLElement = h(
        'section',
        {
            class: 'panel',
            id: 'sl-panel',
            role: 'dialog',
            'aria-labelledby': 'sl-title',
            hidden: true,
            onkeydown: (e) => (e as KeyboardEvent).key === 'Escape' && toggle(false)
        },
        // A plain bar, not a <header>: inside the customer's page a <header> would add a
        // second banner landmark.
        h(
            'div',
            { class: 'top' },
            h('div', {}, title, subtitle),
            h(
                'button',
                {
                    class: 'close',
                    type: 'button',
                    'aria-label': 'Close chat',
                    onclick: () => toggle(false)
                }
                // The × is drawn by CSS: as text, a symbol is a "visible label" no checker can
                // match against the accessible name.
            )
        ),
        body,
        footer
    );
    shadow.append(launcher, panel, announcer);

    const announce = (text: string) => {
        announcer.textContent = '';
        setTimeout(() => (announcer.textContent = text), 30);
    };

    function toggle(open: boolean = panel.hidden): void {
        panel.hidden = !open;
        launcher.setAttribute('aria-expanded', String(open));
        stored.open = open;
        save(stored);
        if (open) {
            render(true);
        } else {
            launcher.focus();
        }
    }
    host.open = () => toggle(true);

    // ---- the socket --------------------------------------------------------------------
    function connect() {
        socketWanted = true;
        if (socket && socket.readyState <= WebSocket.OPEN) return;
        const { visitorId, sessionId } = host.ids();
        const url = new URL('/v1/visitor-socket', host.gateway);
        url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
        url.search = new URLSearchParams({
            siteKey: host.siteKey,
            visitorId,
            sessionId
        }).toString();
        const ws = new WebSocket(url.href);
        socket = ws;
        ws.onopen = () => (reconnectDelay = 1000);
        ws.onmessage = (event) => {
            try {
                receive(JSON.parse(String(event.data)) as GatewayToVisitor);
            } catch {
                /* a malformed frame is ignored */
            }
        };
        ws.onclose = () => {
            if (socket === ws) socket = undefined;
            if (socketWanted) {
                setTimeout(connect, reconnectDelay);
                reconnectDelay = Math.min(30_000, reconnectDelay * 2);
            }
        };
    }

    function sendSocket(message: VisitorSocketMessageInput): boolean {
        if (socket?.readyState !== WebSocket.OPEN) return false;
        socket.send(JSON.stringify(message));
        return true;
    }

    function receive(message: GatewayToVisitor) {
        if (message.type === 'chat') setChat(message.chat);
        else if (message.type === 'message') {
            const mine = message.sender === 'Visitor';
            stored.messages = mergeMessage(stored.messages, { ...message, delivered: true });
            save(stored);
            if (!mine) {
                repTyping = '';
                announce(`${message.senderName}: ${message.body}`);
            }
            renderLog();
        } else if (message.type === 'delivered') {
            stored.messages = mergeMessage(stored.messages, {
                clientMessageId: message.clientMessageId,
                id: message.id,
                delivered: true
            } as ChatMessage);
            save(stored);
            renderLog();
        } else if (message.type === 'typing') {
            repTyping = message.typing ? `${message.senderName} is typing…` : '';
            if (typingLine) typingLine.textContent = repTyping;
        } else if (message.type === 'error') {
            announce(message.message);
        }
    }

    function setChat(next: VisitorChatState) {
        const changed = next.state !== chat.state || JSON.stringify(next) !== JSON.stringify(chat);
        chat = next;
        if (next.state === 'connected' && stored.conversationId !== next.conversationId) {
            stored = {
                ...stored,
                conversationId: next.conversationId,
                messages: stored.conversationId ? [] : stored.messages
            };
            save(stored);
        }
        if (next.state !== 'idle') connect();
        if (next.state === 'connected' || next.state === 'meeting-booker') {
            if (panel.hidden) toggle(true);
        }
        if (changed) {
            if (next.state === 'connected') announce(`${next.rep.name} joined the chat.`);
            if (next.state === 'meeting-booker')
                announce('Nobody is free right now: book a meeting instead.');
            render(true);
        }
    }

    // ---- views -------------------------------------------------------------------------
    let log: HTMLOListElement | undefined;
    let typingLine: HTMLElement | undefined;

    function render(moveFocus = false) {
        if (countdownTimer) clearInterval(countdownTimer);
        countdownTimer = undefined;
        clear(body);
        clear(footer);
        log = typingLine = undefined;
        const view =
            chat.state === 'waiting'
                ? waitingView(chat)
                : chat.state === 'connected'
                  ? conversationView(chat)
                  : chat.state === 'meeting-booker'
                    ? bookerView(chat.repName)
                    : chat.state === 'ended'
                      ? endedView()
                      : requested
                        ? requestingView()
                        : introView();
        if (moveFocus && !panel.hidden) view.focus?.();
    }

    function introView(): { focus?: () => void } {
        title.textContent = 'Talk to our team';
        subtitle.textContent = 'A real person, usually within a minute.';
        const question = h('textarea', {
            id: 'sl-question',
            maxlength: 2000,
            placeholder: 'What would you like to know? (optional)'
        });
        const start = h(
            'button',
            {
                class: 'primary',
                type: 'button',
                onclick: () => {
                    requested = true;
                    host.requestChat(question.value.trim());
                    render(true);
                }
            },
            'Talk to sales'
        );
        body.append(
            h('h3', { tabindex: -1 }, 'Questions about Lumen Data?'),
            h('p', { class: 'muted' }, 'Ask us about pricing, a trial or your use case.'),
            h('label', { for: 'sl-question' }, 'Your question', question),
            start
        );
        return { focus: () => question.focus() };
    }

    function requestingView() {
        const heading = h('h3', { tabindex: -1 }, 'Finding someone for you…');
        body.append(heading, h('p', { class: 'muted' }, 'One moment.'));
        return { focus: () => heading.focus() };
    }

    function waitingView(state: Extract<VisitorChatState, { state: 'waiting' }>) {
        title.textContent = 'Connecting you…';
        subtitle.textContent = 'A rep has been asked to join.';
        const heading = h('h3', { tabindex: -1 }, 'Waiting for a rep to accept');
        const count = h('div', {
            class: 'countdown',
            role: 'timer',
            'aria-label': 'Seconds left for a rep to accept'
        });
        const fill = h('span');
        const bar = h('div', { class: 'bar', 'aria-hidden': 'true' }, fill);
        const note = h(
            'p',
            { class: 'muted' },
            'If nobody can take it in time, you can book a meeting instead.'
        );
        const update = () => {
            const left = secondsLeft(state.deadline, Date.now());
            count.textContent = String(left);
            fill.style.width = `${Math.min(100, (left / Math.max(1, state.secondsTotal)) * 100)}%`;
            if (left === 0) note.textContent = 'Still looking for someone…';
        };
        update();
        countdownTimer = setInterval(update, 250);
        body.append(heading, count, bar, note);
        return { focus: () => heading.focus() };
    }

    function conversationView(state: Extract<VisitorChatState, { state: 'connected' }>) {
        title.textContent = state.rep.name;
        subtitle.textContent = state.rep.title;
        log = h('ol', {
            class: 'log',
            role: 'log',
            'aria-label': 'Conversation',
            'aria-live': 'polite'
        });
        typingLine = h('div', { class: 'typing', 'aria-live': 'polite' }, repTyping);
        body.append(log, typingLine);
        renderLog();
        const input = h('textarea', {
            'aria-label': 'Message',
            maxlength: 2000,
            placeholder: 'Write a message…'
        });
        let typingSent = false;
        let typingTimer: ReturnType<typeof setTimeout> | undefined;
        const stopTyping = () => {
            if (typingSent) sendSocket({ type: 'typing', typing: false });
            typingSent = false;
        };
        const send = () => {
            const text = input.value.trim();
            if (!text) return;
            const clientMessageId = randomId();
            const pending: ChatMessage = {
                clientMessageId,
                sender: 'Visitor',
                senderName: 'You',
                body: text,
                sentAt: new Date().toISOString()
            };
            stored.messages = mergeMessage(stored.messages, pending);
            save(stored);
            if (!sendSocket({ type: 'message', clientMessageId, body: text.slice(0, 2000) })) {
                // Sent when the socket is back (the gateway de-duplicates by clientMessageId).
                const retry = setInterval(
                    () =>
                        sendSocket({
                            type: 'message',
                            clientMessageId,
                            body: text.slice(0, 2000)
                        }) && clearInterval(retry),
                    1000
                );
            }
            input.value = '';
            stopTyping();
            renderLog();
        };
        input.addEventListener('input', () => {
            if (!typingSent && input.value)
                typingSent = sendSocket({ type: 'typing', typing: true });
            clearTimeout(typingTimer);
            typingTimer = setTimeout(stopTyping, 3000);
        });
        input.addEventListener('keydown', (e) => {
            if (e.key === 'Enter' && !e.shiftKey) {
                e.preventDefault();
                send();
            }
        });
        footer.append(
            h(
                'div',
                { class: 'composer' },
                input,
                h('button', { class: 'primary', type: 'button', onclick: send }, 'Send')
            )
        );
        return { focus: () => input.focus() };
    }

    function renderLog() {
        if (!log) return;
        clear(log);
        for (const m of stored.messages) {
            const mine = m.sender === 'Visitor';
            const cls = m.sender === 'System' ? 'msg sys' : mine ? 'msg me' : 'msg';
            const time = new Date(m.sentAt).toLocaleTimeString([], {
                hour: 'numeric',
                minute: '2-digit'
            });
            const status = mine ? (m.delivered ? ' · Delivered' : ' · Sending…') : '';
            log.append(
                h(
                    'li',
                    { class: cls },
                    h('span', { class: 'sr' }, `${mine ? 'You' : m.senderName}: `),
                    m.body,
                    h(
                        'span',
                        { class: 'meta' },
                        `${mine ? '' : `${m.senderName} · `}${time}${status}`
                    )
                )
            );
        }
        body.scrollTop = body.scrollHeight;
    }

    function endedView() {
        title.textContent = 'Conversation ended';
        subtitle.textContent = 'Thanks for chatting with us.';
        const heading = h('h3', { tabindex: -1 }, 'This conversation has ended');
        log = h('ol', { class: 'log', role: 'log', 'aria-label': 'Conversation' });
        body.append(heading, log);
        renderLog();
        body.append(
            h(
                'button',
                {
                    class: 'link',
                    type: 'button',
                    onclick: () => {
                        requested = false;
                        stored = { open: true, messages: [] };
                        save(stored);
                        chat = { state: 'idle' };
                        render(true);
                    }
                },
                'Start a new conversation'
            )
        );
        return { focus: () => heading.focus() };
    }

    function bookerView(repName: string | null) {
        title.textContent = 'Book a meeting';
        subtitle.textContent = repName ? `with ${repName}` : 'with our team';
        const heading = h('h3', { tabindex: -1 }, 'Nobody could pick up just now');
        const intro = h(
            'p',
            { class: 'muted' },
            'Pick a time that suits you and we will send an invitation.'
        );
        const slotsBox = h(
            'div',
            { class: 'slots', role: 'group', 'aria-label': 'Available times' },
            h('p', { class: 'muted' }, 'Loading available times…')
        );
        const error = h('p', { class: 'error', role: 'alert' });
        const name = h('input', { id: 'sl-name', autocomplete: 'name', required: true });
        const email = h('input', {
            id: 'sl-email',
            type: 'email',
            autocomplete: 'email',
            required: true
        });
        const company = h('input', { id: 'sl-company', autocomplete: 'organization' });
        const submit = h('button', { class: 'primary', type: 'submit' }, 'Book meeting');
        let chosen: string | undefined;
        let rep = repName;
        let timeZone = '';
        const { visitorId, sessionId } = host.ids();

        const loadSlots = async () => {
            clear(slotsBox);
            try {
                const url = new URL('/v1/booker/slots', host.gateway);
                url.search = new URLSearchParams({
                    siteKey: host.siteKey,
                    visitorId,
                    sessionId
                }).toString();
                const response = await fetch(url.href, { credentials: 'omit' });
                if (!response.ok) throw new Error(String(response.status));
                const data = (await response.json()) as BookerSlots;
                rep = data.repName || rep;
                timeZone = data.timeZone;
                subtitle.textContent = rep ? `with ${rep}` : 'with our team';
                const days = slotsByDay(data.slots);
                if (days.length === 0)
                    slotsBox.append(
                        h(
                            'p',
                            { class: 'muted' },
                            'No free times in the next days: leave your details and we will write to you.'
                        )
                    );
                for (const day of days) {
                    const group = h(
                        'div',
                        { class: 'day', role: 'group', 'aria-label': day.day },
                        h('h4', {}, day.day)
                    );
                    for (const slot of day.slots) {
                        const button = h(
                            'button',
                            {
                                class: 'slot',
                                type: 'button',
                                'aria-pressed': 'false',
                                'data-start': slot.start,
                                onclick: () => {
                                    chosen = slot.start;
                                    for (const other of slotsBox.querySelectorAll('.slot'))
                                        other.setAttribute(
                                            'aria-pressed',
                                            String(other === button)
                                        );
                                }
                            },
                            slot.label
                        );
                        group.append(button);
                    }
                    slotsBox.append(group);
                }
            } catch {
                slotsBox.append(
                    h('p', { class: 'error' }, 'The calendar could not be loaded.'),
                    h(
                        'button',
                        { class: 'link', type: 'button', onclick: () => void loadSlots() },
                        'Try again'
                    )
                );
            }
        };
        void loadSlots();

        const form = h(
            'form',
            {
                novalidate: true,
                onsubmit: async (event) => {
                    event.preventDefault();
                    error.textContent = '';
                    if (!chosen) return void (error.textContent = 'Choose a time first.');
                    if (!name.value.trim())
                        return (void (error.textContent = 'Tell us your name.'), name.focus());
                    if (!email.checkValidity() || !email.value.trim())
                        return (
                            void (error.textContent = 'Enter a valid email address.'),
                            email.focus()
                        );
                    submit.disabled = true;
                    try {
                        const response = await fetch(
                            new URL('/v1/booker/book', host.gateway).href,
                            {
                                method: 'POST',
                                credentials: 'omit',
                                headers: { 'content-type': 'application/json' },
                                body: JSON.stringify({
                                    siteKey: host.siteKey,
                                    visitorId,
                                    sessionId,
                                    start: chosen,
                                    email: email.value.trim(),
                                    company: company.value.trim() || undefined,
                                    ...splitName(name.value)
                                })
                            }
                        );
                        if (!response.ok) {
                            const problem = (await response.json().catch(() => ({}))) as {
                                message?: string;
                            };
                            if (response.status === 409) void loadSlots();
                            throw new Error(
                                problem.message || 'That did not work: please try again.'
                            );
                        }
                        confirmation(chosen, email.value.trim(), rep, timeZone);
                    } catch (e) {
                        error.textContent =
                            e instanceof Error && e.message
                                ? e.message
                                : 'That did not work: please try again.';
                        submit.disabled = false;
                    }
                }
            },
            h('label', { for: 'sl-name' }, 'Name', name),
            h('label', { for: 'sl-email' }, 'Work email', email),
            h('label', { for: 'sl-company' }, 'Company', company),
            error,
            submit
        );
        body.append(heading, intro, slotsBox, form);
        return { focus: () => heading.focus() };
    }

    function confirmation(start: string, email: string, rep: string | null, timeZone: string) {
        clear(body);
        const when = new Date(start).toLocaleString([], {
            weekday: 'long',
            month: 'long',
            day: 'numeric',
            hour: 'numeric',
            minute: '2-digit'
        });
        const heading = h('h3', { tabindex: -1 }, 'You are booked');
        body.append(
            heading,
            h('p', {}, `${when}${rep ? ` with ${rep}` : ''}.`),
            h(
                'p',
                { class: 'muted' },
                `An invitation is on its way to ${email}.${timeZone ? ` (${rep ?? 'The rep'} works in ${timeZone}.)` : ''}`
            )
        );
        announce(`Meeting booked for ${when}.`);
        heading.focus();
    }

    render();
    host.onChat(setChat);
    if (stored.conversationId || stored.open) {
        if (stored.conversationId) connect();
        if (stored.open) toggle(true);
    }
}

const pending = (window as unknown as { __sightlineChatHost?: ChatHost }).__sightlineChatHost;
if (pending) {
    try {
        mountChat(pending);
    } catch {
        /* never into the host page */
    }
}
