/**
 * Company from IP: a provider interface (a commercial reverse-IP service plugs in here)
 * and the bundled demo provider, which maps documented address ranges to the seeded
 * demo Accounts so that the demo's streams light up.
 *
 * Demo ranges: the benchmark range 198.18.0.0/15, one /24 per demo account in the order
 * of `demoCompany().accounts`: account i (0-based) is 198.18.i.0/24 for i < 256 and
 * 198.19.(i − 256).0/24 after that. Its visitors are placed at the account's city.
 */
import type { VisitorLocation } from '../engine';
import { demoCompany, type DemoAccount } from '../demo/demoCompany';

export interface CompanyHint {
    domain: string;
    name?: string;
    /** Where the company's network is, when the provider knows better than GeoIP. */
    location?: VisitorLocation;
}

export interface CompanyProvider {
    lookup(ip: string): CompanyHint | undefined;
}

/** The first address of a demo account's /24 (the simulator uses `.1`–`.254`). */
export function demoIpBlock(index: number): string {
    if (!Number.isInteger(index) || index < 0 || index >= 512)
        throw new RangeError('Demo accounts have 512 blocks');
    return index < 256 ? `198.18.${index}.0` : `198.19.${index - 256}.0`;
}

/** The demo account whose block holds the address, by index. */
export function demoBlockIndex(ip: string): number | undefined {
    const plain = ip.startsWith('::ffff:') ? ip.slice(7) : ip;
    const match = /^198\.(18|19)\.(\d{1,3})\.(\d{1,3})$/.exec(plain);
    if (!match) return undefined;
    const third = Number(match[2]);
    const fourth = Number(match[3]);
    if (third > 255 || fourth > 255) return undefined;
    return (match[1] === '18' ? 0 : 256) + third;
}

/** Approximate coordinates of the demo company's cities. */
const CITY_COORDINATES: Record<string, [number, number]> = {
    'New York': [40.71, -74.01],
    'San Francisco': [37.77, -122.42],
    Chicago: [41.88, -87.63],
    Austin: [30.27, -97.74],
    Boston: [42.36, -71.06],
    Seattle: [47.61, -122.33],
    London: [51.51, -0.13],
    Manchester: [53.48, -2.24],
    Edinburgh: [55.95, -3.19],
    Berlin: [52.52, 13.4],
    Munich: [48.14, 11.58],
    Hamburg: [53.55, 9.99],
    Paris: [48.86, 2.35],
    Lyon: [45.76, 4.84],
    Toronto: [43.65, -79.38],
    Vancouver: [49.28, -123.12],
    Montreal: [45.5, -73.57],
    Tokyo: [35.68, 139.69],
    Osaka: [34.69, 135.5],
    Sydney: [-33.87, 151.21],
    Melbourne: [-37.81, 144.96],
    'São Paulo': [-23.55, -46.63],
    'Rio de Janeiro': [-22.91, -43.17],
    Bengaluru: [12.97, 77.59],
    Mumbai: [19.08, 72.88],
    Madrid: [40.42, -3.7],
    Barcelona: [41.39, 2.17],
    Amsterdam: [52.37, 4.9],
    Rotterdam: [51.92, 4.48],
    Stockholm: [59.33, 18.07],
    Singapore: [1.35, 103.82],
    'Cape Town': [-33.92, 18.42],
    Johannesburg: [-26.2, 28.05],
    'Mexico City': [19.43, -99.13]
};

const COUNTRY_CODES: Record<string, string> = {
    'United States': 'US',
    'United Kingdom': 'GB',
    Germany: 'DE',
    France: 'FR',
    Canada: 'CA',
    Japan: 'JP',
    Australia: 'AU',
    Brazil: 'BR',
    India: 'IN',
    Spain: 'ES',
    Netherlands: 'NL',
    Sweden: 'SE',
    Singapore: 'SG',
    'South Africa': 'ZA',
    Mexico: 'MX'
};

export class DemoCompanyProvider implements CompanyProvider {
    constructor(private readonly accounts: readonly DemoAccount[] = demoCompany().accounts) {}

    lookup(ip: string): CompanyHint | undefined {
        const index = demoBlockIndex(ip);
        const account = index === undefined ? undefined : this.accounts[index];
        if (!account) return undefined;
        const coordinates = CITY_COORDINATES[account.city];
        return {
            domain: account.domain,
            name: account.name,
            location: {
                country: account.country,
                ...(COUNTRY_CODES[account.country]
                    ? { countryCode: COUNTRY_CODES[account.country] }
                    : {}),
                city: account.city,
                ...(coordinates ? { lat: coordinates[0], lon: coordinates[1] } : {})
            }
        };
    }
}
