import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { loadConfig, LOCAL_API_KEY } from './config';
import { DEFAULT_SETTINGS } from './crm/customMetadata';
import { DemoCompanyProvider } from './enrich/companyProvider';
import { ManualClock } from './live/clock';
import { createProductionGateway } from './production';
import { apexSignatureHeaders } from '../../localorg/src/apex/apexSigner';
import { emptyCrm } from './testing/emptyCrm';
import { root } from './testing/liveTestApp';

const ORG = 'https://acme.my.salesforce.com';
const KEY = 'a-production-secret-of-32-characters';
/** The org whose signed calls are accepted, and its signing secret (docs/SECURITY.md). */
const SIGNED_BY = {
    SIGHTLINE_ORG_ID: '00D000000000001AAA',
    SIGHTLINE_SIGNING_SECRET: 'c2lnaHRsaW5lLXRlc3Qtc2lnbmluZy1zZWNyZXQtMzItYnl0ZXM'
};
const SIGN_IN = {
    ...SIGNED_BY,
    SIGHTLINE_ORG_CLIENT_ID: 'consumer-key',
    SIGHTLINE_ORG_CLIENT_SECRET: 'secret'
};

describe('a production gateway (SIGHTLINE_ORG)', () => {
    let app: FastifyInstance;
    const clock = new ManualClock();

    before(async () => {
        const config = loadConfig(
            {
                ...SIGN_IN,
                SIGHTLINE_ORG: ORG,
                SIGHTLINE_API_KEY: KEY,
                SIGHTLINE_LOG_LEVEL: 'silent'
            },
            root
        );
        ({ app } = await createProductionGateway(config, {
            crm: emptyCrm(),
            events: { notify: () => {} },
            companyProvider: new DemoCompanyProvider(),
            clock,
            settings: DEFAULT_SETTINGS,
            sites: []
        }));
        await app.ready();
    });
    after(() => app.close());

    it('refuses to start without its own API key: no default key outside local mode', () => {
        assert.throws(
            () => loadConfig({ ...SIGN_IN, SIGHTLINE_ORG: ORG }),
            /SIGHTLINE_API_KEY: required/
        );
        assert.throws(
            () => loadConfig({ ...SIGN_IN, SIGHTLINE_ORG: 'not a url', SIGHTLINE_API_KEY: KEY }),
            /SIGHTLINE_ORG/
        );
        const config = loadConfig({ ...SIGN_IN, SIGHTLINE_ORG: `${ORG}/`, SIGHTLINE_API_KEY: KEY });
        assert.equal(config.mode, 'org');
        assert.equal(config.orgUrl, ORG);
        assert.equal(loadConfig({}).mode, 'local');
    });

    it('says which sign-in settings are missing', () => {
        const base = { ...SIGNED_BY, SIGHTLINE_ORG: ORG, SIGHTLINE_API_KEY: KEY };
        assert.throws(() => loadConfig(base), /SIGHTLINE_ORG_CLIENT_ID: required/);
        assert.throws(
            () => loadConfig({ ...base, SIGHTLINE_ORG_CLIENT_ID: 'k' }),
            /needs a sign-in: SIGHTLINE_ORG_USERNAME and SIGHTLINE_ORG_PRIVATE_KEY_FILE/
        );
        assert.throws(
            () =>
                loadConfig({ ...base, SIGHTLINE_ORG_CLIENT_ID: 'k', SIGHTLINE_ORG_USERNAME: 'u' }),
            /needs both SIGHTLINE_ORG_USERNAME .* and SIGHTLINE_ORG_PRIVATE_KEY_FILE/
        );
        assert.deepEqual(
            loadConfig({
                ...base,
                SIGHTLINE_ORG_CLIENT_ID: 'k',
                SIGHTLINE_ORG_USERNAME: 'u',
                SIGHTLINE_ORG_PRIVATE_KEY_FILE: '/keys/jwt.key'
            }).orgSignIn,
            { flow: 'jwt', clientId: 'k', username: 'u', privateKeyFile: '/keys/jwt.key' }
        );
        assert.throws(
            () => loadConfig({ ...base, ...SIGN_IN, SIGHTLINE_NAMESPACE: 'not valid' }),
            /SIGHTLINE_NAMESPACE/
        );
    });

    it('answers 404 on every /local/* path and serves no stand-in', async () => {
        const paths: [string, string][] = [
            ['GET', '/local/session'],
            ['POST', '/local/session'],
            ['GET', '/local/event-bus'],
            ['GET', '/local/records/001000000000001AAA'],
            ['POST', '/local/apex/SightlineGatewayController/getSnapshot'],
            ['GET', '/local/anything/else'],
            // The shell, its UI API and static resources, and the demo website's old address.
            ['GET', '/'],
            ['GET', '/lightning/n/Sightline_Console'],
            ['GET', '/services/data/v62.0/ui-api/records/001000000000001AAA'],
            ['GET', '/resource/sightlineMap'],
            ['GET', '/site/pricing.html']
        ];
        for (const [method, url] of paths) {
            const response = await app.inject({
                method: method as 'GET' | 'POST',
                url,
                headers: { cookie: 'sightline_user=005000000000001AAA' },
                ...(method === 'POST' ? { payload: {} } : {})
            });
            assert.equal(response.statusCode, 404, `${method} ${url}`);
        }
    });

    it('opens the actions only to its own key and signed calls: the local default key is refused', async () => {
        const call = (key: string, signed: boolean) =>
            app.inject({
                method: 'POST',
                url: '/api/v1/actions/getSnapshot',
                headers: {
                    authorization: `Bearer ${key}`,
                    'content-type': 'application/json',
                    ...(signed
                        ? apexSignatureHeaders(
                              'getSnapshot',
                              '{"page":0}',
                              {
                                  secret: SIGNED_BY.SIGHTLINE_SIGNING_SECRET,
                                  orgId: SIGNED_BY.SIGHTLINE_ORG_ID,
                                  userId: '005000000000001AAA'
                              },
                              clock.now()
                          )
                        : { 'x-sightline-user': '005000000000001AAA' })
                },
                payload: '{"page":0}'
            });
        assert.equal((await call(LOCAL_API_KEY, true)).statusCode, 401);
        assert.equal((await call(KEY, false)).statusCode, 401, 'the key alone is not enough');
        assert.notEqual((await call(KEY, true)).statusCode, 401);
    });

    it('still serves the product: health and the tracker address', async () => {
        assert.equal((await app.inject('/healthz')).statusCode, 200);
        assert.notEqual((await app.inject('/tracker/sightline.js')).statusCode, 500);
    });
});
