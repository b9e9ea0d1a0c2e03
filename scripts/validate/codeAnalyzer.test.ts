import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { findingsOf, runPmd, tierOf, type PmdViolation } from './codeAnalyzer';

const violation = (rule: string, file: string): PmdViolation => ({
    rule,
    message: `${rule} fired`,
    codeLocation: { file: `/p/${file}`, startLine: 3, startCol: 5 }
});

describe('Code Analyzer check', () => {
    it('tiers rules as Code Analyzer tags them', () => {
        assert.equal(tierOf('ApexSOQLInjection'), 'blocking'); // Security
        assert.equal(tierOf('ProtectSensitiveData'), 'blocking'); // AppExchange
        assert.equal(tierOf('ApexDoc'), 'reported'); // Recommended
        assert.equal(tierOf('NoSuchRule'), 'ignored');
    });

    it('fails on AppExchange and Security violations, reports the rest, excuses only listed false positives', () => {
        const listed = { rule: 'ProtectSensitiveData', file: 'objects/A.xml', reason: 'public id' };
        const stale = { rule: 'ApexCRUDViolation', file: 'classes/Gone.cls', reason: 'old' };
        const root = mkdtempSync(join(tmpdir(), 'sightline-ca-'));
        mkdirSync(join(root, 'classes'));
        writeFileSync(join(root, 'classes/Gone.cls'), '');
        const at = (v: PmdViolation) => ({
            ...v,
            codeLocation: { ...v.codeLocation, file: v.codeLocation.file.replace('/p', root) }
        });
        const { findings, counts } = findingsOf(
            root,
            {
                violations: [
                    violation('ProtectSensitiveData', 'objects/A.xml'),
                    violation('ProtectSensitiveData', 'objects/B.xml'),
                    violation('ApexDoc', 'classes/C.cls')
                ].map(at),
                processingErrors: []
            },
            [listed, stale]
        );
        assert.deepEqual(counts, { blocking: 1, reported: 1, ignored: 0, falsePositive: 1 });
        const errors = findings.filter((f) => f.severity === 'error');
        assert.deepEqual(
            errors.map((f) => f.file),
            ['objects/B.xml', 'classes/Gone.cls']
        );
        assert.match(errors[1]!.message, /no longer flagged/);
        assert.equal(findings.find((f) => f.file === 'classes/C.cls')?.severity, 'warning');
        rmSync(root, { recursive: true, force: true });
    });

    it('catches SOQL injection and missing sharing in real Apex (PMD on the JRE)', async () => {
        const root = mkdtempSync(join(tmpdir(), 'sightline-ca-'));
        try {
            const classes = join(root, 'force-app/main/default/classes');
            mkdirSync(classes, { recursive: true });
            writeFileSync(
                join(classes, 'Unsafe.cls'),
                [
                    'public class Unsafe {',
                    '    @AuraEnabled',
                    '    public static List<Account> byName(String name) {',
                    "        return Database.query('SELECT Id FROM Account WHERE Name = \\'' + name + '\\'');",
                    '    }',
                    '}'
                ].join('\n')
            );
            const results = await runPmd(root, 'force-app/main/default');
            const { findings } = findingsOf(root, results, []);
            const blocking = findings.filter((f) => f.severity === 'error').map((f) => f.message);
            assert.ok(
                blocking.some((m) => m.includes('(ApexSOQLInjection)')),
                blocking.join('\n')
            );
            assert.ok(
                blocking.some((m) => m.includes('(ApexSharingViolations)')),
                blocking.join('\n')
            );
        } finally {
            rmSync(root, { recursive: true, force: true });
        }
    });
});
