/**
 * The managed package's namespace, as a subscriber org shows it: every custom name the
 * package ships (objects, fields, relationships, events, channels, custom metadata types)
 * carries `ns__`, so `Live_Stream__c` there is `sline__Live_Stream__c`.
 */
const CUSTOM_SUFFIX = /__(c|r|e|mdt|chn|x|b)$/;

/** `Live_Stream__c` → `sline__Live_Stream__c`; standard and already-prefixed names unchanged. */
export function withNamespace(name: string, namespace: string | undefined): string {
    if (!namespace || !CUSTOM_SUFFIX.test(name) || hasNamespace(name)) return name;
    return `${namespace}__${name}`;
}

/** `sline__Live_Stream__c` has one; `Live_Stream__c` does not. */
export function hasNamespace(name: string): boolean {
    return name.split('__').length > 2;
}

/** A namespace prefix as Salesforce allows them: letters, digits and single underscores, 1–15 characters. */
export function checkNamespace(namespace: string): string {
    if (!/^[A-Za-z][A-Za-z0-9]{0,14}$/.test(namespace)) {
        throw new Error(
            `Invalid namespace prefix "${namespace}": 1 to 15 letters and digits, starting with a letter`
        );
    }
    return namespace;
}
