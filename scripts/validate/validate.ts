/**
 * Runs every check against a project root, in order: the LWC build comes first because
 * the lint and the conversion read the `.js` it emits.
 */
import { checkCodeAnalyzer } from './codeAnalyzer';
import { checkLwcCompile } from './lwcCompile';
import { checkLwcLint } from './lwcLint';
import { checkMetadataConversion } from './metadataConversion';
import { checkMetadataLint } from './metadataLint';
import type { CheckResult } from './report';

export const CHECKS = [
    'lwc-compile',
    'eslint',
    'metadata-conversion',
    'metadata-lint',
    'code-analyzer'
] as const;
export type CheckName = (typeof CHECKS)[number];

export async function validateProject(
    root: string,
    only: readonly CheckName[] = CHECKS
): Promise<CheckResult[]> {
    const results: CheckResult[] = [];
    if (only.includes('lwc-compile')) results.push(await checkLwcCompile(root));
    if (only.includes('eslint')) results.push(await checkLwcLint(root));
    if (only.includes('metadata-conversion')) results.push(await checkMetadataConversion(root));
    if (only.includes('metadata-lint')) results.push(await checkMetadataLint(root));
    if (only.includes('code-analyzer')) results.push(await checkCodeAnalyzer(root));
    return results;
}
