// `modus` command line: one dispatcher, each command in its own module,
// loaded on demand so `modus run` never pays for the web host and vice versa.

export type CommandMain = (argv: string[]) => Promise<number>;

const commands: Record<string, { summary: string; load: () => Promise<{ main: CommandMain }> }> = {
  run: { summary: 'run a notebook\'s blocks and write their results into it', load: () => import('./commands/run.js') },
  check: { summary: 'report problems in a notebook without running it', load: () => import('./commands/check.js') },
  hosts: { summary: 'list the hosts a notebook runs on (or the inventory\'s), as ssh will reach them', load: () => import('./commands/hosts.js') },
  export: { summary: 'write a notebook as a self-contained HTML report', load: () => import('./commands/export.js') },
  journal: { summary: 'inspect a notebook\'s run journal (journal verify NOTEBOOK)', load: () => import('./commands/journal.js') },
  serve: { summary: 'serve the Modus UI to a local browser', load: () => import('./commands/serve.js') },
  settings: { summary: 'print where settings.json is (--path) or its JSON Schema (--schema)', load: () => import('./commands/settings.js') },
};

export function usage(): string {
  const lines = ['usage: modus <command> [options]', '', 'commands:'];
  for (const [name, c] of Object.entries(commands)) lines.push(`  ${name.padEnd(9)} ${c.summary}`);
  lines.push('', 'Run `modus <command> --help` for its options.');
  return lines.join('\n') + '\n';
}

/** Returns the process exit code: 0 ok, 1 something failed, 2 usage or input errors. */
export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(usage());
    return name === undefined ? 2 : 0;
  }
  if (name === '--version' || name === '-V') {
    const { readFileSync } = await import('node:fs');
    const pkg = JSON.parse(readFileSync(new URL('../../../../package.json', import.meta.url), 'utf8')) as { version: string };
    process.stdout.write(`modus ${pkg.version}\n`);
    return 0;
  }
  const command = commands[name];
  if (!command && /\.(md|markdown)$/i.test(name)) {
    // `modus NOTES.md`: the notebook in the UI (a browser tab; the desktop app is `npm start -- NOTES.md`).
    const serve = await commands.serve!.load();
    return serve.main(['--open', name, ...rest]);
  }
  if (!command) {
    process.stderr.write(`modus: unknown command "${name}"\n\n${usage()}`);
    return 2;
  }
  const mod = await command.load();
  return mod.main(rest);
}
