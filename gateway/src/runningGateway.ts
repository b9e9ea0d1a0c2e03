/** A gateway listening, as a composition root hands it to the process (`npm start`, server.ts). */
import type { FastifyInstance } from 'fastify';

export interface RunningGateway {
    app: FastifyInstance;
    url: string;
    /** Local mode: the rep console's URL (the local org's Lightning shell). */
    consoleUrl?: string;
    /** Who the shell signs in when no user was chosen yet (local mode). */
    signedInAs?: string;
    /** Visits live now, and server errors since start. */
    status(): { visitorsLive: number; errors: number };
    close(): Promise<void>;
}

/** Server errors answered since start, for `npm start`'s summary line. */
export function countServerErrors(app: FastifyInstance): () => number {
    let errors = 0;
    app.addHook('onResponse', async (_request, reply) => {
        if (reply.statusCode >= 500) errors++;
    });
    return () => errors;
}
