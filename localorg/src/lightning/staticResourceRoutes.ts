/**
 * Local mode: serves the package's static resources at `/resources/<name>`, where the
 * shell's `@salesforce/resourceUrl/<name>` points, as the org serves them: the single
 * content file `staticresources/<name>.<ext>` with the content type its
 * `.resource-meta.xml` declares. Zipped (multi-file) resources are not served here.
 */
import type { FastifyInstance } from 'fastify';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

interface StaticResource {
    file: string;
    contentType: string;
    cacheControl: 'Public' | 'Private';
}

const META = '.resource-meta.xml';

export function readStaticResources(forceAppDir: string): Map<string, StaticResource> {
    const dir = join(forceAppDir, 'staticresources');
    const resources = new Map<string, StaticResource>();
    if (!existsSync(dir)) return resources;
    const files = readdirSync(dir);
    for (const metaFile of files.filter((f) => f.endsWith(META))) {
        const name = metaFile.slice(0, -META.length);
        const xml = readFileSync(join(dir, metaFile), 'utf8');
        const contentType = /<contentType>([^<]+)<\/contentType>/.exec(xml)?.[1]?.trim();
        const content = files.find(
            (f) => f !== metaFile && f.startsWith(`${name}.`) && !f.endsWith(META)
        );
        if (!contentType || !content || contentType === 'application/zip') continue;
        const cacheControl = /<cacheControl>Private<\/cacheControl>/.test(xml)
            ? 'Private'
            : 'Public';
        resources.set(name, { file: join(dir, content), contentType, cacheControl });
    }
    return resources;
}

export function staticResourceRoutes(app: FastifyInstance, forceAppDir: string): void {
    const resources = readStaticResources(forceAppDir);
    app.get<{ Params: { name: string } }>('/resources/:name', async (request, reply) => {
        const resource = resources.get(request.params.name);
        if (!resource)
            return reply.code(404).send({
                message: `No static resource named ${request.params.name}`,
                errorCode: 'NOT_FOUND'
            });
        return reply
            .type(resource.contentType)
            .header(
                'cache-control',
                `${resource.cacheControl === 'Public' ? 'public' : 'private'}, max-age=3600`
            )
            .send(readFileSync(resource.file));
    });
}
