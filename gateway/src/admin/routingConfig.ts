/**
 * `getRoutingConfig`: the records the setup pages edit, as plain objects. The UI API has no
 * list query, so the pages read through this action and write through `lightning/uiRecordApi`
 * (the platform then enforces CRUD, FLS and validation rules on every save).
 */
import type { CrmPort } from '../crm/crmPort';
import type { SetupRoutingConfig } from '../../../force-app/main/default/lwc/setupModel/adminContract';

export type {
    SetupRoutingConfig,
    SetupRule,
    SetupStream,
    SetupUser
} from '../../../force-app/main/default/lwc/setupModel/adminContract';

const text = (value: unknown): string =>
    typeof value === 'string'
        ? value
        : value === null || value === undefined
          ? ''
          : JSON.stringify(value);

export async function readRoutingConfig(crm: CrmPort): Promise<SetupRoutingConfig> {
    const [config, users] = await Promise.all([crm.routingConfig(), crm.users()]);
    const streams = [...config.streams]
        .sort((a, b) => a.priority - b.priority)
        .map((stream) => ({
            id: stream.id,
            name: stream.name,
            color: stream.color,
            priority: stream.priority,
            active: stream.active,
            criteria: text(stream.criteria),
            description: stream.description ?? ''
        }));
    const rules = [...config.rules]
        .sort((a, b) => a.order - b.order)
        .map((rule) => withoutUndefined({ ...rule, criteria: text(rule.criteria) }));
    const groups = [...config.groups].sort((a, b) =>
        a.name < b.name ? -1 : a.name > b.name ? 1 : 0
    );
    const reps = users
        .filter((user) => user.isRep)
        .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
        .map((user) => ({ id: user.id, name: user.name, title: user.title }));
    return { streams, rules, groups, users: reps };
}

/** The same object in the gateway as after the JSON hop through Apex: no undefined keys. */
function withoutUndefined<T extends object>(value: T): T {
    return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
