/**
 * Active or idle: a visitor is active while the page is visible and focused, or within
 * `idleAfterMs` (30 s by default) of the last input or of the page last being visible and
 * focused. Pure: the browser glue reports signals and asks at its own pace.
 */
export class Activity {
    private lastSignal: number;
    private engaged = false;
    private reported: boolean | undefined;

    constructor(
        private readonly idleAfterMs: number,
        private readonly now: () => number
    ) {
        this.lastSignal = now();
    }

    /** Keyboard, pointer, touch, scroll. */
    input(): void {
        this.lastSignal = this.now();
    }

    /** The page became (or stopped being) visible-and-focused. */
    engagement(visibleAndFocused: boolean): void {
        if (this.engaged && !visibleAndFocused) this.lastSignal = this.now();
        this.engaged = visibleAndFocused;
        if (visibleAndFocused) this.lastSignal = this.now();
    }

    isActive(): boolean {
        return this.engaged || this.now() - this.lastSignal < this.idleAfterMs;
    }

    /** The new state when it changed since the last call, else undefined. The first call reports. */
    transition(): 'active' | 'idle' | undefined {
        const active = this.isActive();
        if (active === this.reported) return undefined;
        this.reported = active;
        return active ? 'active' : 'idle';
    }
}
