import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { loadConfig } from './config';
import { PortInUseError, startGateway } from './server';

describe('starting the gateway', () => {
    it('explains a busy port and how to pick another instead of crashing', async () => {
        const blocker = createServer();
        await new Promise<void>((done) => blocker.listen(0, '127.0.0.1', done));
        const port = (blocker.address() as { port: number }).port;
        const config = loadConfig({
            SIGHTLINE_PORT: String(port),
            SIGHTLINE_DATA_DIR: mkdtempSync(join(tmpdir(), 'sightline-port-')),
            SIGHTLINE_LOG_LEVEL: 'silent'
        });
        try {
            await assert.rejects(startGateway(config), (error: unknown) => {
                assert.ok(error instanceof PortInUseError);
                assert.match(error.message, new RegExp(`Port ${port} is already in use`));
                assert.match(error.message, new RegExp(`npm start -- --port ${port + 3}$`));
                return true;
            });
        } finally {
            blocker.close();
        }
    });

    it('puts the demo website on the next port, or where SIGHTLINE_SITE_PORT says', () => {
        assert.equal(loadConfig({}).sitePort, 4301);
        assert.equal(loadConfig({ SIGHTLINE_PORT: '4400' }).sitePort, 4401);
        assert.equal(
            loadConfig({ SIGHTLINE_PORT: '0' }).sitePort,
            0,
            'any free port, like the gateway'
        );
        assert.equal(loadConfig({ SIGHTLINE_SITE_PORT: '5000' }).sitePort, 5000);
        assert.throws(() => loadConfig({ SIGHTLINE_SITE_PORT: '4300' }), /SIGHTLINE_SITE_PORT/);
        assert.throws(() => loadConfig({ SIGHTLINE_PORT: '65535' }), /SIGHTLINE_SITE_PORT/);
        assert.throws(() => loadConfig({ SIGHTLINE_SITE_PORT: 'next' }), /SIGHTLINE_SITE_PORT/);
    });

    it('refuses invalid settings with a message naming the setting', () => {
        assert.throws(() => loadConfig({ SIGHTLINE_PORT: 'eighty' }), /SIGHTLINE_PORT/);
        assert.throws(() => loadConfig({ SIGHTLINE_LOG_LEVEL: 'loud' }), /SIGHTLINE_LOG_LEVEL/);
    });
});
