/**
 * What live notifications cost the org, in the same run on one fresh local org: the same
 * windows of `Visitor_Update__e` notifications published one REST request each (how the
 * gateway published before, kept here as the baseline) and through the gateway's Pub/Sub
 * transport (one Publish call per window). Counts the org's API requests (`DailyApiRequests`,
 * the local org's request log) and published events (`HourlyPublishedPlatformEvents`) each
 * way spent per notification.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Connection } from 'jsforce';
import { loadConfig } from '../../gateway/src/config';
import type { LiveNotification } from '../../gateway/src/contracts/liveContract';
import { OrgNames } from '../../gateway/src/crm/salesforce/orgNames';
import { orgAuth } from '../../gateway/src/crm/salesforce/orgPorts';
import {
    notificationFields,
    PubSubEventTransport
} from '../../gateway/src/crm/salesforce/pubSubEvents';
import { signIn } from '../../gateway/src/crm/salesforce/signIn';
import { localSignInSettings } from '../../gateway/src/local/localMode';
import { startLocalOrg, type RunningLocalOrg } from '../../localorg/src/server';
import { root } from './benchSupport';

/** Windows of one notification per rep, as a busy floor of reps gets them. */
const WINDOWS = 20;
const REPS = 25;

export interface PublishingCost {
    notifications: number;
    apiRequests: number;
    apiRequestsPerNotification: number;
    publishedEvents: number;
    /** REST requests or Publish calls made. */
    calls: number;
    failed: number;
    notificationsPerSecond: number;
}

function windowOf(index: number): LiveNotification[] {
    return Array.from({ length: REPS }, (_, rep) => ({
        audience: `005000000000${String(rep).padStart(3, '0')}AAA`,
        epoch: '2026-11-27T19:00:00.000Z-bench',
        sequence: index + 1,
        kind: 'delta' as const
    }));
}

async function cost(
    org: RunningLocalOrg,
    publishWindow: (notifications: LiveNotification[]) => Promise<void>,
    counts: () => { calls: number; failed: number }
): Promise<PublishingCost> {
    const published = () =>
        org.events.bus.allocations.limits().HourlyPublishedPlatformEvents.Remaining;
    const requestsBefore = org.usage.used();
    const publishedBefore = published();
    const started = process.hrtime.bigint();
    for (let i = 0; i < WINDOWS; i++) await publishWindow(windowOf(i));
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    const notifications = WINDOWS * REPS;
    const apiRequests = org.usage.used() - requestsBefore;
    return {
        notifications,
        apiRequests,
        apiRequestsPerNotification: Number((apiRequests / notifications).toFixed(3)),
        publishedEvents: publishedBefore - published(),
        ...counts(),
        notificationsPerSecond: Math.round(notifications / seconds)
    };
}

/** The former transport: one `POST sobjects/Visitor_Update__e` per notification. */
function restPublisher(conn: Connection, names: OrgNames) {
    let calls = 0;
    let failed = 0;
    return {
        publishWindow: async (notifications: LiveNotification[]): Promise<void> => {
            await Promise.all(
                notifications.map((n) => {
                    calls++;
                    return conn
                        .sobject(names.of('Visitor_Update__e'))
                        .create(names.out(notificationFields(n)))
                        .catch(() => {
                            failed++;
                        });
                })
            );
        },
        counts: () => ({ calls, failed })
    };
}

export async function measureNotificationPublishing(): Promise<{
    rest: PublishingCost;
    pubSub: PublishingCost;
    apiRequestsRatio: number;
    notificationsPerSecondRatio: number;
}> {
    const dataDir = mkdtempSync(join(tmpdir(), 'sightline-bench-notify-'));
    const config = loadConfig({ SIGHTLINE_LOG_LEVEL: 'silent', SIGHTLINE_DATA_DIR: dataDir }, root);
    const org = await startLocalOrg({
        dataDir,
        forceAppDir: config.forceAppDir,
        port: 0,
        logLevel: 'silent',
        dailyApiRequests: 100_000_000
    });
    let pubSubTransport: PubSubEventTransport | undefined;
    try {
        const settings = localSignInSettings(config, org);
        const conn = await signIn(orgAuth(settings));
        const names = new OrgNames(settings.namespace);
        const viaRest = restPublisher(conn, names);
        const rest = await cost(org, viaRest.publishWindow, viaRest.counts);

        const viaPubSub = new PubSubEventTransport(conn, settings.pubSub!, names, () => {});
        pubSubTransport = viaPubSub;
        const pubSub = await cost(
            org,
            async (notifications) => {
                for (const n of notifications) viaPubSub.notify(n);
                await viaPubSub.settled();
            },
            () => ({ calls: viaPubSub.publishCalls, failed: viaPubSub.failedEvents })
        );
        return {
            rest,
            pubSub,
            apiRequestsRatio: Number(
                (pubSub.apiRequests / Math.max(1, rest.apiRequests)).toFixed(3)
            ),
            notificationsPerSecondRatio: Number(
                (pubSub.notificationsPerSecond / rest.notificationsPerSecond).toFixed(2)
            )
        };
    } finally {
        await pubSubTransport?.close();
        await org.close();
        rmSync(dataDir, { recursive: true, force: true });
    }
}
