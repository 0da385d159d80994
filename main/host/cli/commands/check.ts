// `modus check NOTEBOOK.md [--var k=v]... [--inventory FILE]`: everything
// that would stop `modus run` before it runs anything, without running it.
// Each problem is printed as `file:line:col reason [rule]`, in document order.

import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { parseVarAssignments } from '../../../notebook/variables.js';
import { formatMessage, hasErrors } from '../../../notebook/messages.js';
import { exceedsLimits } from '../../../notebook/limits.js';
import { checkNotebookText } from '../../../run/check-notebook.js';
import { describeFileError } from '../../../files/describe-error.js';
import { readCommandLine } from './command-line.js';

export { checkNotebookText, type CheckOptions } from '../../../run/check-notebook.js';

const USAGE = `usage: modus check NOTEBOOK.md [--var NAME=VALUE]... [--inventory FILE]

Reports parse errors, unknown or bad header arguments, unknown variables and
host names that do not resolve, as file:line:col reason [rule]: exactly what
would stop \`modus run\` before it runs anything. Results that no longer
describe their block (its code, variables, arguments or hosts changed since
they were written) are warnings [stale-results].
Exit 0 when there is no error (warnings allowed), 1 when there is one, 2 when
the notebook cannot be read or checked whole (it goes past one of Modus's
limits: nesting, header-argument length, YAML aliases, more than 1000
problems) or the options are wrong.
`;

interface ParsedArgs {
  notebook: string;
  vars: string[];
  inventory?: string;
}

function parseArgs(argv: string[]): ParsedArgs | string {
  const positional: string[] = [];
  const vars: string[] = [];
  let inventory: string | undefined;
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i]!;
    const eq = arg.indexOf('=');
    const name = arg.startsWith('--') && eq > 0 ? arg.slice(0, eq) : arg;
    const inline = name !== arg ? arg.slice(eq + 1) : undefined;
    if (name === '--var' || name === '--inventory') {
      const value = inline ?? argv[++i];
      if (value === undefined) return `${name} needs a value`;
      if (name === '--var') vars.push(value);
      else inventory = value;
    } else if (arg.startsWith('-') && arg !== '-') {
      return `unknown option ${arg}`;
    } else {
      positional.push(arg);
    }
  }
  if (positional.length !== 1) return positional.length === 0 ? 'give the notebook to check' : `give one notebook, got ${positional.length}: ${positional.join(' ')}`;
  return { notebook: positional[0]!, vars, ...(inventory !== undefined ? { inventory } : {}) };
}

export async function main(argv: string[]): Promise<number> {
  const parsed = readCommandLine(argv, 'check', USAGE, parseArgs);
  if (typeof parsed === 'number') return parsed;
  const assigned = parseVarAssignments(parsed.vars);
  if (assigned.errors.length > 0) {
    for (const e of assigned.errors) process.stderr.write(`modus check: ${e}\n`);
    return 2;
  }
  let text: string;
  try {
    text = await readFile(parsed.notebook, 'utf8');
  } catch (err) {
    process.stderr.write(`modus check: cannot read ${parsed.notebook}: ${describeFileError(err)}\n`);
    return 2;
  }
  const messages = await checkNotebookText(text, resolve(parsed.notebook), {
    displayName: parsed.notebook,
    vars: assigned.vars,
    ...(parsed.inventory !== undefined ? { inventory: parsed.inventory } : {}),
  });
  for (const m of messages) process.stdout.write(`${formatMessage(m)}\n`);
  const errors = messages.filter((m) => m.severity === 'error').length;
  const warnings = messages.length - errors;
  if (messages.length === 0) {
    process.stdout.write(`${parsed.notebook}: no problems\n`);
  } else {
    const counts = [`${errors} error${errors === 1 ? '' : 's'}`, `${warnings} warning${warnings === 1 ? '' : 's'}`];
    process.stdout.write(`${parsed.notebook}: ${counts.join(', ')}\n`);
  }
  if (exceedsLimits(messages)) {
    process.stderr.write(`modus check: ${parsed.notebook} goes past one of Modus's limits (see above), so not all of it was checked or listed; modus run and modus export refuse it too\n`);
    return 2;
  }
  return hasErrors(messages) ? 1 : 0;
}
