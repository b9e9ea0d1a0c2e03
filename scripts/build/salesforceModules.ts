/**
 * A rollup plugin that provides the platform's `@salesforce/*` scoped modules to the local
 * shell, checked against the metadata as the platform checks them at deploy:
 *  - `@salesforce/schema/Object.Field`: the field must exist in the object metadata;
 *  - `@salesforce/apex/Class.method`: a callable that is also a wire adapter;
 *  - `@salesforce/user/Id`: the signed-in local user;
 *  - `@salesforce/resourceUrl/name`: the static resource's local URL.
 */
import type { Plugin } from 'rollup';
import type { OrgSchema } from '../../localorg/src/store/describe';

const PREFIX = '\0salesforce:';

export function salesforceModules(schema: OrgSchema): Plugin {
    return {
        name: 'salesforce-scoped-modules',
        resolveId(source) {
            // Other scopes (labels, i18n, gates) come with lightning-base-components.
            return /^@salesforce\/(schema|apex|user|resourceUrl)(\/|$)/.test(source)
                ? PREFIX + source
                : null;
        },
        load(id) {
            if (!id.startsWith(PREFIX)) return null;
            const specifier = id.slice(PREFIX.length);
            const [, scope, rest = ''] = /^@salesforce\/([^/]+)\/?(.*)$/.exec(specifier) ?? [];
            switch (scope) {
                case 'schema':
                    return schemaModule(schema, rest, specifier);
                case 'apex':
                    return apexModule(rest, specifier);
                case 'user':
                    if (rest !== 'Id')
                        this.error(`${specifier}: only @salesforce/user/Id is available`);
                    return 'export default globalThis.__sightlineSession.userId;';
                case 'resourceUrl':
                    return `export default ${JSON.stringify(`/resources/${rest}`)};`;
                default:
                    return this.error(`${specifier}: this platform module has no local stand-in`);
            }
        }
    };
}

/**
 * As the platform compiles a managed package's own `@salesforce/schema` references: in a
 * subscriber org every custom name of the package carries its namespace. The local shell
 * learns the org's namespace from the page (the local org's session script), so one build
 * serves a plain and a namespaced org.
 */
const PACKAGED_NAME = `const namespace = globalThis.__sightlineSession?.namespace;
const packaged = (name) =>
    namespace && /__(c|r|e|mdt)$/.test(name) && name.split('__').length === 2 ? namespace + '__' + name : name;`;

/** Follows relationship names (`Owner.Name`, `Account__r.Name`) through lookups. */
function checkFieldPath(
    schema: OrgSchema,
    objectApiName: string,
    path: string[],
    specifier: string
): void {
    let object = schema.get(objectApiName)!;
    path.forEach((part, i) => {
        const last = i === path.length - 1;
        const fieldName = last ? part : relationshipField(part);
        const field = object.fields.get(fieldName);
        if (!field)
            throw new Error(
                `${specifier}: field ${object.apiName}.${fieldName} does not exist in the metadata`
            );
        if (!last) {
            const target = field.referenceTo ? schema.get(field.referenceTo) : undefined;
            if (!target)
                throw new Error(`${specifier}: ${object.apiName}.${fieldName} is not a lookup`);
            object = target;
        }
    });
}

function relationshipField(relationshipName: string): string {
    return relationshipName.endsWith('__r')
        ? relationshipName.replace(/__r$/, '__c')
        : `${relationshipName}Id`;
}

function apexModule(reference: string, specifier: string): string {
    if (reference === '') {
        return "export { refreshApex, getSObjectValue } from 'local/apex';";
    }
    const match = /^([A-Za-z]\w*)\.([A-Za-z]\w*)$/.exec(reference);
    if (!match) throw new Error(`${specifier}: expected @salesforce/apex/Class.method`);
    return `import { apexMethod } from 'local/apex';\nexport default apexMethod(${JSON.stringify(match[1])}, ${JSON.stringify(match[2])});`;
}

function schemaModule(schema: OrgSchema, reference: string, specifier: string): string {
    const [objectApiName = '', ...path] = reference.split('.');
    const object = schema.get(objectApiName);
    if (!object)
        throw new Error(`${specifier}: object ${objectApiName} does not exist in the metadata`);
    if (path.length === 0)
        return `${PACKAGED_NAME}\nexport default { objectApiName: packaged(${JSON.stringify(objectApiName)}) };`;
    checkFieldPath(schema, objectApiName, path, specifier);
    return `${PACKAGED_NAME}\nexport default { objectApiName: packaged(${JSON.stringify(objectApiName)}), fieldApiName: ${JSON.stringify(path.join('.'))}.split('.').map(packaged).join('.') };`;
}
