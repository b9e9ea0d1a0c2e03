/**
 * Gathers single requests over a short window into one call: many visits asking for their
 * visitor record at once become one `IN (…)` query, many visitor writes one collection.
 * A batch goes when the window closes or when it is full; each caller gets its own answer
 * (or the batch's error).
 */
export class Batcher<K, V> {
    private pending: { key: K; resolve(value: V): void; reject(error: unknown): void }[] = [];
    private timer: ReturnType<typeof setTimeout> | undefined;

    constructor(
        private readonly windowMs: number,
        private readonly maxBatch: number,
        /** Answers the keys of one batch; a key missing from the map answers `undefined`. */
        private readonly run: (keys: readonly K[]) => Promise<Map<K, V>>
    ) {}

    load(key: K): Promise<V> {
        return new Promise<V>((resolve, reject) => {
            this.pending.push({ key, resolve, reject });
            if (this.pending.length >= this.maxBatch) this.flush();
            else this.timer ??= setTimeout(() => this.flush(), this.windowMs);
        });
    }

    private flush(): void {
        if (this.timer) clearTimeout(this.timer);
        this.timer = undefined;
        const batch = this.pending;
        this.pending = [];
        if (batch.length === 0) return;
        const keys = [...new Set(batch.map((p) => p.key))];
        this.run(keys).then(
            (answers) => {
                for (const p of batch) p.resolve(answers.get(p.key) as V);
            },
            (error: unknown) => {
                for (const p of batch) p.reject(error);
            }
        );
    }
}
