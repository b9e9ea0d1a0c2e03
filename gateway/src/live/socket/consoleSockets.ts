/**
 * The open console sockets of each user, and the transport that prefers them: a user with
 * an open socket gets the live events on it (no Platform Event delivery spent); anyone
 * else gets them through the org's event bus as before. A user may have several consoles
 * open; each socket gets every event.
 */
import type { LiveEvent } from '../../contracts/liveContract';
import type { PublishTransport } from '../publisher';

export interface ConsoleConnection {
    readonly userId: string;
    /** Sends a message already serialised; false when the socket is no longer open. */
    send(json: string): boolean;
    close(code: number, reason: string): void;
}

export class ConsoleSockets {
    private readonly byUser = new Map<string, Set<ConsoleConnection>>();
    /** Events sent on sockets so far (for tests, Health and the bench). */
    pushed = 0;

    add(connection: ConsoleConnection): () => void {
        let set = this.byUser.get(connection.userId);
        if (!set) this.byUser.set(connection.userId, (set = new Set()));
        set.add(connection);
        return () => {
            set.delete(connection);
            if (set.size === 0 && this.byUser.get(connection.userId) === set)
                this.byUser.delete(connection.userId);
        };
    }

    count(userId?: string): number {
        if (userId !== undefined) return this.byUser.get(userId)?.size ?? 0;
        let total = 0;
        for (const set of this.byUser.values()) total += set.size;
        return total;
    }

    connections(): ConsoleConnection[] {
        return [...this.byUser.values()].flatMap((set) => [...set]);
    }

    /** Sends to every socket of the user; true when at least one took it. */
    deliver(userId: string, json: string): boolean {
        let delivered = false;
        for (const connection of this.byUser.get(userId) ?? []) {
            if (connection.send(json)) delivered = true;
        }
        if (delivered) this.pushed++;
        return delivered;
    }

    closeAll(code: number, reason: string): void {
        for (const connection of this.connections()) connection.close(code, reason);
    }

    /** The publisher's transport: the user's sockets when open, else `events`. */
    preferring(events: PublishTransport): PublishTransport {
        return {
            send: (userId, kind, sequence, event, json) => {
                if (!this.byUser.has(userId) || !this.deliver(userId, socketMessage(event, json)))
                    events.send(userId, kind, sequence, event, json);
            }
        };
    }
}

/** `{ type: 'event', event }`, splicing in the event's JSON when the publisher has it. */
export function socketMessage(event: LiveEvent, json?: string): string {
    return `{"type":"event","event":${json ?? JSON.stringify(event)}}`;
}
