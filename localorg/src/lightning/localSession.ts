/**
 * Who is signed in to the local shell. On the platform the session is Salesforce's; here a
 * cookie names the demo user, and the user menu changes it (a new sign-in).
 */
import { customPermissionHolders, SIGHTLINE_ADMIN_ACCESS } from '../store/customPermissions';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { LocalOrg } from '../store/localOrg';
import { normaliseId } from '../store/salesforceId';

export const SESSION_COOKIE = 'sightline_user';

export interface LocalUser {
    id: string;
    name: string;
    title: string;
    isAdmin: boolean;
}

export function listUsers(org: LocalOrg): LocalUser[] {
    // The package's own permission: in a namespaced org it carries the namespace.
    const admins = customPermissionHolders(org, SIGHTLINE_ADMIN_ACCESS, org.namespace ?? null);
    return org.find('User', { IsActive: true }, { orderBy: 'Name' }).map((u) => ({
        id: u.Id as string,
        name: String(u.Name),
        title: String(u.Title ?? ''),
        isAdmin: admins.has(u.Id as string)
    }));
}

function readCookie(request: FastifyRequest, name: string): string | undefined {
    for (const part of (request.headers.cookie ?? '').split(';')) {
        const [key, ...value] = part.trim().split('=');
        if (key === name) return decodeURIComponent(value.join('='));
    }
    return undefined;
}

/** The signed-in user; without a cookie, the first rep in name order is signed in. */
export function currentUser(org: LocalOrg, request: FastifyRequest): LocalUser {
    const users = listUsers(org);
    if (users.length === 0)
        throw new Error('The local org has no users: run `npm start -- --reset`.');
    const id = normaliseId(readCookie(request, SESSION_COOKIE));
    return users.find((u) => u.id === id) ?? users.find((u) => !u.isAdmin) ?? users[0]!;
}

export function signIn(reply: FastifyReply, userId: string): void {
    reply.header(
        'set-cookie',
        `${SESSION_COOKIE}=${encodeURIComponent(userId)}; Path=/; HttpOnly; SameSite=Lax`
    );
}
