/**
 * The visitor's chat as a pure state machine: `step(model, event)` gives the next model
 * and the effects to run (render, persist, talk to the gateway). No DOM, socket, storage
 * or clock here, so every transition is tested under Node; `chat.ts` runs the effects.
 */
import type { GatewayToVisitor, VisitorChatState, VisitorSocketMessageInput } from '../types';
import { mergeMessage, type ChatMessage } from './format';

/** What survives a page load (localStorage): the panel, the conversation, its messages. */
export interface StoredChat {
    open: boolean;
    conversationId?: string;
    messages: ChatMessage[];
}

export interface ChatModel extends StoredChat {
    /** The gateway's word on this visitor's chat. */
    chat: VisitorChatState;
    /** "Talk to sales" was pressed and the gateway has not answered yet. */
    requested: boolean;
    /** "Ana is typing…", or empty. */
    repTyping: string;
}

export type ChatEvent =
    /** The chunk has loaded: reopen what the visitor had open before the page load. */
    | { type: 'mount' }
    /** The launcher, the close button or Escape; `open` omitted flips the panel. */
    | { type: 'toggle'; open?: boolean }
    | { type: 'request'; question: string }
    /** A chat state from a collect response or the socket. */
    | { type: 'chat'; chat: VisitorChatState }
    /** Any other frame of the visitor socket. */
    | { type: 'frame'; frame: GatewayToVisitor }
    | { type: 'send'; clientMessageId: string; body: string; sentAt: string }
    /** "Start a new conversation" after one ended. */
    | { type: 'restart' };

export type ChatEffect =
    | { type: 'persist'; stored: StoredChat }
    | { type: 'connect' }
    | { type: 'panel'; open: boolean }
    /** The whole view again; `focus` moves focus into it (the visitor acted). */
    | { type: 'render'; focus: boolean }
    | { type: 'renderLog' }
    | { type: 'renderTyping' }
    | { type: 'announce'; text: string }
    | { type: 'requestChat'; question: string }
    /** Sent now, or when the socket is back (the gateway de-duplicates by clientMessageId). */
    | { type: 'send'; message: VisitorSocketMessageInput }
    | { type: 'focusLauncher' };

export interface Step {
    model: ChatModel;
    effects: ChatEffect[];
}

/** The body limit of the visitor protocol. */
const MAX_BODY = 2000;

export function initialModel(stored: StoredChat): ChatModel {
    return { ...stored, chat: { state: 'idle' }, requested: false, repTyping: '' };
}

function persist(model: ChatModel): ChatEffect {
    const { open, conversationId, messages } = model;
    return { type: 'persist', stored: { open, conversationId, messages } };
}

/** Opens or closes the panel; opening renders, closing gives focus back to the launcher. */
function toggle(model: ChatModel, open: boolean): Step {
    const next = { ...model, open };
    return {
        model: next,
        effects: [
            persist(next),
            { type: 'panel', open },
            open ? { type: 'render', focus: true } : { type: 'focusLauncher' }
        ]
    };
}

function onChat(model: ChatModel, chat: VisitorChatState): Step {
    const changed = JSON.stringify(chat) !== JSON.stringify(model.chat);
    let next: ChatModel = { ...model, chat };
    const effects: ChatEffect[] = [];
    if (chat.state === 'connected' && model.conversationId !== chat.conversationId) {
        // A new conversation starts with an empty log, unless the messages were written
        // before any conversation existed (the question asked with the request).
        next = {
            ...next,
            conversationId: chat.conversationId,
            messages: model.conversationId ? [] : model.messages
        };
        effects.push(persist(next));
    }
    if (chat.state !== 'idle') effects.push({ type: 'connect' });
    const mustShow = chat.state === 'connected' || chat.state === 'meeting-booker';
    if (mustShow && !next.open) {
        const opened = toggle(next, true);
        next = opened.model;
        effects.push(...opened.effects.filter((e) => e.type !== 'render' || !changed));
    }
    if (changed) {
        if (chat.state === 'connected')
            effects.push({ type: 'announce', text: `${chat.rep.name} joined the chat.` });
        if (chat.state === 'meeting-booker')
            effects.push({
                type: 'announce',
                text: 'Nobody is free right now: book a meeting instead.'
            });
        effects.push({ type: 'render', focus: true });
    }
    return { model: next, effects };
}

function onFrame(model: ChatModel, frame: GatewayToVisitor): Step {
    switch (frame.type) {
        case 'chat':
            return onChat(model, frame.chat);
        case 'message': {
            const mine = frame.sender === 'Visitor';
            const next = {
                ...model,
                messages: mergeMessage(model.messages, { ...frame, delivered: true }),
                repTyping: mine ? model.repTyping : ''
            };
            const effects: ChatEffect[] = [persist(next), { type: 'renderLog' }];
            if (!mine)
                effects.push(
                    { type: 'renderTyping' },
                    { type: 'announce', text: `${frame.senderName}: ${frame.body}` }
                );
            return { model: next, effects };
        }
        case 'delivered': {
            const known = model.messages.find((m) => m.clientMessageId === frame.clientMessageId);
            if (!known) return { model, effects: [] };
            const next = {
                ...model,
                messages: mergeMessage(model.messages, { ...known, id: frame.id, delivered: true })
            };
            return { model: next, effects: [persist(next), { type: 'renderLog' }] };
        }
        case 'typing':
            return {
                model: {
                    ...model,
                    repTyping: frame.typing ? `${frame.senderName} is typing…` : ''
                },
                effects: [{ type: 'renderTyping' }]
            };
        case 'error':
            return { model, effects: [{ type: 'announce', text: frame.message }] };
    }
}

export function step(model: ChatModel, event: ChatEvent): Step {
    switch (event.type) {
        case 'mount': {
            const effects: ChatEffect[] = [{ type: 'render', focus: false }];
            if (model.conversationId) effects.push({ type: 'connect' });
            if (!model.open) return { model, effects };
            const opened = toggle(model, true);
            return { model: opened.model, effects: [...effects, ...opened.effects] };
        }
        case 'toggle':
            return toggle(model, event.open ?? !model.open);
        case 'request':
            return {
                model: { ...model, requested: true },
                effects: [
                    { type: 'requestChat', question: event.question.trim() },
                    { type: 'render', focus: true }
                ]
            };
        case 'chat':
            return onChat(model, event.chat);
        case 'frame':
            return onFrame(model, event.frame);
        case 'send': {
            const body = event.body.trim().slice(0, MAX_BODY);
            if (!body) return { model, effects: [] };
            const pending: ChatMessage = {
                clientMessageId: event.clientMessageId,
                sender: 'Visitor',
                senderName: 'You',
                body,
                sentAt: event.sentAt
            };
            const next = { ...model, messages: mergeMessage(model.messages, pending) };
            return {
                model: next,
                effects: [
                    persist(next),
                    {
                        type: 'send',
                        message: { type: 'message', clientMessageId: event.clientMessageId, body }
                    },
                    { type: 'renderLog' }
                ]
            };
        }
        case 'restart': {
            const next: ChatModel = {
                open: true,
                messages: [],
                chat: { state: 'idle' },
                requested: false,
                repTyping: ''
            };
            return { model: next, effects: [persist(next), { type: 'render', focus: true }] };
        }
    }
}
