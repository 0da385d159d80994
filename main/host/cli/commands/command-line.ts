// The start every subcommand shares: `--help`/`-h` prints the usage (exit 0);
// arguments the command's parser refuses print why and the usage (exit 2).

/** The parsed arguments, or the exit code when the command is already done. */
export function readCommandLine<T extends object>(argv: string[], command: string, usage: string, parse: (argv: string[]) => T | string): T | number {
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(usage);
    return 0;
  }
  const parsed = parse(argv);
  if (typeof parsed === 'string') {
    process.stderr.write(`modus ${command}: ${parsed}\n\n${usage}`);
    return 2;
  }
  return parsed;
}
