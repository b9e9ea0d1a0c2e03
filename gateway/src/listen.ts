/** Listening on a port, for the gateway and the demo website: a busy port is a clear message. */
import type { FastifyInstance } from 'fastify';

/** How the message names the server, the `npm start` option that moves it, and the port it suggests. */
export interface PortHint {
    server?: string;
    option?: string;
    suggest?: number;
}

export class PortInUseError extends Error {
    constructor(
        readonly port: number,
        { server, option = '--port', suggest = port + 1 }: PortHint = {}
    ) {
        super(
            `Port ${port}${server ? ` (${server})` : ''} is already in use. Stop the other process, or pick another port: npm start -- ${option} ${suggest}`
        );
    }
}

/** Listens on host:port (port 0: any free port) and answers the server's URL; the caller closes what it opened. */
export async function listen(
    app: FastifyInstance,
    { port, host }: { port: number; host: string },
    hint?: PortHint
): Promise<string> {
    try {
        await app.listen({ port, host });
    } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE')
            throw new PortInUseError(port, hint);
        throw error;
    }
    const address = app.server.address();
    const bound = typeof address === 'object' && address ? address.port : port;
    return `http://${host === '0.0.0.0' ? 'localhost' : host}:${bound}`;
}
