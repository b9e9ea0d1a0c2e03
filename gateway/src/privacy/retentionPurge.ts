/**
 * The retention limit for visitor data (`Sightline_Setting.Default.Visitor_Retention_Days__c`):
 * once an hour (and once at start), Website_Visitor__c records not seen for longer than
 * the limit are deleted with their conversations and messages, through the CRM port, in
 * bounded rounds (so one run never holds the org for long). A limit of 0 keeps visitor
 * data. The gateway's live state of a visit (session, sticky assignment, claim) is
 * forgotten when the visit ends (30 minutes without a beacon), long before any limit.
 */
import type { CrmPort, PurgedVisitorData } from '../crm/crmPort';
import type { Clock, TimerHandle } from '../live/clock';

export const PURGE_EVERY_MS = 60 * 60_000;
/** Records deleted per round; rounds repeat until a round finds fewer. */
export const PURGE_ROUND = 200;
const DAY_MS = 24 * 60 * 60_000;

export interface PurgeReport extends PurgedVisitorData {
    /** When the run started (ISO) and the cut-off it used. */
    at: string;
    lastSeenBefore: string;
}

export class RetentionPurge {
    private timer: TimerHandle | undefined;
    private running: Promise<PurgeReport | undefined> = Promise.resolve(undefined);
    last: PurgeReport | undefined;

    constructor(
        private readonly crm: CrmPort,
        private readonly clock: Clock,
        private readonly retentionDays: number,
        private readonly onError: (error: unknown) => void = () => {}
    ) {}

    get enabled(): boolean {
        return this.retentionDays > 0;
    }

    start(): void {
        if (!this.enabled) return;
        void this.run();
        this.timer = this.clock.setInterval(() => void this.run(), PURGE_EVERY_MS);
    }

    /** Resolves when the run under way (if any) is done. */
    settled(): Promise<unknown> {
        return this.running;
    }

    stop(): Promise<unknown> {
        this.timer?.cancel();
        return this.running;
    }

    /** One purge now (after any run under way). Errors are reported, never thrown. */
    run(): Promise<PurgeReport | undefined> {
        this.running = this.running.then(() => this.purge());
        return this.running;
    }

    private async purge(): Promise<PurgeReport | undefined> {
        if (!this.enabled) return undefined;
        const now = this.clock.now();
        const lastSeenBefore = new Date(now - this.retentionDays * DAY_MS).toISOString();
        const report: PurgeReport = {
            at: new Date(now).toISOString(),
            lastSeenBefore,
            visitors: 0,
            conversations: 0,
            messages: 0
        };
        try {
            for (;;) {
                const round = await this.crm.purgeVisitorData(lastSeenBefore, PURGE_ROUND);
                report.visitors += round.visitors;
                report.conversations += round.conversations;
                report.messages += round.messages;
                if (round.visitors < PURGE_ROUND) break;
            }
        } catch (error) {
            this.onError(error);
        }
        this.last = report;
        return report;
    }
}
