/** The reports-and-dashboards part of check 4: the package passes; broken references are found. */
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, describe, it } from 'node:test';
import { readOrgSchema } from '../../localorg/src/store/objectMetadata';
import type { Finding } from './report';
import { lintReports } from './reportLint';

const repo = resolve(import.meta.dirname, '../..');
const DEFAULT = 'force-app/main/default';

function lint(root: string): { checked: number; findings: Finding[] } {
    const findings: Finding[] = [];
    const checked = lintReports(root, readOrgSchema(join(root, DEFAULT)), findings);
    return { checked, findings };
}

describe('reports and dashboards lint', () => {
    const copy = mkdtempSync(join(tmpdir(), 'sightline-reports-'));
    after(() => rmSync(copy, { recursive: true, force: true }));

    it('passes on the package: every report, report type and dashboard reference resolves', () => {
        const { checked, findings } = lint(repo);
        assert.deepEqual(findings, []);
        assert.ok(checked >= 7, `checked ${checked}`);
    });

    it('finds a report field its type does not offer, and a dashboard naming a missing report', () => {
        for (const dir of ['objects', 'reportTypes', 'reports', 'dashboards'])
            cpSync(join(repo, DEFAULT, dir), join(copy, DEFAULT, dir), { recursive: true });
        const report = join(
            copy,
            DEFAULT,
            'reports/Sightline_Reports/Sightline_Pounces_by_Rep_and_Stream.report-meta.xml'
        );
        writeFileSync(
            report,
            readFileSync(report, 'utf8').replace(
                'Conversation__c.Status__c',
                'Conversation__c.Mood__c'
            )
        );
        const dashboard = join(
            copy,
            DEFAULT,
            'dashboards/Sightline_Dashboards/Sightline_Overview.dashboard-meta.xml'
        );
        writeFileSync(
            dashboard,
            readFileSync(dashboard, 'utf8').replace(
                'Sightline_Reports/Sightline_Leads_Created',
                'Sightline_Reports/Gone'
            )
        );
        const messages = lint(copy).findings.map((f) => `${f.file}: ${f.message}`);
        assert.deepEqual(messages, [
            `${DEFAULT}/reports/Sightline_Reports/Sightline_Pounces_by_Rep_and_Stream.report-meta.xml: Conversation__c.Mood__c is not offered by report type Sightline_Conversations__c`,
            `${DEFAULT}/dashboards/Sightline_Dashboards/Sightline_Overview.dashboard-meta.xml: component "Leads created by source stream" names report Sightline_Reports/Gone, which does not exist`
        ]);
    });
});
