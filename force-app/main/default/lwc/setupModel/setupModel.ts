/**
 * What the Sightline setup components share: the records as the gateway's
 * `getRoutingConfig` returns them (gateway/src/admin/routingConfig.ts), the colour
 * palette, list reordering, the editable criteria tree and one error normaliser.
 */
import {
    FIELD_CATALOGUE,
    fieldByKey,
    type FieldDefinition,
    type Operator,
    type Visitor
} from 'c/sightlineEngine';

export type RoutingStrategy =
    'Record_Owner' | 'Account_Team' | 'Round_Robin' | 'First_Available' | 'Named_Reps';
export type UnavailableAction = 'Next_Rule' | 'Fallback_Group' | 'Meeting_Booker';
export type OwnerSource = 'Opportunity' | 'Account' | 'Lead' | 'Contact';

export interface SetupStream {
    id?: string;
    name: string;
    color: string;
    priority: number;
    active: boolean;
    criteria: string;
    description: string;
}

export interface SetupRule {
    id?: string;
    name: string;
    order: number;
    active: boolean;
    criteria: string;
    strategy: RoutingStrategy;
    ownerSources?: OwnerSource[];
    teamRole?: string;
    targetGroupId?: string;
    targetUserIds?: string[];
    unavailableAction: UnavailableAction;
    fallbackGroupId?: string;
    chatTimeoutSeconds?: number;
}

export interface SetupGroup {
    id: string;
    name: string;
    memberIds: string[];
}

export interface SetupUser {
    id: string;
    name: string;
    title: string;
}

export interface SetupRoutingConfig {
    streams: SetupStream[];
    rules: SetupRule[];
    groups: SetupGroup[];
    users: SetupUser[];
}

export interface DryRunVisitors {
    source: 'live' | 'local-sample';
    generatedAt: string;
    now: number;
    visitors: Visitor[];
    truncated: boolean;
}

export interface GatewayHealth {
    status: 'ok' | 'degraded';
    mode: 'local' | 'org';
    startedAt: string;
    generatedAt: string;
    uptimeSeconds: number;
    liveSessions: number | null;
    events: {
        usedToday: number;
        budget: number;
        allocation?: number;
        /** The budget governor's window, its projection for a rolling day, the consoles subscribed. */
        batchWindowMs?: number;
        projectedDay?: number;
        subscribers?: number;
        /** `org`: the org's own figure from `/limits`; `gateway`: the gateway's count. */
        usedSource?: 'org' | 'gateway';
        share: number;
    } | null;
    /** What the ingest kept out since the gateway started; null when not reported. */
    keptOut: {
        botBeacons: number;
        botEvents: number;
        doNotTrack: number;
        noConsent: number;
        rejectedEvents: number;
    } | null;
    lastErrors: { at: string; message: string; code?: string }[];
}

// Colours

export interface PaletteColor {
    name: string;
    value: string;
}

/** SLDS brand and status colours: each holds white text at WCAG AA contrast (4.5:1). */
export const PALETTE: readonly PaletteColor[] = [
    { name: 'Blue', value: '#0176D3' },
    { name: 'Dark blue', value: '#014486' },
    { name: 'Teal', value: '#056764' },
    { name: 'Green', value: '#2E844A' },
    { name: 'Orange', value: '#A96404' },
    { name: 'Red', value: '#BA0517' },
    { name: 'Pink', value: '#B60554' },
    { name: 'Purple', value: '#7526E3' },
    { name: 'Violet', value: '#9050E9' },
    { name: 'Gray', value: '#5C5C5C' }
];

/** The palette name, or "Custom colour #RRGGBB" for a colour set outside the palette. */
export function colorName(value: string): string {
    return (
        PALETTE.find((c) => c.value.toLowerCase() === value.toLowerCase())?.name ??
        `Custom colour ${value.toUpperCase()}`
    );
}

// Ordering

/** Which records need a new position (1 = first) for the given id order. */
export function renumber<T extends { id?: string }>(
    ids: readonly string[],
    records: readonly T[],
    positionOf: (record: T) => number
): { id: string; position: number }[] {
    return ids.flatMap((id, index) => {
        const record = records.find((r) => r.id === id);
        return record && positionOf(record) !== index + 1 ? [{ id, position: index + 1 }] : [];
    });
}

// Criteria editing tree

export type GroupKind = 'all' | 'any' | 'not';

export interface EditCondition {
    uid: string;
    kind: 'condition';
    field: string;
    operator: string;
    value?: unknown;
}

export interface EditGroup {
    uid: string;
    kind: GroupKind;
    children: EditNode[];
}

export type EditNode = EditGroup | EditCondition;

let nextUid = 0;
export function uid(): string {
    nextUid += 1;
    return `n${nextUid}`;
}

/** Reads stored criteria into the tree the builder edits; blank or unreadable text starts an empty `all`. */
export function toEditTree(criteria: unknown): { tree: EditGroup; readable: boolean } {
    let json = criteria;
    if (typeof criteria === 'string') {
        if (criteria.trim() === '')
            return { tree: { uid: uid(), kind: 'all', children: [] }, readable: true };
        try {
            json = JSON.parse(criteria) as unknown;
        } catch {
            return { tree: { uid: uid(), kind: 'all', children: [] }, readable: false };
        }
    }
    const node = readNode(json);
    if (!node) return { tree: { uid: uid(), kind: 'all', children: [] }, readable: false };
    return {
        tree: node.kind === 'condition' ? { uid: uid(), kind: 'all', children: [node] } : node,
        readable: true
    };
}

function readNode(json: unknown): EditNode | undefined {
    if (typeof json !== 'object' || json === null || Array.isArray(json)) return undefined;
    const record = json as Record<string, unknown>;
    for (const kind of ['all', 'any'] as const) {
        if (Array.isArray(record[kind])) {
            const children = (record[kind] as unknown[]).map(readNode);
            return children.every((c) => c)
                ? { uid: uid(), kind, children: children as EditNode[] }
                : undefined;
        }
    }
    if ('not' in record) {
        const child = readNode(record.not);
        return child ? { uid: uid(), kind: 'not', children: [child] } : undefined;
    }
    if (typeof record.field === 'string') {
        return {
            uid: uid(),
            kind: 'condition',
            field: record.field,
            operator: String(record.operator ?? ''),
            ...('value' in record ? { value: record.value } : {})
        };
    }
    return undefined;
}

/** The criteria JSON for a tree (a `not` group with no child stays invalid, so validation names it). */
export function toCriteriaJson(node: EditNode): unknown {
    if (node.kind === 'condition') {
        return node.value === undefined
            ? { field: node.field, operator: node.operator }
            : { field: node.field, operator: node.operator, value: node.value };
    }
    if (node.kind === 'not')
        return { not: node.children[0] ? toCriteriaJson(node.children[0]) : null };
    return { [node.kind]: node.children.map(toCriteriaJson) };
}

/** The engine's error path of every node (`''` for the root, `all[1].any[0]`…), by uid. */
export function enginePaths(root: EditNode): Map<string, string> {
    const paths = new Map<string, string>();
    const walk = (node: EditNode, path: string) => {
        paths.set(node.uid, path);
        if (node.kind === 'condition') return;
        const prefix = path === '' ? node.kind : `${path}.${node.kind}`;
        node.children.forEach((child, index) =>
            walk(child, node.kind === 'not' ? prefix : `${prefix}[${index}]`)
        );
    };
    walk(root, '');
    return paths;
}

/** The node an engine error path points at: `all[1].any[0].operator` → `all[1].any[0]`. */
export function nodePathOf(errorPath: string): string {
    let path = errorPath.replace(/\.(field|operator|value)$/, '');
    // `"all" must be a list`-style errors name the group key itself.
    path = path.replace(/(^|\.)(all|any|not)$/, '');
    return path;
}

export function updateNode(
    root: EditGroup,
    target: string,
    change: (node: EditNode) => EditNode | null
): EditGroup {
    const visit = (node: EditNode): EditNode | null => {
        if (node.uid === target) return change(node);
        if (node.kind === 'condition') return node;
        return {
            ...node,
            children: node.children.map(visit).filter((c): c is EditNode => c !== null)
        };
    };
    return (visit(root) as EditGroup | null) ?? { uid: uid(), kind: 'all', children: [] };
}

// Fields and operators, as the builder offers them

export const GROUP_ORDER = ['Visit', 'Company', 'Location', 'Salesforce', 'Behaviour'] as const;

export const OPERATOR_LABELS: Readonly<Record<Operator, string>> = {
    equals: 'equals',
    notEquals: 'does not equal',
    in: 'is one of',
    notIn: 'is none of',
    contains: 'contains',
    startsWith: 'starts with',
    endsWith: 'ends with',
    wildcard: 'matches pattern',
    gt: 'is greater than',
    gte: 'is at least',
    lt: 'is less than',
    lte: 'is at most',
    between: 'is between',
    isSet: 'is known',
    isNotSet: 'is not known',
    withinLastMinutes: 'is within the last (minutes)',
    pageVisited: 'include a page'
};

export function fieldGroups(): { group: string; fields: FieldDefinition[] }[] {
    return GROUP_ORDER.map((group) => ({
        group,
        fields: FIELD_CATALOGUE.filter((f) => f.group === group)
    }));
}

export { fieldByKey };
