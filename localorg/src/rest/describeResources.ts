/**
 * Describe results in the REST API's shape: `sobjects` (global describe) and
 * `sobjects/{Object}/describe`, built from the schema the force-app metadata defines.
 */
import type { FieldDescribe, ObjectDescribe } from '../store/describe';
import { relationshipName } from '../query/schemaNames';

const SOAP_TYPES: Record<FieldDescribe['type'], [type: string, soapType: string]> = {
    Id: ['id', 'tns:ID'],
    Text: ['string', 'xsd:string'],
    TextArea: ['textarea', 'xsd:string'],
    LongTextArea: ['textarea', 'xsd:string'],
    Email: ['email', 'xsd:string'],
    Url: ['url', 'xsd:string'],
    Phone: ['phone', 'xsd:string'],
    Picklist: ['picklist', 'xsd:string'],
    Number: ['double', 'xsd:double'],
    Percent: ['percent', 'xsd:double'],
    Currency: ['currency', 'xsd:double'],
    Checkbox: ['boolean', 'xsd:boolean'],
    Date: ['date', 'xsd:date'],
    DateTime: ['datetime', 'xsd:dateTime'],
    Lookup: ['reference', 'tns:ID'],
    MasterDetail: ['reference', 'tns:ID'],
    AutoNumber: ['string', 'xsd:string']
};

const SYSTEM_FIELDS = new Set([
    'Id',
    'CreatedDate',
    'LastModifiedDate',
    'CreatedById',
    'ReplayId',
    'EventUuid'
]);

function objectUrls(object: ObjectDescribe, version: string) {
    const base = `/services/data/v${version}/sobjects/${object.apiName}`;
    return { sobject: base, describe: `${base}/describe`, rowTemplate: `${base}/{ID}` };
}

function capabilities(object: ObjectDescribe) {
    const records = object.kind === 'object';
    return {
        createable: object.kind !== 'customMetadata',
        updateable: records,
        deletable: records,
        queryable: object.kind !== 'platformEvent',
        retrieveable: object.kind !== 'platformEvent',
        searchable: records,
        triggerable: object.kind !== 'customMetadata',
        layoutable: records
    };
}

export function globalDescribe(objects: Iterable<ObjectDescribe>, version: string) {
    return {
        encoding: 'UTF-8',
        maxBatchSize: 200,
        sobjects: [...objects]
            .sort((a, b) => a.apiName.localeCompare(b.apiName))
            .map((object) => ({
                name: object.apiName,
                label: object.label,
                labelPlural: object.label,
                keyPrefix: object.kind === 'platformEvent' ? null : object.keyPrefix,
                custom: object.custom,
                customSetting: false,
                ...capabilities(object),
                urls: objectUrls(object, version)
            }))
    };
}

export function objectDescribe(object: ObjectDescribe, version: string) {
    const nameFieldName = object.fields.has('Name')
        ? 'Name'
        : object.fields.has('DeveloperName')
          ? 'DeveloperName'
          : undefined;
    return {
        name: object.apiName,
        label: object.label,
        labelPlural: object.label,
        keyPrefix: object.kind === 'platformEvent' ? null : object.keyPrefix,
        custom: object.custom,
        customSetting: false,
        ...capabilities(object),
        fields: [...object.fields.values()].map((field) =>
            fieldDescribe(object, field, field.apiName === nameFieldName)
        ),
        childRelationships: [],
        recordTypeInfos: [],
        urls: objectUrls(object, version)
    };
}

function fieldDescribe(object: ObjectDescribe, field: FieldDescribe, isNameField: boolean) {
    const [type, soapType] = SOAP_TYPES[field.type];
    const system = SYSTEM_FIELDS.has(field.apiName);
    const autoNumber =
        field.type === 'AutoNumber' || (isNameField && object.nameField?.type === 'AutoNumber');
    const derivedName = isNameField && !object.custom && object.fields.has('FirstName');
    const writable =
        !system &&
        !autoNumber &&
        !derivedName &&
        !field.readOnly &&
        object.kind !== 'customMetadata';
    return {
        name: field.apiName,
        label: field.label,
        type,
        soapType,
        length: field.length ?? (type === 'string' || type === 'textarea' ? 255 : 0),
        custom: field.custom,
        nillable: !field.required && field.type !== 'Checkbox' && !system,
        createable: writable,
        updateable: writable && field.type !== 'MasterDetail' && !field.createOnly,
        defaultedOnCreate:
            field.defaultValue !== undefined || field.type === 'Checkbox' || system || autoNumber,
        defaultValue: field.defaultValue ?? null,
        unique: field.unique,
        externalId: field.externalId,
        idLookup: field.apiName === 'Id' || field.externalId || field.unique,
        nameField: isNameField,
        autoNumber,
        calculated: false,
        filterable: field.type !== 'LongTextArea',
        sortable: field.type !== 'LongTextArea',
        referenceTo: field.polymorphicTo ?? (field.referenceTo ? [field.referenceTo] : []),
        relationshipName: relationshipName(field) ?? null,
        cascadeDelete: field.type === 'MasterDetail',
        picklistValues: (field.picklistValues ?? []).map((value) => ({
            active: true,
            defaultValue: false,
            label: value,
            validFor: null,
            value
        })),
        restrictedPicklist: Boolean(field.picklistValues)
    };
}
