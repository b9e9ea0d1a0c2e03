/**
 * The rep's own Salesforce access to the CRM records a card shows (Account, Opportunity,
 * Lead, Contact). The gateway reads the org as its integration user, who sees every
 * record; a rep may see fewer. So every card leaves the gateway through `view(userId,
 * card)`, which keeps a record's fields only where the org says that user may read the
 * record — its sharing (UserRecordAccess: owner, role hierarchy, teams, sharing rules)
 * and the user's Read permission on the object — and drops them otherwise; of a record it
 * keeps, a field the user's field-level security hides (the amount, the target-account
 * flag) is dropped too.
 *
 * `view` is synchronous (snapshots, change pages and socket pushes are): an answer not
 * known yet counts as "no access" (fail closed) and is asked of the org in the background,
 * batched per user; when it grants (or later revokes) a record, `onChanged` tells the
 * publisher, which logs those visitors for that user again so the console gets the card
 * with the fields. Answers are kept `ttlMs`; an expired one is still used while it is asked
 * again, so a card does not flicker. A CRM change that can move access (an owner, a team)
 * expires every answer at once.
 */
import type { VisitorCard } from '../contracts/liveContract';
import type { CrmPort } from '../crm/crmPort';
import type { Clock } from './clock';

export const ACCESS_TTL_MS = 60_000;
/** After a failed lookup, how long the records stay hidden before they are asked again. */
const RETRY_MS = 5_000;
/** An answer not asked again for this long is dropped. */
const FORGET_AFTER_MS = 10 * ACCESS_TTL_MS;

/** The sObjects a card names records of, in the field order of `VisitorCard.salesforce`. */
const CARD_OBJECTS = {
    account: 'Account',
    opportunity: 'Opportunity',
    lead: 'Lead',
    contact: 'Contact'
} as const;
type CardRecordKey = keyof typeof CARD_OBJECTS;
const KEYS = Object.keys(CARD_OBJECTS) as CardRecordKey[];

/**
 * The fields a card shows that field-level security can hide (Name, OwnerId, StageName and
 * Lead Status cannot be hidden): the package's names.
 */
const AMOUNT = 'Opportunity.Amount';
const TARGET_ACCOUNT = 'Account.Target_Account__c';
const FLS_FIELDS = [AMOUNT, TARGET_ACCOUNT];

/** CRM objects whose changes can move a user's access to card records. */
export const ACCESS_OBJECTS = new Set([
    'Account',
    'Opportunity',
    'Contact',
    'Lead',
    'AccountTeamMember',
    'User',
    'UserRole',
    'PermissionSetAssignment'
]);

interface Answer {
    /** The record's sObject: its Read permission applies too. */
    object: string;
    readable: boolean;
    /** Asked again after this time (the answer is used meanwhile). */
    staleAt: number;
}

interface UserAnswers {
    records: Map<string, Answer>;
    /** The user's Read permission per object and on the FLS fields, with the same lifetime. */
    objects?: { read: Set<string>; fields: Set<string>; staleAt: number };
}

export type AccessChanged = (userId: string, recordIds: ReadonlySet<string>) => void;

export class RecordAccess {
    private readonly users = new Map<string, UserAnswers>();
    /** Records to ask about (id → sObject), per user, for the next lookup. */
    private readonly wanted = new Map<string, Map<string, string>>();
    private running: Promise<void> = Promise.resolve();
    private scheduled = false;
    /** Lookups made (one per user with records to ask about): for tests. */
    lookups = 0;

    constructor(
        private readonly crm: Pick<CrmPort, 'readableRecords' | 'readableFields' | 'objectAccess'>,
        private readonly clock: Clock,
        private readonly onChanged: AccessChanged,
        private readonly onError: (error: unknown) => void = () => {},
        private readonly ttlMs = ACCESS_TTL_MS
    ) {}

    /** The card as this user may see it. */
    view(userId: string, card: VisitorCard): VisitorCard {
        const hidden = KEYS.filter((key) => {
            const id = card.salesforce[key]?.id;
            return id !== undefined && !this.readable(userId, CARD_OBJECTS[key], id);
        });
        const shown = hidden.length ? withoutRecords(card, hidden) : card;
        const fields = this.users.get(userId)?.objects?.fields ?? new Set<string>();
        return withoutHiddenFields(shown, fields);
    }

    /** Every answer is asked again at next use (kept meanwhile): access may have moved. */
    expireAll(): void {
        for (const answers of this.users.values()) {
            for (const answer of answers.records.values()) answer.staleAt = 0;
            if (answers.objects) answers.objects.staleAt = 0;
        }
    }

    /** Resolves when the lookups asked for so far have answered (tests wait on it). */
    async settled(): Promise<void> {
        while (this.scheduled) await this.running;
        await this.running;
    }

    private readable(userId: string, object: string, recordId: string): boolean {
        const answers = this.users.get(userId);
        const answer = answers?.records.get(recordId);
        const now = this.clock.now();
        if (!answer || answer.staleAt <= now || !answers?.objects || answers.objects.staleAt <= now)
            this.want(userId, recordId, object);
        return answers ? this.grants(answers, recordId) : false;
    }

    private grants(answers: UserAnswers, recordId: string): boolean {
        const answer = answers.records.get(recordId);
        return answer?.readable === true && answers.objects?.read.has(answer.object) === true;
    }

    private want(userId: string, recordId: string, object: string): void {
        let ids = this.wanted.get(userId);
        if (!ids) this.wanted.set(userId, (ids = new Map<string, string>()));
        ids.set(recordId, object);
        if (this.scheduled) return;
        this.scheduled = true;
        // One lookup per user for everything the snapshots and change pages of this turn asked.
        this.running = this.running.then(() => {
            this.scheduled = false;
            return this.lookUp();
        });
    }

    private async lookUp(): Promise<void> {
        const wanted = [...this.wanted];
        this.wanted.clear();
        for (const [userId, ids] of wanted) {
            const answers = this.users.get(userId) ?? { records: new Map<string, Answer>() };
            this.users.set(userId, answers);
            const before = new Map(
                [...answers.records.keys()].map((id) => [id, this.grants(answers, id)])
            );
            const fieldsBefore = [...(answers.objects?.fields ?? [])].sort().join();
            const now = this.clock.now();
            this.lookups++;
            try {
                const [readable, objects, fields] = await Promise.all([
                    this.crm.readableRecords(userId, [...ids.keys()]),
                    this.crm.objectAccess([userId], Object.values(CARD_OBJECTS)),
                    this.crm.readableFields(userId, FLS_FIELDS)
                ]);
                const read = new Set<string>();
                for (const [object, access] of objects.get(userId) ?? [])
                    if (access.read) read.add(object);
                answers.objects = { read, fields, staleAt: now + this.ttlMs };
                for (const [id, object] of ids)
                    answers.records.set(id, {
                        object,
                        readable: readable.has(id),
                        staleAt: now + this.ttlMs
                    });
            } catch (error) {
                this.onError(error);
                for (const [id, object] of ids)
                    answers.records.set(id, { object, readable: false, staleAt: now + RETRY_MS });
            }
            // Answers unused for long (their visitors left) are forgotten.
            for (const [id, answer] of answers.records)
                if (answer.staleAt < now - FORGET_AFTER_MS) answers.records.delete(id);
            // A record shown hidden before (or unknown) and granted now, or the reverse; object
            // permissions move every record of the user at once.
            const moved = new Set<string>();
            // Field-level security moved: every card of the user shows other fields.
            const fieldsMoved = fieldsBefore !== [...(answers.objects?.fields ?? [])].sort().join();
            for (const id of answers.records.keys())
                if (fieldsMoved || (before.get(id) ?? false) !== this.grants(answers, id))
                    moved.add(id);
            if (moved.size) this.onChanged(userId, moved);
        }
    }
}

/** The card without the values of fields the user's field-level security hides. */
export function withoutHiddenFields(card: VisitorCard, readable: ReadonlySet<string>): VisitorCard {
    const { account, opportunity } = card.salesforce;
    const hideAmount = opportunity?.amount !== undefined && !readable.has(AMOUNT);
    const hideTarget = account?.targetAccount === true && !readable.has(TARGET_ACCOUNT);
    if (!hideAmount && !hideTarget) return card;
    const salesforce = { ...card.salesforce };
    if (hideAmount && opportunity) {
        const { amount: _amount, ...rest } = opportunity;
        salesforce.opportunity = rest;
    }
    // The contract's flag is not optional: a field the rep may not read says "not a target".
    if (hideTarget && account) salesforce.account = { ...account, targetAccount: false };
    return { ...card, salesforce };
}

/** The card without these records, and without what the card took from them. */
export function withoutRecords(card: VisitorCard, keys: readonly CardRecordKey[]): VisitorCard {
    const salesforce = { ...card.salesforce };
    for (const key of keys) delete salesforce[key];
    const out: VisitorCard = { ...card, salesforce };
    // The person's name came from the Contact or Lead: show what the visitor typed instead.
    const recordNames = keys
        .filter((key) => key === 'contact' || key === 'lead')
        .map((key) => card.salesforce[key]?.name);
    if (recordNames.includes(card.displayName)) {
        out.displayName = card.typedName ?? card.email ?? card.company?.name ?? 'Visitor';
        delete out.typedName;
    }
    return out;
}
