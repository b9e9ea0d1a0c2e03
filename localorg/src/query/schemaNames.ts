/**
 * Name resolution as the API does it: object, field and relationship names are
 * case-insensitive, answers use the describe's spelling, and an unknown name fails with
 * the platform's code and wording (INVALID_TYPE, INVALID_FIELD).
 */
import type { FieldDescribe, ObjectDescribe, OrgSchema } from '../store/describe';
import { ApiError } from '../rest/apiError';

export class SchemaNames {
    private readonly objects = new Map<string, ObjectDescribe>();
    private readonly fields = new Map<ObjectDescribe, Map<string, FieldDescribe>>();
    private readonly relationships = new Map<ObjectDescribe, Map<string, FieldDescribe>>();

    constructor(readonly schema: OrgSchema) {
        for (const object of schema.values()) {
            this.objects.set(object.apiName.toLowerCase(), object);
            const byName = new Map<string, FieldDescribe>();
            const byRelationship = new Map<string, FieldDescribe>();
            for (const field of object.fields.values()) {
                byName.set(field.apiName.toLowerCase(), field);
                const relationship = relationshipName(field);
                if (relationship) byRelationship.set(relationship.toLowerCase(), field);
            }
            this.fields.set(object, byName);
            this.relationships.set(object, byRelationship);
        }
    }

    /** An object that holds records (platform events are published, never queried). */
    object(name: string): ObjectDescribe {
        const object = this.objects.get(name.toLowerCase());
        if (!object || object.kind === 'platformEvent') throw invalidType(name);
        return object;
    }

    /** Any object, platform events included (describe, publish). */
    anyObject(name: string): ObjectDescribe | undefined {
        return this.objects.get(name.toLowerCase());
    }

    field(object: ObjectDescribe, name: string): FieldDescribe {
        const field = this.fields.get(object)?.get(name.toLowerCase());
        if (!field) throw invalidField(object, name);
        return field;
    }

    findField(object: ObjectDescribe, name: string): FieldDescribe | undefined {
        return this.fields.get(object)?.get(name.toLowerCase());
    }

    /** The lookup field behind a relationship name (`Owner` → OwnerId, `Foo__r` → Foo__c). */
    relationship(
        object: ObjectDescribe,
        name: string
    ): { field: FieldDescribe; target: ObjectDescribe } {
        const field = this.relationships.get(object)?.get(name.toLowerCase());
        const target = field?.referenceTo
            ? this.objects.get(field.referenceTo.toLowerCase())
            : undefined;
        if (!field || !target) {
            throw new ApiError(
                400,
                'INVALID_FIELD',
                `Didn't understand relationship '${name}' in field path. If you are attempting to use a custom relationship, be sure to append the '__r' after the custom relationship name. Please reference your WSDL or the describe call for the appropriate names.`
            );
        }
        return { field, target };
    }
}

/** The relationship name the API gives a lookup: `OwnerId` → `Owner`, `Account__c` → `Account__r`. */
export function relationshipName(field: FieldDescribe): string | undefined {
    if (!field.referenceTo || field.apiName === 'Id') return undefined;
    if (field.apiName.endsWith('__c')) return field.apiName.replace(/__c$/, '__r');
    if (field.apiName.endsWith('Id')) return field.apiName.slice(0, -2);
    return undefined;
}

export function invalidType(name: string): ApiError {
    return new ApiError(
        400,
        'INVALID_TYPE',
        `sObject type '${name}' is not supported. If you are attempting to use a custom object, be sure to append the '__c' after the entity name. Please reference your WSDL or the describe call for the appropriate names.`
    );
}

export function invalidField(object: ObjectDescribe, name: string): ApiError {
    return new ApiError(
        400,
        'INVALID_FIELD',
        `No such column '${name}' on entity '${object.apiName}'. If you are attempting to use a custom field, be sure to append the '__c' after the custom field name. Please reference your WSDL or the describe call for the appropriate names.`,
        [name]
    );
}
