/**
 * The gateway's zod schemas for the action contract, built from its one table
 * (force-app/main/default/lwc/sightlineLive/actionContract.ts), so a limit changed there
 * changes here too, and `npm run validate` holds the Apex controller to the same table.
 */
import { z } from 'zod';
import {
    ACTIONS,
    type ActionName,
    type ActionParams,
    type ParamSpec
} from '../../../force-app/main/default/lwc/sightlineLive/actionContract';

export * from '../../../force-app/main/default/lwc/sightlineLive/actionContract';

const TOKEN = /^[A-Za-z0-9_-]{1,64}$/;
const CLIENT_ID = /^[A-Za-z0-9_-]{8,64}$/;
const RECORD_ID = /^[A-Za-z0-9]{15}(?:[A-Za-z0-9]{3})?$/;
const EMAIL = /^[^@\s]{1,64}@[^@\s]{1,253}\.[^@\s]{1,63}$/;

function schemaOf(spec: ParamSpec): z.ZodType {
    switch (spec.kind) {
        case 'token':
            return z.string().max(spec.maxLength).regex(TOKEN, 'expected a visit id');
        case 'clientId':
            return z
                .string()
                .max(spec.maxLength)
                .regex(CLIENT_ID, 'expected 8–64 of A–Z, 0–9, _ and -');
        case 'recordId':
        case 'pageRecordId':
            return z.string().regex(RECORD_ID, 'expected a record id');
        case 'text':
            return z.string().trim().min(1, 'must not be blank').max(spec.maxLength);
        case 'email':
            return z.string().trim().max(spec.maxLength).regex(EMAIL, 'expected an email address');
        case 'boolean':
            return z.boolean();
        case 'enum':
            return z.enum(spec.values as [string, ...string[]]);
        case 'integer':
            return z.number().int().min(0).max(spec.max);
    }
}

function objectSchema(name: ActionName): z.ZodType {
    const shape: Record<string, z.ZodType> = {};
    for (const [param, spec] of Object.entries(ACTIONS[name].params as Record<string, ParamSpec>))
        shape[param] = schemaOf(spec);
    // Strict: Apex sends exactly its parameters; anything else is not from the controller.
    return z.object(shape).strict();
}

const schemas = new Map<ActionName, z.ZodType>(
    (Object.keys(ACTIONS) as ActionName[]).map((name) => [name, objectSchema(name)])
);

/** Validates an action's parameters against the contract: the value, or the first problem. */
export function parseActionParams<A extends ActionName>(
    action: A,
    params: unknown
): { ok: true; value: ActionParams<A> } | { ok: false; issue: string } {
    const parsed = schemas.get(action)!.safeParse(params ?? {});
    if (parsed.success) return { ok: true, value: parsed.data as ActionParams<A> };
    const issue = parsed.error.issues[0];
    const path = issue?.path.map(String).join('.');
    return {
        ok: false,
        issue: path ? `${path}: ${issue!.message}` : (issue?.message ?? 'invalid')
    };
}
