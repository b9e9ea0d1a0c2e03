import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import Fastify from 'fastify';
import { ActionRegistry, type ActingUser } from '../actions/actionRegistry';
import { UserFacingError } from '../actions/userFacingError';
import type { CrmPort } from '../crm/crmPort';
import { validateCriteria, type Visitor } from '../engine';
import { startTestGateway, type TestGateway } from '../testing/liveTestApp';
import { registerAdminActions, type DryRunVisitors } from './adminActions';
import type { GatewayHealth } from './health';
import type { SetupRoutingConfig } from './routingConfig';

const ADMIN: ActingUser = { id: '005000000000001AAA', name: 'Priya Raman', isAdmin: true };
const REP: ActingUser = { id: '005000000000002AAA', name: 'Maya Chen', isAdmin: false };
const NOW = Date.UTC(2026, 10, 25, 9, 0, 0);

describe('admin actions', () => {
    let gw: TestGateway;
    let crm: CrmPort;

    before(async () => {
        gw = await startTestGateway();
        crm = gw.crm;
    });
    after(() => gw.close());

    function registry(
        extra: Partial<Parameters<typeof registerAdminActions>[1]> = {}
    ): ActionRegistry {
        const actions = new ActionRegistry();
        registerAdminActions(actions, { crm, now: () => NOW, liveVisitors: () => [], ...extra });
        return actions;
    }

    /** The local org's CRM with another answer to `objectAccess`. */
    function withObjectAccess(objectAccess: CrmPort['objectAccess']): CrmPort {
        return Object.assign(Object.create(crm) as CrmPort, { objectAccess });
    }

    it('refuses every admin action to a rep with a 403 the console can show', async () => {
        const actions = registry();
        for (const name of ['getRoutingConfig', 'getDryRunVisitors', 'getHealth']) {
            await assert.rejects(actions.run(name, REP, {}), (error: unknown) => {
                assert.ok(error instanceof UserFacingError, name);
                assert.equal(error.status, 403);
                assert.equal(error.message, 'Only a Sightline admin can do this.');
                return true;
            });
        }
    });

    it('returns the routing configuration as plain objects in priority and rule order', async () => {
        const config = (await registry().run('getRoutingConfig', ADMIN, {})) as SetupRoutingConfig;
        assert.deepEqual(
            config.streams.map((s) => s.name),
            ['Target Account', 'Open Opportunity', 'Paid Advertising', 'Pricing Page']
        );
        assert.deepEqual(
            config.streams.map((s) => s.priority),
            [1, 2, 3, 4]
        );
        const stream = config.streams[0]!;
        assert.match(stream.id, /^[a-zA-Z0-9]{18}$/);
        assert.equal(stream.color, '#0176D3');
        assert.equal(typeof stream.criteria, 'string');
        assert.ok(validateCriteria(stream.criteria).ok, 'stored criteria are valid');
        assert.equal(typeof stream.description, 'string');

        const orders = config.rules.map((r) => r.order);
        assert.deepEqual(
            orders,
            [...orders].sort((a, b) => a - b)
        );
        assert.ok(
            config.rules.every(
                (r) => typeof r.criteria === 'string' && Array.isArray(r.targetUserIds)
            )
        );
        assert.deepEqual(
            config.groups.map((g) => g.name),
            ['Account Executives', 'Inbound SDRs']
        );
        assert.ok(config.groups.every((g) => g.memberIds.length > 0));
        assert.ok(config.users.length >= 10, 'the reps');
        assert.ok(!config.users.some((u) => u.name === 'Priya Raman'), 'the admin is not a rep');
        assert.deepEqual(Object.keys(config.users[0]!).sort(), ['id', 'name', 'title']);
        // Survives JSON, as it must to cross the Apex callout.
        assert.deepEqual(JSON.parse(JSON.stringify(config)), config);
    });

    it('answers the dry run from the live store when it runs', async () => {
        const live: Visitor[] = [
            {
                identity: { level: 'anonymous', visitorId: 'v-live' },
                visit: { pages: [], utm: { medium: 'cpc' } }
            }
        ];
        const result = (await registry({ liveVisitors: () => live }).run(
            'getDryRunVisitors',
            ADMIN,
            {}
        )) as DryRunVisitors;
        assert.equal(result.source, 'live');
        assert.equal(result.now, NOW);
        assert.equal(result.generatedAt, new Date(NOW).toISOString());
        assert.deepEqual(result.visitors, live);
        assert.equal(result.truncated, false);
    });

    it('caps the dry run at 500 visitors and says it did', async () => {
        const many: Visitor[] = Array.from({ length: 501 }, (_, i) => ({
            identity: { level: 'anonymous', visitorId: `v-${i}` }
        }));
        const result = (await registry({ liveVisitors: () => many }).run(
            'getDryRunVisitors',
            ADMIN,
            {}
        )) as DryRunVisitors;
        assert.equal(result.visitors.length, 500);
        assert.equal(result.truncated, true);
    });

    it('reports health: status, sessions, event budget and the latest server errors', async () => {
        let clock = NOW;
        const app = Fastify({ logger: false });
        const actions = new ActionRegistry();
        registerAdminActions(actions, {
            crm,
            liveVisitors: () => [],
            app,
            now: () => clock,
            liveSessions: () => 12,
            routingAppliedAt: () => NOW + 30_000,
            deliveries: () => ({
                usedToday: 4000,
                budget: 20000,
                allocation: 25000,
                batchWindowMs: 2000
            }),
            keptOut: () => ({
                botBeacons: 2000,
                botEvents: 2100,
                doNotTrack: 3,
                noConsent: 1,
                rejectedEvents: 4
            })
        });
        app.get('/boom', async () => {
            throw new Error('Publisher failed: LIMIT_EXCEEDED');
        });
        app.get('/bad', async () => {
            throw Object.assign(new Error('Bad input'), { statusCode: 400 });
        });

        clock += 60_000;
        let health = (await actions.run('getHealth', ADMIN, {})) as GatewayHealth;
        assert.deepEqual(health, {
            status: 'ok',
            mode: 'local',
            startedAt: new Date(NOW).toISOString(),
            generatedAt: new Date(NOW + 60_000).toISOString(),
            uptimeSeconds: 60,
            liveSessions: 12,
            routingAppliedAt: new Date(NOW + 30_000).toISOString(),
            events: {
                usedToday: 4000,
                budget: 20000,
                allocation: 25000,
                batchWindowMs: 2000,
                share: 0.2
            },
            keptOut: {
                botBeacons: 2000,
                botEvents: 2100,
                doNotTrack: 3,
                noConsent: 1,
                rejectedEvents: 4
            },
            permissions: { checkedUsers: 13, gaps: [] },
            orgWrites: null,
            lastErrors: []
        });

        assert.equal((await app.inject('/boom')).statusCode, 500);
        assert.equal((await app.inject('/bad')).statusCode, 400);
        health = (await actions.run('getHealth', ADMIN, {})) as GatewayHealth;
        assert.equal(health.status, 'degraded', 'a recent error');
        assert.deepEqual(health.lastErrors, [
            { at: new Date(clock).toISOString(), message: 'Publisher failed: LIMIT_EXCEEDED' }
        ]);

        clock += 10 * 60_000;
        health = (await actions.run('getHealth', ADMIN, {})) as GatewayHealth;
        assert.equal(
            health.status,
            'ok',
            'errors older than 5 minutes are listed but no longer degrade'
        );
        assert.equal(health.lastErrors.length, 1);
        await app.close();
    });

    it('degrades when a Sightline user lacks a standard-object permission, and says which', async () => {
        const lacking = withObjectAccess(
            async (userIds) =>
                new Map(
                    userIds.map((id) => [
                        id,
                        new Map([
                            ['Lead', { read: true, create: true, edit: true }],
                            ['Account', { read: true, create: false, edit: false }]
                        ])
                    ])
                )
        );
        const health = (await registry({ crm: lacking }).run(
            'getHealth',
            ADMIN,
            {}
        )) as GatewayHealth;
        assert.equal(health.status, 'degraded');
        assert.deepEqual(
            health.permissions?.gaps.map((g) => [g.name, g.role, g.object, g.missing]),
            [['Priya Raman', 'Admin', 'Account', ['Edit']]]
        );
    });

    it('says the permissions could not be read when the org refuses the query', async () => {
        const refusing = withObjectAccess(() =>
            Promise.reject(new Error('INVALID_TYPE: sObject type not supported'))
        );
        const health = (await registry({ crm: refusing }).run(
            'getHealth',
            ADMIN,
            {}
        )) as GatewayHealth;
        assert.equal(health.permissions, null);
        assert.equal(health.status, 'degraded');
        assert.match(health.lastErrors[0]!.message, /object permissions: INVALID_TYPE/);
    });

    it('reports unknown parts as null rather than inventing them', async () => {
        const health = (await registry().run('getHealth', ADMIN, {})) as GatewayHealth;
        assert.equal(health.liveSessions, null);
        assert.equal(health.events, null);
        assert.equal(health.keptOut, null);
        const near = (await registry({
            deliveries: () => ({ usedToday: 19000, budget: 20000 })
        }).run('getHealth', ADMIN, {})) as GatewayHealth;
        assert.equal(near.status, 'degraded', '95 % of the budget');
        assert.equal(near.events?.share, 0.95);
    });

    it('shows the writes waiting for the org: degraded while any waits, down past 10 minutes', async () => {
        const waiting = (oldestAt: number) =>
            registry({
                orgWrites: () => ({
                    depth: 3,
                    oldestAt,
                    lastError: {
                        at: NOW,
                        message: 'TotalRequests Limit exceeded.',
                        code: 'REQUEST_LIMIT_EXCEEDED'
                    },
                    deadLetters: 1
                })
            }).run('getHealth', ADMIN, {}) as Promise<GatewayHealth>;
        const fresh = await waiting(NOW - 60_000);
        assert.equal(fresh.status, 'degraded');
        assert.deepEqual(fresh.orgWrites, {
            depth: 3,
            oldestAt: new Date(NOW - 60_000).toISOString(),
            lastError: {
                at: new Date(NOW).toISOString(),
                message: 'TotalRequests Limit exceeded.',
                code: 'REQUEST_LIMIT_EXCEEDED'
            },
            deadLetters: 1
        });
        assert.equal((await waiting(NOW - 11 * 60_000)).status, 'down');
        const empty = (await registry({
            orgWrites: () => ({ depth: 0, deadLetters: 0 })
        }).run('getHealth', ADMIN, {})) as GatewayHealth;
        assert.equal(empty.status, 'ok');
        assert.deepEqual(empty.orgWrites, {
            depth: 0,
            oldestAt: null,
            lastError: null,
            deadLetters: 0
        });
    });
});
