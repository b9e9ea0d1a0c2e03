import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { apexSignatureHeaders } from '../../../localorg/src/apex/apexSigner';
import { canonicalRequest, signatureOf } from './requestSignature';

/** The same vector as SightlineSignerTest.signsTheSharedTestVector (Apex). */
const VECTOR = {
    secret: 'test-secret-0123456789abcdef0123456789abcdef0123',
    action: 'pounce',
    body: '{"visitorId":"visit_01"}',
    orgId: '00D000000000001AAA',
    userId: '005000000000001AAA',
    timestamp: 1767225600000,
    nonce: '0123456789abcdef0123456789abcdef',
    signature: 'b11c18401017f13438d2d7333fb197599452bc0b7a96e22a6bfe962268193bae'
};

describe('request signature', () => {
    it("the gateway's check computes the shared test vector", () => {
        const fields = { ...VECTOR, timestamp: String(VECTOR.timestamp) };
        assert.equal(signatureOf(VECTOR.secret, fields), VECTOR.signature);
        assert.equal(
            canonicalRequest(fields),
            [
                'SIGHTLINE-HMAC-SHA256-v1',
                'POST',
                '/api/v1/actions/pounce',
                VECTOR.orgId,
                VECTOR.userId,
                '1767225600000',
                VECTOR.nonce,
                'cef58a1b2103aa8c3b9e67bd695b679a0b9d7d3849ca74360d88dbbdbdc19bc4'
            ].join('\n')
        );
    });

    it("the Apex stand-in's twin signs the shared test vector identically", () => {
        const headers = apexSignatureHeaders(
            VECTOR.action,
            VECTOR.body,
            { secret: VECTOR.secret, orgId: VECTOR.orgId, userId: VECTOR.userId },
            VECTOR.timestamp,
            VECTOR.nonce
        );
        assert.deepEqual(headers, {
            'X-Sightline-Org': VECTOR.orgId,
            'X-Sightline-User': VECTOR.userId,
            'X-Sightline-Timestamp': '1767225600000',
            'X-Sightline-Nonce': VECTOR.nonce,
            'X-Sightline-Signature': VECTOR.signature
        });
    });

    it('hashes the body as UTF-8 bytes (a message with accents signs the same on both sides)', () => {
        const body = '{"body":"Ça coûte combien ? 👋"}';
        const context = { secret: VECTOR.secret, orgId: VECTOR.orgId, userId: VECTOR.userId };
        const twin = apexSignatureHeaders('sendMessage', body, context, 1, VECTOR.nonce);
        assert.equal(
            signatureOf(VECTOR.secret, {
                action: 'sendMessage',
                body,
                orgId: VECTOR.orgId,
                userId: VECTOR.userId,
                timestamp: '1',
                nonce: VECTOR.nonce
            }),
            twin['X-Sightline-Signature']
        );
    });
});
