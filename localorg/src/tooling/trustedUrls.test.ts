import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Connection } from 'jsforce';
import { jwtConnection, startTestOrg, type TestOrg } from '../testing/testOrg';

interface TrustedUrl {
    Id: string;
    DeveloperName: string;
    EndpointUrl: string;
    IsActive: boolean;
    IsApplicableToConnectSrc: boolean;
}

describe('Trusted URLs (CspTrustedSite) and the shell’s Content-Security-Policy', () => {
    let org: TestOrg;
    let conn: Connection;
    before(async () => {
        const shellDir = mkdtempSync(join(tmpdir(), 'sightline-shell-'));
        mkdirSync(join(shellDir, 'app'));
        writeFileSync(join(shellDir, 'index.html'), '<html><head></head><body></body></html>');
        org = await startTestOrg({
            lightning: {
                shellDir,
                gateway: {
                    url: 'http://127.0.0.1:9',
                    apiKey: 'k',
                    signing: { secret: 's', orgId: '00D000000000001AAA' }
                }
            }
        });
        conn = await jwtConnection(org);
    });
    after(() => org.close());

    const site = async () =>
        (
            await conn.tooling.query<TrustedUrl>(
                "SELECT Id, DeveloperName, EndpointUrl, IsActive, IsApplicableToConnectSrc FROM CspTrustedSite WHERE DeveloperName = 'Sightline_Gateway'"
            )
        ).records[0]!;
    const pagePolicy = async () =>
        (await fetch(`${org.url()}/lightning/n/Sightline_Console`)).headers.get(
            'content-security-policy'
        );

    it('deploys the packaged trusted URL inactive, and the page connects to its own org only', async () => {
        const packaged = await site();
        assert.equal(packaged.EndpointUrl, 'wss://sightline-gateway.example.com');
        assert.equal(packaged.IsActive, false);
        assert.equal(packaged.IsApplicableToConnectSrc, true);
        assert.equal(await pagePolicy(), "connect-src 'self'");
    });

    it('allows the gateway’s origin once an admin sets its address and activates it', async () => {
        const { Id } = await site();
        await conn.tooling
            .sobject('CspTrustedSite')
            .update({ Id, EndpointUrl: 'ws://127.0.0.1:4300/', IsActive: true });
        assert.equal(await pagePolicy(), "connect-src 'self' ws://127.0.0.1:4300");
        await conn.tooling.sobject('CspTrustedSite').update({ Id, IsActive: false });
        assert.equal(await pagePolicy(), "connect-src 'self'");
    });

    it('refuses what Setup refuses: a malformed address, a read-only field', async () => {
        const { Id } = await site();
        const refusal = async (values: Record<string, unknown>) => {
            try {
                await conn.tooling.sobject('CspTrustedSite').update({ Id, ...values });
            } catch (error) {
                return (error as { errorCode?: string }).errorCode;
            }
            return 'accepted';
        };
        assert.equal(
            await refusal({ EndpointUrl: 'javascript:alert(1)' }),
            'FIELD_INTEGRITY_EXCEPTION'
        );
        assert.equal(await refusal({ DeveloperName: 'Other' }), 'INVALID_FIELD_FOR_INSERT_UPDATE');
        assert.equal(await refusal({ IsActive: 'yes' }), 'INVALID_TYPE');
        assert.equal((await site()).IsActive, false);
    });
});
