/**
 * The visitor side of chat, loaded lazily by the tracker: a launcher button and a panel in
 * a shadow root. "Talk to sales" sends a chat request; the panel counts down to the same
 * deadline the rep sees, then shows the conversation (over the visitor socket) or, when
 * nobody accepted in time, the meeting booker. What happens is decided by the state
 * machine (`machine.ts`); this file builds the panel and runs the machine's effects.
 */
import type { ChatHost } from '../types';
import { h } from './dom';
import { initialModel, step, type ChatEffect, type ChatEvent } from './machine';
import { visitorSocket } from './socket';
import { loadChat, saveChat } from './store';
import { STYLES } from './styles';
import { chatViews } from './views';

export function mountChat(host: ChatHost): void {
    const root = h('div', { 'data-sightline': 'chat' });
    const shadow = root.attachShadow({ mode: 'open' });
    shadow.append(h('style', {}, STYLES));
    document.body.append(root);

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
            onclick: () => dispatch({ type: 'toggle' })
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
            onkeydown: (e) =>
                (e as KeyboardEvent).key === 'Escape' && dispatch({ type: 'toggle', open: false })
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
                    onclick: () => dispatch({ type: 'toggle', open: false })
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
    const socket = visitorSocket(host, (frame) => dispatch({ type: 'frame', frame }));
    const views = chatViews({
        panel,
        title,
        subtitle,
        body,
        footer,
        host,
        dispatch,
        sendTyping: (typing) => socket.send({ type: 'typing', typing }),
        announce
    });

    let model = initialModel(loadChat());

    function dispatch(event: ChatEvent): void {
        const next = step(model, event);
        model = next.model;
        for (const effect of next.effects) run(effect);
    }

    function run(effect: ChatEffect): void {
        switch (effect.type) {
            case 'persist':
                return saveChat(effect.stored);
            case 'connect':
                return socket.connect();
            case 'panel':
                panel.hidden = !effect.open;
                launcher.setAttribute('aria-expanded', String(effect.open));
                return;
            case 'render':
                return views.render(model, effect.focus);
            case 'renderLog':
                return views.renderLog(model);
            case 'renderTyping':
                return views.renderTyping(model);
            case 'announce':
                return announce(effect.text);
            case 'requestChat':
                return host.requestChat(effect.question);
            case 'send':
                return void socket.send(effect.message, true);
            case 'focusLauncher':
                return launcher.focus();
        }
    }

    host.open = () => dispatch({ type: 'toggle', open: true });
    dispatch({ type: 'mount' });
    host.onChat((chat) => dispatch({ type: 'chat', chat }));
}

const pending = (window as unknown as { __sightlineChatHost?: ChatHost }).__sightlineChatHost;
if (pending) {
    try {
        mountChat(pending);
    } catch {
        /* never into the host page */
    }
}
