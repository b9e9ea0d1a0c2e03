/**
 * The meeting booker, shown when nobody accepted the chat in time: the rep's free slots
 * from the gateway, a short form, and the confirmation. Its requests are its own (plain
 * HTTP to the gateway); the chat machine only decides that it is shown.
 */
import type { BookerSlots } from '../types';
import { clear, h } from './dom';
import { slotsByDay, splitName } from './format';
import type { Drawn, ViewContext } from './views';

export function bookerView(ctx: ViewContext, repName: string | null): Drawn {
    const { host, body, title, subtitle } = ctx;
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
                                    other.setAttribute('aria-pressed', String(other === button));
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
                    const response = await fetch(new URL('/v1/booker/book', host.gateway).href, {
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
                    });
                    if (!response.ok) {
                        const problem = (await response.json().catch(() => ({}))) as {
                            message?: string;
                        };
                        if (response.status === 409) void loadSlots();
                        throw new Error(problem.message || 'That did not work: please try again.');
                    }
                    confirmation(ctx, chosen, email.value.trim(), rep, timeZone);
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

function confirmation(
    { body, announce }: ViewContext,
    start: string,
    email: string,
    rep: string | null,
    timeZone: string
): void {
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
