import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Batcher } from './batcher';
import { QUERIES_PER_COMPOSITE, ReadWindow, type WindowCall } from './readWindow';

const soqlOf = (call: WindowCall) => (call.kind === 'query' ? call.soql : call.object);

describe('the shared read window', () => {
    it('sends the queries of a closing window together, at most 5 a call, each caller its own answer', async () => {
        const calls: string[][] = [];
        const window = new ReadWindow(5, async (batch) => {
            const soqls = batch.map(soqlOf);
            calls.push(soqls);
            return soqls.map((soql) =>
                soql.includes('broken') ? new Error(`refused: ${soql}`) : [{ Id: soql }]
            );
        });
        const kinds = Array.from({ length: 7 }, (_, i) => `kind${i}`);
        const batchers = kinds.map(
            (kind) =>
                new Batcher<string, string>(window, 200, async (keys) => {
                    const records = await window.query(`${kind}:${keys.join(',')}`);
                    return new Map(keys.map((key) => [key, String(records[0]?.Id)]));
                })
        );
        const answers = await Promise.all(
            batchers.flatMap((batcher, i) => [batcher.load(`a${i}`), batcher.load(`b${i}`)])
        );
        assert.deepEqual(
            calls.map((call) => call.length),
            [QUERIES_PER_COMPOSITE, kinds.length - QUERIES_PER_COMPOSITE]
        );
        assert.equal(answers[0], 'kind0:a0,b0');
        assert.equal(answers[13], 'kind6:a6,b6');

        const broken = new Batcher<string, string>(window, 200, async (keys) => {
            await window.query(`broken:${keys.join(',')}`);
            return new Map();
        });
        const fine = batchers[0]!.load('c');
        await assert.rejects(broken.load('x'), /refused: broken:x/);
        assert.equal(await fine, 'kind0:c', 'a refused query fails only its own callers');
        assert.equal(calls.at(-1)?.length, 2, 'both in one call');
    });

    it('sends a query asked outside a closing window alone', async () => {
        const calls: string[][] = [];
        const window = new ReadWindow(5, async (batch) => {
            calls.push(batch.map(soqlOf));
            return batch.map(() => []);
        });
        assert.deepEqual(await window.query('SELECT Id FROM User'), []);
        assert.deepEqual(calls, [['SELECT Id FROM User']]);
    });
});
