/**
 * What the gateway needs from the world, as ports: the CRM (the org's records and
 * configuration), where live events go, who a company is behind an IP, the clock, and
 * the settings and websites it runs with. `createGateway` takes them; a composition root
 * (production against an org, or local mode) builds them.
 */
import type { CrmPort } from './crm/crmPort';
import type { GatewaySettings, SiteConfig } from './crm/customMetadata';
import type { CompanyProvider } from './enrich/companyProvider';
import type { Clock } from './live/clock';
import type { OrgEventLimits } from './live/budgetGovernor';
import type { ChannelAdmin } from './live/eventChannels';
import type { PublishTransport } from './live/publisher';
import type { SharedState } from './state/sharedState';
import type { WriteQueueHealth } from './crm/salesforce/writeQueue';

export interface GatewayPorts {
    crm: CrmPort;
    /** Where each rep's notifications go (Visitor_Update__e through the org's event bus). */
    events: PublishTransport;
    /** The org's event allocations (`/limits`), read by the budget governor. */
    limits?: () => Promise<OrgEventLimits>;
    /** The org's custom event channels (Tooling API): per-audience filtered channels. */
    channels?: ChannelAdmin;
    companyProvider: CompanyProvider;
    clock: Clock;
    settings: GatewaySettings;
    /** The websites beacons are accepted from (Sightline_Site__mdt). */
    sites: readonly SiteConfig[];
    /** State shared with the other gateways behind the balancer (Redis); absent, the gateway runs alone. */
    shared?: SharedState;
    /** The org writes waiting to be replayed, for Health (an org adapter with a write queue). */
    orgWrites?: () => WriteQueueHealth | undefined;
}
