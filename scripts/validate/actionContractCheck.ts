/**
 * Holds the Apex controller to the action contract (lwc/sightlineLive/actionContract.ts):
 * the same actions as @AuraEnabled static methods, the same parameter names in the same
 * order with the same types, admin actions calling requireAdmin() (and only they), every
 * parameter checked before the callout (its validator, its length limit, its allowed
 * values). Apex restates the contract in a second language; this is where the two meet.
 */
import {
    ACTIONS,
    type ActionName,
    type ParamSpec
} from '../../force-app/main/default/lwc/sightlineLive/actionContract';
import { parseApexClass, type ApexMethod } from './apexSource';
import type { Finding } from './report';

export const CONTROLLER = 'SightlineGatewayController';

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** `private static final Integer NAME = 123;` → NAME → 123. */
function integerConstants(source: string): Map<string, number> {
    const constants = new Map<string, number>();
    for (const m of source.matchAll(/\bInteger\s+([A-Z_][A-Z0-9_]*)\s*=\s*(\d+)\s*;/g))
        constants.set(m[1]!, Number(m[2]));
    return constants;
}

/** `Pattern NAME = Pattern.compile('…{min,max}…')` → NAME → max. */
function patternBounds(source: string): Map<string, number> {
    const bounds = new Map<string, number>();
    for (const m of source.matchAll(
        /\bPattern\s+([A-Z_][A-Z0-9_]*)\s*=\s*Pattern\.compile\('([^']*)'\)/g
    )) {
        const bound = /\{\d+,(\d+)\}\$?$/.exec(m[2]!);
        if (bound) bounds.set(m[1]!, Number(bound[1]));
    }
    return bounds;
}

/** `Set<String> NAME = new Set<String>{ 'A', 'B' }` → NAME → [A, B]. */
function stringSets(source: string): Map<string, string[]> {
    const sets = new Map<string, string[]>();
    for (const m of source.matchAll(
        /\bSet<String>\s+([A-Z_][A-Z0-9_]*)\s*=\s*new\s+Set<String>\s*\{([^}]*)\}/g
    ))
        sets.set(
            m[1]!,
            [...m[2]!.matchAll(/'([^']*)'/g)].map((v) => v[1]!)
        );
    return sets;
}

/** Which validator a parameter kind needs in the method body, and the pattern it uses. */
const VALIDATORS: Partial<Record<ParamSpec['kind'], { call: string; pattern?: string }>> = {
    token: { call: 'token', pattern: 'TOKEN' },
    clientId: { call: 'clientId', pattern: 'CLIENT_ID' },
    recordId: { call: 'recordId' },
    pageRecordId: { call: 'pageRecordId' }
};

export function checkActionContract(source: string, file: string): Finding[] {
    const findings: Finding[] = [];
    const error = (message: string, line?: number) =>
        findings.push({ severity: 'error', file, ...(line ? { line } : {}), message });
    const info = parseApexClass(source);
    if (info.errors.length) return findings; // reported by the Apex syntax check
    const methods = new Map<string, ApexMethod>(
        info.methods.filter((m) => m.annotations.includes('auraenabled')).map((m) => [m.name, m])
    );
    const integers = integerConstants(source);
    const patterns = patternBounds(source);
    const sets = stringSets(source);

    for (const name of methods.keys())
        if (!(name in ACTIONS))
            error(
                `@AuraEnabled ${name} is not in the action contract (lwc/sightlineLive/actionContract.ts)`,
                methods.get(name)!.line
            );

    for (const name of Object.keys(ACTIONS) as ActionName[]) {
        const spec = ACTIONS[name];
        const method = methods.get(name);
        if (!method) {
            error(`the action contract's ${name} has no @AuraEnabled method in ${CONTROLLER}`);
            continue;
        }
        const at = (message: string) => error(`${name}: ${message}`, method.line);
        if (!method.isStatic) at('must be static');
        const params = spec.params as Readonly<Record<string, ParamSpec>>;
        const expected = Object.entries(params).map(
            ([param, p]) =>
                `${p.kind === 'boolean' ? 'Boolean' : p.kind === 'integer' ? 'Integer' : 'String'} ${param}`
        );
        const actual = method.params.map((p) => `${p.type} ${p.name}`);
        if (expected.join(', ') !== actual.join(', '))
            at(
                `parameters (${actual.join(', ')}) differ from the contract's (${expected.join(', ')})`
            );
        const checksAdmin = /\brequireAdmin\(\)/.test(method.body);
        if (spec.admin && !checksAdmin)
            at('is admin-only in the contract but does not call requireAdmin()');
        if (!spec.admin && checksAdmin)
            at('calls requireAdmin() but the contract says any Sightline user');
        // Apex-only actions validate where their work is done (e.g. SightlineSigner).
        if ('apexOnly' in spec) continue;
        for (const [param, p] of Object.entries(params)) {
            if (!method.params.some((m) => m.name === param)) continue;
            const name_ = escape(param);
            const validator = VALIDATORS[p.kind];
            if (validator) {
                if (!new RegExp(`\\b${validator.call}\\(${name_}[,)]`).test(method.body))
                    at(`${param} (${p.kind}) is not checked with ${validator.call}(${param}, …)`);
                if (
                    p.kind === 'recordId' &&
                    !method.body.includes(`${validator.call}(${param},${p.object}.SObjectType`)
                )
                    at(`${param} must be checked as a ${p.object} id (${p.object}.SObjectType)`);
                if (
                    validator.pattern &&
                    'maxLength' in p &&
                    patterns.get(validator.pattern) !== p.maxLength
                )
                    at(
                        `${validator.pattern} allows ${patterns.get(validator.pattern) ?? '?'} characters, the contract ${p.maxLength}`
                    );
            } else if (p.kind === 'text' || p.kind === 'email') {
                if (!/String\.isBlank\(/.test(method.body))
                    at(`${param} is required but never checked for blank`);
                const limits = [...integers].filter(([constant]) =>
                    new RegExp(`\\b${constant}\\b`).test(method.body)
                );
                if (!limits.some(([, value]) => value === p.maxLength))
                    at(
                        `${param} must be limited to ${p.maxLength} characters (found ${limits.map(([c, v]) => `${c} = ${v}`).join(', ') || 'no limit'})`
                    );
            } else if (p.kind === 'integer') {
                if (!new RegExp(`\\b${name_}==null`).test(method.body))
                    at(`${param} is required but never checked for null`);
                if (!new RegExp(`\\b${name_}<0`).test(method.body))
                    at(`${param} is never checked for a negative value`);
                const bound = [...integers].find(([constant]) =>
                    new RegExp(`\\b${name_}>${constant}\\b`).test(method.body)
                );
                if (!bound) at(`${param} is never checked against its highest value`);
                else if (bound[1] !== p.max)
                    at(`${param} is limited to ${bound[0]} = ${bound[1]}; the contract ${p.max}`);
            } else if (p.kind === 'boolean') {
                if (!new RegExp(`\\b${name_}==null`).test(method.body))
                    at(`${param} is required but never checked for null`);
            } else if (p.kind === 'enum') {
                const used = [...sets].find(([constant]) =>
                    method.body.includes(`!${constant}.contains(${param})`)
                );
                if (!used) at(`${param} is not checked against a Set<String> of its values`);
                else if ([...used[1]].sort().join('|') !== [...p.values].sort().join('|'))
                    at(
                        `${used[0]} allows ${used[1].join(', ')}; the contract ${p.values.join(', ')}`
                    );
            }
        }
    }
    return findings;
}
