/**
 * The packaged custom metadata records the gateway runs on: the websites it accepts
 * beacons from (Sightline_Site__mdt) and its settings (Sightline_Setting__mdt, record
 * `Default`). Locally they are read from force-app/main/default/customMetadata.
 */
import { XMLParser } from 'fast-xml-parser';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
    DEFAULT_POUNCE_THRESHOLDS,
    resolvePounceThresholds,
    type PounceThresholds
} from '../engine';
import { botPatternProblems } from '../ingest/botPatterns';

export interface SiteConfig {
    name: string;
    siteKey: string;
    /** Origins, `*` matching any run of characters (e.g. `http://localhost:*`). */
    allowedOrigins: string[];
    /** The owner's own bot patterns (Bot_Patterns__c), on top of isbot's; see ingest/botPatterns.ts. */
    botPatterns: string[];
    /** Skip_IP_Enrichment__c: no location or company from the visitor's IP, and the IP is not kept. */
    skipIpEnrichment: boolean;
    /** Consent_Required__c: beacons without the visitor's consent are answered and dropped. */
    consentRequired: boolean;
}

export interface GatewaySettings {
    idleAfterMs: number;
    endAfterMs: number;
    scoreWeightsJson?: string;
    deliveryBudgetShare: number;
    /** When a visitor counts as ready to pounce (the Pounce_* fields). */
    pounce: PounceThresholds;
    /** Visitor data older than this (Visitor_Retention_Days__c) is purged; 0 keeps it. */
    retentionDays: number;
    /** Availability_From_Omni_Channel__c: routing follows Omni-Channel presence, not the picker. */
    availabilityFromOmniChannel: boolean;
}

export const DEFAULT_SETTINGS: GatewaySettings = {
    idleAfterMs: 30_000,
    endAfterMs: 30 * 60_000,
    deliveryBudgetShare: 80,
    pounce: DEFAULT_POUNCE_THRESHOLDS,
    retentionDays: 90,
    availabilityFromOmniChannel: false
};

type Values = Map<string, string>;

/** Records of a type, from each source directory (packaged first, then unpackaged). */
function readRecords(
    sourceDirs: string | string[],
    type: string
): { name: string; values: Values }[] {
    return [sourceDirs].flat().flatMap((sourceDir) => readRecordsIn(sourceDir, type));
}

function readRecordsIn(sourceDir: string, type: string): { name: string; values: Values }[] {
    const dir = join(sourceDir, 'customMetadata');
    if (!existsSync(dir)) return [];
    const parser = new XMLParser({
        ignoreAttributes: true,
        parseTagValue: false,
        isArray: (name) => name === 'values'
    });
    return readdirSync(dir)
        .filter((file) => file.startsWith(`${type}.`) && file.endsWith('.md-meta.xml'))
        .map((file) => {
            const xml = parser.parse(readFileSync(join(dir, file), 'utf8')) as {
                CustomMetadata?: { values?: { field: string; value?: unknown }[] };
            };
            const values: Values = new Map();
            for (const v of xml.CustomMetadata?.values ?? []) {
                if (typeof v.value === 'string' || typeof v.value === 'number')
                    values.set(v.field, String(v.value));
            }
            return { name: file.slice(type.length + 1, -'.md-meta.xml'.length), values };
        });
}

const lines = (text: string | undefined) =>
    (text ?? '')
        .split(/\r?\n/)
        .map((line) => line.trim())
        .filter(Boolean);

/** A custom metadata checkbox: `true` only when the record says so. */
const checked = (value: string | undefined) => value === 'true';

/**
 * The site records. A record with invalid bot patterns is refused at boot with a message
 * naming the record and the line: a typo must not silently let bots through.
 */
export function readSites(sourceDirs: string | string[]): SiteConfig[] {
    return readRecords(sourceDirs, 'Sightline_Site')
        .map(({ name, values }) => {
            const botPatterns = lines(values.get('Bot_Patterns__c'));
            const problems = botPatternProblems(botPatterns);
            if (problems.length > 0)
                throw new Error(
                    `Sightline_Site.${name}: Bot_Patterns__c is invalid: ${problems.join('; ')}`
                );
            return {
                name,
                siteKey: values.get('Site_Key__c') ?? '',
                allowedOrigins: lines(values.get('Allowed_Origins__c')),
                botPatterns,
                skipIpEnrichment: checked(values.get('Skip_IP_Enrichment__c')),
                consentRequired: checked(values.get('Consent_Required__c'))
            };
        })
        .filter((site) => site.siteKey !== '');
}

export function readSettings(forceAppDir: string): GatewaySettings {
    const record = readRecords(forceAppDir, 'Sightline_Setting').find((r) => r.name === 'Default');
    if (!record) return DEFAULT_SETTINGS;
    const positive = (key: string, fallback: number) => {
        const n = Number(record.values.get(key));
        return Number.isFinite(n) && n > 0 ? n : fallback;
    };
    return {
        idleAfterMs: positive('Idle_After_Seconds__c', 30) * 1000,
        endAfterMs: positive('End_After_Minutes__c', 30) * 60_000,
        deliveryBudgetShare: positive('Delivery_Budget_Share__c', 80),
        pounce: resolvePounceThresholds({
            minScrollPercent: record.values.get('Pounce_Min_Scroll_Percent__c'),
            highIntentStreams: record.values.get('Pounce_High_Intent_Streams__c')
        }),
        retentionDays: wholeDays(record.values.get('Visitor_Retention_Days__c')),
        availabilityFromOmniChannel:
            record.values.get('Availability_From_Omni_Channel__c') === 'true',
        ...(record.values.get('Score_Weights__c')
            ? { scoreWeightsJson: record.values.get('Score_Weights__c') }
            : {})
    };
}

/** Visitor_Retention_Days__c: a whole number of days ≥ 1, or 0 (keep); unset → 90. */
function wholeDays(value: string | undefined): number {
    if (value === undefined) return DEFAULT_SETTINGS.retentionDays;
    const n = Number(value);
    if (!Number.isInteger(n) || n < 0)
        throw new Error(
            `Sightline_Setting.Default: Visitor_Retention_Days__c must be a whole number of days (0 keeps visitor data), not "${value}"`
        );
    return n;
}

/**
 * Whether an Origin header is allowed by a site's patterns. `*` stands for one run of
 * letters, digits or hyphens — a port or one subdomain label — never a dot, colon or
 * slash, so `http://localhost:*` does not let `http://localhost:1.evil.example` in.
 */
export function originAllowed(origin: string, patterns: readonly string[]): boolean {
    return patterns.some((pattern) => originPattern(pattern).test(origin));
}

const patternCache = new Map<string, RegExp>();
function originPattern(pattern: string): RegExp {
    let compiled = patternCache.get(pattern);
    if (!compiled) {
        const source = pattern
            .split('*')
            .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
            .join('[A-Za-z0-9-]+');
        compiled = new RegExp(`^${source}$`);
        patternCache.set(pattern, compiled);
    }
    return compiled;
}
