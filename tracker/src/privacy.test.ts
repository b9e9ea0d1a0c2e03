import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { doNotTrackOn, trackingAllowed } from './consent';
import { fieldRole, identityFromFields } from './forms';
import { parseUserAgent } from './ua';
import { readUtm } from './utm';

describe('consent and Do-Not-Track', () => {
    it('tracks by default, never with DNT, and only after consent when consent is required', () => {
        assert.equal(
            trackingAllowed({ doNotTrack: null, consentRequired: false, consentGiven: false }),
            true
        );
        assert.equal(
            trackingAllowed({ doNotTrack: '1', consentRequired: false, consentGiven: true }),
            false
        );
        assert.equal(
            trackingAllowed({ doNotTrack: '0', consentRequired: false, consentGiven: false }),
            true
        );
        assert.equal(
            trackingAllowed({
                doNotTrack: 'unspecified',
                consentRequired: true,
                consentGiven: false
            }),
            false
        );
        assert.equal(
            trackingAllowed({ doNotTrack: undefined, consentRequired: true, consentGiven: true }),
            true
        );
        assert.equal(doNotTrackOn('yes'), true);
    });
});

describe('user agent parsing', () => {
    const cases: [string, number, ReturnType<typeof parseUserAgent>][] = [
        [
            'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36',
            0,
            { type: 'desktop', browser: 'Chrome', os: 'Windows' }
        ],
        [
            'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0',
            0,
            { type: 'desktop', browser: 'Edge', os: 'Windows' }
        ],
        [
            'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Safari/605.1.15',
            0,
            { type: 'desktop', browser: 'Safari', os: 'macOS' }
        ],
        [
            'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Safari/605.1.15',
            5,
            { type: 'tablet', browser: 'Safari', os: 'iOS' }
        ],
        [
            'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1',
            5,
            { type: 'mobile', browser: 'Safari', os: 'iOS' }
        ],
        [
            'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) CriOS/131.0 Mobile/15E148 Safari/604.1',
            5,
            { type: 'mobile', browser: 'Chrome', os: 'iOS' }
        ],
        [
            'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36',
            5,
            { type: 'mobile', browser: 'Chrome', os: 'Android' }
        ],
        [
            'Mozilla/5.0 (Linux; Android 13; SM-X700) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/23.0 Chrome/115.0.0.0 Safari/537.36',
            5,
            { type: 'tablet', browser: 'Samsung Internet', os: 'Android' }
        ],
        [
            'Mozilla/5.0 (X11; Ubuntu; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0',
            0,
            { type: 'desktop', browser: 'Firefox', os: 'Linux' }
        ],
        [
            'Mozilla/5.0 (X11; CrOS x86_64 14541.0.0) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36',
            0,
            { type: 'desktop', browser: 'Chrome', os: 'ChromeOS' }
        ],
        [
            'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 OPR/115.0.0.0',
            0,
            { type: 'desktop', browser: 'Opera', os: 'Windows' }
        ],
        ['curl/8.5.0', 0, { type: 'desktop', browser: 'Other', os: 'Other' }]
    ];
    for (const [ua, touch, expected] of cases) {
        it(`${expected.browser} on ${expected.os} (${expected.type})`, () =>
            assert.deepEqual(parseUserAgent(ua, touch), expected));
    }
});

describe('UTM parameters', () => {
    it('reads the five utm_ parameters, trimmed and capped at 255 characters', () => {
        assert.deepEqual(
            readUtm(
                '?utm_source=google&utm_medium=cpc&utm_campaign=q4-pipeline&utm_term=data%20platform&x=1'
            ),
            {
                source: 'google',
                medium: 'cpc',
                campaign: 'q4-pipeline',
                term: 'data platform'
            }
        );
        assert.equal(readUtm('?utm_content=' + 'a'.repeat(400))?.content?.length, 255);
        assert.equal(readUtm('?ref=x&utm_source='), undefined);
        assert.equal(readUtm(''), undefined);
    });
});

describe('identification from forms', () => {
    const field = (type: string, hints: string, value: string) => ({ type, hints, value });
    it('finds the email, names and company by type, name, id and autocomplete', () => {
        assert.deepEqual(
            identityFromFields([
                field('text', 'first_name firstName given-name', 'Ana'),
                field('text', 'last_name  family-name', 'Souza'),
                field('email', 'work', ' ana@acmesystems.example '),
                field('text', 'company  organization', 'Acme Systems'),
                field('password', 'password', 'secret')
            ]),
            {
                email: 'ana@acmesystems.example',
                firstName: 'Ana',
                lastName: 'Souza',
                company: 'Acme Systems'
            }
        );
    });
    it('splits a single full-name field', () => {
        assert.deepEqual(
            identityFromFields([
                field('text', 'name', 'Mary Jane Watson'),
                field('text', 'contact-email', 'mj@example.com')
            ]),
            {
                email: 'mj@example.com',
                firstName: 'Mary Jane',
                lastName: 'Watson'
            }
        );
    });
    it('ignores forms without a valid email, and never reads passwords or usernames as names', () => {
        assert.equal(identityFromFields([field('text', 'q', 'search')]), undefined);
        assert.equal(identityFromFields([field('email', 'email', 'not-an-email')]), undefined);
        assert.equal(fieldRole('password', 'email'), undefined);
        assert.equal(fieldRole('text', 'username'), undefined);
    });
});
