// `modus journal verify NOTEBOOK.md` and `modus journal show NOTEBOOK.md [--last N | --output SEQ]`.

import { relative } from 'node:path';
import { once } from 'node:events';
import { journalPath, readJournal, readRecordOutput, verifyJournal } from '../../../run/journal.js';
import type { JournalRecord } from '../../../run/journal.js';
import { formatDuration } from '../../../notebook/report-format.js';

const USAGE = `usage: modus journal verify NOTEBOOK.md
       modus journal show NOTEBOOK.md [--last N]
       modus journal show NOTEBOOK.md --output SEQ

verify  checks the run journal's hash chain (.modus/journal/NOTEBOOK.md.jsonl) and
        the output blobs its records name (.modus/journal/blobs/): exit 0 when intact,
        1 when a record was edited, deleted, reordered or cut short, or a blob changed or went missing.
show    prints the runs recorded for the notebook, oldest first (SEQ is the first column);
        with --output SEQ, the full raw output of that run, byte for byte, as the terminal received it.
`;

function displayPath(path: string): string {
  const rel = relative(process.cwd(), path);
  return rel.startsWith('..') ? path : rel;
}

function blockLabel(r: JournalRecord): string {
  // Blocks are numbered from 1, as `modus run` prints them.
  return r.name ? `#${r.block + 1} ${r.name}` : `#${r.block + 1}`;
}

/** One line per run: seq, start, took, block, host, user, status, exit. */
export function timelineLines(records: JournalRecord[]): string[] {
  const rows = records.map((r) => [
    String(r.seq),
    r.start.replace(/\.\d{3}Z$/, 'Z'),
    formatDuration(r.tookMs),
    blockLabel(r),
    r.host,
    r.user,
    r.status,
    r.exitCode === null ? 'exit -' : `exit ${r.exitCode}`,
  ]);
  const widths = rows.reduce<number[]>((w, row) => row.map((cell, i) => Math.max(w[i] ?? 0, cell.length)), []);
  return rows.map((row) => row.map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i]!))).join('  '));
}

async function verify(notebook: string): Promise<number> {
  const result = await verifyJournal(notebook);
  const shown = displayPath(result.path);
  if (result.missing) {
    process.stderr.write(`modus journal: no journal for ${notebook} (looked for ${shown}); run the notebook first, or check the path.\n`);
    return 1;
  }
  if (result.ok) {
    process.stdout.write(`ok: ${result.records} record${result.records === 1 ? '' : 's'}, chain intact\n`);
    return 0;
  }
  for (const p of result.problems) process.stdout.write(`${shown}:${p.line}: ${p.message}\n`);
  process.stdout.write(`${result.problems.length} problem${result.problems.length === 1 ? '' : 's'} in ${result.records} record${result.records === 1 ? '' : 's'}\n`);
  return 1;
}

async function show(notebook: string, last: number | undefined): Promise<number> {
  const records = await readJournal(notebook, { output: false });
  if (records.length === 0) {
    process.stderr.write(`modus journal: no runs recorded for ${notebook} (looked for ${displayPath(await journalPath(notebook))}).\n`);
    return 1;
  }
  const shown = last === undefined ? records : records.slice(-last);
  process.stdout.write(timelineLines(shown).join('\n') + '\n');
  return 0;
}

/** The run's raw output to stdout, streamed (it may be gigabytes): stdout's backpressure is waited for. */
async function showOutput(notebook: string, seq: number): Promise<number> {
  for await (const piece of readRecordOutput(notebook, seq)) {
    if (!process.stdout.write(piece)) await once(process.stdout, 'drain');
  }
  return 0;
}

export async function main(argv: string[]): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(USAGE);
    return 0;
  }
  const [action, ...rest] = argv;
  const positional: string[] = [];
  let last: number | undefined;
  let output: number | undefined;
  for (let i = 0; i < rest.length; i += 1) {
    const arg = rest[i]!;
    const option = ['--last', '--output'].find((o) => arg === o || arg.startsWith(`${o}=`));
    if (option) {
      const value = arg === option ? rest[++i] : arg.slice(option.length + 1);
      if (value === undefined || !/^[1-9]\d*$/.test(value)) {
        const what = option === '--last' ? 'a positive number of runs' : 'the number of a run (the first column of show)';
        process.stderr.write(`modus journal: ${option} needs ${what}, got ${value === undefined ? 'nothing' : JSON.stringify(value)}\n`);
        return 2;
      }
      if (option === '--last') last = Number(value);
      else output = Number(value);
    } else if (arg.startsWith('-')) {
      process.stderr.write(`modus journal: unknown option ${arg}\n\n${USAGE}`);
      return 2;
    } else {
      positional.push(arg);
    }
  }
  if ((action !== 'verify' && action !== 'show') || positional.length !== 1) {
    process.stderr.write(
      action === undefined || action === 'verify' || action === 'show'
        ? `modus journal: give exactly one notebook\n\n${USAGE}`
        : `modus journal: unknown action ${JSON.stringify(action)}\n\n${USAGE}`,
    );
    return 2;
  }
  if (action === 'verify' && (last !== undefined || output !== undefined)) {
    process.stderr.write(`modus journal: ${last !== undefined ? '--last' : '--output'} applies to \`show\` only\n`);
    return 2;
  }
  if (last !== undefined && output !== undefined) {
    process.stderr.write('modus journal: give --last or --output, not both\n');
    return 2;
  }
  try {
    if (action === 'verify') return await verify(positional[0]!);
    return output !== undefined ? await showOutput(positional[0]!, output) : await show(positional[0]!, last);
  } catch (err) {
    process.stderr.write(`modus journal: ${(err as Error).message}\n`);
    return 2;
  }
}
