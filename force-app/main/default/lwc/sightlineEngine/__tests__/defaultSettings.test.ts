import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { DEFAULT_SCORE_WEIGHTS, resolveScoreWeights } from '../sightlineEngine';

const settingsFile = join(
    import.meta.dirname,
    '../../../customMetadata/Sightline_Setting.Default.md-meta.xml'
);

describe('the packaged default settings', () => {
    it('carry score weights in the shape the engine reads, equal to its defaults', () => {
        const xml = readFileSync(settingsFile, 'utf8');
        const raw = /<field>Score_Weights__c<\/field>\s*<value[^>]*>([^<]*)<\/value>/.exec(
            xml
        )?.[1];
        assert.ok(raw, 'Score_Weights__c has a value');
        const parsed: unknown = JSON.parse(raw);
        assert.deepEqual(parsed, DEFAULT_SCORE_WEIGHTS);
        assert.deepEqual(resolveScoreWeights(raw), DEFAULT_SCORE_WEIGHTS);
    });
});
