import { createElement } from 'lwc';
import SetupHealth from 'c/setupHealth';
import type { GatewayHealth } from 'c/setupModel';

const flush = () => Promise.resolve();

const HEALTH: GatewayHealth = {
    status: 'ok',
    mode: 'local',
    startedAt: '2026-11-25T10:00:00.000Z',
    generatedAt: '2026-11-25T11:30:00.000Z',
    uptimeSeconds: 5460,
    liveSessions: 1234,
    routingAppliedAt: '2026-11-25T11:29:58.000Z',
    events: {
        usedToday: 45_000,
        budget: 250_000,
        allocation: 250_000,
        batchWindowMs: 1500,
        projectedDay: 61_200,
        subscribers: 14,
        share: 0.18
    },
    keptOut: { botBeacons: 2000, botEvents: 2150, doNotTrack: 12, noConsent: 3, rejectedEvents: 7 },
    permissions: { checkedUsers: 13, gaps: [] },
    orgWrites: { depth: 0, oldestAt: null, lastError: null, deadLetters: 0 },
    lastErrors: []
};

describe('c-setup-health', () => {
    afterEach(() => {
        while (document.body.firstChild) document.body.removeChild(document.body.firstChild);
    });

    function mount(props: Record<string, unknown>) {
        const element = createElement('c-setup-health', { is: SetupHealth });
        Object.assign(element, props);
        document.body.appendChild(element);
        const root = element.shadowRoot!;
        return {
            element,
            root,
            text: (id: string) => root.querySelector(`[data-id="${id}"]`)?.textContent ?? null
        };
    }

    it('shows a connected gateway with its uptime, sessions and the event budget used', () => {
        const { root, text } = mount({ health: HEALTH });
        expect(text('status')).toBe('Connected');
        expect(root.querySelector('[data-id="status"]')!.className).toContain('slds-theme_success');
        expect(root.textContent).toContain('Local org, up 1 h 31 min');
        expect(text('sessions')).toBe('1,234');
        expect(text('routing-applied')).toBe('Applied 2 s ago');
        expect(text('events')).toBe('45,000 of 250,000 deliveries used in the last 24 hours');
        const bar = root.querySelector('[role="progressbar"]')!;
        expect(bar.getAttribute('aria-valuenow')).toBe('18');
        expect((bar.querySelector('.slds-progress-bar__value') as HTMLElement).style.width).toBe(
            '18%'
        );
        expect(root.textContent).toContain(
            '18% of the budget · org allocation 250,000 a day · updates batched every 1.5 s · 61,200 projected over a day at this pace · 14 consoles subscribed'
        );
        expect(text('no-errors')).toBe('No errors since the gateway started.');
        expect(text('health-error')).toBeNull();
    });

    it('says every Sightline user holds the profile permissions, or lists who lacks what', async () => {
        const { element, root, text } = mount({ health: HEALTH });
        expect(text('permissions-summary')).toBe(
            'All 13 Sightline users hold the standard-object permissions Sightline needs.'
        );
        expect(root.querySelector('[data-id="permission-gaps"]')).toBeNull();

        element.health = {
            ...HEALTH,
            status: 'degraded',
            permissions: {
                checkedUsers: 13,
                gaps: [
                    {
                        userId: '005A',
                        name: 'Aiko Tanaka',
                        role: 'Rep',
                        object: 'Lead',
                        missing: ['Create', 'Edit']
                    }
                ]
            }
        };
        await flush();
        expect(text('permissions-summary')).toContain('lack standard-object permissions');
        const cells = Array.from(
            root.querySelectorAll('[data-id="permission-gaps"] tbody td'),
            (td) => td.textContent
        );
        expect(cells).toEqual(['Aiko Tanaka', 'Rep', 'Lead', 'Create, Edit']);

        element.health = { ...HEALTH, permissions: null };
        await flush();
        expect(text('permissions-summary')).toBe(
            'Could not be read from the org (see the errors below).'
        );
    });

    it('shows what the ingest kept out: bots, privacy refusals and invalid events', () => {
        const { text } = mount({ health: HEALTH });
        expect(text('bots')).toBe('2,000 beacons (2,150 events) from bots and automated browsers');
        expect(text('privacy')).toBe(
            '12 beacons with Do-Not-Track · 3 without the consent the site requires'
        );
        expect(text('rejected')).toBe('7 invalid events refused (the rest of their batches kept)');
    });

    it('shows the writes waiting for the org, its last refusal and the writes set aside', async () => {
        const { element, root, text } = mount({ health: HEALTH });
        expect(text('org-writes')).toBe('None waiting: the org takes every write.');
        expect(text('org-writes-error')).toBeNull();
        expect(text('org-writes-dead')).toBeNull();

        element.health = {
            ...HEALTH,
            status: 'degraded',
            orgWrites: {
                depth: 1240,
                oldestAt: '2026-11-25T11:27:30.000Z',
                lastError: {
                    at: '2026-11-25T11:29:50.000Z',
                    message: 'TotalRequests Limit exceeded.',
                    code: 'REQUEST_LIMIT_EXCEEDED'
                },
                deadLetters: 2
            }
        };
        await flush();
        expect(text('status')).toBe('Connected, degraded');
        expect(text('org-writes')).toBe(
            '1,240 writes wait for the org, the oldest for 2 min; they are replayed in order once it answers.'
        );
        expect(text('org-writes-error')).toContain(
            'Last refusal: REQUEST_LIMIT_EXCEEDED: TotalRequests Limit exceeded.'
        );
        expect(text('org-writes-dead')).toBe(
            "2 writes the org refused for good, set aside in the gateway's journal and not retried."
        );

        element.health = {
            ...HEALTH,
            status: 'down',
            orgWrites: {
                depth: 1,
                oldestAt: '2026-11-25T11:15:00.000Z',
                lastError: null,
                deadLetters: 0
            }
        };
        await flush();
        expect(text('status')).toBe('Connected, org writes stalled');
        expect(root.querySelector('[data-id="status"]')!.className).toContain('slds-theme_error');
        expect(text('org-writes')).toBe(
            '1 write waits for the org, the oldest for 15 min; they are replayed in order once it answers.'
        );

        element.health = { ...HEALTH, orgWrites: null };
        await flush();
        expect(text('org-writes')).toBe('Not reported (no writes are deferred).');
    });

    it('says so when nothing reports what was kept out', () => {
        const { text } = mount({ health: { ...HEALTH, keptOut: null } });
        expect(text('kept-out')).toBe('Not reported (the ingest is not running).');
    });

    it('says when the gateway is degraded and lists its last errors', () => {
        const { root, text } = mount({
            health: {
                ...HEALTH,
                status: 'degraded',
                mode: 'org',
                liveSessions: null,
                routingAppliedAt: null,
                events: null,
                lastErrors: [
                    {
                        at: '2026-11-25T11:29:00.000Z',
                        message: 'Publish failed: limit exceeded',
                        code: 'LIMIT'
                    }
                ]
            }
        });
        expect(text('status')).toBe('Connected, degraded');
        expect(root.querySelector('[data-id="status"]')!.className).toContain('slds-theme_warning');
        expect(root.textContent).toContain('Salesforce org, up 1 h 31 min');
        expect(text('routing-applied')).toBe('Not loaded yet');
        expect(text('sessions')).toBe('Not reported');
        expect(text('events')).toContain('No event publisher has reported usage yet');
        expect(root.querySelector('[role="progressbar"]')).toBeNull();
        const rows = [...root.querySelectorAll('[data-id="errors"] tbody tr')].map(
            (tr) => tr.querySelectorAll('td')[1]!.textContent
        );
        expect(rows).toEqual(['Publish failed: limit exceeded']);
    });

    it('says when the gateway cannot be reached, with the reason, and offers a refresh', async () => {
        const { element, root, text } = mount({
            health: undefined,
            error: 'The gateway did not answer (timeout).'
        });
        const refreshes: Event[] = [];
        element.addEventListener('refresh', (e) => refreshes.push(e));
        expect(text('status')).toBe('Not connected');
        expect(root.querySelector('[data-id="status"]')!.className).toContain('slds-theme_error');
        expect(text('health-error')).toBe('The gateway did not answer (timeout).');
        expect(text('sessions')).toBeNull();
        expect(text('events')).toBeNull();
        (root.querySelector('lightning-button') as HTMLElement).click();
        await flush();
        expect(refreshes).toHaveLength(1);
    });
});
