import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { automatedBrowser } from './automation';

const CHROME =
    'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';

describe('automated browsers', () => {
    it('navigator.webdriver or a headless / scripted user agent', () => {
        assert.equal(automatedBrowser({ webdriver: true, userAgent: CHROME }), true);
        assert.equal(
            automatedBrowser({ userAgent: CHROME.replace('Chrome/', 'HeadlessChrome/') }),
            true
        );
        assert.equal(
            automatedBrowser({ userAgent: 'Mozilla/5.0 (Unknown; Linux x86_64) PhantomJS/2.1.1' }),
            true
        );
        assert.equal(automatedBrowser({ userAgent: 'Mozilla/5.0 jsdom/22.1.0' }), true);
    });

    it("a person's browser is not", () => {
        assert.equal(automatedBrowser({ webdriver: false, userAgent: CHROME }), false);
        assert.equal(automatedBrowser({ userAgent: CHROME }), false);
        assert.equal(automatedBrowser({}), false);
    });
});
