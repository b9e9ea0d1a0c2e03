/**
 * Debian's Chromium driven by playwright-core: headless, no sandbox (CI runs as root), and
 * no background networking (the machines have no internet). It presents itself as a
 * person's browser — a desktop Chrome user agent, no `navigator.webdriver` — because the
 * product keeps headless and automated browsers out (they are bots to the gateway);
 * `launchBrowser({ asIs: true })` launches one as it really is.
 */
import { chromium, type Browser, type Page } from 'playwright-core';
import { CHROMIUM as CHROMIUM_TOOL, findTool } from '../../scripts/setup/systemTools';
import { startProduct, type RunningProduct } from './product';

/**
 * The Chromium to drive: `SIGHTLINE_CHROMIUM` when set, else Debian's or one on PATH
 * (`npm test` installs Debian's when it can; scripts/setup/systemTools.ts).
 */
export function chromiumPath(): string {
    const found = findTool(CHROMIUM_TOOL);
    if (!found)
        throw new Error(
            "No Chromium found: install Debian's (sudo apt-get install -y chromium) or set SIGHTLINE_CHROMIUM to a Chrome or Chromium executable."
        );
    return found;
}

export const PERSON_USER_AGENT =
    'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';

/** Async, so a missing browser rejects the promise instead of throwing before it exists. */
export async function launchBrowser(options: { asIs?: boolean } = {}): Promise<Browser> {
    return chromium.launch({
        executablePath: chromiumPath(),
        args: [
            ...(options.asIs
                ? []
                : [
                      `--user-agent=${PERSON_USER_AGENT}`,
                      '--disable-blink-features=AutomationControlled'
                  ]),
            '--no-sandbox',
            '--disable-gpu',
            '--disable-quic',
            '--no-first-run',
            '--disable-background-networking',
            '--disable-component-update',
            '--disable-sync'
        ]
    });
}

/**
 * Starts the product and the browser together. Whatever fails, nothing is left running:
 * if one of them cannot start, the other is stopped before the error is thrown.
 */
export async function startProductAndBrowser(
    options: Parameters<typeof startProduct>[0] = {}
): Promise<{ product: RunningProduct; browser: Browser }> {
    const [product, browser] = await Promise.allSettled([startProduct(options), launchBrowser()]);
    if (product.status === 'fulfilled' && browser.status === 'fulfilled')
        return { product: product.value, browser: browser.value };
    if (product.status === 'fulfilled') await product.value.stop();
    if (browser.status === 'fulfilled') await browser.value.close();
    throw product.status === 'rejected'
        ? product.reason
        : (browser as PromiseRejectedResult).reason;
}

/** Collects console errors and uncaught exceptions so a test can assert there were none. */
export function collectPageErrors(page: Page): string[] {
    const errors: string[] = [];
    page.on('console', (message) => {
        if (message.type() === 'error') errors.push(message.text());
    });
    page.on('pageerror', (error) => errors.push(error.message));
    return errors;
}
