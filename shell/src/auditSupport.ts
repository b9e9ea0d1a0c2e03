/**
 * Accessibility scans in the local shell. axe-core resolves `id` references (a label's
 * `for`, `aria-labelledby`, `aria-describedby`) through the element's root node, as native
 * shadow roots allow. Under @lwc/synthetic-shadow (Lightning Experience's mode, which the
 * shell copies) `ShadowRoot.getElementById` throws "Disallowed method", so axe gives up on
 * colour contrast and id references and leaves them unmeasured.
 *
 * The shell keeps refusing `getElementById` on a shadow root, as the platform does, so
 * product code that relied on it would fail here as it would in an org. Only for the length
 * of a scan (`begin()` … `end()`) do shadow roots answer it: the element with that id in this
 * shadow tree (the id as rendered, which LWC makes unique), else the one elsewhere in the
 * document. Synthetic shadow roots are not real ones: every element is in the one document,
 * and assistive technology resolves an id reference across component boundaries, as the base
 * components rely on (lightning-combobox describes its button by the help text of its own
 * template, one component up).
 */
export interface ShellAudit {
    begin(): void;
    end(): void;
}

declare global {
    interface Window {
        sightlineShellAudit?: ShellAudit;
    }
}

export function installAuditSupport(win: Window, someShadowRoot: () => ShadowRoot | null): void {
    let saved: { proto: object; descriptor: PropertyDescriptor } | undefined;
    win.sightlineShellAudit = {
        begin() {
            if (saved) return;
            const root = someShadowRoot();
            if (!root) throw new Error('No shadow root on the page yet');
            const proto = Object.getPrototypeOf(root) as object;
            const descriptor = Object.getOwnPropertyDescriptor(proto, 'getElementById');
            if (!descriptor) return; // Native shadow roots: nothing to lend.
            saved = { proto, descriptor };
            Object.defineProperty(proto, 'getElementById', {
                configurable: true,
                writable: true,
                value(this: ShadowRoot, id: string): Element | null {
                    const selector = `[id="${id.replace(/["\\]/g, '\\$&')}"]`;
                    return this.querySelector(selector) ?? elementInDocument(win.document, id);
                }
            });
        },
        end() {
            if (!saved) return;
            Object.defineProperty(saved.proto, 'getElementById', saved.descriptor);
            saved = undefined;
        }
    };
}

/**
 * The element with this id anywhere in the document, shadow trees included. Synthetic shadow
 * hides shadow-owned elements from `document.getElementById`; an XPath lookup sees the DOM
 * as the browser (and its accessibility tree) does.
 */
function elementInDocument(doc: Document, id: string): Element | null {
    const literal = id.includes('"') ? `'${id}'` : `"${id}"`;
    const found = doc.evaluate(
        `//*[@id=${literal}]`,
        doc,
        null,
        XPathResult.FIRST_ORDERED_NODE_TYPE,
        null
    ).singleNodeValue;
    return found instanceof Element ? found : null;
}
