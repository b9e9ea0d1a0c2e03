/**
 * The rep console's end-to-end tests and benchmark, as the people in them: a rep (or the
 * admin) signed in to the local shell in a browser context of their own, the rep actions
 * and the UI API called as that user, and the demo website's pages.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { ConsoleSnapshot, VisitorDetail } from '../../gateway/src/contracts/liveContract';
import type { RunningProduct } from './product';

export interface LocalUser {
    id: string;
    name: string;
    isAdmin: boolean;
}

export async function localUsers(product: RunningProduct): Promise<LocalUser[]> {
    const session = (await (await fetch(`${product.url}/local/session`)).json()) as {
        users: LocalUser[];
    };
    return session.users;
}

/** A page of the demo website, which has an origin of its own. */
export function sitePage(product: RunningProduct, path: string): string {
    return new URL(path, product.siteUrl).href;
}

/** A rep action (or an admin one) as the console calls it, signed in as `userId`. */
export async function repAction<T>(
    product: RunningProduct,
    userId: string,
    name: string,
    params: Record<string, unknown> = {}
): Promise<T> {
    const response = await fetch(`${product.url}/local/apex/SightlineGatewayController/${name}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', cookie: `sightline_user=${userId}` },
        body: JSON.stringify(params)
    });
    if (!response.ok)
        throw new Error(`${name} answered ${response.status}: ${await response.text()}`);
    return (await response.json()) as T;
}

/** GET or PATCH a record through the local org's User Interface API, as `userId`. */
export async function uiApiRecord(
    product: RunningProduct,
    userId: string,
    id: string,
    fields: string[] | Record<string, unknown>
): Promise<Record<string, unknown>> {
    const read = Array.isArray(fields);
    const response = await fetch(
        `${product.url}/services/data/v62.0/ui-api/records/${id}${read ? `?fields=${fields.join(',')}` : ''}`,
        {
            method: read ? 'GET' : 'PATCH',
            headers: { 'content-type': 'application/json', cookie: `sightline_user=${userId}` },
            ...(read ? {} : { body: JSON.stringify({ fields }) })
        }
    );
    if (!response.ok)
        throw new Error(
            `ui-api records/${id} answered ${response.status}: ${await response.text()}`
        );
    const record = (await response.json()) as { fields: Record<string, { value: unknown }> };
    return Object.fromEntries(
        Object.entries(record.fields).map(([name, field]) => [name, field.value])
    );
}

/** Polls until `read` gives a value `accept` takes (or fails with the last value after `timeoutMs`). */
export async function until<T>(
    what: string,
    read: () => Promise<T>,
    accept: (value: T) => boolean,
    timeoutMs = 10_000
): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    let last: T | undefined;
    let lastError: unknown;
    while (Date.now() < deadline) {
        try {
            last = await read();
            if (accept(last)) return last;
        } catch (error) {
            lastError = error;
        }
        await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(
        `Timed out waiting for ${what}; last: ${JSON.stringify(last)?.slice(0, 800) ?? String(lastError)}`
    );
}

/**
 * Waits until the admin sees the visitor routed to a rep (and `also` holds of what the admin
 * sees), then names the first rep it is routed to and its stream as the console shows it.
 */
export async function routedVisitor(
    product: RunningProduct,
    adminId: string,
    visitId: string,
    what: string,
    also: (detail: VisitorDetail) => boolean = () => true
): Promise<{ detail: VisitorDetail; rep: { id: string; name: string }; streamName: string }> {
    const detail = await until(
        what,
        () => visitorDetail(product, adminId, visitId),
        (d) => d.card.routing.routedTo.length > 0 && also(d)
    );
    const rep = detail.card.routing.routedTo[0]!;
    const streamName = (await snapshotFor(product, rep.id)).streams.find(
        (s) => s.id === detail.card.streamId
    )!.name;
    return { detail, rep, streamName };
}

/**
 * The first of `visitIds` that routing shows to a rep, and that rep. Read from the admin's
 * snapshot (the admin sees every visitor) and never from the reps': every user who fetches
 * counts as a subscribed console, and the budget governor would widen its window for them.
 */
export async function routedToARep(
    product: RunningProduct,
    visitIds: readonly string[]
): Promise<{ visitId: string; repId: string }> {
    const users = await localUsers(product);
    const admin = users.find((u) => u.isAdmin)!;
    const reps = new Set(users.filter((u) => !u.isAdmin).map((u) => u.id));
    const found = await until(
        'a visitor routed to a rep',
        async () => {
            const cards = new Map(
                (await snapshotFor(product, admin.id)).visitors.map((c) => [c.id, c])
            );
            for (const visitId of visitIds) {
                const rep = cards.get(visitId)?.routing.routedTo.find((u) => reps.has(u.id));
                if (rep) return { visitId, repId: rep.id };
            }
            return undefined;
        },
        (routed) => routed !== undefined
    );
    return found!;
}

/** The visitor as the gateway knows it, read as the admin (who may see every visitor). */
export function visitorDetail(
    product: RunningProduct,
    adminId: string,
    visitId: string
): Promise<VisitorDetail> {
    return repAction<VisitorDetail>(product, adminId, 'getVisitorDetail', { visitorId: visitId });
}

export function snapshotFor(product: RunningProduct, userId: string): Promise<ConsoleSnapshot> {
    return repAction<ConsoleSnapshot>(product, userId, 'getSnapshot', { page: 0 });
}

/**
 * The freshness indicator of a connected console showing current data: `live`, or
 * `throttled` when the budget governor batches notifications to stay within the org's
 * event allocation (a test's handful of reps is enough for that on 25,000 deliveries a day).
 */
export const CONNECTED = '[data-id="freshness"]:is([data-state="live"], [data-state="throttled"])';

/** `user`'s console in a browser context of their own, connected and showing the live data. */
export async function openConsole(
    browser: Browser,
    product: RunningProduct,
    userId: string,
    viewport = { width: 1440, height: 900 }
): Promise<{ context: BrowserContext; page: Page }> {
    const context = await browser.newContext({ viewport });
    await context.addCookies([{ name: 'sightline_user', value: userId, url: product.url }]);
    const page = await context.newPage();
    await page.goto(product.url);
    await page.locator(CONNECTED).waitFor();
    return { context, page };
}

/** The card of one visit on a console page. */
export function cardOf(page: Page, visitId: string) {
    return page.locator(`[data-id="visitor-card"][data-visitor-id="${visitId}"]`);
}
