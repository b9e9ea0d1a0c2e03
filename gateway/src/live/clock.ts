/**
 * Time as the gateway sees it. Production uses the system clock; tests pass a
 * `ManualClock` and move time forward themselves, so timers fire when the test says so
 * and never by luck.
 */
export interface TimerHandle {
    cancel(): void;
}

export interface Clock {
    now(): number;
    setTimeout(callback: () => void, ms: number): TimerHandle;
    setInterval(callback: () => void, ms: number): TimerHandle;
}

export const systemClock: Clock = {
    now: () => Date.now(),
    setTimeout(callback, ms) {
        const timer = setTimeout(callback, ms);
        timer.unref();
        return { cancel: () => clearTimeout(timer) };
    },
    setInterval(callback, ms) {
        const timer = setInterval(callback, ms);
        timer.unref();
        return { cancel: () => clearInterval(timer) };
    }
};

interface ManualTimer {
    at: number;
    every?: number;
    callback: () => void;
    cancelled: boolean;
    order: number;
}

/** A clock that only moves when told to: `advance(ms)` runs every timer due on the way. */
export class ManualClock implements Clock {
    private timers: ManualTimer[] = [];
    private order = 0;

    constructor(private current = Date.UTC(2026, 10, 25, 9, 0, 0)) {}

    now(): number {
        return this.current;
    }

    setTimeout(callback: () => void, ms: number): TimerHandle {
        return this.add({
            at: this.current + Math.max(0, ms),
            callback,
            cancelled: false,
            order: this.order++
        });
    }

    setInterval(callback: () => void, ms: number): TimerHandle {
        const every = Math.max(1, ms);
        return this.add({
            at: this.current + every,
            every,
            callback,
            cancelled: false,
            order: this.order++
        });
    }

    /** Moves time forward, firing due timers in time order (each at its own time). */
    advance(ms: number): void {
        const end = this.current + ms;
        for (;;) {
            const due = this.timers
                .filter((t) => !t.cancelled && t.at <= end)
                .sort((a, b) => a.at - b.at || a.order - b.order)[0];
            if (!due) break;
            this.current = Math.max(this.current, due.at);
            if (due.every) due.at += due.every;
            else due.cancelled = true;
            due.callback();
        }
        this.timers = this.timers.filter((t) => !t.cancelled);
        this.current = end;
    }

    pendingTimers(): number {
        return this.timers.filter((t) => !t.cancelled).length;
    }

    private add(timer: ManualTimer): TimerHandle {
        this.timers.push(timer);
        return { cancel: () => (timer.cancelled = true) };
    }
}
