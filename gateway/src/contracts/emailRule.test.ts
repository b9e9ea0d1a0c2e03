import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { identityFromFields, validEmail as trackerRule } from '../../../tracker/src/forms';
import { IdentifyEvent } from './visitorProtocol';

const gatewayTakes = (email: string) =>
    IdentifyEvent.safeParse({ type: 'identify', ts: 1, email, source: 'form' }).success;

describe('one email rule for the tracker and the gateway', () => {
    it('the tracker sends exactly the addresses the gateway takes (fast-check, seeded)', () => {
        const candidates = fc.oneof(
            fc.emailAddress(),
            fc.string({ maxLength: 80 }),
            fc
                .tuple(fc.string({ maxLength: 20 }), fc.string({ maxLength: 20 }))
                .map(([a, b]) => `${a}@${b}`)
        );
        fc.assert(
            fc.property(candidates, (email) => trackerRule(email) === gatewayTakes(email)),
            { seed: 11, numRuns: 3000 }
        );
    });

    it('what the old rules disagreed on is now refused by both, before it is sent', () => {
        for (const email of [
            'a..b@lumen.example',
            '"ada"@lumen.example',
            'ada@lumen',
            'ada@-lumen.example',
            'ada @lumen.example'
        ]) {
            assert.equal(trackerRule(email), false, email);
            assert.equal(gatewayTakes(email), false, email);
            assert.equal(
                identityFromFields([{ type: 'email', hints: 'email', value: email }]),
                undefined,
                email
            );
        }
        for (const email of ['ada@lumen.example', "o'neil+demo@sub.lumen.co.uk"]) {
            assert.equal(trackerRule(email), true, email);
            assert.equal(gatewayTakes(email), true, email);
        }
    });
});
