/** Plain descriptions of objects and fields, shaped after Salesforce's describe results. */

export type FieldType =
    | 'Id'
    | 'Text'
    | 'TextArea'
    | 'LongTextArea'
    | 'Email'
    | 'Url'
    | 'Phone'
    | 'Picklist'
    | 'Number'
    | 'Percent'
    | 'Currency'
    | 'Checkbox'
    | 'Date'
    | 'DateTime'
    | 'Lookup'
    | 'MasterDetail'
    | 'AutoNumber';

export interface FieldDescribe {
    apiName: string;
    label: string;
    type: FieldType;
    custom: boolean;
    /** Object API name for Lookup / MasterDetail (the first of `polymorphicTo` when there are several). */
    referenceTo?: string;
    /** A polymorphic lookup (Task.WhoId: Lead or Contact): every object an id may belong to. */
    polymorphicTo?: string[];
    /** Set by the org itself (Task.IsClosed, Task.AccountId): a write naming it is refused. */
    readOnly?: boolean;
    /** Set on create only (Task.TaskSubtype): an update naming it is refused. */
    createOnly?: boolean;
    required: boolean;
    unique: boolean;
    externalId: boolean;
    length?: number;
    picklistValues?: string[];
    defaultValue?: string | number | boolean;
    /** Where the field is defined: a metadata file path, or "standard". */
    source: string;
}

export interface ObjectDescribe {
    apiName: string;
    label: string;
    custom: boolean;
    kind: 'object' | 'platformEvent' | 'customMetadata';
    keyPrefix: string;
    /** Owner-less objects are children of a master-detail relationship. */
    hasOwner: boolean;
    nameField?: { type: 'Text' | 'AutoNumber'; displayFormat?: string };
    fields: Map<string, FieldDescribe>;
}

export type OrgSchema = Map<string, ObjectDescribe>;

export function standardField(
    apiName: string,
    label: string,
    type: FieldType,
    length?: number
): FieldDescribe {
    return {
        apiName,
        label,
        type,
        custom: false,
        required: false,
        unique: apiName === 'Id',
        externalId: false,
        ...(length ? { length } : {}),
        source: 'standard'
    };
}
