/** Beacon → rep's screen, measured in the page (the console and live-socket benchmarks). */

/**
 * `window.__benchLatencies`: send time → the first time a title "bench-<send time>" appeared on
 * screen, seen by MutationObservers on every shadow root (the cards render in their own).
 */
export const LATENCY_SCRIPT = `(function () {
    var seen = window.__benchLatencies = {};
    var observed = new WeakSet();
    var observer = new MutationObserver(function (records) {
        var now = performance.timeOrigin + performance.now();
        records.forEach(function (r) {
            note(r.target.textContent, now);
            r.addedNodes.forEach(function (n) { if (n.nodeType === 1) watch(n); });
        });
    });
    function note(text, now) {
        var re = /bench-(\\d{13})/g, m;
        while ((m = re.exec(text || ''))) if (!(m[1] in seen)) seen[m[1]] = now;
    }
    function watch(root) {
        var all = root.querySelectorAll ? root.querySelectorAll('*') : [];
        if (root.shadowRoot) all = [root].concat(Array.prototype.slice.call(all));
        Array.prototype.forEach.call(all, function (el) {
            if (el.shadowRoot && !observed.has(el.shadowRoot)) {
                observed.add(el.shadowRoot);
                note(el.shadowRoot.textContent, performance.timeOrigin + performance.now());
                observer.observe(el.shadowRoot, { subtree: true, childList: true, characterData: true });
                watch(el.shadowRoot);
            }
        });
    }
    watch(document);
})();`;
