/**
 * Where simulated visitors come from. Two kinds of address, presented to the gateway in
 * `X-Forwarded-For` (trusted from loopback in local mode):
 *
 * - **World addresses** that geoip-lite's bundled database places in the named country
 *   (checked by a test, so a database update that moves one is caught);
 * - **Demo company blocks**, the gateway's bundled company-from-IP provider
 *   (gateway/src/enrich/companyProvider.ts): the benchmark range 198.18.0.0/15, one /24
 *   per account in the order of `demoCompany().accounts` — account i is 198.18.i.0/24 for
 *   i < 256, 198.19.(i − 256).0/24 after that. This module is the simulator's one copy of
 *   that rule.
 */

/** Real-world addresses by ISO country code, with a weight for how often visitors come from there. */
export const WORLD_IPS: Record<string, { weight: number; ips: readonly string[] }> = {
    US: {
        weight: 30,
        ips: [
            '38.0.0.211',
            '52.0.64.101',
            '67.0.64.193',
            '174.64.0.205',
            '209.0.0.79',
            '104.0.0.29'
        ]
    },
    GB: { weight: 9, ips: ['84.64.0.9', '20.0.0.41', '92.0.64.151', '94.0.0.161', '86.128.0.189'] },
    DE: { weight: 8, ips: ['77.0.0.247', '89.0.0.233', '91.0.0.29', '195.128.0.67', '91.0.56.99'] },
    FR: { weight: 6, ips: ['90.0.0.171', '109.0.0.191', '92.128.0.17', '95.128.192.63'] },
    CA: { weight: 5, ips: ['135.0.0.149', '74.56.0.167', '174.0.0.59', '70.64.0.179'] },
    JP: { weight: 5, ips: ['175.128.0.177', '58.0.0.93', '126.0.0.149', '54.64.0.65'] },
    AU: { weight: 4, ips: ['49.196.120.158', '60.227.142.107', '110.175.62.82', '1.147.14.57'] },
    BR: { weight: 4, ips: ['187.0.64.141', '191.0.0.229', '131.0.64.11', '201.0.0.199'] },
    IN: { weight: 5, ips: ['65.0.0.71', '61.0.64.131', '96.0.64.231', '34.0.0.73'] },
    ES: { weight: 3, ips: ['193.152.223.24', '83.165.243.59', '85.57.69.14', '81.0.56.93'] },
    NL: { weight: 3, ips: ['31.138.250.73', '4.175.246.197', '84.106.218.215'] },
    SE: { weight: 2, ips: ['185.163.170.221', '80.170.26.59', '213.65.7.121'] },
    SG: { weight: 2, ips: ['3.0.127.125', '116.15.97.2', '118.201.171.151'] },
    ZA: { weight: 2, ips: ['165.0.0.151', '102.32.0.157', '146.64.0.63'] },
    MX: { weight: 2, ips: ['201.163.49.230', '148.223.173.198', '189.213.38.198'] },
    IE: { weight: 1, ips: ['52.97.175.90', '78.18.116.102', '31.217.241.134'] },
    IT: { weight: 2, ips: ['79.0.64.169', '87.0.0.191', '93.56.0.67'] },
    PL: { weight: 1, ips: ['193.0.64.25', '83.0.64.177'] },
    KR: { weight: 2, ips: ['59.0.0.225', '119.64.0.11', '34.64.0.63'] },
    AR: { weight: 1, ips: ['181.0.0.13', '161.0.64.127'] },
    AE: { weight: 1, ips: ['80.227.214.158', '92.99.6.252'] },
    IL: { weight: 1, ips: ['62.0.0.59', '132.64.0.127'] },
    NG: { weight: 1, ips: ['129.56.0.185'] },
    CH: { weight: 1, ips: ['85.0.0.193', '136.0.0.223'] },
    NZ: { weight: 1, ips: ['139.180.72.166', '122.62.49.178'] },
    KE: { weight: 1, ips: ['102.0.0.159'] },
    CO: { weight: 1, ips: ['186.0.0.247', '190.0.0.197'] },
    PT: { weight: 1, ips: ['217.129.137.187', '81.84.204.200'] },
    FI: { weight: 1, ips: ['194.136.195.70', '130.232.50.192', '82.117.80.165'] }
};

/** An address inside the demo company block of account `index` (host 1–254). */
export function demoAccountIp(index: number, host: number): string {
    if (!Number.isInteger(index) || index < 0 || index >= 512)
        throw new RangeError('Demo accounts have 512 blocks');
    if (!Number.isInteger(host) || host < 1 || host > 254)
        throw new RangeError('Host must be 1–254');
    return index < 256 ? `198.18.${index}.${host}` : `198.19.${index - 256}.${host}`;
}
