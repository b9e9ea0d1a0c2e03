import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { startLocalBalancer, type LocalBalancer } from './localBalancer';

/** A stand-in gateway that answers its own name and the forwarded client address. */
function upstream(name: string): Promise<{ server: Server; port: number }> {
    const server = createServer((request, response) => {
        request.resume();
        request.on('end', () =>
            response.end(`${name} ${String(request.headers['x-forwarded-for'])}`)
        );
    });
    return new Promise((resolve) =>
        server.listen(0, '127.0.0.1', () => {
            const address = server.address();
            resolve({ server, port: typeof address === 'object' && address ? address.port : 0 });
        })
    );
}

describe('the local balancer', () => {
    let a: Awaited<ReturnType<typeof upstream>>;
    let b: Awaited<ReturnType<typeof upstream>>;
    let balancer: LocalBalancer;
    let url: string;
    before(async () => {
        a = await upstream('a');
        b = await upstream('b');
        balancer = await startLocalBalancer(
            [
                { host: '127.0.0.1', port: a.port },
                { host: '127.0.0.1', port: b.port }
            ],
            { host: '127.0.0.1', port: 0 }
        );
        const address = balancer.server.address();
        url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
    });
    after(async () => {
        await balancer.close();
        a.server.close();
        b.server.close();
    });

    const get = async (path: string, headers: Record<string, string> = {}) =>
        (await fetch(`${url}${path}`, { headers })).text();

    it('sends requests of no rep nor visit to each gateway in turn, with the client address forwarded', async () => {
        const answers = [await get('/sightline.js'), await get('/sightline.js')];
        assert.deepEqual(answers.map((t) => t.split(' ')[0]).sort(), ['a', 'b']);
        assert.ok(answers.every((t) => t.endsWith('127.0.0.1')));
    });

    it("keeps a visit's beacons and visitor socket on one gateway, and spreads the visits", async () => {
        const visits = Array.from({ length: 8 }, (_, i) => `balancer-visit-${i}`);
        const owners = await Promise.all(
            visits.map(async (id) => {
                const answers = await Promise.all([
                    get(`/v1/collect?sessionId=${id}`),
                    get(`/v1/collect?sessionId=${id}`),
                    get(`/v1/visitor-socket?siteKey=k&visitorId=v&sessionId=${id}`)
                ]);
                const gateways = new Set(answers.map((t) => t.split(' ')[0]));
                assert.equal(gateways.size, 1, `${id} on one gateway`);
                return [...gateways][0];
            })
        );
        assert.deepEqual(new Set(owners), new Set(['a', 'b']));
    });

    it("keeps a rep's calls and console socket on one gateway", async () => {
        const calls = await Promise.all(
            Array.from({ length: 6 }, () =>
                get('/api/v1/actions/getChanges', { 'x-sightline-user': '005000000000001AAA' })
            )
        );
        const socket = await get('/api/v1/live?user=005000000000001AAA');
        const gateways = new Set([...calls, socket].map((t) => t.split(' ')[0]));
        assert.equal(gateways.size, 1);
    });

    it('passes a request to the other gateway when one is down', async () => {
        // Gone as a killed process is: no listener, no open connection.
        a.server.close();
        a.server.closeAllConnections();
        const answers = await Promise.all(Array.from({ length: 4 }, () => get('/v1/collect')));
        assert.ok(answers.every((t) => t.startsWith('b ')));
    });
});
