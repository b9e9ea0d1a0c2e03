/**
 * The contract check against the real controller, and against copies of it with each kind
 * of drift the check exists for.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { checkActionContract, CONTROLLER } from './actionContractCheck';

const root = join(import.meta.dirname, '../..');
const source = readFileSync(join(root, `force-app/main/default/classes/${CONTROLLER}.cls`), 'utf8');
const messages = (text: string) => checkActionContract(text, 'c.cls').map((f) => f.message);

function drift(from: string | RegExp, to: string): string[] {
    const changed = source.replace(from, () => to);
    assert.notEqual(
        changed,
        source,
        `the controller no longer contains ${typeof from === 'string' ? from : `/${from.source}/${from.flags}`}`
    );
    return messages(changed);
}

describe('action contract ⇄ Apex controller', () => {
    it('the controller satisfies the contract', () => {
        assert.deepEqual(messages(source), []);
    });

    it('catches a message length that differs (32,768 vs 2,000)', () => {
        assert.match(
            drift('MAX_MESSAGE_LENGTH = 2000;', 'MAX_MESSAGE_LENGTH = 32768;').join('\n'),
            /sendMessage: body must be limited to 2000 characters \(found MAX_MESSAGE_LENGTH = 32768\)/
        );
    });

    it('catches a renamed, retyped or missing parameter', () => {
        assert.match(
            drift('String body, String clientMessageId)', 'String body, String clientId)').join(
                '\n'
            ),
            /sendMessage: parameters \(String conversationId, String body, String clientId\) differ/
        );
        assert.match(
            drift(
                'String conversationId, Boolean typing)',
                'String conversationId, String typing)'
            ).join('\n'),
            /setTyping: parameters/
        );
    });

    it('catches an optional parameter the contract requires (clientMessageId unchecked)', () => {
        assert.match(
            drift("clientId(clientMessageId, 'Client message id')", 'clientMessageId').join('\n'),
            /clientMessageId \(clientId\) is not checked with clientId\(clientMessageId, …\)/
        );
    });

    it('catches availability values in another casing', () => {
        assert.match(
            drift("{ 'Available', 'Away', 'Offline' }", "{ 'available', 'away', 'offline' }").join(
                '\n'
            ),
            /AVAILABILITY allows available, away, offline; the contract Available, Away, Offline/
        );
    });

    it('catches an admin action without requireAdmin() and a method outside the contract', () => {
        const found = drift(
            /public static Object getHealth\(\) \{\s*requireAdmin\(\);/,
            'public static Object getHealth() {'
        ).join('\n');
        assert.match(
            found,
            /getHealth: is admin-only in the contract but does not call requireAdmin\(\)/
        );
        assert.match(
            drift(
                '// Input checks',
                '@AuraEnabled public static Object dropTables() { return null; }\n// Input checks'
            ).join('\n'),
            /@AuraEnabled dropTables is not in the action contract/
        );
    });

    it('catches a token pattern longer than the contract allows', () => {
        assert.match(
            drift("'^[A-Za-z0-9_-]{1,64}$'", "'^[A-Za-z0-9_-]{1,255}$'").join('\n'),
            /TOKEN allows 255 characters, the contract 64/
        );
    });
});
