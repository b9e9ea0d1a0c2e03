/**
 * Check 5: Salesforce Code Analyzer's PMD engine over the Apex and the metadata, the scan
 * the AppExchange security review asks for.
 *
 * The engine's jars ship inside the npm package `@salesforce/code-analyzer-pmd-engine`
 * (PMD 7, Salesforce's AppExchange rulesets, and the wrapper Code Analyzer itself calls);
 * they run on a Java runtime, installed from Debian when missing (scripts/setup/systemTools).
 * No `sf` CLI is needed.
 *
 * - Blocking (errors): every rule Code Analyzer tags AppExchange or Security — the
 *   AppExchange rulesets for Apex, metadata XML and markup, and PMD's Apex security category.
 * - Reported (warnings): the rest of Code Analyzer's Recommended Apex rules.
 *
 * A blocking rule that misfires is listed in FALSE_POSITIVES with the reason, which is also
 * the review's false-positive document (docs/CODE-ANALYZER.md). An entry whose file exists
 * but is no longer flagged is an error, so the list cannot go stale.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { ensureTool, JAVA } from '../setup/systemTools';
import { rel, runCheck, type CheckResult, type Finding } from './report';

const require = createRequire(import.meta.url);
const ENGINE_DIR = dirname(require.resolve('@salesforce/code-analyzer-pmd-engine/package.json'));
const JAVA_LIB = join(ENGINE_DIR, 'dist', 'java-lib');
const { RULE_MAPPINGS } =
    require('@salesforce/code-analyzer-pmd-engine/dist/pmd-rule-mappings.js') as {
        RULE_MAPPINGS: Record<string, { tags: string[] }>;
    };

/** Rulesets given to PMD: Salesforce's AppExchange ones and PMD's Apex categories. */
const RULESETS = [
    'sfca/rulesets/AppExchange_apex.xml',
    'sfca/rulesets/AppExchange_xml.xml',
    'sfca/rulesets/AppExchange_html.xml',
    'category/apex/security.xml',
    'category/apex/bestpractices.xml',
    'category/apex/errorprone.xml',
    'category/apex/performance.xml',
    'category/apex/design.xml',
    'category/apex/codestyle.xml',
    'category/apex/documentation.xml'
];

export interface FalsePositive {
    rule: string;
    /** Project-relative path of the file the rule flags. */
    file: string;
    reason: string;
}

/** Blocking violations reviewed and found not to apply (docs/CODE-ANALYZER.md). */
export const FALSE_POSITIVES: FalsePositive[] = [
    {
        rule: 'ProtectSensitiveData',
        file: 'force-app/main/default/objects/Sightline_Site__mdt/fields/Site_Key__c.field-meta.xml',
        reason: 'A site key is public by design: it is written into the tracker snippet of the customer’s web pages (like an analytics property id) and only identifies which site a beacon is for; the gateway checks the beacon’s Origin against the record’s allowed origins. It grants no access to Salesforce or to the gateway’s API, whose key lives in the External Credential.'
    },
    {
        rule: 'ProtectSensitiveData',
        file: 'force-app/main/default/objects/Website_Visitor__c/fields/Visitor_Key__c.field-meta.xml',
        reason: 'The visitor key is the pseudonymous id the tracker stores in the visitor’s own browser to recognise a returning visitor; it authorises nothing and is the record’s external id.'
    },
    {
        rule: 'ProtectSensitiveData',
        file: 'force-app/main/default/objects/Routing_State__c/fields/Key__c.field-meta.xml',
        reason: 'Key__c names a routing-state entry (for example the round-robin position of a rule); it is an identifier, not a credential.'
    }
];

type Tier = 'blocking' | 'reported' | 'ignored';

export function tierOf(rule: string): Tier {
    const tags = RULE_MAPPINGS[rule]?.tags ?? [];
    if (tags.includes('AppExchange') || tags.includes('Security')) return 'blocking';
    if (tags.includes('Recommended')) return 'reported';
    return 'ignored';
}

export interface PmdViolation {
    rule: string;
    message: string;
    codeLocation: { file: string; startLine: number; startCol: number };
}

interface PmdResults {
    violations: PmdViolation[];
    processingErrors: { file: string; message: string }[];
}

function filesByLanguage(
    dir: string,
    out = { apex: [], xml: [], html: [] } as Record<string, string[]>
) {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
        const path = join(dir, entry.name);
        if (entry.isDirectory()) {
            if (entry.name !== '__tests__' && entry.name !== 'node_modules')
                filesByLanguage(path, out);
        } else if (/\.(cls|trigger)$/.test(entry.name)) out.apex!.push(path);
        else if (entry.name.endsWith('.xml')) out.xml!.push(path);
        else if (entry.name.endsWith('.html')) out.html!.push(path);
    }
    return out;
}

function runJava(java: string, args: string[]): Promise<void> {
    return new Promise((done, fail) => {
        const child = spawn(java, ['-cp', join(JAVA_LIB, '*'), ...args], {
            stdio: ['ignore', 'pipe', 'pipe']
        });
        let output = '';
        const keep = (chunk: Buffer) => {
            output = (output + chunk.toString()).slice(-4000);
        };
        child.stdout.on('data', keep);
        child.stderr.on('data', keep);
        child.on('error', fail);
        child.on('close', (code) =>
            code === 0 ? done() : fail(new Error(`PMD exited with ${code}:\n${output}`))
        );
    });
}

/** Runs the PMD wrapper Code Analyzer uses over the package source; returns raw results. */
export async function runPmd(root: string, sourceDir: string): Promise<PmdResults> {
    const java = ensureTool(JAVA);
    const work = mkdtempSync(join(tmpdir(), 'sightline-pmd-'));
    try {
        const ruleset = join(work, 'rules.xml');
        writeFileSync(
            ruleset,
            [
                '<?xml version="1.0" encoding="UTF-8"?>',
                '<ruleset name="Sightline Code Analyzer" xmlns="http://pmd.sourceforge.net/ruleset/2.0.0">',
                '<description>AppExchange, Security and Recommended rules</description>',
                ...RULESETS.map((r) => `<rule ref="${r}"/>`),
                '</ruleset>'
            ].join('\n')
        );
        const runDataPerLanguage = Object.fromEntries(
            Object.entries(filesByLanguage(resolve(root, sourceDir)))
                .filter(([, files]) => files.length > 0)
                .map(([language, files]) => [language, { filesToScan: files }])
        );
        const input = join(work, 'input.json');
        const output = join(work, 'results.json');
        writeFileSync(input, JSON.stringify({ ruleSetInputFile: ruleset, runDataPerLanguage }));
        await runJava(java, ['com.salesforce.sfca.pmdwrapper.PmdWrapper', 'run', input, output]);
        return JSON.parse(readFileSync(output, 'utf8')) as PmdResults;
    } finally {
        rmSync(work, { recursive: true, force: true });
    }
}

/** Turns PMD's results into findings: blocking → error, unless a listed false positive. */
export function findingsOf(
    root: string,
    results: PmdResults,
    falsePositives: readonly FalsePositive[] = FALSE_POSITIVES
): { findings: Finding[]; counts: Record<Tier | 'falsePositive', number> } {
    const counts = { blocking: 0, reported: 0, ignored: 0, falsePositive: 0 };
    const findings: Finding[] = [];
    const used = new Set<FalsePositive>();
    for (const v of results.violations) {
        const file = rel(root, v.codeLocation.file);
        const tier = tierOf(v.rule);
        if (tier === 'ignored') {
            counts.ignored++;
            continue;
        }
        const excused = falsePositives.find((fp) => fp.rule === v.rule && fp.file === file);
        if (tier === 'blocking' && excused) {
            used.add(excused);
            counts.falsePositive++;
            continue;
        }
        counts[tier]++;
        findings.push({
            severity: tier === 'blocking' ? 'error' : 'warning',
            file,
            line: v.codeLocation.startLine,
            column: v.codeLocation.startCol,
            message: `${v.message.trim()} (${v.rule})`
        });
    }
    // A listed file that still exists but is no longer flagged: the entry is stale.
    for (const fp of falsePositives)
        if (!used.has(fp) && existsSync(join(root, fp.file)))
            findings.push({
                severity: 'error',
                file: fp.file,
                message: `listed as a ${fp.rule} false positive but no longer flagged: remove it from FALSE_POSITIVES (scripts/validate/codeAnalyzer.ts) and docs/CODE-ANALYZER.md`
            });
    for (const e of results.processingErrors)
        findings.push({
            severity: 'error',
            file: rel(root, e.file),
            message: `PMD could not analyse this file: ${e.message.split('\n')[0]}`
        });
    return { findings, counts };
}

export function checkCodeAnalyzer(
    root: string,
    falsePositives: readonly FalsePositive[] = FALSE_POSITIVES
): Promise<CheckResult> {
    return runCheck(
        'code-analyzer',
        'Salesforce Code Analyzer (PMD: AppExchange, Security, Recommended)',
        'force-app',
        async () => {
            const results = await runPmd(root, 'force-app/main/default');
            const { findings, counts } = findingsOf(root, results, falsePositives);
            return {
                findings,
                summary: `${counts.blocking} AppExchange/Security, ${counts.falsePositive} reviewed false positives, ${counts.reported} other Recommended`
            };
        }
    );
}
