/**
 * The local org: one HTTP server answering Salesforce's APIs the way Salesforce documents
 * them (OAuth token endpoint, REST data API, Tooling API, limits, UI API), over a SQLite
 * store whose schema comes from the force-app metadata. The gateway reaches it exactly as
 * it reaches a real org, through jsforce; nothing in the product imports this folder.
 *
 *   const org = await startLocalOrg({ dataDir, forceAppDir, port: 0 });
 *   // org.url, org.credentials (consumer key + private key for JWT bearer), org.close()
 */
import Fastify, { type FastifyInstance, type FastifyRequest } from 'fastify';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ensureDevCredentials, type DevCredentials } from './auth/devCredentials';
import { Sessions } from './auth/sessions';
import { tokenEndpoint, type ConnectedAppConfig, type TokenUser } from './auth/tokenEndpoint';
import { ApiUsage, DEFAULT_DAILY_API_REQUESTS } from './limits/apiUsage';
import { deployPackagedTrustedUrls } from './tooling/trustedUrls';
import { lightningPlugin, type LightningOptions } from './lightning/lightningPlugin';
import { currentUser } from './lightning/localSession';
import { limitsResource, OrgLimits } from './limits/orgLimits';
import type { CommittedChange } from './pubsub/changeDataCapture';
import type { AllocationSettings } from './pubsub/eventAllocations';
import { createOrgEvents, type OrgEvents } from './pubsub/orgEvents';
import type { PubSubServer } from './pubsub/pubsubServer';
import { SchemaNames } from './query/schemaNames';
import { compositeResources } from './rest/compositeResources';
import { Router, type DataApiContext } from './rest/dataApi';
import { QueryCursors } from './rest/queryCursors';
import { queryResources } from './rest/queryResources';
import { recordResources } from './rest/recordResources';
import { restPlugin, sessionOf } from './rest/restPlugin';
import { LocalOrg, type RecordChange, type SObject } from './store/localOrg';
import { checkNamespace } from './store/namespace';
import { openLocalOrg } from './store/openLocalOrg';
import { makeId } from './store/salesforceId';
import {
    applyStoredChannels,
    deployPackagedChannels,
    toolingResources,
    toolingSchema
} from './tooling/toolingApi';

export interface LocalOrgOptions {
    dataDir: string;
    forceAppDir: string;
    /** 0 picks a free port. */
    port?: number;
    host?: string;
    /**
     * The package namespace; default: SIGHTLINE_NAMESPACE when set (tests run the whole
     * product namespaced with it; empty means none), else `sfdx-project.json`'s `namespace`.
     */
    namespace?: string;
    /** The daily API request allocation (rolling 24 h). */
    dailyApiRequests?: number;
    /** The connected app; default: the local dev app whose key pair is made in the data dir. */
    connectedApp?: ConnectedAppConfig;
    /** Other URLs a JWT assertion's `aud` may name besides this server's (a login URL). */
    loginUrls?: string[];
    sessionTimeoutMs?: number;
    /** Start from an empty, freshly seeded store. */
    reset?: boolean;
    now?: () => number;
    logLevel?: 'silent' | 'fatal' | 'error' | 'warn' | 'info' | 'debug';
    /** The org's event allocations (default: Enterprise Edition's). */
    eventAllocations?: Partial<AllocationSettings>;
    /** Serve the Pub/Sub API (gRPC over TLS) on this port; 0 picks one. Default 0. */
    pubSubPort?: number;
    /** Serve the local Lightning shell (pages, sign-in, UI API, Apex stand-in) from this org. */
    lightning?: LightningOptions;
    /** Adds routes to the same server: called before it listens. */
    plugins?: ((app: FastifyInstance, org: RunningLocalOrgCore) => Promise<void> | void)[];
}

/** What plugins see: everything but the URL, which exists only once listening. */
export interface RunningLocalOrgCore {
    store: LocalOrg;
    tooling: LocalOrg;
    names: SchemaNames;
    sessions: Sessions;
    usage: ApiUsage;
    limits: OrgLimits;
    orgId: string;
    namespace?: string;
    forceAppDir: string;
    /** The event bus, Change Data Capture, Pub/Sub and streaming. */
    events: OrgEvents;
    /** Publishes change events for the store writes made since the last call, as `userId`'s. */
    commitChanges(userId: string, apiVersion?: string): void;
    /** The live session's user of a request (Bearer/OAuth token), if any. */
    userOf(request: FastifyRequest): string | undefined;
    /** Set once listening. */
    url(): string;
}

export interface RunningLocalOrg extends RunningLocalOrgCore {
    app: FastifyInstance;
    /** The org's address: instance URL and login URL (JWT `aud`). */
    url: () => string;
    /** The local dev connected app's consumer key and key files (when it is the one in use). */
    credentials?: DevCredentials;
    seeded: boolean;
    /** `host:port` of the Pub/Sub API (the client's `pubSubEndpoint`). */
    pubSubEndpoint: string;
    close(): Promise<void>;
}

export const LOCAL_ORG_ID = makeId('00D', 1);

export async function startLocalOrg(options: LocalOrgOptions): Promise<RunningLocalOrg> {
    const now = options.now ?? Date.now;
    const fromEnv = process.env.SIGHTLINE_NAMESPACE;
    const namespace =
        (options.namespace ?? fromEnv ?? projectNamespace(options.forceAppDir)) || undefined;
    if (namespace) checkNamespace(namespace);
    const { org: store, seeded } = openLocalOrg({
        dataDir: options.dataDir,
        forceAppDir: options.forceAppDir,
        reset: options.reset,
        namespace
    });
    const tooling = LocalOrg.open(join(options.dataDir, 'local-org.sqlite'), toolingSchema());
    deployPackagedChannels(tooling, options.forceAppDir, namespace);
    deployPackagedTrustedUrls(tooling, options.forceAppDir, namespace);

    const credentials = options.connectedApp ? undefined : ensureDevCredentials(options.dataDir);
    const connectedApp: ConnectedAppConfig = options.connectedApp ?? {
        consumerKey: credentials!.consumerKey,
        certificate: credentials!.certificate
    };
    const sessions = new Sessions(LOCAL_ORG_ID, options.sessionTimeoutMs ?? 2 * 3_600_000, now);
    const usage = new ApiUsage(options.dailyApiRequests ?? DEFAULT_DAILY_API_REQUESTS, now);
    const limits = new OrgLimits(usage);
    const events = createOrgEvents({
        entities: store.schema.values(),
        now,
        ...(options.eventAllocations ? { allocations: options.eventAllocations } : {})
    });
    limits.addSource(events.bus.allocations);
    applyStoredChannels(tooling, events.bus);

    // Writes reach Change Data Capture once committed, with the user whose call made them.
    let uncommitted: RecordChange[] = [];
    store.onChange((change) => uncommitted.push(change));
    const commitChanges = (userId: string, apiVersion?: string) => {
        if (uncommitted.length === 0) return;
        const changes = uncommitted;
        uncommitted = [];
        events.recordsCommitted(changes.map(committedChange), {
            userId,
            ...(apiVersion ? { apiVersion } : {})
        });
    };

    const names = new SchemaNames(store.schema);
    const cursors = new QueryCursors(now);
    const dataContext: DataApiContext = {
        org: store,
        names,
        cursors,
        now,
        limits: () => limits.snapshot(),
        events: events.rest
    };
    const toolingContext: DataApiContext = {
        org: tooling,
        names: new SchemaNames(tooling.schema),
        cursors,
        now,
        limits: () => limits.snapshot()
    };
    const dataRouter = new Router();
    recordResources(dataRouter);
    queryResources(dataRouter);
    compositeResources(dataRouter);
    limitsResource(dataRouter);
    const toolingRouter = new Router();
    toolingResources(toolingRouter, () => events.bus);

    const app = Fastify({
        logger:
            options.logLevel && options.logLevel !== 'silent' ? { level: options.logLevel } : false,
        bodyLimit: 10 * 1024 * 1024,
        return503OnClosing: true
    });
    app.addContentTypeParser(
        'application/x-www-form-urlencoded',
        { parseAs: 'string' },
        (_req, body, done) => {
            done(null, Object.fromEntries(new URLSearchParams(String(body))));
        }
    );
    app.setErrorHandler((error: Error & { statusCode?: number }, request, reply) => {
        if (error.statusCode && error.statusCode < 500) {
            const code = /JSON/i.test(error.message) ? 'JSON_PARSER_ERROR' : 'INVALID_INPUT';
            return reply.code(error.statusCode).send([{ message: error.message, errorCode: code }]);
        }
        request.log.error(error);
        return reply.code(500).send([
            {
                message: 'An unexpected error occurred in the local org.',
                errorCode: 'UNKNOWN_EXCEPTION'
            }
        ]);
    });
    app.setNotFoundHandler((_request, reply) =>
        reply
            .code(404)
            .send([{ errorCode: 'NOT_FOUND', message: 'The requested resource does not exist' }])
    );

    let url = '';
    const core: RunningLocalOrgCore = {
        store,
        tooling,
        names,
        sessions,
        usage,
        limits,
        orgId: LOCAL_ORG_ID,
        ...(namespace ? { namespace } : {}),
        forceAppDir: options.forceAppDir,
        events,
        commitChanges,
        // API clients present a token; the Lightning shell's pages carry the sign-in cookie.
        userOf: (request) =>
            sessionOf(sessions, request)?.userId ??
            (options.lightning ? currentUser(store, request).id : undefined),
        url: () => url
    };
    tokenEndpoint(app, {
        app: connectedApp,
        sessions,
        orgId: LOCAL_ORG_ID,
        audiences: () => [url, ...(options.loginUrls ?? [])],
        instanceUrl: () => url,
        findUserById: (id) => tokenUser(store.get('User', id)),
        findUser: (username) => tokenUser(store.find('User', { Username: username })[0]),
        now
    });
    restPlugin(app, {
        sessions,
        usage,
        data: { router: dataRouter, context: dataContext },
        tooling: { router: toolingRouter, context: toolingContext },
        afterCall: (session, version) => commitChanges(session.userId, version)
    });
    await events.registerStreaming(app, (request) => core.userOf(request));
    if (options.lightning) await lightningPlugin(app, core, options.lightning);
    for (const plugin of options.plugins ?? []) await plugin(app, core);

    let pubSub: PubSubServer | undefined;
    const closeAll = async () => {
        await app.close();
        await pubSub?.close();
        events.bus.closeAll();
        tooling.close();
        store.close();
    };
    try {
        const address = await app.listen({
            port: options.port ?? 0,
            host: options.host ?? '127.0.0.1'
        });
        url = address.replace('://[::1]', '://localhost');
        pubSub = await events.startPubSub(
            ({ accessToken, tenantId }) => {
                const session = sessions.use(accessToken);
                return session && tenantId === LOCAL_ORG_ID
                    ? { userId: session.userId, organizationId: LOCAL_ORG_ID }
                    : undefined;
            },
            { host: options.host ?? '127.0.0.1', port: options.pubSubPort ?? 0 }
        );
    } catch (error) {
        await closeAll();
        throw error;
    }
    return {
        ...core,
        app,
        url: () => url,
        ...(credentials ? { credentials } : {}),
        seeded,
        pubSubEndpoint: pubSub.endpoint,
        close: closeAll
    };
}

function tokenUser(user: SObject | undefined): TokenUser | undefined {
    if (!user) return undefined;
    return {
        id: String(user.Id),
        username: String(user.Username),
        active: user.IsActive === true,
        name: String(user.Name ?? user.Username),
        ...(user.Email ? { email: String(user.Email) } : {})
    };
}

function committedChange(change: RecordChange): CommittedChange {
    return {
        object: change.object,
        changeType:
            change.kind === 'insert' ? 'CREATE' : change.kind === 'update' ? 'UPDATE' : 'DELETE',
        recordId: change.id,
        ...(change.before ? { before: change.before } : {}),
        ...(change.after ? { after: change.after } : {})
    };
}

/** `namespace` from the sfdx-project.json beside force-app (empty means none). */
export function projectNamespace(forceAppDir: string): string | undefined {
    const file = resolve(forceAppDir, '../../../sfdx-project.json');
    if (!existsSync(file)) return undefined;
    const project = JSON.parse(readFileSync(file, 'utf8')) as { namespace?: unknown };
    return typeof project.namespace === 'string' && project.namespace
        ? project.namespace
        : undefined;
}
