/**
 * Active or idle, one rule for visible and hidden tabs alike: a visitor is active within
 * `idleAfterMs` (30 s by default, the admin's Idle_After_Seconds__c) of their last sign of
 * life — input (pointer, key, touch, wheel, scroll) or coming back to the tab (it became
 * visible and focused) — and idle after that. The guide's "idle and no longer active": an
 * open, focused tab nobody touches is not someone actively looking, so it goes idle too
 * (it used to stay active for as long as it kept focus). Pure: the browser glue reports
 * signals and asks at its own pace.
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

    /** The page became (or stopped being) visible-and-focused: either way a sign of life. */
    engagement(visibleAndFocused: boolean): void {
        if (visibleAndFocused !== this.engaged) this.lastSignal = this.now();
        this.engaged = visibleAndFocused;
    }

    isActive(): boolean {
        return this.now() - this.lastSignal < this.idleAfterMs;
    }

    /** The new state when it changed since the last call, else undefined. The first call reports. */
    transition(): 'active' | 'idle' | undefined {
        const active = this.isActive();
        if (active === this.reported) return undefined;
        this.reported = active;
        return active ? 'active' : 'idle';
    }
}
