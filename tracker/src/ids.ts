/**
 * First-party ids: the visitor id lives in localStorage for good (returning-visitor
 * recognition), the session id rotates after 30 minutes without activity, the tab id lives
 * in sessionStorage (one per tab, kept across reloads). Storage that throws (blocked
 * cookies, private modes) falls back to memory for this page.
 */
export interface KeyValueStore {
    getItem(key: string): string | null;
    setItem(key: string, value: string): void;
    removeItem(key: string): void;
}

export const KEYS = {
    visitor: 'sightline:vid',
    session: 'sightline:sid',
    tab: 'sightline:tid',
    consent: 'sightline:consent',
    chat: 'sightline:chat'
} as const;

export function memoryStore(): KeyValueStore {
    const map = new Map<string, string>();
    return {
        getItem: (k) => map.get(k) ?? null,
        setItem: (k, v) => void map.set(k, v),
        removeItem: (k) => void map.delete(k)
    };
}

/** Wraps a storage so that a throwing browser storage degrades to memory. */
export function safeStore(get: () => KeyValueStore | null | undefined): KeyValueStore {
    const memory = memoryStore();
    const attempt = <T>(fn: (s: KeyValueStore) => T, fallback: () => T): T => {
        try {
            const store = get();
            if (store) return fn(store);
        } catch {
            /* storage disabled: use memory */
        }
        return fallback();
    };
    return {
        getItem: (k) =>
            attempt(
                (s) => s.getItem(k),
                () => memory.getItem(k)
            ),
        setItem: (k, v) =>
            attempt(
                (s) => s.setItem(k, v),
                () => memory.setItem(k, v)
            ),
        removeItem: (k) => {
            memory.removeItem(k);
            attempt(
                (s) => s.removeItem(k),
                () => undefined
            );
        }
    };
}

const ID_PATTERN = /^[A-Za-z0-9_-]{8,64}$/;
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-';

/** 22 random characters from the URL-safe alphabet (132 bits). */
export function newId(randomBytes: (n: number) => Uint8Array): string {
    let id = '';
    for (const byte of randomBytes(22)) id += ALPHABET[byte & 63];
    return id;
}

export const SESSION_TIMEOUT_MS = 30 * 60_000;

export class Identity {
    constructor(
        private readonly local: KeyValueStore,
        private readonly perTab: KeyValueStore,
        private readonly now: () => number,
        private readonly makeId: () => string,
        private readonly sessionTimeoutMs = SESSION_TIMEOUT_MS
    ) {}

    get visitorId(): string {
        return this.stable(this.local, KEYS.visitor);
    }

    get tabId(): string {
        return this.stable(this.perTab, KEYS.tab);
    }

    /** The current visit; `isNew` when this call started it (first visit, or 30 minutes idle). */
    session(): { id: string; isNew: boolean } {
        const now = this.now();
        let stored: { id?: unknown; last?: unknown } | null;
        try {
            stored = JSON.parse(this.local.getItem(KEYS.session) ?? 'null') as {
                id?: unknown;
                last?: unknown;
            } | null;
        } catch {
            stored = null;
        }
        if (
            stored &&
            typeof stored.id === 'string' &&
            ID_PATTERN.test(stored.id) &&
            typeof stored.last === 'number' &&
            now - stored.last < this.sessionTimeoutMs &&
            stored.last <= now + 60_000
        ) {
            return { id: stored.id, isNew: false };
        }
        const id = this.makeId();
        this.local.setItem(KEYS.session, JSON.stringify({ id, last: now }));
        return { id, isNew: true };
    }

    /** Activity keeps the visit alive. */
    touch(): void {
        const { id } = this.session();
        this.local.setItem(KEYS.session, JSON.stringify({ id, last: this.now() }));
    }

    clear(): void {
        for (const key of Object.values(KEYS)) {
            this.local.removeItem(key);
            this.perTab.removeItem(key);
        }
    }

    private stable(store: KeyValueStore, key: string): string {
        const existing = store.getItem(key);
        if (existing && ID_PATTERN.test(existing)) return existing;
        const id = this.makeId();
        store.setItem(key, id);
        return id;
    }
}
