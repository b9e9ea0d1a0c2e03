/**
 * Trusted URLs (the `CspTrustedSite` object of the Tooling API): the sites a subscriber
 * admin lets Lightning components reach. The package deploys its trusted URL from
 * force-app's `cspTrustedSites` (inactive, with a placeholder address); an admin sets the
 * address and activates it (Setup → Trusted URLs, or a Tooling API PATCH). The local
 * Lightning shell builds its Content-Security-Policy `connect-src` from the active ones,
 * as Lightning does, so the browser refuses a socket to any other origin.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { standardField, type FieldDescribe, type ObjectDescribe } from '../store/describe';
import type { LocalOrg, SObject } from '../store/localOrg';
import { ApiError, notFound } from '../rest/apiError';
import { noContent, objectBody, ok, type Router } from '../rest/dataApi';
import { apiRecord } from '../rest/recordResources';

export const TRUSTED_URL = 'CspTrustedSite';
/** The contexts whose sites apply to Lightning Experience pages. */
const LIGHTNING_CONTEXTS = new Set(['All', 'LEX']);
const CONTEXTS = new Set([
    'All',
    'LEX',
    'Communities',
    'VisualForce',
    'FieldServiceMobileExtension'
]);
const DIRECTIVES = ['ConnectSrc', 'FontSrc', 'FrameSrc', 'ImgSrc', 'MediaSrc', 'StyleSrc'];
/** Fields an admin may change through the API. */
const EDITABLE = new Set([
    'EndpointUrl',
    'IsActive',
    'Description',
    'Context',
    ...DIRECTIVES.map((d) => `IsApplicableTo${d}`)
]);

export function trustedUrlObject(): ObjectDescribe {
    const fields = new Map<string, FieldDescribe>();
    for (const [name, label, type] of [
        ['Id', 'Trusted URL ID', 'Id'],
        ['DeveloperName', 'API Name', 'Text'],
        ['MasterLabel', 'Label', 'Text'],
        ['NamespacePrefix', 'Namespace Prefix', 'Text'],
        ['EndpointUrl', 'URL', 'Text'],
        ['IsActive', 'Active', 'Checkbox'],
        ['Context', 'CSP Context', 'Picklist'],
        ['Description', 'Description', 'TextArea'],
        ['CreatedDate', 'Created Date', 'DateTime'],
        ['LastModifiedDate', 'Last Modified Date', 'DateTime'],
        ...DIRECTIVES.map((d) => [`IsApplicableTo${d}`, d, 'Checkbox'])
    ] as [string, string, FieldDescribe['type']][])
        fields.set(name, standardField(name, label, type));
    return {
        apiName: TRUSTED_URL,
        label: 'Trusted URL',
        custom: false,
        kind: 'object',
        keyPrefix: '08y',
        hasOwner: false,
        fields
    };
}

/** Stores the package's trusted URLs once: an admin's later edits survive restarts. */
export function deployPackagedTrustedUrls(
    tooling: LocalOrg,
    forceAppDir: string,
    namespace: string | undefined
): void {
    const dir = join(forceAppDir, 'cspTrustedSites');
    if (!existsSync(dir)) return;
    const suffix = '.cspTrustedSite-meta.xml';
    for (const file of readdirSync(dir)
        .filter((f) => f.endsWith(suffix))
        .sort()) {
        const name = file.slice(0, -suffix.length);
        const xml = readFileSync(join(dir, file), 'utf8');
        const tag = (t: string) => new RegExp(`<${t}>([^<]*)</${t}>`).exec(xml)?.[1]?.trim();
        if (tooling.find(TRUSTED_URL, { DeveloperName: name }).length) continue;
        tooling.insert(TRUSTED_URL, {
            DeveloperName: name,
            MasterLabel: name.replace(/_/g, ' '),
            NamespacePrefix: namespace ?? null,
            EndpointUrl: tag('endpointUrl') ?? '',
            IsActive: tag('isActive') === 'true',
            Context: tag('context') ?? 'All',
            Description: tag('description') ?? null,
            ...Object.fromEntries(
                DIRECTIVES.map((d) => [`IsApplicableTo${d}`, tag(`isApplicableTo${d}`) === 'true'])
            )
        });
    }
}

/** The origins Lightning pages may connect to beyond their own: active, connect-src sites. */
export function connectSources(tooling: LocalOrg): string[] {
    return tooling
        .find(TRUSTED_URL)
        .filter(
            (site) =>
                isTrue(site.IsActive) &&
                isTrue(site.IsApplicableToConnectSrc) &&
                LIGHTNING_CONTEXTS.has(String(site.Context))
        )
        .map((site) => sourceExpression(String(site.EndpointUrl)))
        .filter((source): source is string => source !== undefined);
}

/** What an admin does in Setup → Trusted URLs: set a site's address and whether it is active. */
export function editTrustedUrl(
    tooling: LocalOrg,
    developerName: string,
    values: { endpointUrl?: string; isActive?: boolean }
): SObject {
    const site = tooling.find(TRUSTED_URL, { DeveloperName: developerName })[0];
    if (!site) throw new Error(`No trusted URL named ${developerName}`);
    return update(tooling, String(site.Id), {
        ...(values.endpointUrl !== undefined ? { EndpointUrl: values.endpointUrl } : {}),
        ...(values.isActive !== undefined ? { IsActive: values.isActive } : {})
    });
}

/** `GET` and `PATCH /tooling/sobjects/CspTrustedSite/{id}`. */
export function trustedUrlResources(router: Router): void {
    const path = /^\/tooling\/sobjects\/CspTrustedSite\/([^/]+)\/?$/i;
    router
        .add('GET', path, (req, m, ctx) => {
            const record = ctx.org.get(TRUSTED_URL, m[1]!);
            if (!record) throw notFound();
            return ok(apiRecord(ctx.org.describe(TRUSTED_URL), record, req.version));
        })
        .add('PATCH', path, (_req, m, ctx) => {
            if (!ctx.org.get(TRUSTED_URL, m[1]!)) throw notFound();
            update(ctx.org, m[1]!, objectBody(_req.body));
            return noContent;
        });
}

function update(tooling: LocalOrg, id: string, body: Record<string, unknown>): SObject {
    for (const name of Object.keys(body)) {
        if (!EDITABLE.has(name))
            throw new ApiError(
                400,
                'INVALID_FIELD_FOR_INSERT_UPDATE',
                `Unable to create/update fields: ${name}. Please check the security settings of this field and verify that it is read/write for your profile or permission set.`,
                [name]
            );
    }
    const values: SObject = {};
    if ('EndpointUrl' in body) {
        const url = typeof body.EndpointUrl === 'string' ? body.EndpointUrl.trim() : '';
        if (!sourceExpression(url))
            throw new ApiError(
                400,
                'FIELD_INTEGRITY_EXCEPTION',
                'URL: enter a valid URL, such as https://www.example.com.',
                ['EndpointUrl']
            );
        values.EndpointUrl = url;
    }
    if ('Context' in body) {
        if (typeof body.Context !== 'string' || !CONTEXTS.has(body.Context))
            throw new ApiError(
                400,
                'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST',
                `CSP Context: bad value for restricted picklist field: ${String(body.Context)}`,
                ['Context']
            );
        values.Context = body.Context;
    }
    for (const name of ['IsActive', ...DIRECTIVES.map((d) => `IsApplicableTo${d}`)]) {
        if (!(name in body)) continue;
        if (typeof body[name] !== 'boolean')
            throw new ApiError(400, 'INVALID_TYPE', `${name}: a boolean is expected.`, [name]);
        values[name] = body[name];
    }
    if ('Description' in body)
        values.Description = typeof body.Description === 'string' ? body.Description : null;
    return tooling.update(TRUSTED_URL, id, values);
}

/** A CSP source for the site: its scheme, host and port (a path would narrow it). */
function sourceExpression(url: string): string | undefined {
    try {
        const parsed = new URL(url);
        if (!['https:', 'http:', 'wss:', 'ws:'].includes(parsed.protocol)) return undefined;
        return parsed.origin;
    } catch {
        return undefined;
    }
}

const isTrue = (value: unknown) => value === true || value === 1 || value === 'true';
