/**
 * One gateway of the scale benchmark, a process of its own as in production: the gateway
 * signed in to the bench's local org, on Redis when given one, listening on a loopback port.
 * Driven over IPC:
 *
 *   → { config, redisUrl? }   ← { port }            starts
 *   → { stats: true }         ← GatewayStats         its CPU time so far, memory (after a GC), live visits
 *   → { close: true }                               closes and exits
 */
import type { GatewayConfig } from '../../gateway/src/config';
import { createGateway, type Gateway } from '../../gateway/src/createGateway';
import { connectSalesforce } from '../../gateway/src/crm/salesforce/orgPorts';
import { RedisState } from '../../gateway/src/state/redisState';

export interface GatewayStart {
    config: GatewayConfig;
    redisUrl?: string;
}
export interface GatewayStats {
    /** User + system CPU time since the process started. */
    cpuMs: number;
    rssBytes: number;
    heapUsedBytes: number;
    liveVisits: number;
}

let running: { gateway: Gateway; close(): Promise<void> } | undefined;

async function start({ config, redisUrl }: GatewayStart): Promise<number> {
    const ports = await connectSalesforce(config, (error) => console.error(error));
    const shared = redisUrl
        ? new RedisState({ url: redisUrl, onError: (error) => console.error(error) })
        : undefined;
    const gateway = await createGateway(config, { ...ports, ...(shared ? { shared } : {}) });
    await gateway.app.listen({ port: 0, host: '127.0.0.1' });
    running = {
        gateway,
        async close() {
            await gateway.app.close();
            await ports.close();
            await shared?.close();
        }
    };
    const address = gateway.app.server.address();
    return typeof address === 'object' && address ? address.port : 0;
}

function stats(): GatewayStats {
    global.gc?.();
    const cpu = process.cpuUsage();
    const memory = process.memoryUsage();
    return {
        cpuMs: (cpu.user + cpu.system) / 1000,
        rssBytes: memory.rss,
        heapUsedBytes: memory.heapUsed,
        liveVisits: running?.gateway.live.liveVisits ?? 0
    };
}

process.on('message', (message: GatewayStart | { stats: true } | { close: true }) => {
    if ('config' in message)
        void start(message).then(
            (port) => process.send!({ port }),
            (error: unknown) => {
                console.error(error);
                process.exit(1);
            }
        );
    else if ('stats' in message) process.send!(stats());
    else
        void (running?.close() ?? Promise.resolve()).then(
            () => process.exit(0),
            (error: unknown) => {
                console.error(error);
                process.exit(1);
            }
        );
});
