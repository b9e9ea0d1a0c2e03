/**
 * Who may not enter: the door every beacon passes after validation and before anything
 * of it is stored, enriched, decided or published.
 *
 * - **Bots**: a user agent isbot recognises, one matching the site's own patterns
 *   (Bot_Patterns__c), or a batch the tracker marked `automated` (navigator.webdriver, a
 *   headless browser). Counted for the Health tab, then dropped.
 * - **Do-Not-Track**: the browser's `DNT: 1` or Global Privacy Control (`Sec-GPC: 1`)
 *   header. The tracker already sends nothing then; this holds for any other client too.
 * - **Consent**: a site with Consent_Required__c takes only batches that carry
 *   `consent: true` (the visitor's consent, given to the site's tracker).
 *
 * A screened batch is answered 202 with `accepted: 0` and why (`ignored`), so a client
 * does not retry it; nothing of it is kept but a count.
 */
import { isbot } from 'isbot';
import type { CollectRequestData, CollectResponse } from '../contracts/visitorProtocol';
import type { SiteConfig } from '../crm/customMetadata';
import { botPatternMatcher } from './botPatterns';

const KNOWN_AGENTS = 10_000;

export type Screened = NonNullable<CollectResponse['ignored']>;

export interface BeaconHeaders {
    userAgent: string | undefined;
    dnt: string | undefined;
    gpc: string | undefined;
}

/** What was kept out since the gateway started (the Health tab's figures). */
export interface ScreeningCounts {
    /** Batches from bots, and the events in them. */
    botBeacons: number;
    botEvents: number;
    doNotTrack: number;
    noConsent: number;
    /** Single events refused by validation (their batches' good events were kept). */
    rejectedEvents: number;
}

export class Screening {
    readonly counts: ScreeningCounts = {
        botBeacons: 0,
        botEvents: 0,
        doNotTrack: 0,
        noConsent: 0,
        rejectedEvents: 0
    };
    private readonly known = new Map<string, boolean>();
    private readonly matchers = new WeakMap<SiteConfig, (userAgent: string) => boolean>();

    /** Why this batch is kept out, or undefined when it may enter. Counts what it keeps out. */
    screen(
        site: SiteConfig,
        request: CollectRequestData,
        headers: BeaconHeaders
    ): Screened | undefined {
        const verdict = this.verdict(site, request, headers);
        if (verdict === 'bot') {
            this.counts.botBeacons++;
            this.counts.botEvents += request.events.length;
        } else if (verdict === 'do-not-track') this.counts.doNotTrack++;
        else if (verdict === 'no-consent') this.counts.noConsent++;
        return verdict;
    }

    rejected(events: number): void {
        this.counts.rejectedEvents += events;
    }

    isBot(site: SiteConfig, userAgent: string | undefined): boolean {
        if (!userAgent) return false;
        if (this.isbotCached(userAgent)) return true;
        let matcher = this.matchers.get(site);
        if (!matcher) {
            matcher = botPatternMatcher(site.botPatterns);
            this.matchers.set(site, matcher);
        }
        return matcher(userAgent);
    }

    /**
     * isbot's pattern is long; user agents repeat (a few browser builds make most traffic),
     * so each verdict is remembered in a bounded table (started afresh when full).
     */
    private isbotCached(userAgent: string): boolean {
        let verdict = this.known.get(userAgent);
        if (verdict === undefined) {
            if (this.known.size >= KNOWN_AGENTS) this.known.clear();
            verdict = isbot(userAgent);
            this.known.set(userAgent, verdict);
        }
        return verdict;
    }

    private verdict(
        site: SiteConfig,
        request: CollectRequestData,
        headers: BeaconHeaders
    ): Screened | undefined {
        if (request.automated || this.isBot(site, headers.userAgent)) return 'bot';
        if (headers.dnt === '1' || headers.gpc === '1') return 'do-not-track';
        if (site.consentRequired && request.consent !== true) return 'no-consent';
        return undefined;
    }
}
