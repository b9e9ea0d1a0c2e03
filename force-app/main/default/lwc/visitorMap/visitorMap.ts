/**
 * The map view: a world map drawn from the `sightlineWorldMap` static resource (the
 * world-atlas countries, served by the org like any static resource — no tile server, no
 * internet), a dot per visitor in its stream colour. Visitors close together share one
 * dot with a count so a busy city stays readable. Hover or focus shows the card(s); a
 * click opens the Visitor 360 (a shared dot keeps its cards open to choose from).
 */
import { LightningElement, api } from 'lwc';
import WORLD_MAP from '@salesforce/resourceUrl/sightlineWorldMap';
import type { StreamSummary, VisitorCard } from '../sightlineLive/liveContract';
import { focusIsLost } from 'c/consoleFocus';
import { project, worldShape, type Topology, type WorldShape } from './worldProjection';

/** Visitors whose dots fall in the same cell (a share of the map's width) share a dot. */
const CELL_SHARE = 0.018;
const MAX_CARDS_IN_POPOVER = 3;

interface Dot {
    key: string;
    x: number;
    y: number;
    r: number;
    color: string;
    count: number;
    hasCount: boolean;
    countLabel: string;
    ariaLabel: string;
    visitorIds: string;
    className: string;
    members: { card: VisitorCard; streamName: string; streamColor: string }[];
}

let worldLoad: Promise<WorldShape> | undefined;

function loadWorld(): Promise<WorldShape> {
    worldLoad ??= fetch(WORLD_MAP)
        .then((response) => {
            if (!response.ok) throw new Error(`Map data answered ${response.status}`);
            return response.json() as Promise<Topology>;
        })
        .then(worldShape)
        .catch((error: unknown) => {
            worldLoad = undefined;
            throw error;
        });
    return worldLoad;
}

export default class VisitorMap extends LightningElement {
    @api visitors: VisitorCard[] = [];
    @api streams: StreamSummary[] = [];
    @api repId = '';

    world: WorldShape | undefined;
    mapError: string | undefined;
    activeKey: string | undefined;
    pinnedKey: string | undefined;
    private hideTimer: ReturnType<typeof setTimeout> | undefined;
    /** The focused dot and its visitors, while focus is on a dot: where to put it back. */
    private focusedDot: { element: HTMLElement; visitorIds: string[] } | undefined;

    connectedCallback(): void {
        loadWorld().then(
            (world) => {
                this.world = world;
            },
            () => {
                this.mapError =
                    'The world map could not be loaded. The visitors are still in the live and list views.';
            }
        );
    }

    disconnectedCallback(): void {
        clearTimeout(this.hideTimer);
    }

    get isLoading(): boolean {
        return !this.world && !this.mapError;
    }

    get viewBox(): string {
        const v = this.world?.viewBox;
        return v ? `${v.x} ${v.y} ${v.width} ${v.height}` : '0 0 1 1';
    }

    get frameStyle(): string {
        const v = this.world?.viewBox;
        return v ? `aspect-ratio: ${v.width} / ${v.height}` : '';
    }

    get land(): string {
        return this.world?.land ?? '';
    }

    /**
     * The number on a shared dot, as HTML over the map (placed in % of the frame, which has
     * the map's aspect ratio) on the stream's colour: text in an SVG over a circle has no
     * background an accessibility check can read, so its contrast would go unmeasured.
     */
    get countBadges() {
        const v = this.world?.viewBox;
        if (!v) return [];
        return this.dots
            .filter((d) => d.hasCount)
            .map((d) => ({
                key: d.key,
                countLabel: d.countLabel,
                style: `left: ${(((d.x - v.x) / v.width) * 100).toFixed(2)}%; top: ${(((d.y - v.y) / v.height) * 100).toFixed(2)}%; background-color: ${d.color}`
            }));
    }

    private get streamById(): Map<string, StreamSummary> {
        return new Map(this.streams.map((s) => [s.id, s]));
    }

    get dots(): Dot[] {
        const world = this.world;
        if (!world) return [];
        const streams = this.streamById;
        const cell = world.viewBox.width * CELL_SHARE;
        const cells = new Map<string, { xs: number; ys: number; members: Dot['members'] }>();
        for (const card of this.visitors) {
            const { lat, lon } = card.location ?? {};
            if (typeof lat !== 'number' || typeof lon !== 'number') continue;
            const [x, y] = project(lon, lat);
            const key = `${Math.round(x / cell)}:${Math.round(y / cell)}`;
            const stream = streams.get(card.streamId);
            const entry = cells.get(key) ?? { xs: 0, ys: 0, members: [] };
            entry.xs += x;
            entry.ys += y;
            entry.members.push({
                card,
                streamName: stream?.name ?? '',
                streamColor: stream?.color ?? '#747474'
            });
            cells.set(key, entry);
        }
        const priority = (id: string) => streams.get(id)?.priority ?? Number.MAX_SAFE_INTEGER;
        return [...cells.entries()].map(([key, { xs, ys, members }]) => {
            members.sort(
                (a, b) =>
                    priority(a.card.streamId) - priority(b.card.streamId) ||
                    a.card.startedAt.localeCompare(b.card.startedAt)
            );
            const count = members.length;
            const first = members[0]!;
            const place =
                first.card.location?.city ?? first.card.location?.country ?? 'unknown place';
            const x = xs / count;
            const y = ys / count;
            const active = key === this.activeKey || key === this.pinnedKey;
            return {
                key,
                x: Math.round(x * 10) / 10,
                y: Math.round(y * 10) / 10,
                r: count > 1 ? Math.min(2.4 + Math.sqrt(count) * 0.9, 7) : 2,
                color: first.streamColor,
                count,
                hasCount: count > 1,
                countLabel: count > 99 ? '99+' : String(count),
                ariaLabel:
                    count > 1
                        ? `${count} visitors near ${place}`
                        : `${first.card.displayName}, ${place}, stream ${first.streamName}`,
                visitorIds: members.map((m) => m.card.id).join(' '),
                className: active ? 'dot dot_active' : 'dot',
                members
            };
        });
    }

    get placedCount(): number {
        return this.visitors.filter(
            (v) => typeof v.location?.lat === 'number' && typeof v.location?.lon === 'number'
        ).length;
    }

    get unplacedLabel(): string {
        const n = this.visitors.length - this.placedCount;
        if (n <= 0) return '';
        return n === 1
            ? '1 visitor without a known location is not on the map.'
            : `${n} visitors without a known location are not on the map.`;
    }

    get legend() {
        const counts = new Map<string, number>();
        for (const v of this.visitors) counts.set(v.streamId, (counts.get(v.streamId) ?? 0) + 1);
        return [...this.streams]
            .sort((a, b) => a.priority - b.priority)
            .map((s) => ({
                id: s.id,
                name: s.name,
                count: counts.get(s.id) ?? 0,
                swatchStyle: `background-color: ${s.color}`
            }));
    }

    get popover() {
        const key = this.pinnedKey ?? this.activeKey;
        const dot = key ? this.dots.find((d) => d.key === key) : undefined;
        const v = this.world?.viewBox;
        if (!dot || !v) return undefined;
        const left = ((dot.x - v.x) / v.width) * 100;
        const top = ((dot.y - v.y) / v.height) * 100;
        const alignRight = left > 60;
        const below = top < 45;
        const more = dot.count - MAX_CARDS_IN_POPOVER;
        return {
            key: dot.key,
            style: `left: ${left.toFixed(2)}%; top: ${top.toFixed(2)}%;`,
            className: `map__popover slds-popover slds-popover_medium${alignRight ? ' map__popover_left' : ''}${below ? ' map__popover_below' : ' map__popover_above'}`,
            heading: dot.count > 1 ? `${dot.count} visitors here` : '',
            members: dot.members.slice(0, MAX_CARDS_IN_POPOVER),
            moreLabel: more > 0 ? `and ${more} more: the list view shows them all` : ''
        };
    }

    handleDotEnter(event: Event): void {
        clearTimeout(this.hideTimer);
        this.activeKey = (event.currentTarget as HTMLElement).dataset.key;
    }

    handleDotLeave(): void {
        this.scheduleHide();
    }

    handleDotFocus(event: FocusEvent): void {
        this.handleDotEnter(event);
        const element = event.currentTarget as HTMLElement;
        const visitorIds = (element.dataset.visitorIds ?? '').split(' ').filter(Boolean);
        this.focusedDot = { element, visitorIds };
    }

    handleDotBlur(event: FocusEvent): void {
        this.handleDotLeave();
        // Focus going somewhere on purpose; a dot removed by a live update blurs into nothing.
        if (event.relatedTarget) this.focusedDot = undefined;
    }

    /**
     * A live update that removes the focused dot (its visitors left, or moved to another
     * cell) drops focus on the page: put it on a dot that still shows one of them, else on
     * the map, so a keyboard user keeps their place. Focus elsewhere is never moved.
     */
    renderedCallback(): void {
        const dot = this.focusedDot;
        if (!dot || !focusIsLost()) return;
        this.focusedDot = undefined;
        // Still on the map: focus was let go of (a click on the page), not taken away.
        if (dot.element.isConnected) return;
        if (dot.visitorIds.some((id) => this.focusVisitor(id))) return;
        (this.template!.querySelector('[data-id="map"]') as HTMLElement | null)?.focus();
    }

    handlePopoverEnter(): void {
        clearTimeout(this.hideTimer);
    }

    handlePopoverLeave(): void {
        this.scheduleHide();
    }

    /** Focuses the dot that shows a visitor; false when none does. */
    @api
    focusVisitor(visitId: string): boolean {
        const dots = Array.from(
            this.template!.querySelectorAll('[data-id="dot"]')
        ) as HTMLElement[];
        const dot = dots.find((d) => (d.dataset.visitorIds ?? '').split(' ').includes(visitId));
        if (!dot) return false;
        dot.focus();
        return true;
    }

    handleDotClick(event: Event): void {
        const key = (event.currentTarget as HTMLElement).dataset.key;
        const dot = this.dots.find((d) => d.key === key);
        if (!dot) return;
        if (dot.count === 1) {
            this.dispatchEvent(new CustomEvent('open', { detail: dot.members[0]!.card.id }));
        } else {
            this.pinnedKey = this.pinnedKey === key ? undefined : key;
        }
    }

    handleDotKeydown(event: KeyboardEvent): void {
        if (event.key === 'Enter' || event.key === ' ') {
            event.preventDefault();
            this.handleDotClick(event);
        } else if (event.key === 'Escape') {
            this.pinnedKey = undefined;
            this.activeKey = undefined;
        }
    }

    handleClosePopover(): void {
        this.pinnedKey = undefined;
        this.activeKey = undefined;
    }

    forward(event: CustomEvent<string>): void {
        event.stopPropagation();
        this.dispatchEvent(new CustomEvent(event.type, { detail: event.detail }));
    }

    private scheduleHide(): void {
        clearTimeout(this.hideTimer);
        // Time to move the pointer from the dot onto its card.
        // eslint-disable-next-line @lwc/lwc/no-async-operation
        this.hideTimer = setTimeout(() => {
            this.activeKey = undefined;
        }, 250);
    }
}
