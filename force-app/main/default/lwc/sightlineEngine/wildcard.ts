/**
 * Case-insensitive wildcard matching (`*` = any run of characters, `?` = exactly one)
 * without regular expressions, so an admin's pattern can never cause catastrophic
 * backtracking.
 *
 * The pattern is split at `*` into literal segments (which may contain `?`). The first
 * segment must sit at the start of the text, the last one at the end, and the middle
 * ones are found left to right, each at its leftmost position; leftmost is always the
 * best choice, so nothing is ever retried. Each middle segment is found with the
 * bit-parallel Shift-And algorithm, so the whole match costs O(text length ×
 * ⌈segment length / 32⌉): linear in the text.
 */

export interface WildcardPattern {
    readonly source: string;
    matches(text: string): boolean;
}

const WILDCARD_ONE = '?';

interface Segment {
    readonly chars: string;
    /** Shift-And masks per character; `?` positions are set in every mask. */
    readonly masks: ReadonlyMap<string, readonly number[]>;
    /** Mask for characters absent from the segment: only its `?` positions. */
    readonly anyMask: readonly number[];
    readonly wordCount: number;
}

export function compileWildcard(pattern: string): WildcardPattern {
    const lowered = pattern.toLowerCase();
    const parts = lowered.split('*');
    const prefix = parts[0] ?? '';
    if (parts.length === 1) {
        return {
            source: pattern,
            matches: (text) => {
                const t = text.toLowerCase();
                return t.length === prefix.length && segmentFitsAt(prefix, t, 0);
            }
        };
    }
    const suffix = parts[parts.length - 1] ?? '';
    const middle = parts
        .slice(1, -1)
        .filter((part) => part.length > 0)
        .map(buildSegment);
    return {
        source: pattern,
        matches: (text) => {
            const t = text.toLowerCase();
            const end = t.length - suffix.length;
            if (end < prefix.length) {
                return false;
            }
            if (!segmentFitsAt(prefix, t, 0) || !segmentFitsAt(suffix, t, end)) {
                return false;
            }
            let position = prefix.length;
            for (const segment of middle) {
                position = findEndOfFirstMatch(segment, t, position, end);
                if (position < 0) {
                    return false;
                }
            }
            return true;
        }
    };
}

function segmentFitsAt(segment: string, text: string, at: number): boolean {
    for (let i = 0; i < segment.length; i++) {
        const expected = segment[i];
        if (expected !== WILDCARD_ONE && expected !== text[at + i]) {
            return false;
        }
    }
    return true;
}

function buildSegment(chars: string): Segment {
    const wordCount = Math.ceil(chars.length / 32);
    const anyMask = new Array<number>(wordCount).fill(0);
    for (let i = 0; i < chars.length; i++) {
        if (chars[i] === WILDCARD_ONE) {
            setBit(anyMask, i);
        }
    }
    const masks = new Map<string, number[]>();
    for (let i = 0; i < chars.length; i++) {
        const c = chars[i] ?? WILDCARD_ONE;
        if (c === WILDCARD_ONE) {
            continue;
        }
        let mask = masks.get(c);
        if (!mask) {
            mask = anyMask.slice();
            masks.set(c, mask);
        }
        setBit(mask, i);
    }
    return { chars, masks, anyMask, wordCount };
}

function setBit(words: number[], index: number): void {
    const word = index >>> 5;
    words[word] = (words[word] ?? 0) | (1 << (index & 31));
}

/** Index just past the leftmost match of `segment` within text[from, limit), or -1. */
function findEndOfFirstMatch(segment: Segment, text: string, from: number, limit: number): number {
    const { wordCount, masks, anyMask } = segment;
    const lastIndex = segment.chars.length - 1;
    const lastWord = lastIndex >>> 5;
    const lastBit = 1 << (lastIndex & 31);
    const state = new Array<number>(wordCount).fill(0);
    for (let i = from; i < limit; i++) {
        const mask = masks.get(text[i] ?? '') ?? anyMask;
        let carry = 1;
        for (let w = 0; w < wordCount; w++) {
            const previous = state[w] ?? 0;
            state[w] = ((previous << 1) | carry) & (mask[w] ?? 0);
            carry = previous >>> 31;
        }
        if (((state[lastWord] ?? 0) & lastBit) !== 0) {
            return i + 1;
        }
    }
    return -1;
}
