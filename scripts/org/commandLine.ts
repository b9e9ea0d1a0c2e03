/**
 * The command-line preamble the org scripts share: parse the options strictly (no
 * positionals), answer `--help` with the usage, and answer an unknown or malformed option
 * with its message and the usage, so each command starts from its values or an exit code.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';

type Options = NonNullable<ParseArgsConfig['options']>;

/** The parsed values of `options`, typed as `parseArgs` types them. */
export type CommandLineValues<O extends Options> = ReturnType<
    typeof parseArgs<{ args: string[]; options: O; allowPositionals: false }>
>['values'];

/**
 * The values of `argv`, or the exit code to end with: 0 after printing the usage for
 * `--help` (which `options` must declare), 2 after a usage error.
 */
export function parseCommandLine<O extends Options & { help: { type: 'boolean' } }>(
    argv: string[],
    options: O,
    usage: string,
    log: (line: string) => void
): CommandLineValues<O> | number {
    let values: CommandLineValues<O>;
    try {
        values = parseArgs({ args: argv, options, allowPositionals: false }).values;
    } catch (error) {
        log(`${(error as Error).message}\n\n${usage}`);
        return 2;
    }
    // TypeScript cannot narrow the values of a generic option set; `help` is declared above.
    if ((values as Record<string, unknown>).help === true) {
        log(usage);
        return 0;
    }
    return values;
}
