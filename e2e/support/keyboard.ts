/**
 * Driving a page with the keyboard only, and reading where focus really is (through every
 * shadow root on the way), for the keyboard-only end-to-end walks.
 */
import type { Page } from 'playwright-core';
import { until } from './repConsole';

export interface Focused {
    tag: string;
    /** data-id of the element or, failing that, of the component it is inside. */
    dataId: string | null;
    /** The visit id of the card focus is on (or inside). */
    visitorId: string | null;
    /** The stream of that card, or of the stream heading focus is on. */
    streamId: string | null;
    text: string;
}

/** Where focus is, or null when it fell to the page. */
export function focused(page: Page): Promise<Focused | null> {
    return page.evaluate(`(() => {
        let a = document.activeElement;
        while (a && a.shadowRoot && a.shadowRoot.activeElement) a = a.shadowRoot.activeElement;
        if (!a || a === document.body) return null;
        const host = a.getRootNode().host;
        const cardHost = a.getAttribute('data-id') === 'visitor-card' ? host : null;
        return {
            tag: a.tagName.toLowerCase(),
            dataId: a.getAttribute('data-id') || (host && host.getAttribute('data-id')),
            visitorId: a.getAttribute('data-visitor-id'),
            streamId: (cardHost && cardHost.getAttribute('data-stream-id')) || a.getAttribute('data-heading-for'),
            text: (a.getAttribute('aria-label') || a.getAttribute('title') || a.textContent || '').trim().slice(0, 120)
        };
    })()`);
}

/** Whether focus is inside the element named `tagName` (a component host), at any depth. */
export function focusIsInside(page: Page, tagName: string): Promise<boolean> {
    return page.evaluate(`(() => {
        let a = document.activeElement;
        while (a) {
            if (a.tagName === ${JSON.stringify(tagName.toUpperCase())}) return true;
            a = a.shadowRoot && a.shadowRoot.activeElement;
        }
        return false;
    })()`);
}

/** Presses `key` until focus satisfies `want` (at most `max` presses); returns the count. */
export async function pressUntil(
    page: Page,
    key: string,
    want: (f: Focused | null) => boolean,
    max = 60
): Promise<number> {
    for (let presses = 1; presses <= max; presses++) {
        await page.keyboard.press(key);
        if (want(await focused(page))) return presses;
    }
    throw new Error(
        `${key} × ${max} never reached it; focus is on ${JSON.stringify(await focused(page))}`
    );
}

/** Waits until focus satisfies `want` (focus that a render or a handler moves). */
export function waitForFocus(
    page: Page,
    what: string,
    want: (f: Focused | null) => boolean
): Promise<Focused | null> {
    return until(what, () => focused(page), want);
}
