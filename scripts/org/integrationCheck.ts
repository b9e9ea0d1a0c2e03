/**
 * What `npm run org:connect` checks once the integration user is signed in, in the order
 * an admin fixes things: the package is installed (its Sightline_Integration permission
 * set exists, and says the namespace), the user holds that permission set, and the
 * package's custom metadata answers as the gateway will read it. Each failure says what to
 * do in Setup.
 */
import type { Connection } from 'jsforce';
import { readOrgMetadata } from '../../gateway/src/crm/salesforce/orgPorts';
import { OrgNames, literal } from '../../gateway/src/crm/salesforce/orgNames';

export const INTEGRATION_PERMISSION_SET = 'Sightline_Integration';

/** A check the org failed, with what to fix. */
export class OrgCheckError extends Error {
    constructor(
        message: string,
        readonly reason:
            | 'setup_not_visible'
            | 'package_not_installed'
            | 'namespace_mismatch'
            | 'permission_set_missing'
    ) {
        super(message);
        this.name = 'OrgCheckError';
    }
}

export interface IntegrationUser {
    orgId: string;
    userId: string;
    username: string;
    /** The package's namespace in this org (none: deployed unmanaged, as in a scratch org). */
    namespace?: string;
    /** Sightline_Site__mdt records: the websites the gateway will accept. */
    siteNames: string[];
}

interface PermissionSetRow {
    Id: string;
    NamespacePrefix: string | null;
}

export async function checkIntegrationUser(
    conn: Connection,
    expectedNamespace?: string
): Promise<IntegrationUser> {
    const userId = conn.userInfo?.id;
    const orgId = conn.userInfo?.organizationId;
    if (!userId || !orgId) throw new Error('The sign-in did not say which user and org it is.');
    const identity = await conn.identity();

    let sets: PermissionSetRow[];
    try {
        sets = (
            await conn.query<PermissionSetRow>(
                `SELECT Id, NamespacePrefix FROM PermissionSet WHERE Name = ${literal(INTEGRATION_PERMISSION_SET)}`
            )
        ).records;
    } catch (error) {
        throw new OrgCheckError(
            `The integration user ${identity.username} cannot read permission sets (${(error as Error).message}): give it View Setup and Configuration (docs/PACKAGE.md, "The integration user").`,
            'setup_not_visible'
        );
    }
    const set =
        expectedNamespace === undefined
            ? sets.length === 1
                ? sets[0]
                : undefined
            : sets.find((s) => (s.NamespacePrefix ?? '') === expectedNamespace);
    if (!set) {
        if (sets.length === 0)
            throw new OrgCheckError(
                `The Sightline package is not installed in this org (it has no ${INTEGRATION_PERMISSION_SET} permission set): install the package, or deploy it with npm run org:deploy.`,
                'package_not_installed'
            );
        const found = sets.map((s) => s.NamespacePrefix || '(none)').join(', ');
        throw new OrgCheckError(
            expectedNamespace === undefined
                ? `This org has the Sightline package more than once (namespaces ${found}): say which with --namespace.`
                : `The Sightline package in this org has the namespace ${found}, not ${expectedNamespace || '(none)'}: drop --namespace, or give the one installed.`,
            'namespace_mismatch'
        );
    }
    const namespace = set.NamespacePrefix || undefined;
    const assigned = await conn.query(
        `SELECT Id FROM PermissionSetAssignment WHERE AssigneeId = ${literal(userId)} AND PermissionSetId = ${literal(set.Id)}`
    );
    if (assigned.totalSize === 0)
        throw new OrgCheckError(
            `The integration user ${identity.username} does not have the ${INTEGRATION_PERMISSION_SET} permission set: Setup → Users → ${identity.username} → Permission Set Assignments → add "Sightline Integration".`,
            'permission_set_missing'
        );
    // The gateway's own first read: the settings and sites from custom metadata.
    const { sites } = await readOrgMetadata(conn, new OrgNames(namespace));
    return {
        orgId,
        userId,
        username: identity.username,
        ...(namespace ? { namespace } : {}),
        siteNames: sites.map((s) => s.name)
    };
}
