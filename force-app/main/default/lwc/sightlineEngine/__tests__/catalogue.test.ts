import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { FIELD_CATALOGUE, OPERATORS_BY_TYPE } from '../fieldCatalogue';

const dataModel = readFileSync(
    new URL('../../../../../../docs/DATA-MODEL.md', import.meta.url),
    'utf8'
);

describe('field catalogue', () => {
    it('has unique keys, and every field allows exactly the operators of its type', () => {
        const keys = FIELD_CATALOGUE.map((field) => field.key);
        assert.equal(new Set(keys).size, keys.length);
        for (const field of FIELD_CATALOGUE) {
            assert.deepEqual(field.operators, OPERATORS_BY_TYPE[field.type], field.key);
            assert.equal(
                field.type === 'picklist',
                (field.values ?? []).length > 0,
                `${field.key} picklist values`
            );
        }
    });

    it('names Salesforce sources that the data model documents', () => {
        for (const field of FIELD_CATALOGUE.filter((f) => f.group === 'Salesforce')) {
            assert.ok(field.source, `${field.key} has a source`);
            assert.ok(
                dataModel.includes(field.source.object),
                `${field.key}: object ${field.source.object}`
            );
            assert.ok(
                dataModel.includes(field.source.field),
                `${field.key}: field ${field.source.field}`
            );
        }
    });
});
