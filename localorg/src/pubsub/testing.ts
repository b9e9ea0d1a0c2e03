/**
 * Helpers for tests that drive the local org's Pub/Sub server with the real
 * `salesforce-pubsub-api-client`.
 */
import PubSubApiClient from 'salesforce-pubsub-api-client';
import type { EntitySource } from './eventSchemas';

export const TEST_ORG_ID = '00D000000000001AAA';

const field = (apiName: string, type: string) => [apiName, { apiName, type }] as const;

/** The packaged event and an object of the gateway's configuration, as metadata describes them. */
export const TEST_ENTITIES: EntitySource[] = [
    {
        apiName: 'Visitor_Update__e',
        kind: 'platformEvent',
        fields: new Map([
            field('Audience__c', 'Text'),
            field('Kind__c', 'Text'),
            field('Sequence__c', 'Number'),
            field('Epoch__c', 'Text')
        ])
    },
    {
        apiName: 'Live_Stream__c',
        kind: 'object',
        fields: new Map([
            field('Id', 'Id'),
            field('Name', 'Text'),
            field('OwnerId', 'Lookup'),
            field('CreatedDate', 'DateTime'),
            field('LastModifiedDate', 'DateTime'),
            field('Active__c', 'Checkbox'),
            field('Priority__c', 'Number'),
            field('Color__c', 'Text')
        ])
    }
];

const quiet = { debug() {}, info() {}, warn() {}, error() {} };

/** A client of the local endpoint with a user-supplied token, as the gateway connects. */
export async function connectClient(
    endpoint: string,
    accessToken: string
): Promise<PubSubApiClient> {
    const client = new PubSubApiClient(
        {
            authType: 'user-supplied',
            accessToken,
            instanceUrl: 'https://localhost',
            organizationId: TEST_ORG_ID,
            pubSubEndpoint: endpoint,
            rejectUnauthorizedSsl: false
        },
        quiet
    );
    await client.connect();
    return client;
}

/** Waits for a condition, polling; fails with the label after `timeoutMs`. */
export async function waitFor(
    label: string,
    condition: () => boolean,
    timeoutMs = 5000
): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!condition()) {
        if (Date.now() > deadline) throw new Error(`Timed out waiting for ${label}`);
        await new Promise((resolve) => setTimeout(resolve, 10));
    }
}
