/**
 * An org the Salesforce CLI is signed in to, read from the CLI's own store
 * (`~/.sfdx`, through `@salesforce/core`, the library the CLI itself uses) without running
 * `sf`: the current `sf` release does not start on Node 20, and the scripts need nothing
 * from it but what it saved at `sf org login`.
 */
import { StateAggregator } from '@salesforce/core';

export interface SfOrg {
    username: string;
    loginUrl?: string;
    instanceUrl?: string;
    orgId?: string;
    /** JWT logins (`sf org login jwt`) only: the app's consumer key and the key file. */
    clientId?: string;
    privateKeyFile?: string;
}

/** The org behind an alias or username, or a message saying how to sign in. */
export async function readSfOrg(aliasOrUsername: string): Promise<SfOrg> {
    const state = await StateAggregator.getInstance();
    const username = state.aliases.resolveUsername(aliasOrUsername);
    const fields = await state.orgs.read(username, false, false);
    // An alias without an auth file reads as an empty record: only the file says it exists.
    if (!fields || !(await state.orgs.exists(username)))
        throw new Error(
            `The Salesforce CLI has no org "${aliasOrUsername}": sign in first, e.g. sf org login web --alias ${aliasOrUsername} (for a sandbox add --instance-url https://test.salesforce.com).`
        );
    const text = (value: unknown) => (typeof value === 'string' && value ? value : undefined);
    const org: SfOrg = { username };
    const set = (key: keyof SfOrg, value: unknown) => {
        const v = text(value);
        if (v) org[key] = v;
    };
    set('loginUrl', fields.loginUrl);
    set('instanceUrl', fields.instanceUrl);
    set('orgId', fields.orgId);
    set('clientId', fields.clientId);
    set('privateKeyFile', fields.privateKey);
    return org;
}
