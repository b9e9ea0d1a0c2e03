/**
 * Keyboard and screen-reader support for the rep console, apart from the components so it
 * can be tested on its own: where focus goes when a live update removes the focused card,
 * roving focus between the cards of a stream, the Visitor 360's focus trap, and the
 * throttled announcement of arrivals and departures.
 *
 * Nothing here moves focus on its own initiative: live updates only ever *restore* focus
 * that an update took away, so a keyboard user never loses their place.
 */

// ---- where focus goes when the focused card leaves ----

/**
 * The card to focus when `goneId` has left `before` (a stream's cards in order) and
 * `isPresent` says which cards are still shown: the next card after it in the stream that
 * is still there, else the nearest one before it, else none (the caller focuses the
 * stream's heading).
 */
export function neighbourOf(
    before: readonly string[],
    goneId: string,
    isPresent: (id: string) => boolean
): string | undefined {
    const at = before.indexOf(goneId);
    if (at < 0) return undefined;
    for (let i = at + 1; i < before.length; i++) if (isPresent(before[i]!)) return before[i];
    for (let i = at - 1; i >= 0; i--) if (isPresent(before[i]!)) return before[i];
    return undefined;
}

// ---- roving focus within a stream ----

export type RovingMove = 'previous' | 'next' | 'first' | 'last' | 'previous-stream' | 'next-stream';

/** The move a key asks for, or undefined when the key is not the board's to handle. */
export function rovingMove(
    event: Pick<KeyboardEvent, 'key' | 'altKey' | 'ctrlKey' | 'metaKey' | 'shiftKey'>
): RovingMove | undefined {
    if (event.altKey || event.ctrlKey || event.metaKey || event.shiftKey) return undefined;
    switch (event.key) {
        case 'ArrowDown':
            return 'next';
        case 'ArrowUp':
            return 'previous';
        case 'Home':
            return 'first';
        case 'End':
            return 'last';
        case 'ArrowRight':
            return 'next-stream';
        case 'ArrowLeft':
            return 'previous-stream';
        default:
            return undefined;
    }
}

/** The index a move lands on in a list of `count` cards (stops at the ends, no wrap). */
export function movedIndex(move: RovingMove, current: number, count: number): number {
    if (count <= 0) return -1;
    const from = Math.min(Math.max(current, 0), count - 1);
    switch (move) {
        case 'next':
            return Math.min(from + 1, count - 1);
        case 'previous':
            return Math.max(from - 1, 0);
        case 'first':
            return 0;
        case 'last':
            return count - 1;
        default:
            return from;
    }
}

/**
 * Which card of each stream is the one in the tab order: the remembered one while it is
 * still in its stream, else the stream's first card. One tab stop per stream, so Tab moves
 * between streams and the arrow keys between cards.
 */
export function tabStops(
    streams: readonly { id: string; visitorIds: readonly string[] }[],
    remembered: ReadonlyMap<string, string>
): Map<string, string> {
    const stops = new Map<string, string>();
    for (const stream of streams) {
        const wanted = remembered.get(stream.id);
        const stop = wanted && stream.visitorIds.includes(wanted) ? wanted : stream.visitorIds[0];
        if (stop) stops.set(stream.id, stop);
    }
    return stops;
}

// ---- the dialog's focus trap ----

const TABBABLE =
    'a[href], button, input, select, textarea, iframe, [tabindex], [contenteditable="true"]';

function isTabbable(element: Element): element is HTMLElement {
    const el = element as HTMLElement & { disabled?: boolean };
    if (!el.matches?.(TABBABLE)) return false;
    if (el.tabIndex < 0 || el.disabled) return false;
    if (el.closest('[hidden]') || el.getAttribute('aria-hidden') === 'true') return false;
    return true;
}

/**
 * The tabbable elements under `root` in document order, looking inside components' shadow
 * trees (a `lightning-button`'s `<button>` lives in its own). Elements marked
 * `data-focus-trap` (the trap's sentinels) are left out.
 */
export function tabbablesIn(root: ParentNode): HTMLElement[] {
    const found: HTMLElement[] = [];
    const visit = (element: Element) => {
        if (isTabbable(element) && !(element as HTMLElement).dataset?.focusTrap)
            found.push(element);
        const shadow = (element as HTMLElement).shadowRoot;
        if (shadow) for (const child of Array.from(shadow.children)) visit(child);
        for (const child of Array.from(element.children)) visit(child);
    };
    for (const child of Array.from(root.children)) visit(child);
    return found;
}

/**
 * Focuses the first element of `candidates` that takes focus (a hidden one silently
 * refuses) and says whether one did. `activeOf` reads where focus is now.
 */
export function focusFirstOf(
    candidates: readonly HTMLElement[],
    activeOf: (el: HTMLElement) => boolean
): boolean {
    for (const el of candidates) {
        el.focus();
        if (activeOf(el)) return true;
    }
    return false;
}

/** Whether focus is on `el` itself, seen through every shadow root on the way. */
export function hasFocus(el: HTMLElement): boolean {
    let active: Element | null = document.activeElement;
    while (active) {
        if (active === el) return true;
        active = active.shadowRoot?.activeElement ?? null;
    }
    return false;
}

/** Whether focus has fallen to the page itself (nothing focused). */
export function focusIsLost(): boolean {
    const active = document.activeElement;
    return !active || active === document.body || active === document.documentElement;
}

// ---- announcements ----

/** "2 visitors arrived, 1 left" — or empty when nothing changed. */
export function arrivalsText(arrived: number, left: number): string {
    const parts: string[] = [];
    if (arrived > 0)
        parts.push(arrived === 1 ? '1 visitor arrived' : `${arrived} visitors arrived`);
    if (left > 0) parts.push(left === 1 ? '1 visitor left' : `${left} visitors left`);
    return parts.join(', ');
}

/** "Acme Corp asks to chat: 30 seconds to answer." */
export function chatRequestText(name: string, secondsLeft: number): string {
    const seconds = secondsLeft === 1 ? '1 second' : `${secondsLeft} seconds`;
    return `${name} asks to chat: ${seconds} to answer. Start a conversation from the card.`;
}

/**
 * Counts arrivals and departures and lets them out at most once per `intervalMs`, so a
 * busy stream does not chatter: the first change is said at once, later ones are summed
 * until the interval has passed. `say` receives the text; the caller owns the timer.
 */
export class ArrivalAnnouncer {
    private arrived = 0;
    private left = 0;
    private lastSaidAt = Number.NEGATIVE_INFINITY;
    private timer: ReturnType<typeof setTimeout> | undefined;

    constructor(
        private readonly say: (text: string) => void,
        private readonly intervalMs: number,
        private readonly now: () => number = Date.now
    ) {}

    /** Records the visitors shown before and after an update. */
    record(before: readonly string[], after: readonly string[]): void {
        const was = new Set(before);
        const is = new Set(after);
        let arrived = 0;
        let left = 0;
        for (const id of is) if (!was.has(id)) arrived += 1;
        for (const id of was) if (!is.has(id)) left += 1;
        if (arrived === 0 && left === 0) return;
        this.arrived += arrived;
        this.left += left;
        this.schedule();
    }

    dispose(): void {
        clearTimeout(this.timer);
        this.timer = undefined;
    }

    private schedule(): void {
        if (this.timer) return;
        const wait = Math.max(0, this.lastSaidAt + this.intervalMs - this.now());
        if (wait === 0) {
            this.flush();
            return;
        }
        // eslint-disable-next-line @lwc/lwc/no-async-operation
        this.timer = setTimeout(() => {
            this.timer = undefined;
            this.flush();
        }, wait);
    }

    private flush(): void {
        const text = arrivalsText(this.arrived, this.left);
        this.arrived = 0;
        this.left = 0;
        if (!text) return;
        this.lastSaidAt = this.now();
        this.say(text);
    }
}

// ---- a board of streams: roving focus and focus kept through live updates ----

export interface StreamCards {
    id: string;
    visitorIds: readonly string[];
}

/**
 * The keyboard side of a board of streams (the live view's columns, the list view's
 * groups), used by a component over its own template. The template marks each card host
 * `data-visitor-id` + `data-stream-id` and each stream heading `data-heading-for` (with
 * `tabindex="-1"`). The component calls `stops()` to mark cards outside the tab order,
 * forwards focusin / focusout / keydown, and calls `afterRender()` from renderedCallback.
 */
export class StreamFocus {
    /** The card each stream puts in the tab order (the last one used there). */
    private remembered = new Map<string, string>();
    /** The focused card and its stream, while focus is on the board. */
    private focused: { visitId: string; streamId: string } | undefined;
    /** Each stream's cards as last rendered: where the neighbours of a gone card are. */
    private lastRendered = new Map<string, readonly string[]>();
    private focusedBeforeRender = false;

    constructor(
        private readonly root: () => ParentNode | null,
        /** Called when the tab stops changed, so the component re-renders. */
        private readonly onStopsChanged: () => void
    ) {}

    stops(streams: readonly StreamCards[]): Map<string, string> {
        return tabStops(streams, this.remembered);
    }

    handleFocusIn(event: Event): void {
        const card = this.cardOf(event.target);
        if (!card) return;
        this.focused = card;
        if (this.remembered.get(card.streamId) !== card.visitId) {
            this.remembered = new Map(this.remembered).set(card.streamId, card.visitId);
            this.onStopsChanged();
        }
    }

    /** Focus going somewhere else on purpose (not into the void of a removed card). */
    handleFocusOut(event: FocusEvent): void {
        if (event.relatedTarget && !this.cardOf(event.relatedTarget)) this.focused = undefined;
    }

    /** Arrow keys, Home and End between cards; left and right between streams. */
    handleKeydown(event: KeyboardEvent, streams: readonly StreamCards[]): void {
        const move = rovingMove(event);
        const card = move && this.cardOf(event.target);
        if (!move || !card) return;
        const at = streams.findIndex((s) => s.id === card.streamId);
        const stream = streams[at];
        if (!stream) return;
        let target: { visitId: string; streamId: string } | undefined;
        if (move === 'next-stream' || move === 'previous-stream') {
            const step = move === 'next-stream' ? 1 : -1;
            for (let i = at + step; i >= 0 && i < streams.length; i += step) {
                const stop = this.stops([streams[i]!]).get(streams[i]!.id);
                if (stop) {
                    target = { visitId: stop, streamId: streams[i]!.id };
                    break;
                }
            }
        } else {
            const index = movedIndex(
                move,
                stream.visitorIds.indexOf(card.visitId),
                stream.visitorIds.length
            );
            const visitId = stream.visitorIds[index];
            if (visitId) target = { visitId, streamId: stream.id };
        }
        event.preventDefault();
        if (target) this.focusCard(target.visitId);
    }

    /**
     * After a render: if the focused card left its stream (gone, or moved to another) and
     * focus fell to the page, focus its neighbour in that stream, else the stream heading.
     */
    afterRender(streams: readonly StreamCards[]): void {
        const focused = this.focused;
        const hadFocus = this.focusedBeforeRender;
        this.focusedBeforeRender = false;
        if (focused) {
            const stream = streams.find((s) => s.id === focused.streamId);
            const stillThere = stream?.visitorIds.includes(focused.visitId) ?? false;
            if (stillThere && hadFocus && focusIsLost()) {
                // The render moved the card's node (a keyed list reordered), which blurs it.
                this.focusCard(focused.visitId);
            } else if (!stillThere && focusIsLost()) {
                const before = this.lastRendered.get(focused.streamId) ?? [];
                const present = new Set(stream?.visitorIds ?? []);
                const next = neighbourOf(before, focused.visitId, (id) => present.has(id));
                if (!(next && this.focusCard(next))) this.focusHeading(focused.streamId);
            }
        }
        this.lastRendered = new Map(streams.map((s) => [s.id, s.visitorIds]));
    }

    /**
     * Called while the component renders (from the getter the template reads), before the
     * DOM changes: notes whether the focused card has focus, so a render that blurs it
     * (moving its node) can give it back.
     */
    beforeRender(): void {
        const active = (this.root() as (ParentNode & { activeElement?: Element | null }) | null)
            ?.activeElement as HTMLElement | null | undefined;
        this.focusedBeforeRender =
            Boolean(this.focused) && active?.dataset?.visitorId === this.focused?.visitId;
    }

    /** Focuses a card on this board; false when it is not here. */
    focusCard(visitId: string): boolean {
        const host = this.root()?.querySelector(`[data-visitor-id="${cssEscape(visitId)}"]`) as
            (HTMLElement & { focus(): void }) | null;
        if (!host) return false;
        host.focus();
        return true;
    }

    /** Focuses a stream's heading (the place to land when its last card left). */
    focusHeading(streamId: string): boolean {
        const heading = this.root()?.querySelector(
            `[data-heading-for="${cssEscape(streamId)}"]`
        ) as HTMLElement | null;
        if (!heading) return false;
        this.focused = undefined;
        heading.focus();
        return true;
    }

    private cardOf(target: EventTarget | null): { visitId: string; streamId: string } | undefined {
        const el = target as HTMLElement | null;
        const host = el?.closest?.('[data-visitor-id]') as HTMLElement | null | undefined;
        const visitId = host?.dataset.visitorId;
        const streamId = host?.dataset.streamId;
        return visitId && streamId ? { visitId, streamId } : undefined;
    }
}

function cssEscape(value: string): string {
    return value.replace(/["\\]/g, '\\$&');
}
