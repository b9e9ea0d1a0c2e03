/**
 * Gathers single requests over a short window into one call: many visits asking for their
 * visitor record at once become one `IN (…)` query, many visitor writes one collection.
 * A batch goes when the window closes or when it is full; each caller gets its own answer
 * (or the batch's error). The window is the batcher's own, or one shared with other
 * batchers (`ReadWindow`), whose reads then go out together.
 */
export interface BatchWindow {
    /** Runs `flush` when the window closes. */
    schedule(flush: () => void): void;
}

/** A window of its own: `ms` after the first request. */
function ownWindow(ms: number): BatchWindow {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const flushes = new Set<() => void>();
    return {
        schedule(flush) {
            flushes.add(flush);
            timer ??= setTimeout(() => {
                timer = undefined;
                const due = [...flushes];
                flushes.clear();
                for (const f of due) f();
            }, ms);
        }
    };
}

export class Batcher<K, V> {
    private pending: { key: K; resolve(value: V): void; reject(error: unknown): void }[] = [];
    private readonly window: BatchWindow;
    private readonly flushNow = () => this.flush();

    constructor(
        window: number | BatchWindow,
        private readonly maxBatch: number,
        /** Answers the keys of one batch; a key missing from the map answers `undefined`. */
        private readonly run: (keys: readonly K[]) => Promise<Map<K, V>>
    ) {
        this.window = typeof window === 'number' ? ownWindow(window) : window;
    }

    load(key: K): Promise<V> {
        return new Promise<V>((resolve, reject) => {
            this.pending.push({ key, resolve, reject });
            if (this.pending.length >= this.maxBatch) this.flush();
            else if (this.pending.length === 1) this.window.schedule(this.flushNow);
        });
    }

    /** Sends what is pending now (a full batch, or the window closing). */
    private flush(): void {
        const batch = this.pending;
        this.pending = [];
        if (batch.length === 0) return;
        const keys = [...new Set(batch.map((p) => p.key))];
        // `run` is called synchronously: a shared window gathers the query it issues.
        let running: Promise<Map<K, V>>;
        try {
            running = this.run(keys);
        } catch (error) {
            for (const p of batch) p.reject(error);
            return;
        }
        running.then(
            (answers) => {
                for (const p of batch) p.resolve(answers.get(p.key) as V);
            },
            (error: unknown) => {
                for (const p of batch) p.reject(error);
            }
        );
    }
}
