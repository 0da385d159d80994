// `modus export NOTEBOOK.md --html OUT.html`: the notebook as a
// self-contained, sanitised HTML report (see notebook/report.ts), with the
// run journal's timeline when there is one. OUT.html is written atomically.

import { readFile } from 'node:fs/promises';
import { formatMessage } from '../../../notebook/messages.js';
import { buildNotebookReport } from '../../../run/notebook-report.js';
import { writeFileAtomic } from '../../../files/atomic-write.js';
import { describeFileError } from '../../../files/describe-error.js';
import { readCommandLine } from './command-line.js';

const USAGE = `usage: modus export NOTEBOOK.md --html OUT.html

Writes a self-contained HTML report: title, variables, who ran it and when,
a timeline of the runs (from .modus/journal/NOTEBOOK.md.jsonl when present),
each block with its results and status badges (and a "stale" badge on
results whose block changed since they were written), and totals. No scripts, no
external resources. \`--html -\` writes to standard output.
A notebook past Modus's limits (nesting of quotes, lists or emphasis, header
argument length, YAML aliases) is not exported: its problems are printed as
file:line:col reason [rule], nothing is written, and the exit status is 2.
`;


function parseArgs(argv: string[]): { notebook: string; html: string } | string {
  const positional: string[] = [];
  let html: string | undefined;
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i]!;
    if (arg === '--html' || arg.startsWith('--html=')) {
      html = arg === '--html' ? argv[++i] : arg.slice('--html='.length);
      if (html === undefined || html === '') return '--html needs the output file (or - for standard output)';
    } else if (arg.startsWith('-') && arg !== '-') {
      return `unknown option ${arg}`;
    } else {
      positional.push(arg);
    }
  }
  if (positional.length !== 1) return positional.length === 0 ? 'give the notebook to export' : `give one notebook, got ${positional.length}: ${positional.join(' ')}`;
  if (html === undefined) return 'say where the report goes: --html OUT.html';
  return { notebook: positional[0]!, html };
}

export async function main(argv: string[]): Promise<number> {
  const parsed = readCommandLine(argv, 'export', USAGE, parseArgs);
  if (typeof parsed === 'number') return parsed;
  let text: string;
  try {
    text = await readFile(parsed.notebook, 'utf8');
  } catch (err) {
    process.stderr.write(`modus export: cannot read ${parsed.notebook}: ${describeFileError(err)}\n`);
    return 2;
  }
  const report = await buildNotebookReport({
    notebookPath: parsed.notebook,
    text,
    warn: (m) => process.stderr.write(`modus export: warning: ${m}\n`),
    generatedAt: new Date(),
  });
  if (report.problems.length > 0) {
    for (const m of report.problems) process.stderr.write(`${formatMessage({ ...m, file: parsed.notebook })}\n`);
    process.stderr.write(`modus export: ${parsed.notebook} was not exported; nothing was written\n`);
    return 2;
  }
  if (parsed.html === '-') {
    process.stdout.write(report.html);
    return 0;
  }
  try {
    await writeFileAtomic(parsed.html, report.html);
  } catch (err) {
    process.stderr.write(`modus export: cannot write ${parsed.html}: ${describeFileError(err)}; nothing was changed there\n`);
    return 1;
  }
  const t = report.totals;
  process.stdout.write(`wrote ${parsed.html}: ${t.pass} pass, ${t.fail} fail, ${t.error} error, ${t.timeout} timeout, ${t.cancelled} cancelled\n`);
  return 0;
}
