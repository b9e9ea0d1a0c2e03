/**
 * The panel's views, one per state of the machine: they draw the model and turn what the
 * visitor does into events. They hold no chat state of their own beyond a form's inputs.
 */
import type { ChatHost, VisitorChatState } from '../types';
import { bookerView } from './booker';
import { clear, h } from './dom';
import { countdownText, secondsLeft } from './format';
import type { ChatEvent, ChatModel } from './machine';

/** The panel's fixed parts that views fill. */
export interface PanelFrame {
    panel: HTMLElement;
    title: HTMLElement;
    subtitle: HTMLElement;
    body: HTMLElement;
    footer: HTMLElement;
}

export interface ViewContext extends PanelFrame {
    host: ChatHost;
    dispatch: (event: ChatEvent) => void;
    /** The typing indicator goes straight to the socket; false when it could not be sent. */
    sendTyping: (typing: boolean) => boolean;
    announce: (text: string) => void;
}

export interface Drawn {
    focus?: () => void;
}

export interface ChatViews {
    render(model: ChatModel, moveFocus: boolean): void;
    renderLog(model: ChatModel): void;
    renderTyping(model: ChatModel): void;
}

export function chatViews(ctx: ViewContext): ChatViews {
    const { body, footer, title, subtitle } = ctx;
    let log: HTMLOListElement | undefined;
    let typingLine: HTMLElement | undefined;
    let countdownTimer: ReturnType<typeof setInterval> | undefined;

    function render(model: ChatModel, moveFocus: boolean): void {
        clearInterval(countdownTimer);
        countdownTimer = undefined;
        clear(body);
        clear(footer);
        log = typingLine = undefined;
        const drawn = draw(model);
        if (moveFocus && !ctx.panel.hidden) drawn.focus?.();
    }

    function draw(model: ChatModel): Drawn {
        const chat = model.chat;
        switch (chat.state) {
            case 'waiting':
                return waitingView(chat);
            case 'connected':
                return conversationView(model, chat);
            case 'meeting-booker':
                return bookerView(ctx, chat.repName);
            case 'ended':
                return endedView(model);
            case 'idle':
                return model.requested ? requestingView() : introView();
        }
    }

    function introView(): Drawn {
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
                onclick: () => ctx.dispatch({ type: 'request', question: question.value })
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

    function requestingView(): Drawn {
        const heading = h('h3', { tabindex: -1 }, 'Finding someone for you…');
        body.append(heading, h('p', { class: 'muted' }, 'One moment.'));
        return { focus: () => heading.focus() };
    }

    function waitingView(state: Extract<VisitorChatState, { state: 'waiting' }>): Drawn {
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
            count.textContent = countdownText(left);
            fill.style.width = `${Math.min(100, (left / Math.max(1, state.secondsTotal)) * 100)}%`;
            if (left === 0) note.textContent = 'Still looking for someone…';
        };
        update();
        countdownTimer = setInterval(update, 250);
        body.append(heading, count, bar, note);
        return { focus: () => heading.focus() };
    }

    function conversationView(
        model: ChatModel,
        state: Extract<VisitorChatState, { state: 'connected' }>
    ): Drawn {
        title.textContent = state.rep.name;
        subtitle.textContent = state.rep.title;
        log = h('ol', {
            class: 'log',
            role: 'log',
            'aria-label': 'Conversation',
            'aria-live': 'polite'
        });
        typingLine = h('div', { class: 'typing', 'aria-live': 'polite' }, model.repTyping);
        body.append(log, typingLine);
        renderLog(model);
        const input = h('textarea', {
            'aria-label': 'Message',
            maxlength: 2000,
            placeholder: 'Write a message…'
        });
        let typingSent = false;
        let typingTimer: ReturnType<typeof setTimeout> | undefined;
        const stopTyping = () => {
            if (typingSent) ctx.sendTyping(false);
            typingSent = false;
        };
        const send = () => {
            if (!input.value.trim()) return;
            ctx.dispatch({
                type: 'send',
                clientMessageId: randomId(),
                body: input.value,
                sentAt: new Date().toISOString()
            });
            input.value = '';
            stopTyping();
        };
        input.addEventListener('input', () => {
            if (!typingSent && input.value) typingSent = ctx.sendTyping(true);
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

    function renderLog(model: ChatModel): void {
        if (!log) return;
        clear(log);
        for (const m of model.messages) {
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

    function endedView(model: ChatModel): Drawn {
        title.textContent = 'Conversation ended';
        subtitle.textContent = 'Thanks for chatting with us.';
        const heading = h('h3', { tabindex: -1 }, 'This conversation has ended');
        log = h('ol', { class: 'log', role: 'log', 'aria-label': 'Conversation' });
        body.append(heading, log);
        renderLog(model);
        body.append(
            h(
                'button',
                { class: 'link', type: 'button', onclick: () => ctx.dispatch({ type: 'restart' }) },
                'Start a new conversation'
            )
        );
        return { focus: () => heading.focus() };
    }

    return {
        render,
        renderLog,
        renderTyping(model) {
            if (typingLine) typingLine.textContent = model.repTyping;
        }
    };
}

function randomId(): string {
    const bytes = crypto.getRandomValues(new Uint8Array(16));
    return Array.from(
        bytes,
        (b) => 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-'[b & 63]
    ).join('');
}
