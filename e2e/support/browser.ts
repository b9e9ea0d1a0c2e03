/**
 * Debian's Chromium driven by playwright-core: headless, no sandbox (CI runs as root), and
 * no background networking (the machines have no internet). It presents itself as a
 * person's browser — a desktop Chrome user agent, no `navigator.webdriver` — because the
 * product keeps headless and automated browsers out (they are bots to the gateway);
 * `launchBrowser({ asIs: true })` launches one as it really is.
 */
import { chromium, type Browser, type Page } from 'playwright-core';

export const CHROMIUM = process.env.SIGHTLINE_CHROMIUM ?? '/usr/bin/chromium';

export const PERSON_USER_AGENT =
    'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';

export function launchBrowser(options: { asIs?: boolean } = {}): Promise<Browser> {
    return chromium.launch({
        executablePath: CHROMIUM,
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

/** Collects console errors and uncaught exceptions so a test can assert there were none. */
export function collectPageErrors(page: Page): string[] {
    const errors: string[] = [];
    page.on('console', (message) => {
        if (message.type() === 'error') errors.push(message.text());
    });
    page.on('pageerror', (error) => errors.push(error.message));
    return errors;
}
