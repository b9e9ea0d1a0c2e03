/** Who a submitted form says the visitor is: an email field, and names and company when present. */
export interface FormIdentity {
    email: string;
    firstName?: string;
    lastName?: string;
    company?: string;
}

// The beacon contract's own email rule: the tracker never sends an address the gateway refuses.
import { EMAIL_MAX_LENGTH, validEmail } from '../../gateway/src/contracts/emailRule';

export { validEmail };

type Role = keyof FormIdentity | 'fullName' | undefined;

/** What a field holds, from its type, name, id and autocomplete hint. Passwords are never read. */
export function fieldRole(type: string, hints: string): Role {
    const t = type.toLowerCase();
    if (t === 'password' || t === 'hidden' || t === 'file') return undefined;
    const h = hints.toLowerCase();
    if (t === 'email' || /e-?mail/.test(h)) return 'email';
    if (/given|first|fname|prenom|vorname/.test(h)) return 'firstName';
    if (/family|last|lname|surname|nachname/.test(h)) return 'lastName';
    if (/company|organi[sz]ation|business|employer|firma/.test(h)) return 'company';
    if (/(^|[^a-z])(full-?name|name)([^a-z]|$)/.test(h) && !/user|login/.test(h)) return 'fullName';
    return undefined;
}

export function identityFromFields(
    fields: { type: string; hints: string; value: string }[]
): FormIdentity | undefined {
    const found: Partial<Record<NonNullable<Role>, string>> = {};
    for (const field of fields) {
        const role = fieldRole(field.type, field.hints);
        const value = field.value.trim();
        if (role && value && !found[role])
            found[role] = value.slice(0, role === 'email' ? EMAIL_MAX_LENGTH : 255);
    }
    if (!found.email || !validEmail(found.email)) return undefined;
    const identity: FormIdentity = { email: found.email };
    if (found.fullName && !found.firstName && !found.lastName) {
        const parts = found.fullName.split(/\s+/);
        if (parts.length > 1) identity.firstName = parts.slice(0, -1).join(' ');
        identity.lastName = parts[parts.length - 1];
    }
    if (found.firstName) identity.firstName = found.firstName;
    if (found.lastName) identity.lastName = found.lastName;
    if (found.company) identity.company = found.company;
    return identity;
}
