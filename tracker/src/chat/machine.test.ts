import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { VisitorChatState } from '../types';
import { initialModel, step, type ChatEffect, type ChatEvent, type ChatModel } from './machine';

const connected: VisitorChatState = {
    state: 'connected',
    conversationId: 'conv-1',
    rep: { name: 'Ana Souza', title: 'Account Executive' }
};
const booker: VisitorChatState = { state: 'meeting-booker', repName: 'Ana Souza' };

function run(
    model: ChatModel,
    ...events: ChatEvent[]
): { model: ChatModel; effects: ChatEffect[] } {
    let effects: ChatEffect[] = [];
    for (const event of events) {
        const next = step(model, event);
        model = next.model;
        effects = next.effects;
    }
    return { model, effects };
}

const types = (effects: ChatEffect[]) => effects.map((e) => e.type);
const fresh = () => initialModel({ open: false, messages: [] });

describe('chat state machine', () => {
    it('mounts closed and quiet for a first visit, reopened and connected after a reload', () => {
        assert.deepEqual(types(step(fresh(), { type: 'mount' }).effects), ['render']);
        const reloaded = initialModel({ open: true, conversationId: 'conv-1', messages: [] });
        const { effects } = step(reloaded, { type: 'mount' });
        assert.deepEqual(types(effects), ['render', 'connect', 'persist', 'panel', 'render']);
        assert.deepEqual(effects[3], { type: 'panel', open: true });
    });

    it('toggles the panel, persisting it and giving focus back to the launcher on close', () => {
        const opened = step(fresh(), { type: 'toggle' });
        assert.equal(opened.model.open, true);
        assert.deepEqual(opened.effects, [
            { type: 'persist', stored: { open: true, conversationId: undefined, messages: [] } },
            { type: 'panel', open: true },
            { type: 'render', focus: true }
        ]);
        const closed = step(opened.model, { type: 'toggle', open: false });
        assert.equal(closed.model.open, false);
        assert.deepEqual(types(closed.effects), ['persist', 'panel', 'focusLauncher']);
    });

    it('asks the host for a chat with the trimmed question and shows that it is looking', () => {
        const { model, effects } = step(fresh(), { type: 'request', question: '  Pricing?  ' });
        assert.equal(model.requested, true);
        assert.deepEqual(effects, [
            { type: 'requestChat', question: 'Pricing?' },
            { type: 'render', focus: true }
        ]);
    });

    it('opens the panel and announces the rep when the chat is accepted', () => {
        const { model, effects } = step(fresh(), { type: 'chat', chat: connected });
        assert.equal(model.open, true);
        assert.equal(model.conversationId, 'conv-1');
        assert.deepEqual(types(effects), [
            'persist',
            'connect',
            'persist',
            'panel',
            'announce',
            'render'
        ]);
        assert.deepEqual(effects[4], { type: 'announce', text: 'Ana Souza joined the chat.' });
    });

    it('renders nothing again when the same state arrives twice', () => {
        const once = run(fresh(), { type: 'chat', chat: connected });
        const twice = step(once.model, { type: 'chat', chat: { ...connected } });
        assert.deepEqual(types(twice.effects), ['connect']);
    });

    it('offers the booker when nobody accepted in time', () => {
        const waiting: VisitorChatState = {
            state: 'waiting',
            deadline: '2026-01-01T00:00:30Z',
            secondsTotal: 30
        };
        const { model, effects } = run(
            fresh(),
            { type: 'request', question: '' },
            { type: 'chat', chat: waiting },
            { type: 'chat', chat: booker }
        );
        assert.equal(model.open, true);
        assert.ok(
            effects.some(
                (e) =>
                    e.type === 'announce' &&
                    e.text === 'Nobody is free right now: book a meeting instead.'
            )
        );
    });

    it('keeps the question written before the conversation, and empties the log for the next one', () => {
        const asked = run(
            fresh(),
            { type: 'chat', chat: { state: 'waiting', deadline: 'x', secondsTotal: 30 } },
            { type: 'send', clientMessageId: 'c1', body: 'Hello', sentAt: '2026-01-01T00:00:00Z' },
            { type: 'chat', chat: connected }
        );
        assert.deepEqual(
            asked.model.messages.map((m) => m.body),
            ['Hello']
        );
        const next = step(asked.model, {
            type: 'chat',
            chat: { ...connected, conversationId: 'conv-2' }
        });
        assert.deepEqual(next.model.messages, []);
    });

    it('sends a message once, held for the socket, trimmed to the protocol limit', () => {
        const long = `  ${'x'.repeat(2100)}  `;
        const { model, effects } = step(fresh(), {
            type: 'send',
            clientMessageId: 'c1',
            body: long,
            sentAt: '2026-01-01T00:00:00Z'
        });
        assert.equal(model.messages.length, 1);
        assert.equal(model.messages[0]!.delivered, undefined);
        const send = effects.find((e) => e.type === 'send');
        assert.deepEqual(send, {
            type: 'send',
            message: { type: 'message', clientMessageId: 'c1', body: 'x'.repeat(2000) }
        });
        assert.deepEqual(
            step(model, { type: 'send', clientMessageId: 'c2', body: '   ', sentAt: '' }).effects,
            []
        );
    });

    it('marks our message delivered by the echo or the receipt, ignoring receipts of nothing', () => {
        const sent = run(fresh(), {
            type: 'send',
            clientMessageId: 'c1',
            body: 'Hi',
            sentAt: '2026-01-01T00:00:00Z'
        }).model;
        const receipt = step(sent, {
            type: 'frame',
            frame: { type: 'delivered', clientMessageId: 'c1', id: 'm1' }
        });
        assert.equal(receipt.model.messages[0]!.delivered, true);
        assert.equal(receipt.model.messages[0]!.id, 'm1');
        const stray = step(sent, {
            type: 'frame',
            frame: { type: 'delivered', clientMessageId: 'nope', id: 'm9' }
        });
        assert.equal(stray.model, sent);
        assert.deepEqual(stray.effects, []);
    });

    it("shows the rep typing, then the rep's message, announced and clearing the typing line", () => {
        const typing = step(fresh(), {
            type: 'frame',
            frame: { type: 'typing', typing: true, senderName: 'Ana' }
        });
        assert.equal(typing.model.repTyping, 'Ana is typing…');
        const message = step(typing.model, {
            type: 'frame',
            frame: {
                type: 'message',
                id: 'm2',
                sender: 'Rep',
                senderName: 'Ana',
                body: 'Hello!',
                sentAt: '2026-01-01T00:00:05Z'
            }
        });
        assert.equal(message.model.repTyping, '');
        assert.deepEqual(types(message.effects), [
            'persist',
            'renderLog',
            'renderTyping',
            'announce'
        ]);
        assert.deepEqual(message.effects[3], { type: 'announce', text: 'Ana: Hello!' });
    });

    it('announces errors from the gateway and changes nothing else', () => {
        const model = fresh();
        const { model: after, effects } = step(model, {
            type: 'frame',
            frame: { type: 'error', message: 'Too many messages.' }
        });
        assert.equal(after, model);
        assert.deepEqual(effects, [{ type: 'announce', text: 'Too many messages.' }]);
    });

    it('starts a new conversation after one ended, with an empty log and the panel open', () => {
        const ended = run(
            fresh(),
            { type: 'chat', chat: connected },
            { type: 'chat', chat: { state: 'ended', conversationId: 'conv-1' } }
        ).model;
        const { model, effects } = step(ended, { type: 'restart' });
        assert.deepEqual(model, initialModel({ open: true, messages: [] }));
        assert.deepEqual(effects, [
            { type: 'persist', stored: { open: true, conversationId: undefined, messages: [] } },
            { type: 'render', focus: true }
        ]);
    });
});
