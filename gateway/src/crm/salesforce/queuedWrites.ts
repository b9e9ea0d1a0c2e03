/**
 * The writes the adapter may defer, as the write queue stores and replays them: what each
 * kind's entry holds, the record its order is kept by, and how a batch of one kind goes to
 * the org again. Every replay is idempotent, so a crash between the org taking a batch and
 * the journal forgetting it replays without duplicates: visitors are upserted by
 * Visitor_Key__c, routing state by Key__c, Last_Seen__c and conversations are updates by
 * Id (the same values again), and a message is created only when no message with its
 * Client_Message_Id__c (unique) exists yet.
 */
import type { Connection } from 'jsforce';
import type { SObject } from '../routingRecords';
import { literals, type OrgNames } from './orgNames';
import type { SaveResult } from './readWindow';
import type { WriteOutcome } from './writeQueue';

/** Fields keep the package's unprefixed names on disk: the namespace is applied when sent. */
export type QueuedWritePayload =
    | { kind: 'visitor'; record: SObject }
    | { kind: 'lastSeen'; id: string; lastSeen: string }
    | { kind: 'routingState'; key: string; value: string | null }
    | { kind: 'conversation'; id: string; fields: SObject }
    | { kind: 'message'; record: SObject };

export type QueuedWriteKind = QueuedWritePayload['kind'];

/** The record whose writes keep their order: a message goes with its conversation. */
export function recordOf(write: QueuedWritePayload, visitorId?: string): string {
    switch (write.kind) {
        case 'visitor':
            return `Website_Visitor__c/${visitorId ?? String(write.record.Visitor_Key__c)}`;
        case 'lastSeen':
            return `Website_Visitor__c/${write.id}`;
        case 'routingState':
            return `Routing_State__c/${write.key}`;
        case 'conversation':
            return `Conversation__c/${write.id}`;
        case 'message':
            return `Conversation__c/${String(write.record.Conversation__c)}`;
    }
}

/** What the replay needs of the adapter. */
export interface ReplayTarget {
    conn: Connection;
    names: OrgNames;
    /** Tells the adapter's listeners an object changed. */
    changed(object: string): void;
}

/** Sends one batch of one kind (each entry of its own record); an outcome an entry. */
export async function replayWrites(
    target: ReplayTarget,
    kind: string,
    payloads: readonly unknown[]
): Promise<WriteOutcome[]> {
    const writes = payloads as QueuedWritePayload[];
    const { names } = target;
    const sobject = (name: string) => target.conn.sobject(names.of(name));
    let outcomes: WriteOutcome[];
    switch (kind) {
        case 'visitor':
            outcomes = outcomesOf(
                await sobject('Website_Visitor__c').upsert(
                    writes.map((w) => names.out((w as { record: SObject }).record)),
                    names.of('Visitor_Key__c'),
                    { allOrNone: false }
                )
            );
            target.changed('Website_Visitor__c');
            break;
        case 'lastSeen':
            outcomes = outcomesOf(
                await sobject('Website_Visitor__c').update(
                    writes.map((w) => {
                        const { id, lastSeen } = w as { id: string; lastSeen: string };
                        return { Id: id, ...names.out({ Last_Seen__c: lastSeen }) };
                    }),
                    { allOrNone: false }
                )
            );
            target.changed('Website_Visitor__c');
            break;
        case 'conversation':
            outcomes = outcomesOf(
                await sobject('Conversation__c').update(
                    writes.map((w) => {
                        const { id, fields } = w as { id: string; fields: SObject };
                        return { Id: id, ...names.out(fields) };
                    }),
                    { allOrNone: false }
                )
            );
            target.changed('Conversation__c');
            break;
        case 'message':
            outcomes = await replayMessages(
                target,
                writes.map((w) => (w as { record: SObject }).record)
            );
            target.changed('Conversation_Message__c');
            break;
        case 'routingState':
            outcomes = await replayRoutingState(
                target,
                writes as { key: string; value: string | null }[]
            );
            break;
        default:
            throw new Error(`A queued write of an unknown kind: ${kind}`);
    }
    return outcomes;
}

/** Creates the messages the org does not have yet (by Client_Message_Id__c); the others are done. */
async function replayMessages(target: ReplayTarget, records: SObject[]): Promise<WriteOutcome[]> {
    const { names } = target;
    const ids = records.map((r) => String(r.Client_Message_Id__c));
    const stored = new Set(
        (
            await target.conn.query<SObject>(
                names.soql(
                    `SELECT Client_Message_Id__c FROM Conversation_Message__c WHERE Client_Message_Id__c IN ${literals(ids)}`
                )
            )
        ).records.map((r) => String(names.in(r).Client_Message_Id__c))
    );
    const missing = records.filter((r) => !stored.has(String(r.Client_Message_Id__c)));
    const created =
        missing.length === 0
            ? []
            : outcomesOf(
                  await target.conn.sobject(names.of('Conversation_Message__c')).create(
                      missing.map((r) => names.out(r)),
                      { allOrNone: false }
                  )
              );
    return records.map((r) =>
        stored.has(String(r.Client_Message_Id__c)) ? { ok: true } : created[missing.indexOf(r)]!
    );
}

/** Values upserted by Key__c; removed keys deleted (a key already gone is done). */
async function replayRoutingState(
    target: ReplayTarget,
    writes: { key: string; value: string | null }[]
): Promise<WriteOutcome[]> {
    const { names } = target;
    const outcomes = new Map<string, WriteOutcome>();
    const puts = writes.filter((w) => w.value !== null);
    if (puts.length > 0) {
        const results = outcomesOf(
            await target.conn.sobject(names.of('Routing_State__c')).upsert(
                puts.map((w) => names.out({ Key__c: w.key, Value__c: w.value })),
                names.of('Key__c'),
                { allOrNone: false }
            )
        );
        puts.forEach((w, i) => outcomes.set(w.key, results[i]!));
    }
    const removed = writes.filter((w) => w.value === null).map((w) => w.key);
    if (removed.length > 0) {
        const rows = (
            await target.conn.query<SObject>(
                names.soql(
                    `SELECT Id, Key__c FROM Routing_State__c WHERE Key__c IN ${literals(removed)}`
                )
            )
        ).records.map((r) => names.in(r));
        for (const key of removed) outcomes.set(key, { ok: true });
        if (rows.length > 0) {
            const results = outcomesOf(
                await target.conn.sobject(names.of('Routing_State__c')).destroy(
                    rows.map((r) => String(r.Id)),
                    { allOrNone: false }
                )
            );
            rows.forEach((r, i) => outcomes.set(String(r.Key__c), results[i]!));
        }
    }
    return writes.map((w) => outcomes.get(w.key)!);
}

/** A collection's results as outcomes: a refused record carries the org's error code. */
function outcomesOf(results: readonly SaveResult[]): WriteOutcome[] {
    return results.map((result) => {
        if (result.success) return { ok: true };
        const error = result.errors?.[0];
        return {
            ok: false,
            error: Object.assign(new Error(error?.message ?? 'The org refused the write.'), {
                errorCode: error?.statusCode ?? 'UNKNOWN_EXCEPTION'
            })
        };
    });
}
