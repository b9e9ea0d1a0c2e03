/**
 * The first step of `npm test`: finds the programs the tests need outside npm (Chromium,
 * Redis, a Java runtime), installing Debian's packages when run as root, and otherwise
 * stopping with the exact command to run (scripts/setup/systemTools.ts).
 */
import { CHROMIUM, ensureTool, JAVA, MissingToolError, REDIS } from './systemTools';

const missing: string[] = [];
for (const tool of [CHROMIUM, REDIS, JAVA]) {
    try {
        ensureTool(tool);
    } catch (error) {
        if (!(error instanceof MissingToolError)) throw error;
        missing.push(error.message);
    }
}
if (missing.length > 0) {
    console.error(`npm test needs programs this machine lacks.\n\n${missing.join('\n\n')}`);
    process.exit(1);
}
