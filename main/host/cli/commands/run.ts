// `modus run NOTEBOOK.md`: run a notebook's blocks in document order and write
// what they printed back into it. Exit 0 when everything passed, 1 when
// something did not (or results could not be written), 2 for usage or
// notebook errors (reported before anything runs; the file is untouched).

import { access, constants } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { createInterface } from 'node:readline/promises';
import { formatMessage, hasErrors } from '../../../notebook/messages.js';
import { parseVarAssignments } from '../../../notebook/variables.js';
import { DEFAULT_PARALLEL } from '../../../notebook/header-args.js';
import { runBlocks, type ConfirmAnswer, type ConfirmRequest, type RunEvent } from '../../../run/engine.js';
import { HostTargets } from '../../../run/host-targets.js';
import { loadInventory, type LoadedInventory } from '../../../inventory/inventory.js';
import { NotebookFile, NotebookFileError } from '../../../run/notebook-file.js';
import { planRun, type PlannedBlock, type Selection } from '../../../run/plan.js';
import { formatDuration } from '../../../run/run-host.js';
import { RunDisplay } from './run-display.js';
import { describePendingRollback, pendingRollbacks } from '../../../run/pending-rollbacks.js';
import { ttySecretPrompter } from './tty-secret.js';
import { endSshClientsNow } from '../../../targets/ssh/ssh-client.js';
import { stopMastersNow } from '../../../targets/ssh/control-dir.js';

export const HELP = `usage: modus run NOTEBOOK.md [options]

Runs the notebook's code blocks in document order and writes each block's
results under it. Stops at the first block that does not pass. Before
anything runs, the notebook is checked as \`modus check\` does (header
arguments, variables, host names against the inventory); with a selection,
the selected blocks are. Any error: nothing runs.

Block selection (block numbers count every fenced code block in the file,
results blocks excluded, starting at 1):
  --only NAME       run only the block with :name NAME
  --block N         run only block N
  --from N          run blocks N and after

Options:
  --var NAME=VALUE  set a variable (repeatable; overrides front matter vars:)
  --inventory FILE  host inventory (YAML)
  --ssh-config FILE use this ssh_config instead of ~/.ssh/config (ssh -F), for
                    host names too (labs, CI)
  --accept-new-host-keys
                    connect to hosts whose key is not yet in known_hosts and
                    add it (StrictHostKeyChecking=accept-new); a changed key
                    is refused all the same
  --dry-run         print what would run, after substitution; run and write nothing
  --yes, -y         answer yes to every :confirm block
  --keep-going      run the remaining blocks after one fails
  --jobs N          run up to N blocks at once (default 1: strictly one after
                    another). Blocks still start in document order; a block
                    waits for earlier blocks of the same :session and host, and
                    a :confirm block waits for every earlier block. Also the
                    number of SSH connections set up at once (default 16).
                    A block's hosts run :parallel at a time (default 16).
  --no-write        do not write results into the notebook (the journal still records the runs)
  --output FILE     write the notebook with its results to FILE instead
  -h, --help        this help

SSH: hosts are reached with your OpenSSH client and configuration; unknown
or changed host keys stop that host (status error) with the key's
fingerprint. Passwords and passphrases are asked on this terminal; with no
terminal, ssh runs in batch mode and fails instead of asking.

Junos: junos blocks run on inventory hosts with platform: junos, over
NETCONF (ssh -s HOST netconf, port 830 unless the inventory gives one).
Configuration blocks lock, load, diff and commit check, then roll back
(:commit check, the default), commit (:commit now) or commit confirmed
(:commit confirmed N, rolled back by the device after N minutes unless a
later :commit confirm block confirms it). A run that ends with a commit
confirmed still pending says, per device, when it rolls back and which
block confirms it.

Exit status: 0 all passed, 1 something failed or could not be written,
2 usage or notebook errors (nothing ran). Ctrl-C cancels running blocks and
writes them as cancelled.
`;

interface RunArgs {
  notebook: string;
  selection: Selection;
  vars: string[];
  inventory?: string;
  sshConfig?: string;
  acceptNewHostKeys: boolean;
  jobsGiven: boolean;
  dryRun: boolean;
  yes: boolean;
  keepGoing: boolean;
  jobs: number;
  noWrite: boolean;
  output?: string;
}

function usageError(message: string): number {
  process.stderr.write(`modus run: ${message}\nRun \`modus run --help\` for the options.\n`);
  return 2;
}

function parseArgs(argv: string[]): RunArgs | { error: string } | 'help' {
  const out: RunArgs = { notebook: '', selection: {}, vars: [], acceptNewHostKeys: false, jobsGiven: false, dryRun: false, yes: false, keepGoing: false, jobs: 1, noWrite: false };
  const positional: string[] = [];
  const selections: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    let arg = argv[i]!;
    let inline: string | undefined;
    const eq = arg.startsWith('--') ? arg.indexOf('=') : -1;
    if (eq > 0) {
      inline = arg.slice(eq + 1);
      arg = arg.slice(0, eq);
    }
    const value = (): string | null => {
      if (inline !== undefined) return inline;
      const v = argv[++i];
      return v === undefined ? null : v;
    };
    const number = (flag: string): number | string => {
      const v = value();
      if (v === null) return `${flag} needs a number`;
      if (!/^\d+$/.test(v) || Number(v) < 1) return `${flag} "${v}" is not a whole number from 1`;
      return Number(v);
    };
    switch (arg) {
      case '-h':
      case '--help':
        return 'help';
      case '--only': {
        const v = value();
        if (v === null || v === '') return { error: '--only needs a block name' };
        out.selection.only = v;
        selections.push(arg);
        break;
      }
      case '--block':
      case '--from': {
        const n = number(arg);
        if (typeof n === 'string') return { error: n };
        out.selection[arg === '--block' ? 'block' : 'from'] = n;
        selections.push(arg);
        break;
      }
      case '--var': {
        const v = value();
        if (v === null) return { error: '--var needs NAME=VALUE' };
        out.vars.push(v);
        break;
      }
      case '--inventory': {
        const v = value();
        if (v === null) return { error: '--inventory needs a file' };
        out.inventory = v;
        break;
      }
      case '--ssh-config': {
        const v = value();
        if (v === null) return { error: '--ssh-config needs a file' };
        out.sshConfig = v;
        break;
      }
      case '--accept-new-host-keys': out.acceptNewHostKeys = true; break;
      case '--output': {
        const v = value();
        if (v === null) return { error: '--output needs a file' };
        out.output = v;
        break;
      }
      case '--jobs': {
        const n = number(arg);
        if (typeof n === 'string') return { error: n };
        out.jobs = n;
        out.jobsGiven = true;
        break;
      }
      case '--dry-run': out.dryRun = true; break;
      case '--yes':
      case '-y': out.yes = true; break;
      case '--keep-going': out.keepGoing = true; break;
      case '--no-write': out.noWrite = true; break;
      default:
        if (arg.startsWith('-') && arg !== '-') return { error: `unknown option ${arg}` };
        positional.push(arg);
    }
    if (inline !== undefined && !['--only', '--block', '--from', '--var', '--inventory', '--ssh-config', '--output', '--jobs'].includes(arg)) {
      return { error: `${arg} takes no value` };
    }
  }
  if (positional.length === 0) return { error: 'which notebook? (modus run NOTEBOOK.md)' };
  if (positional.length > 1) return { error: `one notebook at a time (got ${positional.join(', ')})` };
  if (selections.length > 1) return { error: `${selections.join(' and ')} cannot be combined; choose one` };
  if (out.noWrite && out.output !== undefined) return { error: '--no-write and --output cannot be combined' };
  out.notebook = positional[0]!;
  return out;
}

export async function main(argv: string[]): Promise<number> {
  const parsed = parseArgs(argv);
  if (parsed === 'help') {
    process.stdout.write(HELP);
    return 0;
  }
  if ('error' in parsed) return usageError(parsed.error);
  const args = parsed;
  const cliVars = parseVarAssignments(args.vars);
  if (cliVars.errors.length > 0) return usageError(cliVars.errors.join('\n'));
  if (args.sshConfig !== undefined) {
    try {
      await access(args.sshConfig, constants.R_OK);
    } catch {
      return usageError(`--ssh-config ${args.sshConfig}: no such readable file`);
    }
    args.sshConfig = resolve(args.sshConfig);
  }
  if (args.inventory !== undefined) {
    try {
      await access(args.inventory, constants.R_OK);
    } catch {
      return usageError(`--inventory ${args.inventory}: no such readable file`);
    }
  }

  let notebook: NotebookFile;
  try {
    notebook = await NotebookFile.open(args.notebook, args.output !== undefined ? resolve(args.output) : undefined);
  } catch (e) {
    if (e instanceof NotebookFileError) {
      process.stderr.write(`modus run: ${e.message}\n`);
      return 2;
    }
    throw e;
  }
  // Host names are checked before anything runs, as modus check does:
  // a block on `:host -oProxyCommand=…` must not let earlier blocks run.
  let inventory: LoadedInventory;
  try {
    inventory = await loadInventory({
      notebookPath: resolve(args.notebook),
      declared: notebook.notebook.frontMatter?.data?.inventory,
      ...(args.inventory !== undefined ? { cliInventory: args.inventory } : {}),
      ...(args.sshConfig !== undefined ? { sshConfigPath: args.sshConfig } : {}),
    });
  } catch (e) {
    process.stderr.write(`modus run: cannot read the inventory: ${e instanceof Error ? e.message : String(e)}; nothing was run\n`);
    return 2;
  }
  const plan = planRun(notebook.notebook, { file: args.notebook, cliVars: cliVars.vars, selection: args.selection, inventory });
  if (plan.selectionError) return usageError(plan.selectionError);
  const messages = plan.messages;
  for (const m of messages) process.stderr.write(`${formatMessage(m)}${m.severity === 'warning' ? ' (warning)' : ''}\n`);
  if (hasErrors(messages)) {
    process.stderr.write(`modus run: ${args.notebook} has errors; nothing was run and the file was not changed\n`);
    return 2;
  }

  if (args.dryRun) {
    process.stdout.write(dryRun(plan.blocks, plan.skipped));
    return 0;
  }
  if (plan.blocks.length === 0) {
    process.stdout.write(`modus run: no runnable blocks in ${args.notebook}\n`);
    return 0;
  }

  const interactive = process.stdin.isTTY === true && process.stderr.isTTY === true;
  const display = new RunDisplay(process.stdout, process.stdout.isTTY === true);
  // Passwords go to the terminal itself; without one, ssh runs in batch mode and fails instead of waiting.
  const prompter = ttySecretPrompter((fn) => display.pause(fn));
  const abort = new AbortController();
  let interrupts = 0;
  const onSigint = (): void => {
    interrupts++;
    if (interrupts === 1) {
      display.note('modus run: cancelling running blocks (Ctrl-C again to quit at once)');
      abort.abort();
    } else {
      // No waiting for the orderly stop, but it goes on: the remote kills already started finish, then the masters end (ssh runs in sessions of its own, which no signal to Modus reaches).
      endSshClientsNow();
      stopMastersNow();
      process.exit(130);
    }
  };
  // The terminal is gone (closed, or the ssh session Modus ran in dropped): stop as for Ctrl-C, results still written, with nowhere to print.
  const onSighup = (): void => {
    for (const stream of [process.stdout, process.stderr]) stream.on('error', () => undefined);
    interrupts++;
    abort.abort();
  };
  process.on('SIGINT', onSigint);
  process.on('SIGTERM', onSigint);
  process.on('SIGHUP', onSighup);
  try {
    const summary = await runBlocks({
      notebook,
      blocks: plan.blocks,
      resolver: new HostTargets({
        notebookDir: dirname(resolve(args.notebook)),
        ...(args.sshConfig !== undefined ? { sshConfig: args.sshConfig } : {}),
        acceptNewHostKeys: args.acceptNewHostKeys,
        acceptHint: 'run again with --accept-new-host-keys',
        ...(prompter ? { prompter } : {}),
        setupLimit: args.jobsGiven ? args.jobs : DEFAULT_PARALLEL,
      }),
      signal: abort.signal,
      jobs: args.jobs,
      keepGoing: args.keepGoing,
      write: !args.noWrite,
      confirm: (q) => confirm(q, args.yes, interactive, display),
      onEvent: (e: RunEvent) => {
        display.event(e);
        if (e.kind === 'problem') display.aside(() => process.stderr.write(`modus run: ${e.number !== undefined ? `block ${e.number}: ` : ''}${e.message}\n`));
      },
    });
    display.close();
    // A commit confirmed still pending is the one thing the user must not miss: the device undoes it on its own.
    // Which block would confirm it is looked for in the whole notebook, not only in the blocks selected to run.
    const whole = args.selection.only !== undefined || args.selection.block !== undefined || args.selection.from !== undefined
      ? planRun(notebook.notebook, { file: args.notebook, cliVars: cliVars.vars, inventory }).blocks
      : plan.blocks;
    for (const p of pendingRollbacks(summary, whole)) process.stdout.write(`modus run: ${describePendingRollback(p, args.notebook, new Date())}\n`);
    const counts = new Map<string, number>();
    for (const b of summary.blocks) for (const h of b.hosts) counts.set(h.status, (counts.get(h.status) ?? 0) + 1);
    const total = [...counts].map(([s, n]) => `${n} ${s}`).join(', ');
    const notRun = plan.blocks.length - summary.blocks.length;
    process.stdout.write(`${total || 'nothing ran'}${notRun > 0 ? `; ${notRun} block${notRun === 1 ? '' : 's'} not run` : ''}\n`);
    return summary.ok && notRun === 0 ? 0 : 1;
  } finally {
    display.close();
    process.off('SIGINT', onSigint);
    process.off('SIGTERM', onSigint);
    process.off('SIGHUP', onSighup);
  }
}

async function confirm(q: ConfirmRequest, yes: boolean, interactive: boolean, display: RunDisplay): Promise<ConfirmAnswer> {
  if (yes) return 'yes';
  const what = `block ${q.number}${q.name ? ` (${q.name})` : ''}`;
  if (!interactive) {
    return { error: `${what} needs confirmation (:confirm) and there is no terminal to ask; run with --yes to confirm it` };
  }
  return display.pause(async () => {
    const rl = createInterface({ input: process.stdin, output: process.stderr });
    try {
      process.stderr.write(`\n${what}: ${q.lang} on ${q.hosts.join(', ')}\n${indent(q.script)}\n`);
      const answer = await rl.question(`Run ${what}? [y/N] `);
      return /^y(es)?$/i.test(answer.trim()) ? 'yes' : 'no';
    } finally {
      rl.close();
    }
  });
}

function indent(text: string): string {
  return text.split('\n').map((l) => `    ${l}`).join('\n');
}

function dryRun(blocks: PlannedBlock[], skipped: { number: number; reason: string }[]): string {
  const entries: [number, string][] = [];
  for (const b of blocks) {
    const a = b.args;
    const facts: string[] = [];
    if (a.session !== null) facts.push(`session ${a.session}`);
    if (a.dir !== null) facts.push(`dir ${a.dir}`);
    facts.push(`timeout ${formatDuration(a.timeoutMs)}`);
    for (const re of a.expect) facts.push(`expect /${re.source}/`);
    for (const x of a.expectXpath) facts.push(`expect-xpath ${x}`);
    if (a.expectExit !== 0) facts.push(`expect-exit ${a.expectExit}`);
    if (a.confirm) facts.push('confirm');
    if (a.results !== 'replace') facts.push(`results ${a.results}`);
    if (b.junos) facts.push(junosFact(b.junos));
    const written = a.hosts.join(', ');
    const labels = b.hosts.map((h) => h.label).join(', ');
    const hosts = b.hosts.length === 0 ? 'local' : written === labels ? labels : `${written} → ${labels}`;
    entries.push([b.number, `[${b.number}]${a.name ? ` ${a.name}:` : ''} ${b.block.lang} on ${hosts} (${facts.join(', ')})\n${indent(b.script)}\n`]);
  }
  for (const s of skipped) entries.push([s.number, `[${s.number}] skipped (${s.reason})\n`]);
  entries.sort((x, y) => x[0] - y[0]);
  return entries.map((e) => e[1]).join('') + `dry run: ${blocks.length} block${blocks.length === 1 ? '' : 's'} would run; nothing was run or written\n`;
}

function junosFact(w: NonNullable<PlannedBlock['junos']>): string {
  if (w.kind === 'op') return `${w.commands.length} operational command${w.commands.length === 1 ? '' : 's'}${w.format === 'xml' ? ', XML' : ''}`;
  if (w.kind === 'confirm') return 'confirms a pending commit confirmed';
  if (w.kind === 'rollback') return 'rolls a pending commit confirmed back now';
  const load = w.load.format === 'rollback' ? `rollback ${w.load.index}` : w.load.format === 'set' ? 'load set' : `load ${w.load.action}`;
  const commit = w.commit.mode === 'confirmed' ? `commit confirmed ${w.commit.minutes}` : w.commit.mode === 'now' ? 'commit' : 'commit check only';
  return `${load}${w.private ? ' (private)' : ''}, ${commit}, log "${w.log}"`;
}
