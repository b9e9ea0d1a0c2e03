/**
 * Per-audience filtered event channels. Every `Visitor_Update__e` published on the raw
 * channel is delivered to every console subscribed to it, so a notification costs one
 * delivery per console. A custom channel (`/event/Name__chn`) whose member filters on
 * `Audience__c` delivers it only to the consoles subscribed to that channel: the gateway
 * gives each audience (rep or admin) a channel of its own while the org has room, so a
 * notification costs about one delivery per rep notified. The notification is still one
 * event published once: the channels' filters pick the subscribers.
 *
 * The org allows 100 custom channels (salesforce-platform-facts.md §2), shared with
 * whatever else the org streams, so the gateway takes at most a configurable share of them.
 * Past it, audiences share channels whose filter is `Audience__c IN (…)`: each console still
 * receives only its channel's notifications, a few reps' instead of one. When the gateway
 * cannot create channels (no Customize Application, the cap reached by others, the org
 * down), audiences stay on the raw channel and the product works as before.
 *
 * Channels are no authorization boundary (docs/SECURITY.md): any user who may read the
 * event may subscribe to any channel carrying it. They filter delivery, which is what the
 * org counts.
 */
/** Custom platform-event channels per org, all editions (salesforce-platform-facts.md §1, §2). */
export const CUSTOM_CHANNEL_CAP = 100;
const OWN_PREFIX = 'Sightline_';
/** A Salesforce user id, 15 or 18 characters: what an audience is. */
const USER_ID = /^005[A-Za-z0-9]{12}(?:[A-Za-z0-9]{3})?$/;
/**
 * The gateway's own channels: `Sightline_<user id>__chn` and `Sightline_Shared_<n>__chn`.
 * Any other channel (the packaged `Sightline_Updates__chn`, the org's own) is never touched.
 */
const OWN_CHANNEL = /^Sightline_(?:Shared_\d+|005[A-Za-z0-9]{12}(?:[A-Za-z0-9]{3})?)__chn$/;
const CHANNEL_LABEL = 'Sightline live updates';

export interface OrgChannel {
    id: string;
    /** `Name__chn`. */
    fullName: string;
}

export interface OrgChannelMember {
    id: string;
    channelId: string;
    selectedEntity: string;
    filterExpression: string | null;
}

/** The org's custom channels, through the Tooling API (crm/salesforce/toolingChannels.ts). */
export interface ChannelAdmin {
    /** The notification event as the org names it (`sline__Visitor_Update__e`). */
    readonly eventName: string;
    /** The audience field as the org names it (`sline__Audience__c`). */
    readonly audienceField: string;
    /** Every custom event channel of the org, and every member of them. */
    list(): Promise<{ channels: OrgChannel[]; members: OrgChannelMember[] }>;
    createChannel(fullName: string, label: string): Promise<void>;
    /** Adds the notification event to the channel, filtered. */
    createMember(channelFullName: string, filterExpression: string): Promise<void>;
    deleteMember(id: string): Promise<void>;
    deleteChannel(id: string): Promise<void>;
}

export interface PlannedChannel {
    fullName: string;
    audiences: string[];
    filterExpression: string;
}

/** Audiences are user ids (letters and digits, checked by the plan): quoting is all they need. */
const quoted = (audience: string) => `'${audience}'`;

/** FNV-1a: a stable bucket for an audience, whatever the others are. */
function bucketOf(audience: string, buckets: number): number {
    let hash = 0x811c9dc5;
    for (let i = 0; i < audience.length; i++) {
        hash ^= audience.charCodeAt(i);
        hash = Math.imul(hash, 0x01000193) >>> 0;
    }
    return hash % buckets;
}

/**
 * Which channel each audience gets: one each while they fit in `limit`, else `limit`
 * shared channels (an audience keeps its bucket when others come and go). Empty when the
 * gateway may create no channel.
 */
export function planChannels(
    audiences: readonly string[],
    limit: number,
    audienceField: string
): PlannedChannel[] {
    const unique = [...new Set(audiences)].filter((a) => USER_ID.test(a)).sort();
    if (limit <= 0 || unique.length === 0) return [];
    if (unique.length <= limit)
        return unique.map((audience) => ({
            fullName: `${OWN_PREFIX}${audience}__chn`,
            audiences: [audience],
            filterExpression: `${audienceField} = ${quoted(audience)}`
        }));
    const buckets = new Map<number, string[]>();
    for (const audience of unique) {
        const bucket = bucketOf(audience, limit);
        buckets.set(bucket, [...(buckets.get(bucket) ?? []), audience]);
    }
    return [...buckets.entries()]
        .sort(([a], [b]) => a - b)
        .map(([bucket, members]) => ({
            fullName: `${OWN_PREFIX}Shared_${bucket + 1}__chn`,
            audiences: members,
            filterExpression: `${audienceField} IN (${members.map(quoted).join(', ')})`
        }));
}

/** An error the org answers when what is created already exists (another gateway made it). */
function alreadyThere(error: unknown): boolean {
    const code = (error as { errorCode?: unknown }).errorCode;
    return code === 'DUPLICATE_DEVELOPER_NAME' || code === 'DUPLICATE_VALUE';
}

export interface EventChannelsOptions {
    /** Percent of the org's channel cap the gateway may use (SIGHTLINE_CHANNEL_SHARE). */
    sharePercent: number;
    /** The org's cap (the platform's 100). */
    cap?: number;
    onError?: (error: unknown) => void;
}

export class EventChannels {
    /** Audience → the topic its console subscribes to; absent: the raw channel. */
    private topics = new Map<string, string>();
    private running: Promise<void> = Promise.resolve();
    private failed = false;

    constructor(
        private readonly admin: ChannelAdmin,
        private readonly options: EventChannelsOptions
    ) {}

    /** The raw event channel: every notification, for every subscriber. */
    get rawTopic(): string {
        return `/event/${this.admin.eventName}`;
    }

    /** Whether the last reconcile met an error (some audiences may be on the raw channel). */
    get incomplete(): boolean {
        return this.failed;
    }

    /** The channel an audience's console subscribes to. */
    topicOf(audience: string): string {
        return this.topics.get(audience) ?? this.rawTopic;
    }

    /**
     * Makes the org's channels those `audiences` need, from what exists (after a restart, or
     * another gateway's work): creates what is missing, changes filters that differ, retires
     * the channels of audiences that are gone. Runs one at a time; never throws.
     */
    sync(audiences: readonly string[]): Promise<void> {
        const next = this.running.then(() => this.reconcile(audiences));
        this.running = next;
        return next;
    }

    private report(error: unknown): void {
        this.failed = true;
        this.options.onError?.(error);
    }

    private async reconcile(audiences: readonly string[]): Promise<void> {
        this.failed = false;
        let listing: Awaited<ReturnType<ChannelAdmin['list']>>;
        try {
            listing = await this.admin.list();
        } catch (error) {
            // Without the list nothing can be trusted to exist: everyone on the raw channel.
            this.report(error);
            this.topics = new Map();
            return;
        }
        const cap = this.options.cap ?? CUSTOM_CHANNEL_CAP;
        const own = listing.channels.filter((c) => OWN_CHANNEL.test(c.fullName));
        const others = listing.channels.length - own.length;
        const limit = Math.max(
            0,
            Math.min(Math.floor((cap * this.options.sharePercent) / 100), cap - others)
        );
        const plan = planChannels(audiences, limit, this.admin.audienceField);
        const wanted = new Set(plan.map((p) => p.fullName));
        const membersOf = (channelId: string) =>
            listing.members.filter((m) => m.channelId === channelId);

        // Retired first: what they free of the cap is what the new ones need.
        const topics = new Map<string, string>();
        for (const channel of own) {
            if (wanted.has(channel.fullName)) continue;
            try {
                for (const member of membersOf(channel.id))
                    await this.admin.deleteMember(member.id);
                await this.admin.deleteChannel(channel.id);
            } catch (error) {
                this.report(error);
            }
        }
        for (const planned of plan) {
            try {
                await this.ensure(planned, own, membersOf);
                for (const audience of planned.audiences)
                    topics.set(audience, `/event/${planned.fullName}`);
            } catch (error) {
                // Its audiences stay on the raw channel: slower to pay for, never silent.
                this.report(error);
            }
        }
        this.topics = topics;
    }

    private async ensure(
        planned: PlannedChannel,
        own: readonly OrgChannel[],
        membersOf: (channelId: string) => OrgChannelMember[]
    ): Promise<void> {
        const existing = own.find((c) => c.fullName === planned.fullName);
        if (!existing) {
            await this.admin.createChannel(planned.fullName, CHANNEL_LABEL).catch((error) => {
                if (!alreadyThere(error)) throw error;
            });
        }
        const members = existing ? membersOf(existing.id) : [];
        const current = members.find((m) => m.selectedEntity === this.admin.eventName);
        if (current?.filterExpression === planned.filterExpression) return;
        // The channel carries the notification only, filtered as planned. Between removing
        // a changed member and adding its successor the channel is quiet: the console's
        // quiet check fetches what that moment held back.
        for (const member of members) await this.admin.deleteMember(member.id);
        await this.admin.createMember(planned.fullName, planned.filterExpression).catch((error) => {
            if (!alreadyThere(error)) throw error;
        });
    }
}
