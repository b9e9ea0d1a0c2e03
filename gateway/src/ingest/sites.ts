/** The websites the gateway accepts: site key → allowed origins (Sightline_Site__mdt). */
import { originAllowed, type SiteConfig } from '../crm/customMetadata';

export class Sites {
    private readonly byKey: Map<string, SiteConfig>;

    constructor(sites: readonly SiteConfig[]) {
        this.byKey = new Map(sites.map((s) => [s.siteKey, s]));
    }

    get(siteKey: string): SiteConfig | undefined {
        return this.byKey.get(siteKey);
    }

    /**
     * Whether a request from `origin` may use the site. A request without an Origin header
     * (not from a browser page: the simulator, a server) is not a CORS request and is let
     * through; the site key still has to be right.
     */
    allows(site: SiteConfig, origin: string | undefined): boolean {
        return origin === undefined || originAllowed(origin, site.allowedOrigins);
    }

    /** For CORS preflights, which do not carry the site key: any site allowing the origin. */
    anyAllows(origin: string): boolean {
        for (const site of this.byKey.values())
            if (originAllowed(origin, site.allowedOrigins)) return true;
        return false;
    }
}
