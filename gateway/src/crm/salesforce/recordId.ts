/** Salesforce record ids as the org checks them. */
const ID_SUFFIX_CHARS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ012345';

/**
 * An 18-character record id whose case-safe suffix matches its first 15 characters. The org
 * refuses any other in `WHERE Id = …` (INVALID_QUERY_FILTER_OPERATOR): such an id names no
 * record, and asking would spend an API request on the refusal.
 */
export function isRecordId(id: string): boolean {
    if (!/^[a-zA-Z0-9]{18}$/.test(id)) return false;
    let suffix = '';
    for (let chunk = 0; chunk < 3; chunk++) {
        let bits = 0;
        for (let i = 0; i < 5; i++) {
            const c = id[chunk * 5 + i]!;
            if (c >= 'A' && c <= 'Z') bits |= 1 << i;
        }
        suffix += ID_SUFFIX_CHARS[bits];
    }
    return id.slice(15) === suffix;
}
