/**
 * The actions a console (rep or admin) can ask of the gateway. On the platform they are
 * `@AuraEnabled` methods of the Apex class `SightlineGatewayController`, which forwards
 * them with the user's id to `POST /api/v1/actions/{name}` through its Named Credential;
 * in local mode the shell's Apex stand-in calls the same handlers directly. One registry
 * serves both, so the two paths cannot drift.
 */
import { UserFacingError } from './userFacingError';

export interface ActingUser {
    id: string;
    name: string;
    isAdmin: boolean;
}

/** How the call reached the gateway. */
export interface ActionCall {
    /** The gateway's origin as the caller addressed it (`https://gateway.example.com`). */
    origin?: string;
}

export type ActionHandler = (
    user: ActingUser,
    params: Record<string, unknown>,
    call?: ActionCall
) => unknown;

interface ActionEntry {
    handler: ActionHandler;
    adminOnly: boolean;
}

/** The Apex class whose methods the actions are. */
export const APEX_CONTROLLER = 'SightlineGatewayController';

export class ActionRegistry {
    private readonly actions = new Map<string, ActionEntry>();

    register(name: string, handler: ActionHandler, options: { adminOnly?: boolean } = {}): void {
        if (this.actions.has(name)) throw new Error(`Action ${name} is registered twice`);
        this.actions.set(name, { handler, adminOnly: options.adminOnly ?? false });
    }

    has(name: string): boolean {
        return this.actions.has(name);
    }

    names(): string[] {
        return [...this.actions.keys()].sort();
    }

    /** Runs an action as the user; admin-only actions refuse everyone else. */
    async run(
        name: string,
        user: ActingUser,
        params: Record<string, unknown>,
        call: ActionCall = {}
    ): Promise<unknown> {
        const entry = this.actions.get(name);
        if (!entry) throw new UnknownActionError(name);
        if (entry.adminOnly && !user.isAdmin)
            throw new UserFacingError('Only a Sightline admin can do this.', 403);
        return entry.handler(user, params, call);
    }
}

export class UnknownActionError extends Error {
    constructor(readonly action: string) {
        super(`No action named ${action}`);
    }
}
