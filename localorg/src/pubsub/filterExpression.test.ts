import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FilterExpressionError, matchesFilter, parseFilterExpression } from './filterExpression';

const FIELDS = ['Audience__c', 'Kind__c', 'Sequence__c', 'Urgent__c'];
const resolve = (name: string): string | undefined =>
    FIELDS.find((f) => f.toLowerCase() === name.toLowerCase());
const matches = (expression: string, values: Record<string, unknown>): boolean =>
    matchesFilter(parseFilterExpression(expression, resolve), values);

describe('filter expressions of custom channel members', () => {
    it('compares text case-insensitively, as the platform does', () => {
        assert.equal(matches("Audience__c = '005ABC'", { Audience__c: '005abc' }), true);
        assert.equal(matches("audience__c != '005ABC'", { Audience__c: '005abc' }), false);
        assert.equal(matches("Audience__c = '005ABC'", { Audience__c: '005abd' }), false);
    });

    it('orders numbers and ignores nulls in ordering comparisons', () => {
        assert.equal(matches('Sequence__c > 10', { Sequence__c: 11 }), true);
        assert.equal(matches('Sequence__c >= 11 AND Sequence__c <= 11', { Sequence__c: 11 }), true);
        assert.equal(matches('Sequence__c < 10', { Sequence__c: null }), false);
        assert.equal(matches('Sequence__c < -1.5', { Sequence__c: -2 }), true);
    });

    it('supports LIKE with % and _ wildcards', () => {
        assert.equal(matches("Kind__c LIKE 'chat%'", { Kind__c: 'Chat_Request' }), true);
        assert.equal(matches("Kind__c LIKE 'd_lta'", { Kind__c: 'delta' }), true);
        assert.equal(matches("Kind__c LIKE 'd_lta'", { Kind__c: 'deltas' }), false);
        assert.equal(matches("Kind__c LIKE '50%'", { Kind__c: '50.5' }), true);
    });

    it('supports IN and NOT IN', () => {
        assert.equal(matches("Kind__c IN ('delta', 'CHAT')", { Kind__c: 'chat' }), true);
        assert.equal(matches("Kind__c NOT IN ('delta', 'chat')", { Kind__c: 'typing' }), true);
        assert.equal(matches("Kind__c NOT IN ('delta')", { Kind__c: 'delta' }), false);
    });

    it('binds AND tighter than OR and honours parentheses', () => {
        const values = { Audience__c: 'a', Kind__c: 'x', Urgent__c: false };
        assert.equal(matches("Audience__c = 'b' AND Kind__c = 'y' OR Kind__c = 'x'", values), true);
        assert.equal(
            matches("Audience__c = 'b' AND (Kind__c = 'y' OR Kind__c = 'x')", values),
            false
        );
        assert.equal(matches('Urgent__c = false', values), true);
    });

    it('refuses unknown fields, missing values, unsupported operators and trailing input', () => {
        for (const bad of [
            "Owner__c = 'x'",
            'Kind__c =',
            "Kind__c <> 'x'",
            "Kind__c = 'x' Audience__c = 'y'",
            "Kind__c = 'unterminated",
            "(Kind__c = 'x'",
            '',
            'Sequence__c LIKE 5'
        ]) {
            assert.throws(() => parseFilterExpression(bad, resolve), FilterExpressionError, bad);
        }
    });
});
