import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, it } from 'node:test';
import Fastify from 'fastify';
import { readStaticResources, staticResourceRoutes } from './staticResourceRoutes';

const forceApp = resolve(import.meta.dirname, '../../../force-app/main/default');

describe('static resources in local mode', () => {
    it('serves the world map with the content type from its metadata', async () => {
        const app = Fastify();
        staticResourceRoutes(app, forceApp);
        const response = await app.inject({ method: 'GET', url: '/resources/sightlineWorldMap' });
        assert.equal(response.statusCode, 200);
        assert.match(String(response.headers['content-type']), /^application\/json/);
        assert.equal((response.json() as { type: string }).type, 'Topology');
        assert.equal((await app.inject({ method: 'GET', url: '/resources/nope' })).statusCode, 404);
        await app.close();
    });

    it('leaves out zipped resources and content without metadata', () => {
        const dir = mkdtempSync(join(tmpdir(), 'static-resources-'));
        mkdirSync(join(dir, 'staticresources'));
        const meta = (type: string) =>
            `<?xml version="1.0"?><StaticResource><cacheControl>Private</cacheControl><contentType>${type}</contentType></StaticResource>`;
        writeFileSync(join(dir, 'staticresources/lib.zip'), 'zip');
        writeFileSync(join(dir, 'staticresources/lib.resource-meta.xml'), meta('application/zip'));
        writeFileSync(join(dir, 'staticresources/style.css'), 'a{}');
        writeFileSync(join(dir, 'staticresources/style.resource-meta.xml'), meta('text/css'));
        writeFileSync(join(dir, 'staticresources/orphan.js'), '');
        const resources = readStaticResources(dir);
        assert.deepEqual([...resources.keys()], ['style']);
        assert.equal(resources.get('style')?.cacheControl, 'Private');
    });
});
