/**
 * axe-core in the page: the WCAG 2.0/2.1 A and AA rules, run against the whole document
 * (axe walks open shadow roots). A scan fails on any serious or critical violation and on
 * any check axe could not finish ("incomplete"), so nothing is left unmeasured; and on any
 * violation at all of the rules on roles and landmarks (axe's best practices, rated minor
 * or moderate), which a screen reader's user navigates by.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';

const AXE_SOURCE = readFileSync(
    createRequire(import.meta.url).resolve('axe-core/axe.min.js'),
    'utf8'
);
export const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];
/**
 * Roles and landmarks: a role the element may not take (a stream column once was a
 * `section` with `role="listitem"`), and landmarks a page may have one of, or only at its
 * top level (the visitor's chat once added a second `banner` to the customer's page).
 * `landmark-one-main` is left out: a scan of an open dialog alone has no `main`.
 */
export const ROLE_AND_LANDMARK_RULES = [
    'aria-allowed-role',
    'landmark-banner-is-top-level',
    'landmark-complementary-is-top-level',
    'landmark-contentinfo-is-top-level',
    'landmark-main-is-top-level',
    'landmark-no-duplicate-banner',
    'landmark-no-duplicate-contentinfo',
    'landmark-no-duplicate-main',
    'landmark-unique'
];

export interface AxeFinding {
    rule: string;
    impact: string | null;
    help: string;
    nodes: { target: string; summary: string }[];
}

export interface AxeReport {
    /** Serious or critical violations, and any of the role and landmark rules. */
    violations: AxeFinding[];
    /** Rules whose checks could not finish on some node. */
    incomplete: AxeFinding[];
}

interface RawResult {
    id: string;
    impact?: string | null;
    help: string;
    nodes: { target: unknown[]; failureSummary?: string; any?: { message: string }[] }[];
}

/**
 * Lets every line of text be measured: vertical scroll containers (a stream column, the
 * dry-run list, the 360's body) are opened to their full height and the window made as
 * tall as the page, for the length of the scan. axe reads colours from what is painted,
 * so text scrolled out of a container or below the window would otherwise go unmeasured
 * (silently when wholly hidden, "partially obscured" at the edge). Colours do not depend
 * on the scroll position, so nothing is forgiven this way.
 */
const UNCLIP = `(() => {
    const saved = [];
    const visit = (root) => {
        for (const el of root.querySelectorAll('*')) {
            const style = getComputedStyle(el);
            if ((style.overflowY === 'auto' || style.overflowY === 'scroll') && el.scrollHeight > el.clientHeight + 1) {
                saved.push([el, el.getAttribute('style')]);
                el.style.setProperty('overflow-y', 'visible', 'important');
                el.style.setProperty('max-height', 'none', 'important');
                el.style.setProperty('height', 'auto', 'important');
            }
            if (el.shadowRoot) visit(el.shadowRoot);
        }
    };
    visit(document);
    window.__axeUnclipped = saved;
    let bottom = document.documentElement.scrollHeight;
    for (const [el] of saved) bottom = Math.max(bottom, el.getBoundingClientRect().bottom + window.scrollY);
    return Math.ceil(bottom);
})()`;
const RECLIP = `(() => {
    for (const [el, style] of window.__axeUnclipped || []) {
        if (style === null) el.removeAttribute('style'); else el.setAttribute('style', style);
    }
    window.__axeUnclipped = [];
})()`;

/**
 * Scans the page, or only `include` (axe's context: an array of selector paths, one
 * selector per shadow root on the way, e.g. a menu that covers other text while open).
 */
export async function scanWithAxe(page: Page, include?: string[][]): Promise<AxeReport> {
    const hasAxe = await page.evaluate(() => 'axe' in window);
    if (!hasAxe) await page.addScriptTag({ content: AXE_SOURCE });
    // Colours are read from the screen: let opening transitions finish (looping ones, such
    // as the Live pulse, never do and are left running).
    await page.evaluate(`Promise.all(
        document.getAnimations()
            .filter((a) => a.effect && a.effect.getComputedTiming().iterations !== Infinity)
            .map((a) => a.finished.catch(() => undefined))
    )`);
    const viewport = page.viewportSize();
    const fullHeight = await page.evaluate<number>(UNCLIP);
    if (viewport && fullHeight > viewport.height)
        await page.setViewportSize({ width: viewport.width, height: Math.min(fullHeight, 12000) });
    try {
        return await runAxe(page, include);
    } finally {
        await page.evaluate(RECLIP);
        if (viewport) await page.setViewportSize(viewport);
    }
}

/**
 * Under @lwc/synthetic-shadow (Lightning Experience's mode, which the local shell copies)
 * `ShadowRoot.getElementById` throws "Disallowed method". axe resolves `id` references (a
 * label's `for`, `aria-labelledby`, `aria-describedby`) through the element's root node,
 * as native shadow roots allow, so without help it gives up on colour contrast and id
 * references and leaves them unmeasured, on an org as in the shell.
 *
 * The scan, not the shell, lends synthetic shadow roots a native-like `getElementById`
 * (the element with that id in this shadow tree, the id as rendered, which LWC makes
 * unique) for the length of the scan and takes it back after: the shell keeps refusing it
 * exactly as the platform does, and the same scan would run on an org's page. A page with
 * native shadow roots only (the demo website) needs nothing lent.
 */
const LEND_GET_ELEMENT_BY_ID = `(() => {
    const host = [...document.querySelectorAll('*')].find((el) => el.shadowRoot);
    if (!host) return;
    const proto = Object.getPrototypeOf(host.shadowRoot);
    const refusing = Object.getOwnPropertyDescriptor(proto, 'getElementById');
    if (!refusing) return; // a native shadow root answers it already
    window.__axeLent = { proto, refusing };
    Object.defineProperty(proto, 'getElementById', {
        configurable: true,
        writable: true,
        value(id) {
            return this.querySelector('[id="' + String(id).replace(/["\\\\]/g, '\\\\$&') + '"]');
        }
    });
})()`;
const TAKE_BACK_GET_ELEMENT_BY_ID = `(() => {
    const lent = window.__axeLent;
    if (lent) Object.defineProperty(lent.proto, 'getElementById', lent.refusing);
    window.__axeLent = undefined;
})()`;

async function runAxe(page: Page, include: string[][] | undefined): Promise<AxeReport> {
    await page.evaluate(LEND_GET_ELEMENT_BY_ID);
    let raw: { violations: unknown[]; incomplete: unknown[]; roles: unknown[] };
    try {
        raw = await page.evaluate(
            async ({ tags, roleRules, include }) => {
                const win = window as unknown as {
                    axe: {
                        run: (...args: unknown[]) => Promise<unknown>;
                        _audit: { checks: Record<string, { options: Record<string, unknown> }> };
                    };
                };
                const context = include ? { include } : document;
                const wcag = (await win.axe.run(context, {
                    runOnly: { type: 'tag', values: tags },
                    // Measure short text too (a count on a map dot, "S"), instead of skipping it.
                    // (Options given here replace the check's defaults, so they are spread in.)
                    checks: {
                        'color-contrast': {
                            options: {
                                ...win.axe._audit.checks['color-contrast']!.options,
                                ignoreLength: true
                            }
                        }
                    },
                    resultTypes: ['violations', 'incomplete']
                })) as { violations: unknown[]; incomplete: unknown[] };
                const roles = (await win.axe.run(context, {
                    runOnly: { type: 'rule', values: roleRules },
                    resultTypes: ['violations', 'incomplete']
                })) as { violations: unknown[]; incomplete: unknown[] };
                return {
                    violations: wcag.violations,
                    incomplete: [...wcag.incomplete, ...roles.incomplete],
                    roles: roles.violations
                };
            },
            { tags: WCAG_TAGS, roleRules: ROLE_AND_LANDMARK_RULES, include }
        );
    } finally {
        await page.evaluate(TAKE_BACK_GET_ELEMENT_BY_ID);
    }
    const toFinding = (r: RawResult): AxeFinding => ({
        rule: r.id,
        impact: r.impact ?? null,
        help: r.help,
        nodes: r.nodes.slice(0, 5).map((n) => ({
            target: JSON.stringify(n.target),
            summary: n.failureSummary ?? (n.any ?? []).map((c) => c.message).join('; ')
        }))
    });
    return {
        violations: [
            ...(raw.violations as RawResult[]).filter(
                (r) => r.impact === 'serious' || r.impact === 'critical'
            ),
            ...(raw.roles as RawResult[])
        ].map(toFinding),
        incomplete: (raw.incomplete as RawResult[]).map(toFinding)
    };
}

/** One line per finding, for an assertion message. */
export function describeFindings(findings: AxeFinding[]): string {
    return findings
        .map(
            (f) =>
                `${f.rule} (${f.impact ?? 'n/a'}): ${f.help}\n` +
                f.nodes.map((n) => `    ${n.target}: ${n.summary}`).join('\n')
        )
        .join('\n');
}
