/** The chat's memory across page loads, in localStorage; nothing breaks without it. */
import type { StoredChat } from './machine';

const STORE_KEY = 'sightline:chat';

export function loadChat(): StoredChat {
    try {
        const parsed = JSON.parse(localStorage.getItem(STORE_KEY) ?? 'null') as StoredChat | null;
        if (parsed && Array.isArray(parsed.messages)) return parsed;
    } catch {
        /* storage unavailable */
    }
    return { open: false, messages: [] };
}

export function saveChat(stored: StoredChat): void {
    try {
        localStorage.setItem(STORE_KEY, JSON.stringify(stored));
    } catch {
        /* storage unavailable: history comes from the gateway on reload */
    }
}
