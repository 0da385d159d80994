// `modus check NOTEBOOK.md [--var k=v]... [--inventory FILE]`: everything
// that would stop `modus run` before it runs anything, without running it.
// Each problem is printed as `file:line:col reason [rule]`, in document order.

import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { scanNotebook } from '../../../notebook/scan.js';
import { parseHeaderArgs } from '../../../notebook/header-args.js';
import { blockVariables, notebookVariables, parseVarAssignments, substituteBody } from '../../../notebook/variables.js';
import { formatMessage, hasErrors, message, sortMessages } from '../../../notebook/messages.js';
import type { NotebookMessage } from '../../../notebook/types.js';
import { loadInventory, resolveHosts } from '../../../run/inventory.js';
import { isRunnable } from '../../../notebook/runnable.js';
import { describeFileError } from '../../../files/describe-error.js';
import { readCommandLine } from './command-line.js';

const USAGE = `usage: modus check NOTEBOOK.md [--var NAME=VALUE]... [--inventory FILE]

Reports parse errors, unknown or bad header arguments, unknown variables and
host names that do not resolve, as file:line:col reason [rule].
Exit 0 when there is no error (warnings allowed), 1 when there is one, 2 when
the notebook cannot be read or the options are wrong.
`;

export interface CheckOptions {
  /** How the notebook is named in messages (defaults to the path as given). */
  displayName?: string;
  vars?: Record<string, string>;
  inventory?: string;
  /** Defaults to ~/.ssh/config; null ignores it (tests). */
  sshConfigPath?: string | null;
}

/** All problems of a notebook's text, sorted: the notebook's own first, then those of its inventory file. */
export async function checkNotebookText(text: string, notebookPath: string, options: CheckOptions = {}): Promise<NotebookMessage[]> {
  const file = options.displayName ?? notebookPath;
  const nb = scanNotebook(text, file);
  const messages: NotebookMessage[] = [...nb.messages];
  const { vars, messages: varMessages } = notebookVariables(nb, options.vars ?? {}, file);
  messages.push(...varMessages);

  const loaded = await loadInventory({
    notebookPath,
    declared: nb.frontMatter?.data?.inventory,
    ...(options.inventory !== undefined ? { cliInventory: options.inventory } : {}),
    ...(options.sshConfigPath !== undefined ? { sshConfigPath: options.sshConfigPath } : {}),
  });
  const inventoryMessages = loaded.messages;

  for (const block of nb.blocks) {
    // Only blocks `modus run` would run: a ```json or ```diff block without
    // header arguments is documentation, and its `{{…}}` are text.
    if (!isRunnable(block)) continue;
    const { args, messages: argMessages } = parseHeaderArgs(block, file, vars);
    messages.push(...argMessages);
    // A documentation block (`:eval no`) never runs: its text may show
    // `{{placeholders}}` and hosts that exist only in the reader's world.
    if (!args.eval) continue;
    messages.push(...substituteBody(block, blockVariables(vars, args.vars), file).messages);
    const hostArg = args.raw.find((a) => a.key === 'host');
    if (hostArg && args.hosts.length > 0) {
      // Each name is checked alone so its message points at the name itself.
      let from = 0;
      for (const name of args.hosts) {
        const index = hostArg.value.indexOf(name, from);
        from = index < 0 ? from : index + name.length;
        const offset = index < 0 ? hostArg.valueAt.offset : (hostArg.valueOffsets[index] ?? hostArg.valueAt.offset);
        const at = { line: hostArg.valueAt.line, column: hostArg.valueAt.column + (offset - hostArg.valueAt.offset) };
        for (const p of resolveHosts(name, loaded.inventory).problems) messages.push(message(at, p.message, p.ruleId, 'error', file));
      }
    }
  }
  return [...sortMessages(messages.filter((m) => m.file === file || m.file === undefined)), ...sortMessages(inventoryMessages), ...sortMessages(messages.filter((m) => m.file !== file && m.file !== undefined))];
}

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
  return hasErrors(messages) ? 1 : 0;
}
