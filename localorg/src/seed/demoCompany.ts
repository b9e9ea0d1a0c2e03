/**
 * The demo company that local mode starts with: Lumen Data, a B2B data platform with a
 * sales team of SDRs and account executives, a few hundred accounts, their pipeline and
 * people. Generated from a seed, so every fresh local org is the same.
 *
 * Records are a plan with symbolic references (`{ ref: key }`), loaded in order by the
 * local org or pushed to a real org by `scripts/orgSeed.ts`.
 */
import { SeededRandom } from './random';

export type SeedValue = string | number | boolean | null | { ref: string };
export interface SeedRecord {
    key: string;
    object: string;
    fields: Record<string, SeedValue>;
}

export interface DemoUser {
    key: string;
    firstName: string;
    lastName: string;
    title: string;
    role: 'vp' | 'ae' | 'sdr' | 'se' | 'admin';
    country: string;
}

export const DEMO_USERS: DemoUser[] = [
    {
        key: 'user-admin',
        firstName: 'Priya',
        lastName: 'Raman',
        title: 'Sales Operations Manager',
        role: 'admin',
        country: 'United States'
    },
    {
        key: 'user-vp',
        firstName: 'Daniel',
        lastName: 'Okafor',
        title: 'VP of Sales',
        role: 'vp',
        country: 'United States'
    },
    {
        key: 'user-maya',
        firstName: 'Maya',
        lastName: 'Chen',
        title: 'Account Executive',
        role: 'ae',
        country: 'United States'
    },
    {
        key: 'user-lucas',
        firstName: 'Lucas',
        lastName: 'Moreau',
        title: 'Account Executive',
        role: 'ae',
        country: 'France'
    },
    {
        key: 'user-sofia',
        firstName: 'Sofía',
        lastName: 'García',
        title: 'Account Executive',
        role: 'ae',
        country: 'Spain'
    },
    {
        key: 'user-james',
        firstName: 'James',
        lastName: 'Whitfield',
        title: 'Account Executive',
        role: 'ae',
        country: 'United Kingdom'
    },
    {
        key: 'user-aiko',
        firstName: 'Aiko',
        lastName: 'Tanaka',
        title: 'Account Executive',
        role: 'ae',
        country: 'Japan'
    },
    {
        key: 'user-noah',
        firstName: 'Noah',
        lastName: 'Fischer',
        title: 'Account Executive',
        role: 'ae',
        country: 'Germany'
    },
    {
        key: 'user-emma',
        firstName: 'Emma',
        lastName: 'Lindqvist',
        title: 'Sales Development Rep',
        role: 'sdr',
        country: 'Sweden'
    },
    {
        key: 'user-omar',
        firstName: 'Omar',
        lastName: 'Haddad',
        title: 'Sales Development Rep',
        role: 'sdr',
        country: 'United States'
    },
    {
        key: 'user-grace',
        firstName: 'Grace',
        lastName: 'Mensah',
        title: 'Sales Development Rep',
        role: 'sdr',
        country: 'Canada'
    },
    {
        key: 'user-leo',
        firstName: 'Leo',
        lastName: 'Rossi',
        title: 'Sales Development Rep',
        role: 'sdr',
        country: 'Italy'
    },
    {
        key: 'user-ana',
        firstName: 'Ana',
        lastName: 'Souza',
        title: 'Solutions Engineer',
        role: 'se',
        country: 'Brazil'
    }
];

const ROLES = [
    { key: 'role-vp', name: 'VP Sales', parent: null },
    { key: 'role-ae', name: 'Account Executive', parent: 'role-vp' },
    { key: 'role-sdr', name: 'Sales Development', parent: 'role-vp' },
    { key: 'role-se', name: 'Solutions Engineering', parent: 'role-vp' },
    { key: 'role-ops', name: 'Sales Operations', parent: 'role-vp' }
] as const;

const ROLE_OF: Record<DemoUser['role'], string> = {
    vp: 'role-vp',
    ae: 'role-ae',
    sdr: 'role-sdr',
    se: 'role-se',
    admin: 'role-ops'
};

const NAME_HEADS = [
    'Acme',
    'Northwind',
    'Globex',
    'Initech',
    'Umbrella',
    'Stark',
    'Wayne',
    'Hooli',
    'Vandelay',
    'Soylent',
    'Cyberdyne',
    'Tyrell',
    'Aperture',
    'Blue Sun',
    'Oscorp',
    'Massive',
    'Pied Piper',
    'Gringotts',
    'Monarch',
    'Wonka',
    'Sterling',
    'Prestige',
    'Vertex',
    'Nimbus',
    'Quantum',
    'Helix',
    'Apex',
    'Summit',
    'Harbor',
    'Evergreen',
    'Silverline',
    'Bluepeak',
    'Redwood',
    'Ironclad',
    'Brightwave',
    'Cobalt',
    'Meridian',
    'Orbit',
    'Pinnacle',
    'Zenith',
    'Atlas',
    'Beacon',
    'Cascade',
    'Delta',
    'Ember',
    'Falcon',
    'Granite',
    'Horizon',
    'Juniper',
    'Keystone',
    'Lighthouse',
    'Mosaic',
    'Nova',
    'Onyx',
    'Polaris',
    'Quarry',
    'Riverstone',
    'Sequoia'
];
const NAME_TAILS = [
    'Systems',
    'Logistics',
    'Health',
    'Bank',
    'Retail',
    'Energy',
    'Labs',
    'Media',
    'Foods',
    'Insurance',
    'Robotics',
    'Software'
];
const INDUSTRY_OF_TAIL: Record<string, string> = {
    Systems: 'Technology',
    Logistics: 'Transportation',
    Health: 'Healthcare',
    Bank: 'Banking',
    Retail: 'Retail',
    Energy: 'Energy',
    Labs: 'Biotechnology',
    Media: 'Media',
    Foods: 'Food & Beverage',
    Insurance: 'Insurance',
    Robotics: 'Manufacturing',
    Software: 'Technology'
};

export const DEMO_COUNTRIES: readonly { country: string; cities: string[]; weight: number }[] = [
    {
        country: 'United States',
        cities: ['New York', 'San Francisco', 'Chicago', 'Austin', 'Boston', 'Seattle'],
        weight: 30
    },
    { country: 'United Kingdom', cities: ['London', 'Manchester', 'Edinburgh'], weight: 10 },
    { country: 'Germany', cities: ['Berlin', 'Munich', 'Hamburg'], weight: 8 },
    { country: 'France', cities: ['Paris', 'Lyon'], weight: 7 },
    { country: 'Canada', cities: ['Toronto', 'Vancouver', 'Montreal'], weight: 6 },
    { country: 'Japan', cities: ['Tokyo', 'Osaka'], weight: 6 },
    { country: 'Australia', cities: ['Sydney', 'Melbourne'], weight: 5 },
    { country: 'Brazil', cities: ['São Paulo', 'Rio de Janeiro'], weight: 5 },
    { country: 'India', cities: ['Bengaluru', 'Mumbai'], weight: 5 },
    { country: 'Spain', cities: ['Madrid', 'Barcelona'], weight: 4 },
    { country: 'Netherlands', cities: ['Amsterdam', 'Rotterdam'], weight: 4 },
    { country: 'Sweden', cities: ['Stockholm'], weight: 3 },
    { country: 'Singapore', cities: ['Singapore'], weight: 3 },
    { country: 'South Africa', cities: ['Cape Town', 'Johannesburg'], weight: 2 },
    { country: 'Mexico', cities: ['Mexico City'], weight: 2 }
];

const FIRST_NAMES = [
    'Olivia',
    'Liam',
    'Amara',
    'Hiroshi',
    'Chloé',
    'Mateo',
    'Ingrid',
    'Ravi',
    'Zara',
    'Tomás',
    'Fatima',
    'Erik',
    'Mei',
    'Kwame',
    'Isabella',
    'Arjun',
    'Nora',
    'Diego',
    'Hannah',
    'Yusuf',
    'Lena',
    'Samuel',
    'Aisha',
    'Felix'
];
const LAST_NAMES = [
    'Johnson',
    'Nakamura',
    'Dubois',
    'Schmidt',
    'Patel',
    'Silva',
    'Kowalski',
    'Nguyen',
    'Andersson',
    'Rossi',
    'Okonkwo',
    'Hernández',
    'Murphy',
    'Kim',
    'Novak',
    'Ali',
    'Jensen',
    'Costa',
    'Weber',
    'Singh'
];
const TITLES = [
    'VP of Marketing',
    'Head of Data',
    'Director of Analytics',
    'CTO',
    'Marketing Operations Manager',
    'Data Engineer',
    'Chief Revenue Officer',
    'BI Lead',
    'IT Director',
    'Product Manager'
];
const OPEN_STAGES = [
    'Prospecting',
    'Qualification',
    'Needs Analysis',
    'Value Proposition',
    'Proposal/Price Quote',
    'Negotiation/Review'
];
const LEAD_STATUSES = ['Open - Not Contacted', 'Working - Contacted'];

export interface DemoAccount {
    key: string;
    name: string;
    domain: string;
    country: string;
    city: string;
    target: boolean;
    ownerKey: string;
    hasOpenOpportunity: boolean;
}

export interface DemoCompany {
    records: SeedRecord[];
    accounts: DemoAccount[];
    users: DemoUser[];
}

const ref = (key: string) => ({ ref: key });

/** An account team's access: it reads the account, its opportunities and its contacts. */
const TEAM_ACCESS = {
    AccountAccessLevel: 'Read',
    OpportunityAccessLevel: 'Read',
    ContactAccessLevel: 'Read'
} as const;

/** The whole demo company as an ordered load plan. */
export function demoCompany(seed = 20261125, accountCount = 300): DemoCompany {
    const random = new SeededRandom(seed);
    const records: SeedRecord[] = [];
    const push = (key: string, object: string, fields: Record<string, SeedValue>) =>
        records.push({ key, object, fields });

    // The admin (also the integration user the gateway signs in as) is a System Administrator:
    // View All on the CRM objects that every other user sees through the private sharing model.
    push('profile-system-administrator', 'Profile', { Name: 'System Administrator' });
    for (const role of ROLES) {
        push(role.key, 'UserRole', {
            Name: role.name,
            ParentRoleId: role.parent ? ref(role.parent) : null
        });
    }
    // Managers first, so that ManagerId references resolve in load order.
    const managersFirst = [...DEMO_USERS].sort(
        (a, b) => Number(b.role === 'vp') - Number(a.role === 'vp')
    );
    for (const user of managersFirst) {
        const login = `${user.firstName}.${user.lastName}`
            .toLowerCase()
            .normalize('NFD')
            .replace(/[^a-z.]/g, '');
        push(user.key, 'User', {
            FirstName: user.firstName,
            LastName: user.lastName,
            Email: `${login}@lumendata.example`,
            Username: `${login}@lumendata.example.sightline`,
            Title: user.title,
            IsActive: true,
            UserRoleId: ref(ROLE_OF[user.role]),
            ManagerId: user.role === 'vp' ? null : ref('user-vp'),
            ...(user.role === 'admin' ? { ProfileId: ref('profile-system-administrator') } : {}),
            TimeZoneSidKey: 'America/Los_Angeles'
        });
    }
    push('permset-rep', 'PermissionSet', { Name: 'Sightline_Rep', Label: 'Sightline Rep' });
    push('permset-admin', 'PermissionSet', { Name: 'Sightline_Admin', Label: 'Sightline Admin' });
    for (const user of DEMO_USERS) {
        const permset = user.role === 'admin' ? 'permset-admin' : 'permset-rep';
        push(`${user.key}-${permset}`, 'PermissionSetAssignment', {
            AssigneeId: ref(user.key),
            PermissionSetId: ref(permset)
        });
    }

    const aes = DEMO_USERS.filter((u) => u.role === 'ae');
    const sdrs = DEMO_USERS.filter((u) => u.role === 'sdr');
    const se = DEMO_USERS.find((u) => u.role === 'se')!;
    const accounts: DemoAccount[] = [];
    const usedNames = new Set<string>();
    for (let i = 0; accounts.length < accountCount && i < accountCount * 10; i++) {
        const head = random.pick(NAME_HEADS);
        const tail = random.pick(NAME_TAILS);
        const name = `${head} ${tail}`;
        if (usedNames.has(name)) continue;
        usedNames.add(name);
        const place = random.weighted(DEMO_COUNTRIES.map((c) => [c, c.weight] as const));
        const owner = random.pick(aes);
        const account: DemoAccount = {
            key: `account-${accounts.length + 1}`,
            name,
            domain: `${head}${tail}`.toLowerCase().replace(/[^a-z]/g, '') + '.example',
            country: place.country,
            city: random.pick(place.cities),
            target: random.chance(0.22),
            ownerKey: owner.key,
            hasOpenOpportunity: false
        };
        accounts.push(account);
        push(account.key, 'Account', {
            Name: name,
            Website: `https://www.${account.domain}`,
            Domain__c: account.domain,
            Industry: INDUSTRY_OF_TAIL[tail] ?? 'Technology',
            NumberOfEmployees: random.weighted([
                [random.int(20, 200), 4],
                [random.int(200, 2000), 4],
                [random.int(2000, 60000), 2]
            ] as const),
            AnnualRevenue: random.int(2, 900) * 1_000_000,
            BillingCountry: place.country,
            BillingCity: account.city,
            Target_Account__c: account.target,
            OwnerId: ref(owner.key)
        });
        push(`${account.key}-team-ae`, 'AccountTeamMember', {
            AccountId: ref(account.key),
            UserId: ref(owner.key),
            TeamMemberRole: 'Account Manager',
            ...TEAM_ACCESS
        });
        push(`${account.key}-team-sdr`, 'AccountTeamMember', {
            AccountId: ref(account.key),
            UserId: ref(random.pick(sdrs).key),
            TeamMemberRole: 'Sales Development Rep',
            ...TEAM_ACCESS
        });
        if (account.target) {
            push(`${account.key}-team-se`, 'AccountTeamMember', {
                AccountId: ref(account.key),
                UserId: ref(se.key),
                TeamMemberRole: 'Pre-Sales Consultant',
                ...TEAM_ACCESS
            });
        }

        const opportunities = random.weighted([
            [0, 5],
            [1, 4],
            [2, 1]
        ] as const);
        for (let o = 0; o < opportunities; o++) {
            const open = random.chance(0.55);
            account.hasOpenOpportunity ||= open;
            const won = !open && random.chance(0.5);
            push(`${account.key}-opp-${o + 1}`, 'Opportunity', {
                Name: `${name} — ${random.pick(['Platform', 'Expansion', 'Renewal', 'Pilot'])}`,
                AccountId: ref(account.key),
                StageName: open ? random.pick(OPEN_STAGES) : won ? 'Closed Won' : 'Closed Lost',
                Amount: random.int(12, 480) * 1000,
                CloseDate: dateOffset(open ? random.int(10, 120) : -random.int(10, 300)),
                IsClosed: !open,
                IsWon: won,
                OwnerId: ref(owner.key)
            });
        }

        const contacts = random.int(0, 3);
        for (let c = 0; c < contacts; c++) {
            const person = personAt(random, account.domain);
            push(`${account.key}-contact-${c + 1}`, 'Contact', {
                FirstName: person.first,
                LastName: person.last,
                Email: person.email,
                Title: random.pick(TITLES),
                AccountId: ref(account.key),
                OwnerId: ref(owner.key)
            });
        }
    }

    for (let l = 0; l < Math.round(accountCount / 2); l++) {
        const company = `${random.pick(NAME_HEADS)} ${random.pick(['Partners', 'Group', 'Studio', 'Ventures', 'Co'])}`;
        const domain = company.toLowerCase().replace(/[^a-z]/g, '') + '.example';
        const person = personAt(random, domain);
        push(`lead-${l + 1}`, 'Lead', {
            FirstName: person.first,
            LastName: person.last,
            Email: person.email,
            Company: company,
            Title: random.pick(TITLES),
            Status: random.pick(LEAD_STATUSES),
            LeadSource: random.pick(['Web', 'Partner Referral', 'Trade Show', 'Advertisement']),
            Country: random.weighted(DEMO_COUNTRIES.map((c) => [c.country, c.weight] as const)),
            OwnerId: ref(random.pick(sdrs).key)
        });
    }

    // Omni-Channel, for orgs that take availability from it (off in the demo's settings).
    push('presence-available', 'ServicePresenceStatus', {
        DeveloperName: 'Available_Chat',
        MasterLabel: 'Available - Chat'
    });
    push('presence-break', 'ServicePresenceStatus', {
        DeveloperName: 'Break',
        MasterLabel: 'Break'
    });
    for (const user of DEMO_USERS.filter((u) => u.role === 'sdr' || u.role === 'ae')) {
        const away = user.key === 'user-leo';
        push(`${user.key}-presence`, 'UserServicePresence', {
            UserId: ref(user.key),
            ServicePresenceStatusId: ref(away ? 'presence-break' : 'presence-available'),
            IsCurrentState: true,
            IsAway: away,
            ConfiguredCapacity: user.role === 'sdr' ? 4 : 3,
            StatusStartDate: '2026-01-05T08:00:00.000Z',
            OwnerId: ref(user.key)
        });
    }

    for (const user of DEMO_USERS.filter((u) => u.role !== 'admin')) {
        push(`${user.key}-availability`, 'Rep_Availability__c', {
            User__c: ref(user.key),
            Status__c: user.role === 'vp' ? 'Away' : 'Available',
            Capacity__c: user.role === 'sdr' ? 4 : 3,
            OwnerId: ref(user.key)
        });
    }

    return { records, accounts, users: DEMO_USERS };
}

function personAt(random: SeededRandom, domain: string) {
    const first = random.pick(FIRST_NAMES);
    const last = random.pick(LAST_NAMES);
    const local = `${first}.${last}`
        .toLowerCase()
        .normalize('NFD')
        .replace(/[^a-z.]/g, '');
    return { first, last, email: `${local}${random.int(1, 99)}@${domain}` };
}

/** A date relative to a fixed day, so the plan does not change with the calendar. */
function dateOffset(days: number): string {
    const base = Date.UTC(2026, 10, 1);
    return new Date(base + days * 86_400_000).toISOString().slice(0, 10);
}
