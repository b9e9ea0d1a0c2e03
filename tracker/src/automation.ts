/**
 * Whether this browser is driven by software (a crawler's headless Chrome, a test
 * harness): `navigator.webdriver` (set by WebDriver, Puppeteer and Playwright) or a
 * headless or scripted user agent. The tracker then marks its batches `automated`, and
 * the gateway counts them as a bot's and keeps nothing — so a crawler that runs scripts
 * is kept out even with a browser's user agent string.
 */
const SCRIPTED = /HeadlessChrome|PhantomJS|SlimerJS|Electron\/.*\bHeadless|\bjsdom\//i;

export function automatedBrowser(nav: { webdriver?: boolean; userAgent?: string }): boolean {
    return nav.webdriver === true || SCRIPTED.test(nav.userAgent ?? '');
}
