/**
 * The standard objects and fields Sightline reads, with their documented API names.
 * Standard objects have no source file in force-app unless we add custom fields, so the
 * list lives here; custom fields on them come from metadata.
 */
import { standardField, type FieldDescribe, type FieldType, type ObjectDescribe } from './describe';

/** What a field adds to its type: length, picklist values, default, and the org-set flags. */
type FieldExtras = Pick<
    FieldDescribe,
    'length' | 'picklistValues' | 'defaultValue' | 'required' | 'readOnly' | 'createOnly'
>;

type FieldSpec = [
    apiName: string,
    label: string,
    type: FieldType,
    /** One object, or every object a polymorphic lookup (WhoId, WhatId) may point at. */
    referenceTo?: string | string[],
    extras?: Partial<FieldExtras>
];

/** Task.Status's default values; Completed is the closed one (TaskStatus.IsClosed). */
export const TASK_STATUSES = [
    'Not Started',
    'In Progress',
    'Completed',
    'Waiting on someone else',
    'Deferred'
];
export const CLOSED_TASK_STATUSES = new Set(['Completed']);

/** The activity lookups every Task and Event has (Shared Activities off). */
const ACTIVITY_FIELDS: FieldSpec[] = [
    ['Subject', 'Subject', 'Text'],
    ['WhoId', 'Name ID', 'Lookup', ['Lead', 'Contact']],
    ['WhatId', 'Related To ID', 'Lookup', ['Account', 'Opportunity']],
    // Derived by the org from WhatId, or from a Contact WhoId.
    ['AccountId', 'Account ID', 'Lookup', 'Account', { readOnly: true }],
    ['Description', 'Description', 'LongTextArea', undefined, { length: 32_000 }]
];

function object(
    apiName: string,
    label: string,
    keyPrefix: string,
    specs: FieldSpec[],
    hasOwner = true
): Omit<ObjectDescribe, 'fields'> & { fields: FieldDescribe[] } {
    const common: FieldSpec[] = [
        ['Id', 'Record ID', 'Id'],
        ['CreatedDate', 'Created Date', 'DateTime'],
        ['LastModifiedDate', 'Last Modified Date', 'DateTime'],
        ['CreatedById', 'Created By ID', 'Lookup', 'User']
    ];
    if (hasOwner) common.push(['OwnerId', 'Owner ID', 'Lookup', 'User']);
    return {
        apiName,
        label,
        custom: false,
        kind: 'object',
        keyPrefix,
        hasOwner,
        fields: [...common, ...specs].map(([name, fieldLabel, type, referenceTo, extras]) => ({
            ...standardField(name, fieldLabel, type),
            ...(typeof referenceTo === 'string' ? { referenceTo } : {}),
            ...(Array.isArray(referenceTo)
                ? { referenceTo: referenceTo[0]!, polymorphicTo: referenceTo }
                : {}),
            ...extras
        }))
    };
}

export const STANDARD_OBJECTS = [
    object(
        'User',
        'User',
        '005',
        [
            ['Name', 'Full Name', 'Text'],
            ['FirstName', 'First Name', 'Text'],
            ['LastName', 'Last Name', 'Text'],
            ['Email', 'Email', 'Email'],
            ['Username', 'Username', 'Text'],
            ['Title', 'Title', 'Text'],
            ['IsActive', 'Active', 'Checkbox'],
            ['UserRoleId', 'Role ID', 'Lookup', 'UserRole'],
            ['ManagerId', 'Manager ID', 'Lookup', 'User'],
            ['TimeZoneSidKey', 'Time Zone', 'Picklist'],
            ['ProfileId', 'Profile ID', 'Lookup', 'Profile']
        ],
        false
    ),
    object('Profile', 'Profile', '00e', [['Name', 'Name', 'Text']], false),
    object(
        'UserRole',
        'Role',
        '00E',
        [
            ['Name', 'Name', 'Text'],
            ['ParentRoleId', 'Parent Role ID', 'Lookup', 'UserRole']
        ],
        false
    ),
    object(
        'PermissionSet',
        'Permission Set',
        '0PS',
        [
            ['Name', 'Name', 'Text'],
            ['Label', 'Label', 'Text'],
            // A packaged permission set keeps its Name and carries the package's namespace here.
            ['NamespacePrefix', 'Namespace Prefix', 'Text'],
            // 'Regular', or 'Group' for the aggregate permission set behind a permission set group.
            ['Type', 'Type', 'Picklist'],
            ['PermissionSetGroupId', 'Permission Set Group ID', 'Lookup', 'PermissionSetGroup'],
            // Every profile owns a permission set holding its permissions.
            ['IsOwnedByProfile', 'Is Owned By Profile', 'Checkbox'],
            ['ProfileId', 'Profile ID', 'Lookup', 'Profile']
        ],
        false
    ),
    object(
        // Field-level security a permission set grants: `Field` is `Object.Field`. A field with
        // no row for any of a user's permission sets is hidden from that user.
        'FieldPermissions',
        'Field Permissions',
        '01k',
        [
            ['ParentId', 'Parent ID', 'Lookup', 'PermissionSet'],
            ['SobjectType', 'Sobject Type Name', 'Picklist'],
            ['Field', 'Field Name', 'Text'],
            ['PermissionsRead', 'Read', 'Checkbox'],
            ['PermissionsEdit', 'Edit', 'Checkbox']
        ],
        false
    ),
    object(
        // What a permission set (or a profile's, or a group's aggregate one) grants on an object.
        'ObjectPermissions',
        'Object Permissions',
        '110',
        [
            ['ParentId', 'Parent ID', 'Lookup', 'PermissionSet'],
            ['SobjectType', 'Sobject Type Name', 'Picklist'],
            ['PermissionsRead', 'Read', 'Checkbox'],
            ['PermissionsCreate', 'Create', 'Checkbox'],
            ['PermissionsEdit', 'Edit', 'Checkbox'],
            ['PermissionsDelete', 'Delete', 'Checkbox'],
            ['PermissionsViewAllRecords', 'View All', 'Checkbox'],
            ['PermissionsModifyAllRecords', 'Modify All', 'Checkbox']
        ],
        false
    ),
    object(
        'PermissionSetGroup',
        'Permission Set Group',
        '0PG',
        [
            ['DeveloperName', 'Developer Name', 'Text'],
            ['MasterLabel', 'Label', 'Text'],
            ['NamespacePrefix', 'Namespace Prefix', 'Text'],
            ['Status', 'Status', 'Picklist']
        ],
        false
    ),
    object(
        'PermissionSetGroupComponent',
        'Permission Set Group Component',
        '0PH',
        [
            ['PermissionSetGroupId', 'Permission Set Group ID', 'Lookup', 'PermissionSetGroup'],
            ['PermissionSetId', 'Permission Set ID', 'Lookup', 'PermissionSet']
        ],
        false
    ),
    object(
        'CustomPermission',
        'Custom Permission',
        '0CP',
        [
            ['DeveloperName', 'Developer Name', 'Text'],
            ['MasterLabel', 'Label', 'Text'],
            ['NamespacePrefix', 'Namespace Prefix', 'Text']
        ],
        false
    ),
    object(
        'SetupEntityAccess',
        'Setup Entity Access',
        '0J0',
        [
            // Who is granted (a permission set, or a group's aggregate permission set) …
            ['ParentId', 'Parent ID', 'Lookup', 'PermissionSet'],
            // … what (here: a custom permission).
            ['SetupEntityId', 'Setup Entity ID', 'Lookup', 'CustomPermission'],
            ['SetupEntityType', 'Setup Entity Type', 'Text']
        ],
        false
    ),
    object(
        'PermissionSetAssignment',
        'Permission Set Assignment',
        '0Pa',
        [
            ['AssigneeId', 'Assignee ID', 'Lookup', 'User'],
            ['PermissionSetId', 'Permission Set ID', 'Lookup', 'PermissionSet'],
            ['PermissionSetGroupId', 'Permission Set Group ID', 'Lookup', 'PermissionSetGroup']
        ],
        false
    ),
    object('Account', 'Account', '001', [
        ['Name', 'Account Name', 'Text'],
        ['Website', 'Website', 'Url'],
        ['Industry', 'Industry', 'Picklist'],
        ['NumberOfEmployees', 'Employees', 'Number'],
        ['AnnualRevenue', 'Annual Revenue', 'Currency'],
        ['BillingCountry', 'Billing Country', 'Text'],
        ['BillingState', 'Billing State/Province', 'Text'],
        ['BillingCity', 'Billing City', 'Text']
    ]),
    object('Contact', 'Contact', '003', [
        ['Name', 'Full Name', 'Text'],
        ['FirstName', 'First Name', 'Text'],
        ['LastName', 'Last Name', 'Text'],
        ['Email', 'Email', 'Email'],
        ['Title', 'Title', 'Text'],
        ['AccountId', 'Account ID', 'Lookup', 'Account']
    ]),
    object('Lead', 'Lead', '00Q', [
        ['Name', 'Full Name', 'Text'],
        ['FirstName', 'First Name', 'Text'],
        ['LastName', 'Last Name', 'Text'],
        ['Company', 'Company', 'Text'],
        ['Email', 'Email', 'Email'],
        ['Status', 'Lead Status', 'Picklist'],
        ['LeadSource', 'Lead Source', 'Picklist'],
        ['Country', 'Country', 'Text'],
        ['Title', 'Title', 'Text']
    ]),
    object('Opportunity', 'Opportunity', '006', [
        ['Name', 'Name', 'Text'],
        ['AccountId', 'Account ID', 'Lookup', 'Account'],
        ['StageName', 'Stage', 'Picklist'],
        ['Amount', 'Amount', 'Currency'],
        ['CloseDate', 'Close Date', 'Date'],
        ['IsClosed', 'Closed', 'Checkbox'],
        ['IsWon', 'Won', 'Checkbox']
    ]),
    // Read only: the org computes its rows from sharing (sharing.ts) for one user and at most
    // 200 records a query (runSoql's userRecordAccessRows); nothing is stored in it.
    object(
        'UserRecordAccess',
        'User Record Access',
        '0ZA',
        [
            ['UserId', 'User ID', 'Lookup', 'User', { readOnly: true }],
            ['RecordId', 'Record ID', 'Text', undefined, { readOnly: true }],
            ['HasReadAccess', 'Has Read Access', 'Checkbox', undefined, { readOnly: true }],
            ['HasEditAccess', 'Has Edit Access', 'Checkbox', undefined, { readOnly: true }],
            ['HasDeleteAccess', 'Has Delete Access', 'Checkbox', undefined, { readOnly: true }],
            ['HasTransferAccess', 'Has Transfer Access', 'Checkbox', undefined, { readOnly: true }],
            ['HasAllAccess', 'Has All Access', 'Checkbox', undefined, { readOnly: true }],
            ['MaxAccessLevel', 'Maximum Access Level', 'Picklist', undefined, { readOnly: true }]
        ],
        false
    ),
    object(
        'AccountTeamMember',
        'Account Team Member',
        '01M',
        [
            ['AccountId', 'Account ID', 'Lookup', 'Account'],
            ['UserId', 'User ID', 'Lookup', 'User'],
            ['TeamMemberRole', 'Team Role', 'Picklist'],
            // The team's access on the account and its children (sharing.ts reads them).
            ['AccountAccessLevel', 'Account Access', 'Picklist'],
            ['OpportunityAccessLevel', 'Opportunity Access', 'Picklist'],
            ['ContactAccessLevel', 'Contact Access', 'Picklist']
        ],
        false
    ),
    // Omni-Channel: the presence statuses an admin defines, and each user's presence (the
    // platform writes these as reps log in and change status; IsAway follows the status).
    object(
        'ServicePresenceStatus',
        'Presence Status',
        '0N5',
        [
            ['DeveloperName', 'Developer Name', 'Text'],
            ['MasterLabel', 'Label', 'Text']
        ],
        false
    ),
    object('UserServicePresence', 'User Presence', '0Jf', [
        ['UserId', 'User ID', 'Lookup', 'User'],
        ['ServicePresenceStatusId', 'Presence Status ID', 'Lookup', 'ServicePresenceStatus'],
        ['IsCurrentState', 'Is Current State', 'Checkbox', undefined, { readOnly: true }],
        ['IsAway', 'Is Away', 'Checkbox', undefined, { readOnly: true }],
        ['ConfiguredCapacity', 'Configured Capacity', 'Number', undefined, { readOnly: true }],
        ['StatusStartDate', 'Status Start Date', 'DateTime', undefined, { readOnly: true }],
        ['StatusEndDate', 'Status End Date', 'DateTime', undefined, { readOnly: true }]
    ]),
    object('Task', 'Task', '00T', [
        ...ACTIVITY_FIELDS,
        ['ActivityDate', 'Due Date', 'Date'],
        [
            'Status',
            'Status',
            'Picklist',
            undefined,
            { required: true, picklistValues: TASK_STATUSES, defaultValue: 'Not Started' }
        ],
        [
            'Priority',
            'Priority',
            'Picklist',
            undefined,
            { required: true, picklistValues: ['High', 'Normal', 'Low'], defaultValue: 'Normal' }
        ],
        [
            'TaskSubtype',
            'Task Subtype',
            'Picklist',
            undefined,
            {
                picklistValues: ['Task', 'Email', 'ListEmail', 'Cadence', 'Call', 'LinkedIn'],
                createOnly: true
            }
        ],
        ['IsClosed', 'Closed', 'Checkbox', undefined, { readOnly: true }],
        ['CompletedDateTime', 'Completed Date Time', 'DateTime', undefined, { readOnly: true }]
    ]),
    object('Event', 'Event', '00U', [
        ...ACTIVITY_FIELDS,
        ['StartDateTime', 'Start', 'DateTime'],
        ['EndDateTime', 'End', 'DateTime']
    ])
];
