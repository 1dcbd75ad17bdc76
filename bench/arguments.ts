// The benchmarks' command-line arguments: flags, options that take a value, --help.

export class UsageError extends Error {}

/**
 * Hands each argument to `take`, with `value()` to consume the one after it; `--help`/`-h` returns 'help', and
 * an argument `take` does not know (it returns false) is a UsageError.
 */
export function walkArguments(
  argv: readonly string[],
  take: (argument: string, value: () => string) => boolean,
): 'help' | undefined {
  for (let i = 0; i < argv.length; i++) {
    const argument = argv[i];
    if (argument === '--help' || argument === '-h') return 'help';
    const value = (): string => {
      const next = argv[++i];
      if (next === undefined || next.startsWith('--')) throw new UsageError(`${argument} needs a value`);
      return next;
    };
    if (!take(argument, value)) throw new UsageError(`unknown argument '${argument}'`);
  }
  return undefined;
}
