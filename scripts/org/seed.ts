/**
 * `npm run org:seed`: the demo's streams, routing groups and routing rules (the Live
 * Streams guide's four streams, as the local org is seeded) written into an org through the
 * REST API, as an admin would create them in Sightline Setup, and the Sightline permission
 * sets assigned to that admin so the console and setup open. Records that exist already (by
 * name) are kept: running it twice changes nothing.
 */
import { resolve } from 'node:path';
import type { Connection } from '@salesforce/core';
import { literal, literals, OrgNames } from '../../gateway/src/crm/salesforce/orgNames';
import { ruleToRecord, streamToRecord } from '../../localorg/src/seed/demoRouting';
import { DEMO_STREAMS, demoRules } from '../../localorg/src/seed/demoStreams';
import { parseCommandLine } from './commandLine';
import { ADMIN_OPTIONS, ADMIN_USAGE, AdminUsageError, adminConnection } from './adminSignIn';

export const USAGE = `Usage: npm run org:seed -- [options]

Creates the demo streams, routing groups and rules in an org (a scratch org, typically,
after npm run org:deploy), and assigns Sightline_Admin and Sightline_Rep to the admin.
Existing records of the same name are kept.

${ADMIN_USAGE}

  --member <username>  a routing group member (repeatable; default: the admin signed in)
  --no-assign          do not assign the permission sets
  -h, --help           this help`;

const OPTIONS = {
    ...ADMIN_OPTIONS,
    help: { type: 'boolean', short: 'h', default: false },
    member: { type: 'string', multiple: true },
    'no-assign': { type: 'boolean', default: false }
} as const;

const GROUPS = {
    sdr: {
        Name: 'Inbound SDRs',
        Description__c: 'Sales development reps who take inbound website visitors.'
    },
    ae: {
        Name: 'Account Executives',
        Description__c: 'Account executives, the fallback for named accounts.'
    }
} as const;

class SeedError extends Error {}

interface Named {
    Id: string;
    Name: string;
}

export interface SeedReport {
    created: string[];
    kept: string[];
}

/** The package's namespace, read from its permission set (none found: not installed). */
async function packageNames(conn: Connection): Promise<OrgNames> {
    const sets = (
        await conn.query<{ NamespacePrefix: string | null }>(
            "SELECT NamespacePrefix FROM PermissionSet WHERE Name = 'Sightline_Admin'"
        )
    ).records;
    if (sets.length === 0)
        throw new SeedError(
            'The Sightline package is not in this org (no Sightline_Admin permission set): deploy it first with npm run org:deploy.'
        );
    return new OrgNames(sets[0]!.NamespacePrefix || undefined);
}

export async function seedOrg(
    conn: Connection,
    options: { members?: string[]; assign?: boolean } = {}
): Promise<SeedReport> {
    const names = await packageNames(conn);
    const report: SeedReport = { created: [], kept: [] };
    const username = conn.getUsername();
    const [admin] = username
        ? (
              await conn.query<{ Id: string }>(
                  `SELECT Id FROM User WHERE Username = ${literal(username)}`
              )
          ).records
        : [];
    if (!admin) throw new SeedError('The sign-in did not say which user it is.');
    const adminId = admin.Id;

    const existing = async (object: string): Promise<Map<string, string>> => {
        const records = (await conn.query<Named>(names.soql(`SELECT Id, Name FROM ${object}`)))
            .records;
        return new Map(records.map((r) => [r.Name, r.Id]));
    };
    const create = async (object: string, fields: Record<string, unknown>): Promise<string> => {
        const result = await conn.sobject(names.of(object)).create(names.out(fields));
        if (!result.success) throw new SeedError(`${object}: ${JSON.stringify(result.errors)}`);
        return result.id;
    };
    const ensure = async (
        object: string,
        have: Map<string, string>,
        fields: Record<string, unknown> & { Name: string }
    ): Promise<string> => {
        const id = have.get(fields.Name);
        if (id) {
            report.kept.push(`${object} ${fields.Name}`);
            return id;
        }
        report.created.push(`${object} ${fields.Name}`);
        return create(object, fields);
    };

    if (options.assign !== false) {
        const sets = (
            await conn.query<{ Id: string; Name: string }>(
                `SELECT Id, Name FROM PermissionSet WHERE Name IN ('Sightline_Admin', 'Sightline_Rep')${names.namespace ? ` AND NamespacePrefix = ${literal(names.namespace)}` : ''}`
            )
        ).records;
        const held = new Set(
            (
                await conn.query<{ PermissionSetId: string }>(
                    `SELECT PermissionSetId FROM PermissionSetAssignment WHERE AssigneeId = ${literal(adminId)}`
                )
            ).records.map((a) => a.PermissionSetId)
        );
        for (const set of sets) {
            if (held.has(set.Id)) {
                report.kept.push(`PermissionSetAssignment ${set.Name}`);
                continue;
            }
            await create('PermissionSetAssignment', {
                AssigneeId: adminId,
                PermissionSetId: set.Id
            });
            report.created.push(`PermissionSetAssignment ${set.Name}`);
        }
    }

    const streams = await existing('Live_Stream__c');
    for (const stream of DEMO_STREAMS)
        await ensure('Live_Stream__c', streams, {
            ...streamToRecord(stream),
            Name: stream.name
        });

    const memberIds = options.members?.length
        ? (
              await conn.query<{ Id: string; Username: string }>(
                  `SELECT Id, Username FROM User WHERE Username IN ${literals(options.members)}`
              )
          ).records
        : [{ Id: adminId, Username: '' }];
    if (options.members && memberIds.length < options.members.length) {
        const found = new Set(memberIds.map((u) => u.Username.toLowerCase()));
        const missing = options.members.filter((m) => !found.has(m.toLowerCase()));
        throw new SeedError(`No user ${missing.join(', ')} in this org.`);
    }
    const groups = await existing('Routing_Group__c');
    const groupIds = { sdr: '', ae: '' };
    for (const key of ['sdr', 'ae'] as const) {
        const id = await ensure('Routing_Group__c', groups, { ...GROUPS[key] });
        groupIds[key] = id;
        const members = new Set(
            (
                await conn.query<{ User__c: string }>(
                    names.soql(
                        `SELECT User__c FROM Routing_Group_Member__c WHERE Routing_Group__c = ${literal(id)}`
                    )
                )
            ).records.map((m) => names.in(m).User__c)
        );
        for (const user of memberIds) {
            if (members.has(user.Id)) continue;
            await create('Routing_Group_Member__c', { Routing_Group__c: id, User__c: user.Id });
            report.created.push(`Routing_Group_Member__c ${GROUPS[key].Name} ← ${user.Id}`);
        }
    }

    const rules = await existing('Routing_Rule__c');
    for (const rule of demoRules(groupIds))
        await ensure('Routing_Rule__c', rules, { ...ruleToRecord(rule), Name: rule.name });
    return report;
}

/** Runs the command; resolves to the exit code (0 seeded, 1 the org refused, 2 usage). */
export async function seed(argv: string[], log: (line: string) => void): Promise<number> {
    const values = parseCommandLine(argv, OPTIONS, USAGE, log);
    if (typeof values === 'number') return values;
    try {
        const conn = await adminConnection(values);
        const report = await seedOrg(conn, {
            ...(values.member ? { members: values.member } : {}),
            assign: !values['no-assign']
        });
        for (const line of report.created) log(`  created ${line}`);
        log(
            `Seeded ${conn.instanceUrl}: ${report.created.length} created, ${report.kept.length} already there.`
        );
        return 0;
    } catch (error) {
        if (error instanceof AdminUsageError) {
            log(error.message);
            return 2;
        }
        log(`The org refused the demo data: ${(error as Error).message}`);
        return 1;
    }
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(import.meta.filename)) {
    process.exitCode = await seed(process.argv.slice(2), (line) => console.log(line));
}
