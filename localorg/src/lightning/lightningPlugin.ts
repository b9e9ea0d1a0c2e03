/**
 * The local Lightning Experience, served by the local org as Lightning is served by the
 * platform (the rep console's URL is the org's, the gateway another origin): the shell's
 * pages and static resources, the cookie sign-in as any demo user, the UI API that
 * `lightning/uiRecordApi` uses (not counted against the API allocation, as for the
 * Lightning UI), and the Apex stand-in that calls out to the gateway.
 */
import type { FastifyInstance } from 'fastify';
import { apexRoutes } from '../apex/apexRoutes';
import type { GatewayEndpoint } from '../apex/gatewayCallout';
import type { RunningLocalOrgCore } from '../server';
import { connectSources } from '../tooling/trustedUrls';
import { currentUser } from './localSession';
import { shellRoutes } from './shellRoutes';
import { staticResourceRoutes } from './staticResourceRoutes';
import { uiApiRoutes } from './uiApiRoutes';

export interface LightningOptions {
    /** The built shell (`npm run build` → .build/shell). */
    shellDir: string;
    /** Where the packaged Named Credential points, with its key. */
    gateway: GatewayEndpoint;
}

export async function lightningPlugin(
    app: FastifyInstance,
    org: RunningLocalOrgCore,
    options: LightningOptions
): Promise<void> {
    await shellRoutes(app, org.store, options.shellDir, () => connectSources(org.tooling));
    staticResourceRoutes(app, org.forceAppDir);
    uiApiRoutes(app, org.store);
    // UI API writes are the signed-in user's: their change events carry that user.
    app.addHook('onResponse', async (request) => {
        if (request.url.includes('/ui-api/') && request.method !== 'GET') {
            org.commitChanges(currentUser(org.store, request).id);
        }
    });
    apexRoutes(app, { store: org.store, forceAppDir: org.forceAppDir, gateway: options.gateway });
}
