/**
 * The website owner's own bot patterns (`Sightline_Site__mdt.Bot_Patterns__c`, one a
 * line), on top of isbot's list. A pattern is a piece of a user agent, matched without
 * regard to case; `*` stands for any run of characters (`Acme*Monitor`). Not regular
 * expressions: an owner's typo cannot take the gateway into catastrophic backtracking.
 */
export const BOT_PATTERN_LIMITS = { patterns: 100, length: 200, minLength: 3 } as const;

/** What is wrong with a site's patterns, one message per bad line (empty when all are good). */
export function botPatternProblems(patterns: readonly string[]): string[] {
    const problems: string[] = [];
    if (patterns.length > BOT_PATTERN_LIMITS.patterns)
        problems.push(`at most ${BOT_PATTERN_LIMITS.patterns} patterns (${patterns.length} given)`);
    patterns.forEach((pattern, i) => {
        const line = `line ${i + 1} "${pattern.slice(0, 40)}"`;
        const letters = pattern.replace(/\*/g, '');
        if (pattern.length > BOT_PATTERN_LIMITS.length)
            problems.push(`${line} is longer than ${BOT_PATTERN_LIMITS.length} characters`);
        else if (letters.length < BOT_PATTERN_LIMITS.minLength)
            problems.push(
                `${line} needs at least ${BOT_PATTERN_LIMITS.minLength} characters besides *`
            );
        else if (/[\u0000-\u001f\u007f]/.test(pattern))
            problems.push(`${line} contains a control character`);
    });
    return problems;
}

/** One matcher for a site's patterns (validated first): lower-cased pieces found in order. */
export function botPatternMatcher(patterns: readonly string[]): (userAgent: string) => boolean {
    const compiled = patterns.map((p) =>
        p
            .toLowerCase()
            .split('*')
            .filter((piece) => piece.length > 0)
    );
    if (compiled.length === 0) return () => false;
    return (userAgent) => {
        const ua = userAgent.toLowerCase();
        return compiled.some((pieces) => {
            let from = 0;
            for (const piece of pieces) {
                const at = ua.indexOf(piece, from);
                if (at < 0) return false;
                from = at + piece.length;
            }
            return true;
        });
    };
}
