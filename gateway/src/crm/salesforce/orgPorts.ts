/**
 * The production gateway's ports over a Salesforce org: signs in, checks that the package
 * is installed and the integration user may read it, reads the sites and settings from the
 * org's custom metadata (Sightline_Site__mdt, Sightline_Setting__mdt), and builds the CRM
 * adapter and the event publisher on one connection.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Connection } from 'jsforce';
import type { GatewayConfig } from '../../config';
import { DemoCompanyProvider } from '../../enrich/companyProvider';
import { resolvePounceThresholds } from '../../engine';
import { systemClock } from '../../live/clock';
import type { GatewayPorts } from '../../ports';
import { DEFAULT_SETTINGS, type GatewaySettings, type SiteConfig } from '../customMetadata';
import { ChangeEventFollower } from './changeEvents';
import { OrgNames } from './orgNames';
import { PubSubEventTransport } from './pubSubEvents';
import { SalesforceCrm } from './salesforceCrm';
import { ToolingChannels } from './toolingChannels';
import { OrgSignInError, signIn, type OrgAuth } from './signIn';
import { botPatternProblems } from '../../ingest/botPatterns';
import { text } from '../textValue';

/** The journal of writes waiting for the org, in the gateway's data dir (personal data: 0600). */
export const ORG_WRITES_FILE = 'org-writes.sqlite';

/** The sign-in the settings describe, with the private key read from its file. */
export function orgAuth(config: GatewayConfig): OrgAuth {
    const settings = config.orgSignIn;
    if (!config.orgUrl || !settings)
        throw new Error('Connecting to an org needs SIGHTLINE_ORG and its sign-in settings.');
    if (settings.flow === 'client_credentials') return { ...settings, loginUrl: config.orgUrl };
    let privateKey: string;
    try {
        privateKey = readFileSync(settings.privateKeyFile, 'utf8');
    } catch (error) {
        throw new OrgSignInError(
            `The private key file ${settings.privateKeyFile} cannot be read: ${(error as Error).message}`,
            'bad_key'
        );
    }
    return {
        flow: 'jwt',
        loginUrl: config.orgUrl,
        clientId: settings.clientId,
        username: settings.username,
        privateKey
    };
}

/** Sightline's custom metadata as the org answers it; a missing type means the package is not installed. */
export async function readOrgMetadata(
    conn: Connection,
    names: OrgNames
): Promise<{ settings: GatewaySettings; sites: SiteConfig[] }> {
    const query = async (soql: string) => {
        try {
            const result = await conn.query<Record<string, unknown>>(names.soql(soql));
            return result.records.map((r) => names.in(r));
        } catch (error) {
            const code = (error as { errorCode?: string }).errorCode ?? '';
            if (code === 'INVALID_TYPE')
                throw new OrgSignInError(
                    `The Sightline package is not installed in this org${names.namespace ? ` (namespace ${names.namespace})` : ''}, or the integration user lacks the Sightline_Integration permission set: ${(error as Error).message}`,
                    'package_not_installed'
                );
            throw error;
        }
    };
    const [settingRecords, siteRecords] = await Promise.all([
        query(
            "SELECT DeveloperName, Idle_After_Seconds__c, End_After_Minutes__c, Delivery_Budget_Share__c, Score_Weights__c, Pounce_Min_Scroll_Percent__c, Pounce_High_Intent_Streams__c, Visitor_Retention_Days__c, Availability_From_Omni_Channel__c FROM Sightline_Setting__mdt WHERE DeveloperName = 'Default'"
        ),
        query(
            'SELECT DeveloperName, Site_Key__c, Allowed_Origins__c, Bot_Patterns__c, Consent_Required__c, Skip_IP_Enrichment__c FROM Sightline_Site__mdt'
        )
    ]);
    const record = settingRecords[0];
    const positive = (value: unknown, fallback: number) =>
        typeof value === 'number' && value > 0 ? value : fallback;
    const settings: GatewaySettings = record
        ? {
              idleAfterMs: positive(record.Idle_After_Seconds__c, 30) * 1000,
              endAfterMs: positive(record.End_After_Minutes__c, 30) * 60_000,
              deliveryBudgetShare: positive(record.Delivery_Budget_Share__c, 80),
              pounce: resolvePounceThresholds({
                  minScrollPercent: record.Pounce_Min_Scroll_Percent__c,
                  highIntentStreams: record.Pounce_High_Intent_Streams__c
              }),
              retentionDays:
                  typeof record.Visitor_Retention_Days__c === 'number' &&
                  Number.isInteger(record.Visitor_Retention_Days__c) &&
                  record.Visitor_Retention_Days__c >= 0
                      ? record.Visitor_Retention_Days__c
                      : DEFAULT_SETTINGS.retentionDays,
              availabilityFromOmniChannel: record.Availability_From_Omni_Channel__c === true,
              ...(typeof record.Score_Weights__c === 'string' && record.Score_Weights__c
                  ? { scoreWeightsJson: record.Score_Weights__c }
                  : {})
          }
        : DEFAULT_SETTINGS;
    const lines = (value: unknown) =>
        text(value)
            .split(/\r?\n/)
            .map((o) => o.trim())
            .filter(Boolean);
    const sites = siteRecords
        .map((r) => {
            const name = text(r.DeveloperName);
            const botPatterns = lines(r.Bot_Patterns__c);
            const problems = botPatternProblems(botPatterns);
            if (problems.length > 0)
                throw new Error(
                    `Sightline_Site.${name}: Bot_Patterns__c is invalid: ${problems.join('; ')}`
                );
            return {
                name,
                siteKey: typeof r.Site_Key__c === 'string' ? r.Site_Key__c : '',
                allowedOrigins: lines(r.Allowed_Origins__c),
                botPatterns,
                consentRequired: r.Consent_Required__c === true,
                skipIpEnrichment: r.Skip_IP_Enrichment__c === true
            };
        })
        .filter((site) => site.siteKey !== '');
    return { settings, sites };
}

/**
 * The ports over the org `config` names: signed in, its custom metadata read, the CRM
 * adapter following the org's Change Data Capture before it serves anything, so no edit
 * falls between, and notifications published as `Visitor_Update__e` events, both over the
 * org's Pub/Sub API (`config.pubSub`).
 */
export async function connectSalesforce(
    config: GatewayConfig,
    onError: (error: unknown) => void = () => {}
): Promise<
    GatewayPorts & { crm: SalesforceCrm; events: PubSubEventTransport; close(): Promise<void> }
> {
    const pubSub = config.pubSub;
    if (!pubSub) throw new Error('Connecting to an org needs its Pub/Sub API endpoint.');
    const conn = await signIn(orgAuth(config));
    const names = new OrgNames(config.namespace);
    const { settings, sites } = await readOrgMetadata(conn, names);
    const crm = new SalesforceCrm(conn, {
        batchWindowMs: config.orgWindowMs,
        ...(config.namespace ? { namespace: config.namespace } : {}),
        ...(settings.scoreWeightsJson ? { scoreWeightsJson: settings.scoreWeightsJson } : {}),
        // Writes the org cannot take now wait here, in the gateway's own data dir.
        writeQueue: { file: join(config.dataDir, ORG_WRITES_FILE), onError }
    });
    const changes = new ChangeEventFollower(
        conn,
        pubSub,
        names,
        (object, recordIds) => crm.changed(object, recordIds),
        onError
    );
    await changes.start();
    const events = new PubSubEventTransport(conn, pubSub, names, onError);
    return {
        crm,
        events,
        limits: () => conn.limits(),
        orgWrites: () => crm.writeQueueHealth(),
        channels: new ToolingChannels(conn, names),
        companyProvider: new DemoCompanyProvider(),
        clock: systemClock,
        settings,
        sites,
        async close() {
            changes.close();
            await events.close();
            crm.close();
            // A JWT or client-credentials session is not revoked: it simply expires.
        }
    };
}
