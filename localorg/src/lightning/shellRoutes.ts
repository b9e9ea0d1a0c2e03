/**
 * Serves the local Lightning shell: the page (with the signed-in user, as Lightning puts
 * the session in the page), the compiled app, SLDS styles and icons from the installed
 * design system package (no CDN), and a record-detail endpoint for the shell's record page.
 */
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { LocalOrg } from '../store/localOrg';
import { currentUser, listUsers, signIn } from './localSession';
import { z } from 'zod';

const require = createRequire(import.meta.url);
const sldsAssets = join(
    dirname(require.resolve('@salesforce-ux/design-system/package.json')),
    'assets'
);

export async function shellRoutes(
    app: FastifyInstance,
    org: LocalOrg,
    shellDir: string,
    /** The origins of the org's active connect-src Trusted URLs (read at each page). */
    trustedConnectSources: () => string[] = () => []
): Promise<void> {
    const indexFile = join(shellDir, 'index.html');
    const built = existsSync(indexFile);
    const indexHtml = built ? readFileSync(indexFile, 'utf8') : '';

    if (built)
        await app.register(fastifyStatic, {
            root: join(shellDir, 'app'),
            prefix: '/app/',
            decorateReply: false,
            maxAge: 0
        });
    await app.register(fastifyStatic, {
        root: sldsAssets,
        prefix: '/assets/slds/',
        decorateReply: false,
        maxAge: '1h'
    });

    // The app's pages have Lightning Experience's URL shapes; each one loads the shell.
    const servePage = async (request: FastifyRequest, reply: FastifyReply) => {
        if (!built) {
            return reply
                .code(503)
                .type('text/plain; charset=utf-8')
                .send(
                    'The local Lightning shell is not built yet: run `npm run build` (npm start does it for you).'
                );
        }
        const user = currentUser(org, request);
        const session = `<script>globalThis.__sightlineSession = ${JSON.stringify({ userId: user.id, ...(org.namespace ? { namespace: org.namespace } : {}) }).replace(/</g, '\\u003c')};</script>`;
        return reply
            .type('text/html; charset=utf-8')
            .header('cache-control', 'no-store')
            .header('content-security-policy', lightningConnectPolicy(trustedConnectSources()))
            .send(indexHtml.replace('</head>', `${session}\n    </head>`));
    };
    app.get('/', servePage);
    app.get('/lightning/*', servePage);

    app.get('/local/session', async (request) => ({
        user: currentUser(org, request),
        users: listUsers(org)
    }));

    const SignIn = z.object({ userId: z.string().min(15).max(18) });
    app.post('/local/session', async (request, reply) => {
        const body = SignIn.safeParse(request.body);
        const user = body.success
            ? listUsers(org).find((u) => u.id === body.data.userId)
            : undefined;
        if (!user)
            return reply.code(400).send({ message: 'Choose one of the local org’s active users.' });
        signIn(reply, user.id);
        return { user };
    });

    app.get<{ Params: { id: string } }>('/local/records/:id', async (request, reply) => {
        const object = org.objectForId(request.params.id);
        const record = object && org.get(object.apiName, request.params.id);
        if (!object || !record)
            return reply.code(404).send({ message: 'This record does not exist or was deleted.' });
        const fields = [...object.fields.values()]
            .filter((f) => f.type !== 'Id' && !['CreatedById'].includes(f.apiName))
            .map((f) => {
                const value = record[f.apiName] ?? null;
                const target =
                    f.referenceTo && typeof value === 'string' ? org.objectForId(value) : undefined;
                const referenced =
                    target && typeof value === 'string'
                        ? org.get(target.apiName, value)
                        : undefined;
                return {
                    apiName: f.apiName,
                    label: f.label,
                    value,
                    displayValue: referenced ? String(referenced.Name ?? value) : null,
                    ...(referenced ? { referenceId: value } : {})
                };
            });
        return {
            objectApiName: object.apiName,
            objectLabel: object.label,
            title: String(record.Name ?? record.Id),
            fields
        };
    });
}

/**
 * Lightning's `connect-src`: the page's own org, plus the active Trusted URLs that apply
 * to connect-src — nothing else. A fetch or WebSocket from a component to any other
 * origin (the gateway, until its Trusted URL is active) is refused by the browser and
 * reported as a `securitypolicyviolation`, exactly as in Lightning Experience.
 */
export function lightningConnectPolicy(trusted: readonly string[]): string {
    return `connect-src ${["'self'", ...trusted].join(' ')}`;
}
