/**
 * Gateway health for the admin: connection status, platform event deliveries used today
 * against the budget, live sessions, what the ingest kept out (bots, Do-Not-Track,
 * missing consent, invalid events), the standard-object permissions Sightline users lack
 * (which the package cannot grant), the org writes waiting to be replayed and the latest
 * errors. Presentational: `health` is
 * what `getHealth` returns (or undefined with `error` when the gateway did not answer);
 * emits `refresh`.
 */
import { LightningElement, api } from 'lwc';
import type { GatewayHealth } from 'c/setupModel';

const number = (n: number) => n.toLocaleString('en-US');

export default class SetupHealth extends LightningElement {
    @api health: GatewayHealth | undefined;
    @api error: string | undefined;

    get connected(): boolean {
        return this.health !== undefined;
    }

    get statusLabel(): string {
        if (!this.health) return 'Not connected';
        if (this.health.status === 'down') return 'Connected, org writes stalled';
        return this.health.status === 'ok' ? 'Connected' : 'Connected, degraded';
    }

    get statusClass(): string {
        if (!this.health) return 'slds-badge slds-theme_error';
        if (this.health.status === 'down') return 'slds-badge slds-theme_error';
        return this.health.status === 'ok'
            ? 'slds-badge slds-theme_success'
            : 'slds-badge slds-theme_warning';
    }

    get modeLabel(): string {
        return this.health?.mode === 'org' ? 'Salesforce org' : 'Local org';
    }

    get uptime(): string {
        const s = this.health?.uptimeSeconds ?? 0;
        if (s < 60) return `${s} s`;
        if (s < 3600) return `${Math.floor(s / 60)} min`;
        return `${Math.floor(s / 3600)} h ${Math.floor((s % 3600) / 60)} min`;
    }

    get sessions(): string {
        const n = this.health?.liveSessions;
        return n === null || n === undefined ? 'Not reported' : number(n);
    }

    /** How long ago the gateway applied the streams and rules: an admin's save is live after it. */
    get routingApplied(): string {
        const applied = this.health?.routingAppliedAt;
        if (!applied || !this.health) return 'Not loaded yet';
        const seconds = Math.max(
            0,
            Math.round((Date.parse(this.health.generatedAt) - Date.parse(applied)) / 1000)
        );
        return `Applied ${seconds < 60 ? `${seconds} s` : `${Math.floor(seconds / 60)} min`} ago`;
    }

    get hasEvents(): boolean {
        return !!this.health?.events;
    }

    get eventsText(): string {
        const e = this.health?.events;
        return e
            ? `${number(e.usedToday)} of ${number(e.budget)} deliveries used in the last 24 hours`
            : '';
    }

    get eventsPercent(): number {
        return Math.round((this.health?.events?.share ?? 0) * 100);
    }

    get eventsBarStyle(): string {
        return `width: ${this.eventsPercent}%`;
    }

    get eventsDetail(): string {
        const e = this.health?.events;
        if (!e) return '';
        const parts = [`${this.eventsPercent}% of the budget`];
        if (e.allocation) parts.push(`org allocation ${number(e.allocation)} a day`);
        if (e.batchWindowMs !== undefined)
            parts.push(`updates batched every ${(e.batchWindowMs / 1000).toFixed(1)} s`);
        if (e.projectedDay !== undefined)
            parts.push(`${number(e.projectedDay)} projected over a day at this pace`);
        if (e.subscribers !== undefined)
            parts.push(
                `${number(e.subscribers)} console${e.subscribers === 1 ? '' : 's'} subscribed`
            );
        return parts.join(' · ');
    }

    get hasKeptOut(): boolean {
        return !!this.health?.keptOut;
    }

    get botsText(): string {
        const k = this.health?.keptOut;
        if (!k) return '';
        return `${number(k.botBeacons)} beacons (${number(k.botEvents)} events) from bots and automated browsers`;
    }

    get privacyText(): string {
        const k = this.health?.keptOut;
        if (!k) return '';
        return `${number(k.doNotTrack)} beacons with Do-Not-Track · ${number(k.noConsent)} without the consent the site requires`;
    }

    get rejectedText(): string {
        const k = this.health?.keptOut;
        return k
            ? `${number(k.rejectedEvents)} invalid events refused (the rest of their batches kept)`
            : '';
    }

    get permissionsKnown(): boolean {
        return !!this.health?.permissions;
    }

    get permissionGaps() {
        return (this.health?.permissions?.gaps ?? []).map((g) => ({
            key: `${g.userId}-${g.role}-${g.object}`,
            name: g.name,
            role: g.role,
            object: g.object,
            missing: g.missing.join(', ')
        }));
    }

    get hasPermissionGaps(): boolean {
        return this.permissionGaps.length > 0;
    }

    get permissionsSummary(): string {
        const p = this.health?.permissions;
        if (!p) return '';
        const users = `${number(p.checkedUsers)} Sightline ${p.checkedUsers === 1 ? 'user' : 'users'}`;
        return p.gaps.length === 0
            ? `All ${users} hold the standard-object permissions Sightline needs.`
            : `Some of the ${users} lack standard-object permissions the package cannot grant: add them to their profiles or a permission set of yours.`;
    }

    get hasOrgWrites(): boolean {
        return !!this.health?.orgWrites;
    }

    /** How many writes wait for the org, and since when. */
    get orgWritesText(): string {
        const w = this.health?.orgWrites;
        if (!w || !this.health) return '';
        if (w.depth === 0) return 'None waiting: the org takes every write.';
        const waited = w.oldestAt
            ? Math.max(
                  0,
                  Math.round((Date.parse(this.health.generatedAt) - Date.parse(w.oldestAt)) / 1000)
              )
            : 0;
        const age = waited < 60 ? `${waited} s` : `${Math.floor(waited / 60)} min`;
        return `${number(w.depth)} ${w.depth === 1 ? 'write waits' : 'writes wait'} for the org, the oldest for ${age}; they are replayed in order once it answers.`;
    }

    get orgWritesError(): string {
        const e = this.health?.orgWrites?.lastError;
        if (!e) return '';
        return `Last refusal: ${e.code ? `${e.code}: ` : ''}${e.message} (${new Date(e.at).toLocaleString()})`;
    }

    get orgWritesDead(): string {
        const n = this.health?.orgWrites?.deadLetters ?? 0;
        return n === 0
            ? ''
            : `${number(n)} ${n === 1 ? 'write' : 'writes'} the org refused for good, set aside in the gateway's journal and not retried.`;
    }

    get errors() {
        return (this.health?.lastErrors ?? []).map((e, index) => ({
            key: `${index}`,
            at: new Date(e.at).toLocaleString(),
            message: e.message,
            code: e.code ?? ''
        }));
    }

    get hasErrors(): boolean {
        return this.errors.length > 0;
    }

    handleRefresh(): void {
        this.dispatchEvent(new CustomEvent('refresh'));
    }
}
