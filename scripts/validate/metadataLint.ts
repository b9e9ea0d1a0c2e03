/**
 * Check 4: our own metadata lint — the cross-references no Salesforce tool checks
 * before a deploy (or that a deploy reports one at a time):
 *
 * - every `@salesforce/schema/...` import in the LWC sources names an object and field
 *   that exist (relationship paths followed, `Account.Owner.Name`);
 * - every Salesforce field named by the engine's field catalogue exists;
 * - every custom object and custom field is granted by at least one permission set, and
 *   everything a permission set grants exists;
 * - every Apex class parses, has a `<Name>Test` class marked `@IsTest`, and every
 *   `@salesforce/apex/Class.method` import names an `@AuraEnabled` static method.
 *
 * "Exists" means: in the object metadata under force-app, or among the standard objects
 * and fields we read — the same reader the local org is generated from
 * (localorg/src/store/objectMetadata.ts), so both agree on what a field is.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { XMLParser } from 'fast-xml-parser';
import {
    readOrgSchema,
    type FieldDescribe,
    type ObjectDescribe,
    type OrgSchema
} from '../../localorg/src/store/objectMetadata';
import { parseApexClass, type ApexClassInfo } from './apexSource';
import { classesDir, forceAppDefault, isTsSource, listBundles, lwcDir } from './project';
import { rel, runCheck, type CheckResult, type Finding } from './report';

const STANDARD_OBJECTS_FILE = 'localorg/src/store/standardObjects.ts';

export function checkMetadataLint(root: string): Promise<CheckResult> {
    return runCheck(
        'metadata-lint',
        'Metadata lint (schema imports, field catalogue, permission sets, Apex)',
        rel(root, forceAppDefault(root)),
        async () => {
            const findings: Finding[] = [];
            const defaultDir = forceAppDefault(root);
            let schema: OrgSchema;
            try {
                schema = readOrgSchema(defaultDir);
            } catch (error) {
                const message = error instanceof Error ? error.message : String(error);
                const path = message.split(':')[0] ?? '';
                return {
                    findings: [
                        {
                            severity: 'error',
                            file: path.startsWith(root)
                                ? rel(root, path)
                                : rel(root, join(defaultDir, 'objects')),
                            message: `object metadata unreadable: ${message}`
                        }
                    ],
                    summary: 'object metadata unreadable'
                };
            }
            const sources = lwcSources(root);
            const schemaRefs = lintSchemaImports(root, schema, sources, findings);
            const catalogue = await lintFieldCatalogue(root, schema, findings);
            const classes = readApexClasses(root, findings);
            const grants = lintPermissionSets(root, schema, classes, findings);
            const apexRefs = lintApexImports(root, classes, sources, findings);
            lintApexTests(root, classes, findings);

            const custom = [...schema.values()].filter((o) => o.custom).length;
            return {
                findings,
                summary: [
                    `${schemaRefs} schema imports`,
                    catalogue === undefined
                        ? 'no field catalogue'
                        : `${catalogue} catalogue fields`,
                    `${custom} custom objects`,
                    `${grants} permission sets`,
                    `${classes.size} Apex classes`,
                    `${apexRefs} Apex imports`
                ].join(', ')
            };
        }
    );
}

// ---------------------------------------------------------------------------------------
// Sources

interface SourceFile {
    path: string;
    text: string;
}

/** The TypeScript sources of the LWC bundles (tests excluded: they are not deployed). */
function lwcSources(root: string): SourceFile[] {
    return listBundles(root)
        .flatMap((b) => b.files)
        .filter(isTsSource)
        .map((path) => ({ path, text: readFileSync(path, 'utf8') }));
}

function lineOf(text: string, index: number): number {
    let line = 1;
    for (let i = 0; i < index && i < text.length; i++) if (text.charCodeAt(i) === 10) line++;
    return line;
}

/** `import x from '<prefix>…'` and `import('<prefix>…')`, with the line of each. */
function importsWithPrefix(
    file: SourceFile,
    prefix: string
): { specifier: string; rest: string; line: number }[] {
    const escaped = prefix.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
    const re = new RegExp(
        `(?:\\bfrom\\s*|\\bimport\\s*\\(\\s*|\\bimport\\s+)(['"])(${escaped}([^'"]*))\\1`,
        'g'
    );
    const out: { specifier: string; rest: string; line: number }[] = [];
    for (const m of file.text.matchAll(re)) {
        out.push({
            specifier: m[2] ?? '',
            rest: m[3] ?? '',
            line: lineOf(file.text, (m.index ?? 0) + m[0].indexOf(m[1] ?? "'"))
        });
    }
    return out;
}

// ---------------------------------------------------------------------------------------
// Objects and fields

function fieldHint(object: string): string {
    return `define it under force-app/main/default/objects/${object}/fields/, or, if it is a standard field we read, list it in ${STANDARD_OBJECTS_FILE}`;
}

type Resolution =
    { ok: true; object: ObjectDescribe; field?: FieldDescribe } | { ok: false; problem: string };

/**
 * Resolves `Object[.Relationship…].Field` the way the platform does: `Owner` is the
 * lookup `OwnerId`, `Foo__r` is the lookup `Foo__c`; each hop follows its reference.
 */
export function resolveFieldPath(schema: OrgSchema, path: string): Resolution {
    const [objectName = '', ...segments] = path.split('.');
    let object = schema.get(objectName);
    if (!object) {
        return {
            ok: false,
            problem: `object ${objectName} does not exist in the object metadata (nor among the standard objects in ${STANDARD_OBJECTS_FILE})`
        };
    }
    if (segments.length === 0) return { ok: true, object };
    const walked = [objectName];
    for (const [i, segment] of segments.entries()) {
        const last = i === segments.length - 1;
        if (last) {
            const field = object.fields.get(segment);
            if (!field)
                return {
                    ok: false,
                    problem: `field ${object.apiName}.${segment} does not exist: ${fieldHint(object.apiName)}`
                };
            return { ok: true, object, field };
        }
        const lookupName = segment.endsWith('__r')
            ? segment.replace(/__r$/, '__c')
            : `${segment}Id`;
        const lookup = object.fields.get(lookupName);
        if (!lookup) {
            return {
                ok: false,
                problem: `relationship ${walked.join('.')}.${segment} does not exist: ${object.apiName} has no lookup field ${lookupName}`
            };
        }
        if (!lookup.referenceTo) {
            return {
                ok: false,
                problem: `${object.apiName}.${lookupName} is not a lookup, so ${segment} is not a relationship`
            };
        }
        const target = schema.get(lookup.referenceTo);
        if (!target) {
            return {
                ok: false,
                problem: `${object.apiName}.${lookupName} points to ${lookup.referenceTo}, which is not in the object metadata (nor in ${STANDARD_OBJECTS_FILE})`
            };
        }
        walked.push(segment);
        object = target;
    }
    return { ok: true, object };
}

function lintSchemaImports(
    root: string,
    schema: OrgSchema,
    sources: SourceFile[],
    findings: Finding[]
): number {
    let count = 0;
    for (const file of sources) {
        for (const ref of importsWithPrefix(file, '@salesforce/schema/')) {
            count++;
            const resolved = resolveFieldPath(schema, ref.rest);
            if (!resolved.ok) {
                findings.push({
                    severity: 'error',
                    file: rel(root, file.path),
                    line: ref.line,
                    message: `schema import '${ref.specifier}': ${resolved.problem}`
                });
            }
        }
    }
    return count;
}

interface CatalogueEntry {
    key: string;
    source?: { object: string; field: string };
}

/** Returns how many catalogue entries name a Salesforce field, or undefined when the project has no engine. */
async function lintFieldCatalogue(
    root: string,
    schema: OrgSchema,
    findings: Finding[]
): Promise<number | undefined> {
    const engineDir = join(lwcDir(root), 'sightlineEngine');
    const entry = join(engineDir, 'sightlineEngine.ts');
    if (!existsSync(entry)) return undefined;
    let module: { FIELD_CATALOGUE?: readonly CatalogueEntry[] };
    try {
        module = (await import(pathToFileURL(entry).href)) as typeof module;
    } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        findings.push({
            severity: 'error',
            file: rel(root, entry),
            message: `could not load the engine to read FIELD_CATALOGUE: ${message}`
        });
        return 0;
    }
    if (!Array.isArray(module.FIELD_CATALOGUE)) {
        findings.push({
            severity: 'error',
            file: rel(root, entry),
            message: 'does not export FIELD_CATALOGUE (an array of field definitions)'
        });
        return 0;
    }
    const engineSources = readdirSync(engineDir)
        .filter((f) => isTsSource(f))
        .map((f) => ({ path: join(engineDir, f), text: readFileSync(join(engineDir, f), 'utf8') }));
    let count = 0;
    for (const field of module.FIELD_CATALOGUE) {
        if (!field.source) continue;
        count++;
        const resolved = resolveFieldPath(schema, `${field.source.object}.${field.source.field}`);
        if (resolved.ok) continue;
        const where = locateKey(engineSources, field.key) ?? { path: entry, line: undefined };
        findings.push({
            severity: 'error',
            file: rel(root, where.path),
            ...(where.line ? { line: where.line } : {}),
            message: `field catalogue entry '${field.key}' reads ${field.source.object}.${field.source.field}: ${resolved.problem}`
        });
    }
    return count;
}

function locateKey(sources: SourceFile[], key: string): { path: string; line: number } | undefined {
    for (const file of sources) {
        const m = new RegExp(
            `\\bkey\\s*:\\s*(['"\`])${key.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\1`
        ).exec(file.text);
        if (m) return { path: file.path, line: lineOf(file.text, m.index) };
    }
    return undefined;
}

// ---------------------------------------------------------------------------------------
// Permission sets

const xml = new XMLParser({
    ignoreAttributes: true,
    parseTagValue: false,
    isArray: (name, jpath) =>
        typeof jpath === 'string' &&
        jpath.split('.').length === 2 &&
        jpath.startsWith('PermissionSet.')
});

interface PermissionSetXml {
    objectPermissions?: { object?: string; allowRead?: string }[];
    fieldPermissions?: { field?: string; readable?: string }[];
    classAccesses?: { apexClass?: string; enabled?: string }[];
    customMetadataTypeAccesses?: { name?: string; enabled?: string }[];
    tabSettings?: { tab?: string }[];
    applicationVisibilities?: { application?: string }[];
    externalCredentialPrincipalAccesses?: { externalCredentialPrincipal?: string }[];
}

/** Fields Salesforce accepts field permissions for: custom, on a data object, neither required nor master-detail. */
export function needsFieldPermission(object: ObjectDescribe, field: FieldDescribe): boolean {
    return (
        object.kind === 'object' && field.custom && !field.required && field.type !== 'MasterDetail'
    );
}

function lintPermissionSets(
    root: string,
    schema: OrgSchema,
    classes: Map<string, ApexClass>,
    findings: Finding[]
): number {
    const dir = join(forceAppDefault(root), 'permissionsets');
    const files = existsSync(dir)
        ? readdirSync(dir)
              .filter((f) => f.endsWith('.permissionset-meta.xml'))
              .sort()
        : [];
    const grantedObjects = new Set<string>();
    const grantedFields = new Set<string>();
    const grantedMetadataTypes = new Set<string>();

    for (const name of files) {
        const path = join(dir, name);
        const text = readFileSync(path, 'utf8');
        const file = rel(root, path);
        let set: PermissionSetXml;
        try {
            set = (xml.parse(text) as { PermissionSet?: PermissionSetXml }).PermissionSet ?? {};
        } catch (error) {
            findings.push({
                severity: 'error',
                file,
                message: `not readable XML: ${error instanceof Error ? error.message : String(error)}`
            });
            continue;
        }
        const at = (tag: string, value: string): { file: string; line?: number } => {
            const i = text.indexOf(`<${tag}>${value}</${tag}>`);
            return i < 0 ? { file } : { file, line: lineOf(text, i) };
        };

        for (const p of set.objectPermissions ?? []) {
            const object = p.object ?? '';
            const described = schema.get(object);
            if (!described) {
                findings.push({
                    severity: 'error',
                    ...at('object', object),
                    message: `grants object ${object}, which does not exist in the object metadata (nor in ${STANDARD_OBJECTS_FILE})`
                });
            } else if (described.kind === 'customMetadata') {
                findings.push({
                    severity: 'error',
                    ...at('object', object),
                    message: `grants ${object} as an object: custom metadata types are granted with customMetadataTypeAccesses`
                });
            } else if (p.allowRead === 'true') {
                grantedObjects.add(object);
            }
        }
        for (const p of set.fieldPermissions ?? []) {
            const fieldName = p.field ?? '';
            const [objectName = '', apiName = '', ...extra] = fieldName.split('.');
            const object = schema.get(objectName);
            const field = object?.fields.get(apiName);
            if (!object || !field || extra.length > 0) {
                findings.push({
                    severity: 'error',
                    ...at('field', fieldName),
                    message: `grants field ${fieldName}, which does not exist: ${object ? fieldHint(objectName) : `no object ${objectName} in the object metadata`}`
                });
            } else if (field.type === 'MasterDetail' || field.required) {
                findings.push({
                    severity: 'error',
                    ...at('field', fieldName),
                    message: `grants field ${fieldName}, which is ${field.type === 'MasterDetail' ? 'master-detail' : 'required'}: Salesforce refuses field permissions on it`
                });
            } else if (object.kind !== 'object') {
                findings.push({
                    severity: 'error',
                    ...at('field', fieldName),
                    message: `grants field ${fieldName}: fields of ${object.kind === 'platformEvent' ? 'platform events' : 'custom metadata types'} have no field-level security`
                });
            } else if (p.readable === 'true') {
                grantedFields.add(fieldName);
            }
        }
        for (const p of set.customMetadataTypeAccesses ?? []) {
            const type = p.name ?? '';
            if (schema.get(type)?.kind !== 'customMetadata') {
                findings.push({
                    severity: 'error',
                    ...at('name', type),
                    message: `grants custom metadata type ${type}, which does not exist under force-app/main/default/objects/`
                });
            } else if (p.enabled === 'true') {
                grantedMetadataTypes.add(type);
            }
        }
        for (const p of set.classAccesses ?? []) {
            const cls = p.apexClass ?? '';
            if (!classes.has(cls.toLowerCase())) {
                findings.push({
                    severity: 'error',
                    ...at('apexClass', cls),
                    message: `grants Apex class ${cls}, which does not exist (no force-app/main/default/classes/${cls}.cls)`
                });
            }
        }
        for (const p of set.tabSettings ?? []) {
            const tab = p.tab ?? '';
            if (
                !tab.startsWith('standard-') &&
                !existsSync(join(forceAppDefault(root), 'tabs', `${tab}.tab-meta.xml`))
            ) {
                findings.push({
                    severity: 'error',
                    ...at('tab', tab),
                    message: `sets visibility of tab ${tab}, which does not exist (no force-app/main/default/tabs/${tab}.tab-meta.xml)`
                });
            }
        }
        for (const p of set.applicationVisibilities ?? []) {
            const app = p.application ?? '';
            if (
                !app.startsWith('standard__') &&
                !existsSync(join(forceAppDefault(root), 'applications', `${app}.app-meta.xml`))
            ) {
                findings.push({
                    severity: 'error',
                    ...at('application', app),
                    message: `sets visibility of app ${app}, which does not exist (no force-app/main/default/applications/${app}.app-meta.xml)`
                });
            }
        }
        for (const p of set.externalCredentialPrincipalAccesses ?? []) {
            const ref = p.externalCredentialPrincipal ?? '';
            const [credential = '', principal = ''] = ref.split('-');
            const credFile = join(
                forceAppDefault(root),
                'externalCredentials',
                `${credential}.externalCredential-meta.xml`
            );
            const known =
                existsSync(credFile) &&
                new RegExp(
                    `<parameterName>${principal}</parameterName>\\s*<parameterType>NamedPrincipal</parameterType>`
                ).test(readFileSync(credFile, 'utf8'));
            if (!known) {
                findings.push({
                    severity: 'error',
                    ...at('externalCredentialPrincipal', ref),
                    message: `grants principal ${principal} of external credential ${credential}, which does not exist`
                });
            }
        }
    }

    // Coverage: everything we define is granted somewhere.
    const anySet = files.length
        ? `any of ${files.map((f) => basename(f, '.permissionset-meta.xml')).join(', ')}`
        : 'any permission set (there are none)';
    for (const object of schema.values()) {
        const objectFile = rel(
            root,
            join(
                forceAppDefault(root),
                'objects',
                object.apiName,
                `${object.apiName}.object-meta.xml`
            )
        );
        if (object.custom) {
            if (object.kind === 'customMetadata' && !grantedMetadataTypes.has(object.apiName)) {
                findings.push({
                    severity: 'error',
                    file: objectFile,
                    message: `custom metadata type ${object.apiName} is not granted (customMetadataTypeAccesses) in ${anySet}`
                });
            } else if (object.kind !== 'customMetadata' && !grantedObjects.has(object.apiName)) {
                findings.push({
                    severity: 'error',
                    file: objectFile,
                    message: `custom object ${object.apiName} is not granted (objectPermissions with allowRead) in ${anySet}`
                });
            }
        }
        for (const field of object.fields.values()) {
            if (!needsFieldPermission(object, field)) continue;
            const name = `${object.apiName}.${field.apiName}`;
            if (!grantedFields.has(name)) {
                findings.push({
                    severity: 'error',
                    file: field.source === 'standard' ? objectFile : rel(root, field.source),
                    message: `custom field ${name} is not granted (fieldPermissions with readable) in ${anySet}`
                });
            }
        }
    }
    return files.length;
}

// ---------------------------------------------------------------------------------------
// Apex

interface ApexClass {
    name: string;
    path: string;
    info: ApexClassInfo;
}

/** Every .cls under classes/, parsed; keyed by lower-cased name (Apex names are case-insensitive). */
function readApexClasses(root: string, findings: Finding[]): Map<string, ApexClass> {
    const dir = classesDir(root);
    const classes = new Map<string, ApexClass>();
    if (!existsSync(dir)) return classes;
    for (const name of readdirSync(dir)
        .filter((f) => f.endsWith('.cls'))
        .sort()) {
        const path = join(dir, name);
        const file = rel(root, path);
        const className = basename(name, '.cls');
        const info = parseApexClass(readFileSync(path, 'utf8'));
        for (const e of info.errors) {
            findings.push({
                severity: 'error',
                file,
                line: e.line,
                column: e.column,
                message: `Apex syntax error: ${e.message}`
            });
        }
        if (
            info.errors.length === 0 &&
            info.name &&
            info.name.toLowerCase() !== className.toLowerCase()
        ) {
            findings.push({
                severity: 'error',
                file,
                message: `declares ${info.kind ?? 'type'} ${info.name}, but the file name says ${className}`
            });
        }
        if (!existsSync(`${path}-meta.xml`)) {
            findings.push({
                severity: 'error',
                file,
                message: `no ${name}-meta.xml beside it (a class deploys with its API version and status)`
            });
        }
        classes.set(className.toLowerCase(), { name: className, path, info });
    }
    return classes;
}

function lintApexTests(root: string, classes: Map<string, ApexClass>, findings: Finding[]): void {
    for (const cls of classes.values()) {
        if (cls.info.isTest || cls.info.kind !== 'class') continue;
        const testName = `${cls.name}Test`;
        const test = classes.get(testName.toLowerCase());
        if (!test) {
            findings.push({
                severity: 'error',
                file: rel(root, cls.path),
                message: `has no test class: expected ${testName}.cls marked @IsTest beside it`
            });
        } else if (!test.info.isTest && test.info.errors.length === 0) {
            findings.push({
                severity: 'error',
                file: rel(root, test.path),
                message: `${testName} is the test class of ${cls.name} but is not marked @IsTest`
            });
        }
    }
}

function lintApexImports(
    root: string,
    classes: Map<string, ApexClass>,
    sources: SourceFile[],
    findings: Finding[]
): number {
    let count = 0;
    for (const file of sources) {
        const refs = [
            ...importsWithPrefix(file, '@salesforce/apex/'),
            ...importsWithPrefix(file, '@salesforce/apexContinuation/')
        ];
        for (const ref of refs) {
            count++;
            const parts = ref.rest.split('.');
            // Class.method, or namespace.Class.method
            const [className = '', methodName = ''] = parts.length === 3 ? parts.slice(1) : parts;
            const at = { severity: 'error' as const, file: rel(root, file.path), line: ref.line };
            if (parts.length < 2 || parts.length > 3 || !className || !methodName) {
                findings.push({
                    ...at,
                    message: `Apex import '${ref.specifier}' is not of the form @salesforce/apex/Class.method`
                });
                continue;
            }
            const cls = classes.get(className.toLowerCase());
            if (!cls) {
                findings.push({
                    ...at,
                    message: `Apex import '${ref.specifier}': class ${className} does not exist (no force-app/main/default/classes/${className}.cls)`
                });
                continue;
            }
            const methods = cls.info.methods.filter(
                (m) => m.name.toLowerCase() === methodName.toLowerCase()
            );
            const exposed = methods.find((m) => m.annotations.includes('auraenabled'));
            if (methods.length === 0) {
                findings.push({
                    ...at,
                    message: `Apex import '${ref.specifier}': ${cls.name} has no method ${methodName} (${rel(root, cls.path)})`
                });
            } else if (!exposed) {
                findings.push({
                    ...at,
                    message: `Apex import '${ref.specifier}': ${cls.name}.${methodName} is not @AuraEnabled (${rel(root, cls.path)}:${methods[0]?.line})`
                });
            } else if (!exposed.isStatic) {
                findings.push({
                    ...at,
                    message: `Apex import '${ref.specifier}': ${cls.name}.${methodName} must be static to be called from an LWC (${rel(root, cls.path)}:${exposed.line})`
                });
            }
        }
    }
    return count;
}
