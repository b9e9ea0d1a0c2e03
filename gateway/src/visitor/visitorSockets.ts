/** The open visitor sockets of each live visit (a visitor may have several tabs open). */
import type { GatewayToVisitor } from '../contracts/visitorProtocol';

export interface VisitorConnection {
    send(message: GatewayToVisitor): void;
}

export class VisitorSockets {
    private readonly byVisit = new Map<string, Set<VisitorConnection>>();

    add(visitId: string, connection: VisitorConnection): () => void {
        let set = this.byVisit.get(visitId);
        if (!set) this.byVisit.set(visitId, (set = new Set()));
        set.add(connection);
        return () => {
            set.delete(connection);
            if (set.size === 0 && this.byVisit.get(visitId) === set) this.byVisit.delete(visitId);
        };
    }

    /**
     * With other gateways: where a message also goes (the visitor's socket may be connected
     * to any of them, which deliver it with `sendHere`).
     */
    relay: ((visitId: string, message: GatewayToVisitor) => void) | undefined;

    send(visitId: string, message: GatewayToVisitor): void {
        this.sendHere(visitId, message);
        this.relay?.(visitId, message);
    }

    /** To the visit's sockets connected to this gateway only. */
    sendHere(visitId: string, message: GatewayToVisitor): void {
        for (const connection of this.byVisit.get(visitId) ?? []) {
            try {
                connection.send(message);
            } catch {
                // A socket closing under us is not the sender's problem.
            }
        }
    }

    count(visitId: string): number {
        return this.byVisit.get(visitId)?.size ?? 0;
    }
}
