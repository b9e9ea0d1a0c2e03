/** A tiny element builder: enough for the chat panel, no framework shipped to websites. */
type Attrs = Record<string, string | number | boolean | ((event: Event) => void) | undefined>;
type Child = Node | string | null | undefined | false;

export function h<K extends keyof HTMLElementTagNameMap>(
    tag: K,
    attrs: Attrs = {},
    ...children: Child[]
): HTMLElementTagNameMap[K] {
    const el = document.createElement(tag);
    for (const [name, value] of Object.entries(attrs)) {
        if (value === undefined || value === false) continue;
        if (typeof value === 'function') el.addEventListener(name.slice(2).toLowerCase(), value);
        else if (name === 'class') el.className = String(value);
        else el.setAttribute(name, value === true ? '' : String(value));
    }
    for (const child of children) if (child) el.append(child);
    return el;
}

export function clear(el: Element): void {
    while (el.firstChild) el.firstChild.remove();
}
