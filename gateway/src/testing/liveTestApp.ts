/**
 * Test support: the real gateway on a fresh seeded local org server in a temp folder,
 * reached as any org is (JWT bearer, REST through jsforce, Change Data Capture over the
 * Pub/Sub API), with a manual clock and a transport that records what each rep would
 * receive. The test itself may look into the org's store, as a test may query an org.
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { LightMyRequestResponse } from 'fastify';
import { apexSignatureHeaders } from '../../../localorg/src/apex/apexSigner';
import { listUsers, type LocalUser } from '../../../localorg/src/lightning/localSession';
import {
    startLocalOrg,
    type LocalOrgOptions,
    type RunningLocalOrg
} from '../../../localorg/src/server';
import { loadCustomMetadataRecords } from '../../../localorg/src/store/customMetadataRecords';
import { loadConfig, LOCAL_API_KEY, type GatewayConfig } from '../config';
import type { ChatChange, LiveNotification, VisitorCard } from '../contracts/liveContract';
import type { CollectRequestInput } from '../contracts/visitorProtocol';
import { createGateway, type Gateway } from '../createGateway';
import type { CrmPort } from '../crm/crmPort';
import { connectSalesforce } from '../crm/salesforce/orgPorts';
import type { SalesforceCrm } from '../crm/salesforce/salesforceCrm';
import { ManualClock } from '../live/clock';
import type { LivePublisher, PublishTransport } from '../live/publisher';
import { localSignInSettings } from '../local/localMode';
import type { SharedState } from '../state/sharedState';

export const root = resolve(import.meta.dirname, '../../..');

/** A desktop Chrome, as a person's browser presents itself. */
export const BROWSER_UA =
    'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';

/** Records the notifications each rep's console would receive (nothing but audience, epoch, sequence, kind). */
export class RecordingTransport implements PublishTransport {
    readonly sent: LiveNotification[] = [];
    notify(notification: LiveNotification): void {
        this.sent.push(notification);
    }
    to(userId: string): LiveNotification[] {
        return this.sent.filter((s) => s.audience === userId);
    }
}

/**
 * What `userId`'s console fetches after `since` (every page, as the console does on a
 * notification): the latest card of each visitor that changed for them, the removals and
 * the chat changes.
 */
export function fetchChanges(
    gw: { live: { publisher: LivePublisher } },
    userId: string,
    since = 0
): { upserts: VisitorCard[]; removals: string[]; chat: ChatChange[]; sequence: number } {
    const publisher = gw.live.publisher;
    const upserts = new Map<string, VisitorCard>();
    const removals = new Set<string>();
    const chat: ChatChange[] = [];
    let sequence = since;
    for (;;) {
        const page = publisher.changes(userId, publisher.epoch, sequence);
        if (page.kind !== 'changes') throw new Error(`${userId} must re-snapshot (${page.reason})`);
        for (const card of page.upserts) {
            removals.delete(card.id);
            upserts.set(card.id, card);
        }
        for (const id of page.removals) {
            upserts.delete(id);
            removals.add(id);
        }
        chat.push(...page.chat);
        sequence = page.sequence;
        if (!page.more) break;
    }
    return { upserts: [...upserts.values()], removals: [...removals], chat, sequence };
}

/** The org's store, as the test sees it. */
export type OrgStore = RunningLocalOrg['store'];

export interface TestGateway extends Gateway {
    /** The org's records, for the test's own reads and set-up (not seen by the gateway until told: `changeInOrg`). */
    org: OrgStore;
    /** The local org server the gateway is signed in to. */
    orgServer: RunningLocalOrg;
    /** The gateway's CRM adapter. */
    crm: SalesforceCrm;
    clock: ManualClock;
    transport: RecordingTransport;
    config: GatewayConfig;
    dataDir: string;
    users: LocalUser[];
    user(name: string): LocalUser;
    /**
     * Edits the org's records as an admin does in Setup or a data load: committed by the
     * admin, and resolved once the change events of the objects the org captures reached the
     * gateway (Change Data Capture) and its reloads settled.
     */
    changeInOrg(edit: (org: OrgStore) => void): Promise<void>;
    /**
     * `POST /api/v1/actions/:name` as the packaged Apex sends it for `userId`: the API key
     * and the signed identity (at the gateway's clock); `headers` override or add headers.
     */
    action(
        name: string,
        userId: string,
        params?: unknown,
        headers?: Record<string, string>
    ): Promise<LightMyRequestResponse>;
    close(): Promise<void>;
    /**
     * The process dies: nothing graceful runs (no last writes, no drained requests). It stops
     * hearing the other gateways and the org; the test stops sending it requests and stops
     * moving its clock, so none of its timers fire again.
     */
    crash(): Promise<void>;
}

export async function startTestGateway(
    options: {
        dataDir?: string;
        env?: Record<string, string>;
        clock?: ManualClock;
        /** Another package folder (e.g. with other settings), deployed to the org. */
        forceAppDir?: string;
        /** Another unpackaged folder (e.g. with other site records: `withSiteRecord`). */
        unpackagedDir?: string;
        /** The CRM port the gateway gets, from the adapter (e.g. `withWritesInMemory`). */
        crm?: (adapter: CrmPort) => CrmPort;
        /** The org serves Lightning too: the UI API that Setup pages write through. */
        lightning?: boolean;
        /**
         * Notifications are also published to the org as `Visitor_Update__e` events (as in
         * production), for tests that subscribe to the channel with the platform's clients.
         */
        publishToOrg?: boolean;
        /**
         * Beacons answered as in production, before their visit is recognised (by default a
         * test's beacon is answered once the gateway has settled).
         */
        answerBeaconsEarly?: boolean;
        /**
         * Another gateway's org (and data folder): this gateway serves the same org, as
         * gateways behind a balancer do. The org stays up when this gateway closes.
         */
        sameOrgAs?: TestGateway;
        /** State shared with other gateways (Redis). */
        shared?: SharedState;
        /** The org's own clock, session timeout and API allocation. */
        org?: Pick<LocalOrgOptions, 'now' | 'sessionTimeoutMs' | 'dailyApiRequests'>;
    } = {}
): Promise<TestGateway> {
    const dataDir =
        options.sameOrgAs?.dataDir ??
        options.dataDir ??
        mkdtempSync(join(tmpdir(), 'sightline-live-'));
    const config = loadConfig(
        {
            SIGHTLINE_LOG_LEVEL: 'silent',
            SIGHTLINE_DATA_DIR: dataDir,
            SIGHTLINE_BATCH_WINDOW_MS: '250',
            // The org's round trips gathered over a short window: a test's single visits
            // do not wait half a second each.
            SIGHTLINE_ORG_WINDOW_MS: '20',
            SIGHTLINE_RATE_PER_IP: '100000',
            SIGHTLINE_RATE_PER_SITE: '100000',
            SIGHTLINE_ACTION_RATE_PER_USER: '100000',
            ...options.env
        },
        root
    );
    if (options.forceAppDir) config.forceAppDir = options.forceAppDir;
    if (options.unpackagedDir) config.unpackagedDir = options.unpackagedDir;
    // One org, one signing secret and key: the gateways behind a balancer share them.
    if (options.sameOrgAs) {
        config.signingSecret = options.sameOrgAs.config.signingSecret;
        config.apiKey = options.sameOrgAs.config.apiKey;
    }
    const ownOrg = !options.sameOrgAs;
    const orgServer =
        options.sameOrgAs?.orgServer ??
        (await startLocalOrg({
            dataDir,
            forceAppDir: config.forceAppDir,
            port: 0,
            logLevel: 'silent',
            ...options.org,
            ...(config.namespace !== undefined ? { namespace: config.namespace } : {}),
            ...(options.lightning
                ? {
                      lightning: {
                          shellDir: config.shellDir,
                          // No Apex callout reaches the gateway in these tests: they call it themselves.
                          gateway: {
                              url: '',
                              apiKey: config.apiKey,
                              signing: { secret: config.signingSecret, orgId: config.orgId }
                          }
                      }
                  }
                : {})
        }));
    const org = orgServer.store;
    // Another unpackaged folder is deployed to the org as its custom metadata records.
    if (options.unpackagedDir)
        loadCustomMetadataRecords(org, [config.forceAppDir, options.unpackagedDir]);
    const clock = options.clock ?? new ManualClock();
    const transport = new RecordingTransport();
    const orgConfig = localSignInSettings(config, orgServer);
    const subscribers = orgServer.events.bus.subscriberCount();
    const { channels, ...ports } = await connectSalesforce(orgConfig);
    const built = await createGateway(orgConfig, {
        ...ports,
        // Filtered channels only where events reach the org: elsewhere nothing subscribes.
        ...(options.publishToOrg ? { channels } : {}),
        crm: options.crm ? options.crm(ports.crm) : ports.crm,
        clock,
        events: options.publishToOrg
            ? {
                  notify: (notification) => {
                      transport.notify(notification);
                      ports.events.notify(notification);
                  }
              }
            : transport,
        ...(options.shared ? { shared: options.shared } : {})
    });
    // Edits made from here on reach the adapter: its change event subscription is open.
    await waitUntil(
        'the change event subscription',
        () => orgServer.events.bus.subscriberCount() > subscribers
    );
    // The seam's requests come from a browser unless a test says otherwise:
    // light-my-request's default user agent ("lightMyRequest") is, rightly, a bot.
    built.app.addHook('onRequest', async (request) => {
        const ua = request.headers['user-agent'];
        if (ua === undefined || ua === 'lightMyRequest') request.headers['user-agent'] = BROWSER_UA;
    });
    // A beacon is answered before the org is asked about its visit; here the answer waits
    // until the visit is recognised and decided, so a test reads the state its beacon caused.
    built.app.addHook('onSend', async (request, _reply, payload) => {
        if (!options.answerBeaconsEarly && request.url.startsWith('/v1/collect'))
            await built.live.settled();
        return payload;
    });
    const users = listUsers(org);
    const admin = users.find((u) => u.isAdmin) ?? users[0]!;
    return {
        ...built,
        org,
        orgServer,
        crm: ports.crm,
        clock,
        transport,
        config: orgConfig,
        dataDir,
        users,
        user(name: string) {
            const found = users.find((u) => u.name.startsWith(name));
            if (!found) throw new Error(`No user ${name}`);
            return found;
        },
        async changeInOrg(edit) {
            const captured = new Set<string>();
            const stop = org.onChange(({ object }) => {
                if (orgServer.events.bus.capturesChanges(object)) captured.add(bare(object));
            });
            try {
                edit(org);
            } finally {
                stop();
            }
            const heard = new Set<string>();
            const stopHearing = ports.crm.onChange((object) => heard.add(object));
            try {
                orgServer.commitChanges(admin.id);
                await waitUntil('the change events', () =>
                    [...captured].every((object) => heard.has(object))
                );
            } finally {
                stopHearing();
            }
            await built.live.settled();
        },
        action(name, userId, params = {}, headers = {}) {
            const body = JSON.stringify(params);
            return built.app.inject({
                method: 'POST',
                url: `/api/v1/actions/${name}`,
                headers: {
                    ...API_AUTH,
                    'content-type': 'application/json',
                    ...apexSignatureHeaders(
                        name,
                        body,
                        { secret: config.signingSecret, orgId: config.orgId, userId },
                        clock.now()
                    ),
                    ...headers
                },
                payload: body
            });
        },
        async close() {
            await built.app.close();
            await ports.close();
            if (ownOrg) await orgServer.close();
        },
        async crash() {
            built.live.sharedVisits?.stop();
            await ports.close();
        }
    };

    /** `sline__Live_Stream__c` → `Live_Stream__c`, as the adapter names objects. */
    function bare(object: string): string {
        const prefix = orgServer.namespace ? `${orgServer.namespace}__` : '';
        return prefix && object.startsWith(prefix) ? object.slice(prefix.length) : object;
    }
}

/** Resolves once `condition` holds (checked every few milliseconds), or fails after 10 s. */
export async function waitUntil(what: string, condition: () => boolean): Promise<void> {
    const deadline = Date.now() + 10_000;
    while (!condition()) {
        if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
        await new Promise((resolve) => setTimeout(resolve, 5));
    }
}

let counter = 0;
export function ids(prefix = 'v'): { visitorId: string; sessionId: string; tabId: string } {
    counter++;
    const n = `${prefix}${String(counter).padStart(8, '0')}`;
    return { visitorId: `vis-${n}`, sessionId: `ses-${n}`, tabId: `tab-${n}` };
}

export function beacon(
    who: { visitorId: string; sessionId: string; tabId: string },
    events: CollectRequestInput['events'],
    extra: Partial<CollectRequestInput> = {}
): CollectRequestInput {
    return { siteKey: 'demo-site-key', ...who, events, ...extra };
}

/**
 * Posts `body` to the beacon endpoint as the tracker does (JSON sent as text/plain, so the
 * browser skips the CORS preflight); `headers` adds to or overrides the defaults.
 */
export function sendBeacon(
    gw: { app: Pick<Gateway['app'], 'inject'> },
    body: unknown,
    headers: Record<string, string> = {}
): Promise<LightMyRequestResponse> {
    return gw.app.inject({
        method: 'POST',
        url: '/v1/collect',
        headers: { 'content-type': 'text/plain', ...headers },
        payload: JSON.stringify(body)
    });
}

export function pageview(path: string, ts = 1): CollectRequestInput['events'][number] {
    return { type: 'pageview', ts, url: `http://localhost:4300${path}`, title: path };
}

export const API_AUTH = { authorization: `Bearer ${LOCAL_API_KEY}` };

/**
 * A copy of the package folder whose demo site record carries `values` (custom metadata
 * fields, e.g. `{ Consent_Required__c: 'true' }`): everything else is linked to the real one.
 */
export function withSiteRecord(values: Record<string, string>): string {
    // The demo site is not packaged: it lives in the unpackaged source folder.
    const real = join(root, 'unpackaged/main/default/customMetadata');
    const dir = mkdtempSync(join(tmpdir(), 'sightline-unpackaged-'));
    mkdirSync(join(dir, 'customMetadata'));
    for (const file of readdirSync(real)) {
        let xml = readFileSync(join(real, file), 'utf8');
        if (file === 'Sightline_Site.Demo.md-meta.xml')
            for (const [field, value] of Object.entries(values)) {
                const element = `<values>\n        <field>${field}</field>\n        <value xsi:type="xsd:${value === 'true' || value === 'false' ? 'boolean' : 'string'}">${value}</value>\n    </values>`;
                const existing = new RegExp(
                    `<values>\\s*<field>${field}</field>[\\s\\S]*?</values>`
                );
                xml = existing.test(xml)
                    ? xml.replace(existing, element)
                    : xml.replace('</CustomMetadata>', `    ${element}\n</CustomMetadata>`);
            }
        writeFileSync(join(dir, 'customMetadata', file), xml);
    }
    return dir;
}
