/**
 * The criteria builder for streams and routing rules: nested all / any / not groups of
 * conditions over the engine's field catalogue, validated live with the engine's own
 * `validateCriteria`, each message shown at the group or condition it is about.
 *
 * `@api criteria` is the stored JSON text. Every edit emits `change` with
 * `{ criteria, valid, errors }`; the editor refuses to save while `valid` is false.
 */
import { LightningElement, api } from 'lwc';
import { validateCriteria, type CriteriaError } from 'c/sightlineEngine';
import {
    enginePaths,
    nodePathOf,
    toCriteriaJson,
    toEditTree,
    uid,
    updateNode,
    type EditCondition,
    type EditGroup,
    type EditNode,
    type GroupKind
} from 'c/setupModel';

const GROUP_LABELS: Record<GroupKind, string> = {
    all: 'All of these are true',
    any: 'Any of these is true',
    not: 'This is NOT true'
};

interface Row {
    uid: string;
    isGroup: boolean;
    depth: number;
    style: string;
    node: EditNode;
    canAdd?: boolean;
    canRemove?: boolean;
    groupLabel?: string;
    isEmptyGroup?: boolean;
    emptyText?: string;
    errors: string[];
    hasErrors: boolean;
    groupClass?: string;
}

export default class CriteriaBuilder extends LightningElement {
    tree: EditGroup = { uid: uid(), kind: 'all', children: [] };
    readable = true;
    errors: CriteriaError[] = [];
    private lastEmitted: string | undefined;

    @api
    get criteria(): string {
        return this.lastEmitted ?? '';
    }
    set criteria(value: string) {
        if (value === this.lastEmitted) return;
        const { tree, readable } = toEditTree(value ?? '');
        this.tree = tree;
        this.readable = readable;
        this.lastEmitted = value;
        this.errors = readable
            ? validateCriteria(toCriteriaJson(tree)).errors
            : validateCriteria(value).errors;
    }

    /** The current criteria JSON and whether it is valid, for a container that needs it now. */
    @api
    validate(): { criteria: string; valid: boolean; errors: CriteriaError[] } {
        const criteria = JSON.stringify(toCriteriaJson(this.tree));
        const { ok, errors } = validateCriteria(criteria);
        return { criteria, valid: ok, errors };
    }

    get unreadableMessage(): string | undefined {
        return this.readable
            ? undefined
            : 'The stored criteria could not be read; the builder starts from an empty group. Saving replaces them.';
    }

    get errorCount(): number {
        return this.errors.length;
    }

    get isValid(): boolean {
        return this.errors.length === 0;
    }

    get summary(): string {
        if (this.errors.length > 0) {
            return this.errors.length === 1
                ? '1 problem to fix before saving.'
                : `${this.errors.length} problems to fix before saving.`;
        }
        return this.tree.kind === 'all' && this.tree.children.length === 0
            ? 'No conditions: matches every visitor.'
            : 'Criteria are valid.';
    }

    get summaryClass(): string {
        return `slds-text-body_small ${this.isValid ? 'slds-text-color_success' : 'slds-text-color_error'}`;
    }

    get rows(): Row[] {
        const paths = enginePaths(this.tree);
        const byNode = new Map<string, string[]>();
        for (const error of this.errors) {
            const nodePath = nodePathOf(error.path);
            const target =
                [...paths.entries()].find(([, path]) => path === nodePath)?.[0] ?? this.tree.uid;
            byNode.set(target, [...(byNode.get(target) ?? []), error.message]);
        }
        const rows: Row[] = [];
        const walk = (node: EditNode, depth: number, parent: EditGroup | undefined) => {
            const errors = byNode.get(node.uid) ?? [];
            const base = {
                uid: node.uid,
                depth,
                node,
                errors,
                hasErrors: errors.length > 0,
                style: `margin-left: ${depth * 1.5}rem`
            };
            if (node.kind === 'condition') {
                rows.push({ ...base, isGroup: false });
                return;
            }
            rows.push({
                ...base,
                isGroup: true,
                groupLabel: GROUP_LABELS[node.kind],
                canAdd: node.kind !== 'not' || node.children.length === 0,
                canRemove: parent !== undefined,
                isEmptyGroup: node.children.length === 0,
                emptyText:
                    node.kind === 'all'
                        ? 'No conditions yet: matches every visitor.'
                        : node.kind === 'any'
                          ? 'No conditions yet: matches nobody.'
                          : 'Add the condition or group to negate.',
                groupClass: `group slds-p-around_x-small${errors.length ? ' slds-has-error' : ''}`
            });
            node.children.forEach((child) => walk(child, depth + 1, node));
        };
        walk(this.tree, 0, undefined);
        return rows;
    }

    /** The same three kinds for every group; each group's combobox shows its own. */
    get kindOptions(): { value: GroupKind; label: string }[] {
        return (['all', 'any', 'not'] as GroupKind[]).map((value) => ({
            value,
            label: GROUP_LABELS[value]
        }));
    }

    handleKindChange(event: CustomEvent<{ value: GroupKind }>): void {
        // The combobox's change is composed: only the builder's own `change` leaves it.
        event.stopPropagation();
        const target = (event.currentTarget as HTMLElement).dataset.uid ?? '';
        const kind = event.detail.value;
        this.change(
            updateNode(this.tree, target, (node) =>
                node.kind === 'condition'
                    ? node
                    : {
                          ...node,
                          kind,
                          children: kind === 'not' ? node.children.slice(0, 1) : node.children
                      }
            )
        );
    }

    handleAddCondition(event: Event): void {
        const target = (event.currentTarget as HTMLElement).dataset.uid ?? '';
        const condition: EditCondition = { uid: uid(), kind: 'condition', field: '', operator: '' };
        this.change(
            updateNode(this.tree, target, (node) =>
                node.kind === 'condition'
                    ? node
                    : { ...node, children: [...node.children, condition] }
            )
        );
    }

    handleAddGroup(event: Event): void {
        const target = (event.currentTarget as HTMLElement).dataset.uid ?? '';
        const group: EditGroup = { uid: uid(), kind: 'any', children: [] };
        this.change(
            updateNode(this.tree, target, (node) =>
                node.kind === 'condition' ? node : { ...node, children: [...node.children, group] }
            )
        );
    }

    handleRemoveGroup(event: Event): void {
        const target = (event.currentTarget as HTMLElement).dataset.uid ?? '';
        this.change(updateNode(this.tree, target, () => null));
    }

    handleConditionChange(
        event: CustomEvent<{ uid: string; field: string; operator: string; value: unknown }>
    ): void {
        const { uid: target, field, operator, value } = event.detail;
        this.change(
            updateNode(this.tree, target, () => ({
                uid: target,
                kind: 'condition',
                field,
                operator,
                ...(value === undefined ? {} : { value })
            }))
        );
    }

    handleConditionRemove(event: CustomEvent<string>): void {
        this.change(updateNode(this.tree, event.detail, () => null));
    }

    private change(tree: EditGroup): void {
        this.tree = tree;
        this.readable = true;
        const criteria = JSON.stringify(toCriteriaJson(tree));
        const { ok, errors } = validateCriteria(criteria);
        this.errors = errors;
        this.lastEmitted = criteria;
        this.dispatchEvent(new CustomEvent('change', { detail: { criteria, valid: ok, errors } }));
    }
}
