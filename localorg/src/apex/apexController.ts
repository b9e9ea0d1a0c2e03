/**
 * What the org knows of the packaged Apex controller, read from its source as deployed:
 * each `@AuraEnabled` method, its parameter names, the gateway action it posts to and
 * whether it requires the admin custom permission. Calls to anything else are refused as
 * the platform refuses an unknown Apex method.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export const CONTROLLER = 'SightlineGatewayController';

export interface ApexMethod {
    name: string;
    parameters: string[];
    /** The gateway action the method posts (SightlineGatewayClient.post('<action>', …)). */
    action: string;
    /** The method calls requireAdmin(): the user needs the admin custom permission. */
    adminOnly: boolean;
    /**
     * The method first reads its `recordId` parameter's record `WITH USER_MODE` and throws
     * this message when the user cannot (the record page's "on the website now").
     */
    userModeRecordCheck?: string;
}

export function readApexController(forceAppDir: string): Map<string, ApexMethod> {
    const file = join(forceAppDir, 'classes', `${CONTROLLER}.cls`);
    const methods = new Map<string, ApexMethod>();
    if (!existsSync(file)) return methods;
    const source = readFileSync(file, 'utf8');
    const pattern =
        /@AuraEnabled[^\n]*\n\s*public\s+static\s+\w+(?:<[^>]*>)?\s+(\w+)\s*\(([^)]*)\)\s*\{/g;
    const starts = [...source.matchAll(pattern)];
    starts.forEach((match, i) => {
        const body = source.slice(
            match.index + match[0].length,
            starts[i + 1]?.index ?? source.length
        );
        const action = /SightlineGatewayClient\.post\(\s*'([A-Za-z0-9]+)'/.exec(body)?.[1];
        if (!action) return;
        methods.set(match[1]!, {
            name: match[1]!,
            parameters: match[2]!
                .split(',')
                .map((p) => p.trim().split(/\s+/).pop() ?? '')
                .filter(Boolean),
            action,
            adminOnly: /\brequireAdmin\(\)/.test(body),
            ...userModeRecordCheck(body)
        });
    });
    return methods;
}

function userModeRecordCheck(body: string): { userModeRecordCheck?: string } {
    if (!/WITH USER_MODE/.test(body)) return {};
    const message = /\.isEmpty\(\)\)\s*\{\s*throw failure\('([^']*)'\)/.exec(body)?.[1];
    return message ? { userModeRecordCheck: message } : {};
}

/** Permission sets that grant a custom permission, from the package's permission set files. */
export function permissionSetsGranting(forceAppDir: string, customPermission: string): string[] {
    const dir = join(forceAppDir, 'permissionsets');
    if (!existsSync(dir)) return [];
    return readdirSync(dir)
        .filter((f) => f.endsWith('.permissionset-meta.xml'))
        .filter((f) => {
            const xml = readFileSync(join(dir, f), 'utf8');
            return [...xml.matchAll(/<customPermissions>([\s\S]*?)<\/customPermissions>/g)].some(
                (m) =>
                    m[1]!.includes(`<name>${customPermission}</name>`) &&
                    m[1]!.includes('<enabled>true</enabled>')
            );
        })
        .map((f) => f.replace('.permissionset-meta.xml', ''));
}

/** Permission sets that grant access to an Apex class (classAccesses), from the package's files. */
export function permissionSetsWithClass(forceAppDir: string, apexClass: string): string[] {
    const dir = join(forceAppDir, 'permissionsets');
    if (!existsSync(dir)) return [];
    return readdirSync(dir)
        .filter((f) => f.endsWith('.permissionset-meta.xml'))
        .filter((f) =>
            [
                ...readFileSync(join(dir, f), 'utf8').matchAll(
                    /<classAccesses>([\s\S]*?)<\/classAccesses>/g
                )
            ].some(
                (m) =>
                    m[1]!.includes(`<apexClass>${apexClass}</apexClass>`) &&
                    m[1]!.includes('<enabled>true</enabled>')
            )
        )
        .map((f) => f.replace('.permissionset-meta.xml', ''));
}
